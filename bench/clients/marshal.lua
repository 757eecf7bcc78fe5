--- Marshalling alone, no network: core.prepare of the create request
--- against cjson.encode of the same table, and core.parse of each answer
--- against cjson.decode of the same body.
---   lua5.4 bench/clients/marshal.lua WHAT CALLS BATCHES
---   WHAT: prepare, encode, parse_list2, decode_list2, parse_list20, decode_list20, parse_create, decode_create
local core = require("authlete.core")
local cjson = require("cjson")
local fixtures = dofile("bench/fixtures.lua")
local measure = dofile("bench/clients/measure.lua")

local what, calls, batches = arg[1], tonumber(arg[2]), tonumber(arg[3])
local request = { serviceId = "715948317", tokenCreateRequest = { grantType = "AUTHORIZATION_CODE",
   clientId = 26888344961664, subject = "john", scopes = { "history.read", "timeline.read" } } }
local calls_for = {
   prepare = function() core.prepare("create", request) end,
   encode = function() cjson.encode(request) end,
}
for _, op in ipairs({ "list2", "list20", "create" }) do
   local body, name = fixtures[op], op == "create" and "create" or "list"
   calls_for["parse_" .. op] = function() assert(core.parse(name, 200, "application/json", body)) end
   calls_for["decode_" .. op] = function() cjson.decode(body) end
end
measure(assert(calls_for[what], "unknown: " .. tostring(what)), calls, batches)
