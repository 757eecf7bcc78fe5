--- Soak: 100,000 calls through one client against the mock, cycling
--- create, list, update, revoke and delete (so the mock's state stays
--- small while every code path runs). Resident memory is read after a
--- warm-up and at the end; it must grow by less than 2 MiB.
---   lua5.4 bench/soak.lua [calls]
local authlete = require("authlete")
local curl = require("authlete.curl")
local helper = require("spec.helpers.mock")

local CALLS = tonumber(arg[1]) or 100000
local WARMUP = 5000

local function rss_kib()
   for line in io.lines("/proc/self/status") do
      local kib = line:match("^VmRSS:%s+(%d+) kB")
      if kib then return tonumber(kib) end
   end
end

local mock = helper.start()
local client = authlete.new({ bearer = helper.BEARER, server_url = mock.url, service_id = mock.service_id })
local tm = client.token.management

local done = 0
local function cycle()
   local token = assert(tm.create({ tokenCreateRequest = { grantType = "AUTHORIZATION_CODE",
      clientId = 26888344961664, subject = "soak", scopes = { "history.read", "timeline.read" } } }))
   assert(tm.list({ subject = "soak" }))
   assert(tm.update({ tokenUpdateRequest = { accessToken = token.accessToken, scopes = { "history.read" } } }))
   assert(tm.revoke({ tokenRevokeRequest = { accessTokenIdentifier = token.accessToken } }))
   assert(tm.delete({ accessTokenIdentifier = token.accessToken }))
   done = done + 5
end

while done < WARMUP do cycle() end
collectgarbage()
local rss0, t0 = rss_kib(), curl.now_ms()
while done < WARMUP + CALLS do cycle() end
local seconds = (curl.now_ms() - t0) / 1000
collectgarbage()
local rss1 = rss_kib()
local stats = mock:stats()
client:close()
mock:stop()

print(("%d calls in %.1f s (%.0f calls/s), %d connection(s), %d tokens left on the mock")
   :format(CALLS, seconds, CALLS / seconds, stats.connections, stats.tokens))
print(("resident memory after warm-up %d KiB, after %d calls %d KiB: %+d KiB (limit +2048)")
   :format(rss0, CALLS, rss1, rss1 - rss0))
os.exit(rss1 - rss0 < 2048 and 0 or 1)
