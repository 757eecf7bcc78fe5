--- What a user hand-rolls today: LuaSocket's http.request and lua-cjson,
--- per call.
---   lua5.4 bench/clients/naive.lua BASE_URL OP CALLS BATCHES
local http = require("socket.http")
local ltn12 = require("ltn12")
local cjson = require("cjson")
local fixtures = dofile("bench/fixtures.lua")
local measure = dofile("bench/clients/measure.lua")

local base, op, calls, batches = arg[1], arg[2], tonumber(arg[3]), tonumber(arg[4])
local url = base .. fixtures.paths[op]
local request = { grantType = "AUTHORIZATION_CODE", clientId = 26888344961664, subject = "john",
                  scopes = { "history.read", "timeline.read" } }

local function call()
   local chunks, body = {}, nil
   local headers = { Accept = "application/json", Authorization = "Bearer " .. fixtures.BEARER }
   if op == "create" then
      body = cjson.encode(request)
      headers["Content-Type"] = "application/json"
      headers["Content-Length"] = #body
   end
   local _, status = http.request({ url = url, method = body and "POST" or "GET", headers = headers,
      source = body and ltn12.source.string(body), sink = ltn12.sink.table(chunks) })
   assert(status == 200)
   return cjson.decode(table.concat(chunks))
end
measure(call, calls, batches)
