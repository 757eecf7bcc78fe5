--- The mock Authlete server, for your own test suites.
---
--- authlete.mock.start{…}  runs it as a child process (see authlete.mock.process)
--- authlete.mock.Server    is the server itself, to embed in a Lua process
local mock = {}

mock.start = function(opts) return require("authlete.mock.process").start(opts) end
mock.Server = require("authlete.mock.server")
mock.default_seed = require("authlete.mock.seed").default

return mock
