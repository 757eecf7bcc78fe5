-- The connected-apps page against the mock with added latency, as a
-- gateway meets a distant Authlete: how long a view takes when the names of
-- its applications are new to the cache (cold: a list of the grants, then
-- lookups) and when they are cached (warm: the list alone), with lookups
-- one at a time (name_lookups = 1) and four at a time (the default). Each
-- figure is the median of ROUNDS views, measured side by side in one run.
--   lua5.4 bench/connected_apps.lua [ROUNDS] [LATENCY_MS]
local apps = require("spec.helpers.connected_apps")
local curl = require("authlete.curl")
local http = require("spec.helpers.http")

local rounds = tonumber(arg[1]) or 5
local latency = tonumber(arg[2]) or 50
local CLIENTS = { apps.TIMELINE, apps.MOBILE, apps.NOTES, apps.CALENDAR, apps.ORDERS }

-- Two pages in one nginx: the default, and lookups one at a time.
local env = apps.start({ pages = { ["/one-at-a-time"] = "name_lookups = 1," } })
for _, client in ipairs(CLIENTS) do apps.grant(env.mock, "alice", client, { "openid" }) end
env.mock:configure({ latency_ms = latency })

local function view(path)
   local t0 = curl.now_ms()
   local status = http.request("127.0.0.1", env.nginx.port, { path = path, headers = { [apps.HEADER] = "alice" } })
   assert(status == 200, path .. " answered " .. tostring(status))
   return curl.now_ms() - t0
end

local function median(t)
   table.sort(t)
   return t[math.ceil(#t / 2)]
end

local times = { one = { cold = {}, warm = {} }, four = { cold = {}, warm = {} } }
for _ = 1, rounds do
   for _, page in ipairs({ { "one", "/one-at-a-time" }, { "four", apps.PATH } }) do
      apps.flush_names(env)
      local t = times[page[1]]
      t.cold[#t.cold + 1] = view(page[2])
      t.warm[#t.warm + 1] = view(page[2])
   end
end
apps.stop(env)

print(("%d applications, %d ms added per Authlete answer, median of %d views"):format(#CLIENTS, latency, rounds))
print(("%-16s %10s %10s"):format("name_lookups", "cold ms", "warm ms"))
for _, row in ipairs({ { "1", times.one }, { "4 (default)", times.four } }) do
   print(("%-16s %10.0f %10.0f"):format(row[1], median(row[2].cold), median(row[2].warm)))
end
