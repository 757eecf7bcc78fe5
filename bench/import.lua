-- authlete-tokens import against the mock with 50 ms of added latency, as a
-- migration meets a distant Authlete: rows per second at --parallel 1, 8
-- and 32. Each run imports the same fresh file into an emptied mock, runs
-- as an operator runs it (bin/authlete-tokens, a subprocess), and the rate
-- is rows over the command's wall time, start-up and file checks included.
--   lua5.4 bench/import.lua [ROWS] [LATENCY_MS]
local process = require("authlete.mock.process")
local curl = require("authlete.curl")

local rows = tonumber(arg[1]) or 400
local latency = tonumber(arg[2]) or 50
local BEARER = "bench-import-bearer"

local mock = process.start({ command = "lua5.4 bin/authlete-mock", bearer = BEARER, latency_ms = latency })
local service_id = mock:seed().serviceId

local path = os.tmpname()
local f = assert(io.open(path, "w"))
f:write("accessToken,refreshToken,clientId,subject,scopes,expiresAt\r\n")
local expires = os.time() + 86400
for i = 1, rows do
   f:write(("bench-at-%06d,bench-rt-%06d,%s,user%d,openid profile,%d\r\n"):format(i, i,
      i % 2 == 0 and "orders-web" or "26888344961664", i % 100, expires))
end
f:close()

local env = ("AUTHLETE_BEARER=%s AUTHLETE_SERVICE_ID=%s AUTHLETE_BASE_URL=%s"):format(BEARER, service_id, mock.url)
print(("%d rows, %d ms added per answer"):format(rows, latency))
print(("%-12s %10s %10s %10s"):format("parallel", "seconds", "rows/s", "vs 1"))
local base
for _, parallel in ipairs({ 1, 8, 32 }) do
   mock:reset()
   local t0 = curl.now_ms()
   local ok = os.execute(("%s bin/authlete-tokens import --parallel %d %s >/dev/null 2>&1"):format(env, parallel, path))
   local seconds = (curl.now_ms() - t0) / 1000
   local created = mock:stats().tokens
   assert(ok and created == rows, ("--parallel %d: %d of %d created"):format(parallel, created, rows))
   local rate = rows / seconds
   base = base or rate
   print(("%-12d %10.2f %10.0f %9.1fx"):format(parallel, seconds, rate, rate / base))
end
os.remove(path)
mock:stop()
