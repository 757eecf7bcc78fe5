--- The thinnest Lua client that decodes: libcurl with one reused handle
--- (authlete.curl's session:perform: the raw_curl loop's calls, from Lua),
--- cjson.encode of each create request, cjson.decode of each answer, and
--- nothing else. It shows what "raw_curl plus cjson.decode" costs when the
--- decode runs inside a client, after each round trip, instead of alone in
--- a loop with warm caches.
---   lua5.4 bench/clients/curl_cjson.lua BASE_URL OP CALLS BATCHES
local curl = require("authlete.curl")
local cjson = require("cjson")
local fixtures = dofile("bench/fixtures.lua")
local measure = dofile("bench/clients/measure.lua")

local base, op, calls, batches = arg[1], arg[2], tonumber(arg[3]), tonumber(arg[4])
local url = base .. fixtures.paths[op]
local session = curl.session()
local headers = { Accept = "application/json", Authorization = "Bearer " .. fixtures.BEARER, ["User-Agent"] = "curl-cjson" }
local method, request = "GET", nil
if op == "create" then
   method, headers["Content-Type"] = "POST", "application/json"
   request = { grantType = "AUTHORIZATION_CODE", clientId = 26888344961664, subject = "john",
               scopes = { "history.read", "timeline.read" } }
end

measure(function()
   local body = request and cjson.encode(request) -- per call, as any client must
   local status, _, answer = session:perform(method, url, headers, body)
   assert(status == 200)
   return cjson.decode(answer)
end, calls, batches)
