--- The thinnest Lua client that decodes: libcurl with one reused handle
--- (authlete.curl's session:perform, the raw_curl loop's calls from Lua)
--- and cjson.decode of each answer, nothing else. What "raw_curl plus
--- cjson.decode" costs when the decode runs inside the client, after each
--- round trip, instead of alone in a loop with warm caches.
---   lua5.4 bench/clients/curl_cjson.lua BASE_URL OP CALLS BATCHES
local curl = require("authlete.curl")
local cjson = require("cjson")
local fixtures = dofile("bench/fixtures.lua")
local measure = dofile("bench/clients/measure.lua")

local base, op, calls, batches = arg[1], arg[2], tonumber(arg[3]), tonumber(arg[4])
local url = base .. fixtures.paths[op]
local session = curl.session()
local headers = { Accept = "application/json", Authorization = "Bearer " .. fixtures.BEARER, ["User-Agent"] = "curl-cjson" }
local method, body = "GET", nil
if op == "create" then
   method, headers["Content-Type"] = "POST", "application/json"
   body = cjson.encode({ grantType = "AUTHORIZATION_CODE", clientId = 26888344961664, subject = "john",
                         scopes = { "history.read", "timeline.read" } })
end

measure(function()
   local status, _, answer = session:perform(method, url, headers, body)
   assert(status == 200)
   return cjson.decode(answer)
end, calls, batches)
