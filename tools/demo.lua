--- make demo: start the mock on a free port, run the examples against it,
--- and stop it. Each example gets the same environment a user would set
--- for a real service.
local process = require("authlete.mock.process")
local crypto = require("authlete.mock.crypto")

local EXAMPLES = { "examples/mock_tour.lua" }

-- A fresh bearer each run; the examples read it from the environment.
local bearer = "demo-" .. crypto.new_token()
local mock = process.start({ command = "lua5.4 bin/authlete-mock", bearer = bearer })
print("mock Authlete server " .. mock.url .. " (service " .. mock:seed().serviceId .. ")")

local failed = 0
for _, example in ipairs(EXAMPLES) do
   print(("\n$ lua5.4 %s"):format(example))
   io.stdout:flush()
   local env = ("AUTHLETE_BASE_URL=%s AUTHLETE_SERVICE_ID=%s AUTHLETE_BEARER=%s"):format(
      mock.url, mock:seed().serviceId, bearer)
   local ok = os.execute(env .. " lua5.4 " .. example)
   if not ok then failed = failed + 1 end
end

mock:stop()
print(failed == 0 and "\ndemo finished" or ("\n%d example(s) failed"):format(failed))
os.exit(failed == 0 and 0 or 1)
