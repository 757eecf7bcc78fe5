--- OpenResty scenario: how many list calls per second one nginx worker
--- serves when Authlete answers in 50 ms, through cosockets and through a
--- forced libcurl transport (which blocks the worker for each call).
---   lua5.4 bench/openresty.lua [seconds] [connections]
--- Prints one line per transport and their ratio. Everything on 127.0.0.1.
local helper = require("spec.helpers.mock")
local nginx_helper = require("spec.helpers.nginx")

local SECONDS = tonumber(arg[1]) or 10
local CONNECTIONS = tonumber(arg[2]) or 100
local LATENCY_MS = 50

local mock = helper.start({ latency_ms = LATENCY_MS })
local server = nginx_helper.with_handler(mock, helper.BEARER)

local function wrk(path)
   local p = io.popen(("wrk -t2 -c%d -d%ds --timeout 30s '%s%s' 2>&1"):format(CONNECTIONS, SECONDS, server.url, path))
   local out = p:read("*a")
   p:close()
   local rps = tonumber(out:match("Requests/sec:%s*([%d.]+)"))
   local non2xx = tonumber(out:match("Non%-2xx or 3xx responses:%s*(%d+)")) or 0
   assert(rps, out)
   return rps, non2xx, out
end

local results = {}
for _, t in ipairs({ "ngx", "curl" }) do
   mock:reset()
   local rps, bad = wrk("/call/list?transport=" .. t)
   local stats = mock:stats()
   results[t] = rps
   print(("%-5s %8.1f requests/s   (non-2xx %d, mock saw %d list calls on %d connections)")
      :format(t, rps, bad, stats.requests.list, stats.connections))
end
print(("cosockets / libcurl = %.0fx   (%d connections, %d s, Authlete latency %d ms, 1 worker)")
   :format(results.ngx / results.curl, CONNECTIONS, SECONDS, LATENCY_MS))

server.stop()
mock:stop()
