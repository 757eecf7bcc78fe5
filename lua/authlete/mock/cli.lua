--- bin/authlete-mock: start the mock Authlete server from a shell.
local compat = require("authlete.compat")
local Server = require("authlete.mock.server")
local seed_mod = require("authlete.mock.seed")

local cli = {}

local USAGE = [[
usage: authlete-mock [options]

Serves Authlete's token-management API (list, create, update, delete,
revoke) from memory, for tests. Prints "listening on http://HOST:PORT"
as its first line, then serves until it is stopped (SIGINT or SIGTERM).

  --host HOST            address to bind (default 127.0.0.1)
  --port PORT            port to bind; 0 picks a free one (default 0)
  --bearer TOKEN         the service access token clients must send
  --service-id ID        the service's ID (default 715948317206)
  --seed FILE            JSON seed replacing the built-in service and clients
  --latency-ms N         delay every API answer by N milliseconds
  --error-style STYLE    status: business errors as HTTP 4xx (default)
                         action: create/update errors as HTTP 200 + action
  --idle-timeout-ms N    close idle connections after N ms (default 15000)
  --rate-limit N         answer 429 with Retry-After beyond N requests a second
                         per service (an assumption: Authlete documents none;
                         default 0, no limit)
  --rate-burst N         requests allowed at once under --rate-limit (default N)
  --request-id-header H  the header naming each API answer (default
                         X-Request-Id, an assumption; "" for none)
  --revoke-drops-records     revoke removes the tokens instead of keeping
                             them as INVALID (which of the two Authlete does
                             is undocumented; the default keeps them)
  --revoke-counts-valid-only revoke's count leaves out expired tokens (the
                             default counts every token it revoked)
  --verbose              log each API request to stderr
  --help                 show this text
]]

local VALUE_OPTIONS = {
   ["--host"] = "host", ["--port"] = "port", ["--bearer"] = "bearer",
   ["--service-id"] = "service_id", ["--seed"] = "seed_file",
   ["--latency-ms"] = "latency_ms", ["--error-style"] = "error_style",
   ["--idle-timeout-ms"] = "idle_timeout_ms", ["--rate-limit"] = "rate_limit", ["--rate-burst"] = "rate_burst",
   ["--request-id-header"] = "request_id_header",
}
local INTEGER_OPTIONS = { port = true, latency_ms = true, idle_timeout_ms = true, rate_limit = true, rate_burst = true }

--- Parse argv into server options; returns options or nil, message.
function cli.parse(argv)
   local opts, i = {}, 1
   while i <= #argv do
      local a = argv[i]
      local name, inline = a:match("^(%-%-[%w-]+)=(.*)$")
      name = name or a
      if name == "--help" or name == "-h" then
         opts.help = true
      elseif name == "--verbose" then
         opts.verbose = true
      elseif name == "--revoke-drops-records" then
         opts.revoke_keeps_records = false
      elseif name == "--revoke-counts-valid-only" then
         opts.revoke_counts_expired = false
      elseif VALUE_OPTIONS[name] then
         local key, value = VALUE_OPTIONS[name], inline
         if value == nil then
            i = i + 1
            value = argv[i]
         end
         if value == nil then return nil, name .. " needs a value" end
         if INTEGER_OPTIONS[key] then
            local n = value:match("^%d+$") and compat.tointeger(tonumber(value))
            if not n then return nil, name .. " needs a non-negative integer, not '" .. value .. "'" end
            value = n
         end
         opts[key] = value
      else
         return nil, "unknown option '" .. a .. "'"
      end
      i = i + 1
   end
   return opts
end

function cli.main(argv)
   local opts, err = cli.parse(argv)
   if not opts then
      io.stderr:write("authlete-mock: ", err, "\n", USAGE)
      return 2
   end
   if opts.help then
      io.stdout:write(USAGE)
      return 0
   end
   local ok, server = pcall(function()
      if opts.seed_file then opts.seed = seed_mod.load(opts.seed_file) end
      if opts.verbose then
         opts.log = function(line) io.stderr:write(line, "\n") end
      end
      opts.seed_file, opts.verbose = nil, nil
      local s = Server.new(opts)
      s:listen()
      return s
   end)
   if not ok then
      io.stderr:write("authlete-mock: ", tostring(server), "\n")
      return 1
   end
   io.stdout:write("listening on ", server:url(), "\n")
   io.stdout:flush()
   server:run()
   return 0
end

return cli
