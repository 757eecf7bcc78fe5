--- Start the mock Authlete server from this checkout for a spec, and talk to
--- its API the way a client would.
local process = require("authlete.mock.process")
local json = require("authlete.json")
local http = require("spec.helpers.http")

local helper = {}

--- The bearer every spec's mock accepts. Recognisable, so that a spec can
--- search output for it.
helper.BEARER = "spec-bearer-7c1f0e9a"

--- Environment assignments that let a child lua5.4 load this checkout's
--- modules, for specs that run scripts as a user would.
helper.LUA_ENV = "LUA_PATH='./lua/?.lua;./lua/?/init.lua;;' LUA_CPATH='./build/lua5.4/?.so;;'"

--- Does the mock keep int64 beyond 2^53 exact? On Lua 5.4 it does; run on
--- LuaJIT (AUTHLETE_MOCK_LUA=luajit), whose numbers are doubles, it cannot.
helper.EXACT_INT64 = (os.getenv("AUTHLETE_MOCK_LUA") or "lua5.4") ~= "luajit"

--- Start a mock (options as authlete.mock.start) running this checkout.
function helper.start(opts)
   opts = opts or {}
   -- AUTHLETE_MOCK_LUA=luajit runs it on LuaJIT (spec/build/luajit_spec.lua)
   opts.command = (os.getenv("AUTHLETE_MOCK_LUA") or "lua5.4") .. " bin/authlete-mock"
   opts.bearer = opts.bearer or helper.BEARER
   local mock = process.start(opts)
   mock.service_id = mock:seed().serviceId
   return mock
end

--- Call an API path on the mock. `req` as helpers.http's Conn:send, with
--- `json` (a table) encoded as the body and the bearer added unless
--- `auth = false` or another `auth` string is given. Returns status,
--- decoded body (or raw text), headers.
function helper.api(mock, req, conn)
   local headers = {}
   for k, v in pairs(req.headers or {}) do headers[k] = v end
   if req.auth ~= false then headers.Authorization = "Bearer " .. (req.auth or helper.BEARER) end
   local body = req.body
   if req.json ~= nil then
      body = json.encode(req.json)
      headers["Content-Type"] = headers["Content-Type"] or "application/json"
   end
   local path = req.path:gsub("{sid}", mock.service_id)
   local send = { method = req.method, path = path, headers = headers, body = body, chunked = req.chunked }
   local status, rheaders, text
   if conn then
      status, rheaders, text = conn:request(send)
   else
      status, rheaders, text = http.request(mock.host, mock.port, send)
   end
   assert(status, "request failed: " .. tostring(rheaders))
   local decoded = text ~= "" and json.decode(text) or nil
   return status, decoded == nil and text or decoded, rheaders
end

--- The five operations, as a client would call them.
function helper.create(mock, body, opts)
   return helper.api(mock, { method = "POST", path = "/api/{sid}/auth/token/create", json = body,
                             auth = opts and opts.auth })
end

function helper.update(mock, body)
   return helper.api(mock, { method = "POST", path = "/api/{sid}/auth/token/update", json = body })
end

function helper.revoke(mock, body)
   return helper.api(mock, { method = "POST", path = "/api/{sid}/auth/token/revoke", json = body })
end

function helper.delete(mock, identifier)
   return helper.api(mock, { method = "DELETE", path = "/api/{sid}/auth/token/delete/" .. identifier })
end

local function encode(s)
   return (tostring(s):gsub("[^%w%-%._~]", function(c) return ("%%%02X"):format(c:byte()) end))
end

function helper.list(mock, params)
   local keys, parts = {}, {}
   for k in pairs(params or {}) do keys[#keys + 1] = k end
   table.sort(keys)
   for _, k in ipairs(keys) do parts[#parts + 1] = encode(k) .. "=" .. encode(params[k]) end
   local query = #parts > 0 and ("?" .. table.concat(parts, "&")) or ""
   return helper.api(mock, { method = "GET", path = "/api/{sid}/auth/token/get/list" .. query })
end

helper.encode = encode

--- In token_body overrides: leave this field out.
helper.ABSENT = setmetatable({}, { __name = "ABSENT" })

--- A valid create body for the reference page's client, with overrides.
function helper.token_body(overrides)
   local body = { grantType = "AUTHORIZATION_CODE", clientId = 26888344961664, subject = "john",
                  scopes = json.array({ "history.read", "timeline.read" }) }
   for k, v in pairs(overrides or {}) do
      if v == helper.ABSENT then body[k] = nil else body[k] = v end
   end
   return body
end

return helper
