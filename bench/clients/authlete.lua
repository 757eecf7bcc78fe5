--- This module: client.token.management.list{} / create{} (libcurl transport).
---   lua5.4 bench/clients/authlete.lua BASE_URL OP CALLS BATCHES
local authlete = require("authlete")
local fixtures = dofile("bench/fixtures.lua")
local measure = dofile("bench/clients/measure.lua")

local base, op, calls, batches = arg[1], arg[2], tonumber(arg[3]), tonumber(arg[4])
local client = authlete.new({ bearer = fixtures.BEARER, server_url = base })
local tm = client.token.management
local call
if op == "create" then
   local request = { serviceId = "1", tokenCreateRequest = { grantType = "AUTHORIZATION_CODE",
      clientId = 26888344961664, subject = "john", scopes = { "history.read", "timeline.read" } } }
   call = function() assert(tm.create(request)) end
else
   local request = { serviceId = op == "list2" and "2" or "20" }
   call = function() assert(tm.list(request)) end
end
measure(call, calls, batches)
