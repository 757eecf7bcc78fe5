--- make demo: start the mock on a free port, run the examples against it,
--- and stop it. Each example gets the environment a user would set for a
--- real service: AUTHLETE_BASE_URL, AUTHLETE_SERVICE_ID, AUTHLETE_BEARER.
local process = require("authlete.mock.process")
local crypto = require("authlete.mock.crypto")

local steps = dofile("tools/demo_steps.lua")

-- A fresh bearer each run; the examples read it from the environment.
local bearer = "demo-" .. crypto.new_token()
local mock = process.start({ command = "lua5.4 bin/authlete-mock", bearer = bearer })
local service_id = mock:seed().serviceId
print(("mock Authlete server %s (service %s)"):format(mock.url, service_id))

local env = ("AUTHLETE_BASE_URL=%s AUTHLETE_SERVICE_ID=%s AUTHLETE_BEARER=%s"):format(mock.url, service_id, bearer)
local failed = 0
for _, step in ipairs(steps) do
   local command = "lua5.4 " .. table.concat(step, " ")
   print("\n$ " .. command)
   io.stdout:flush()
   if not os.execute(env .. " " .. command) then failed = failed + 1 end
end

mock:stop()
print(failed == 0 and "\ndemo finished" or ("\n%d example(s) failed"):format(failed))
os.exit(failed == 0 and 0 or 1)
