--- JSON for everything that has no model: the mock server, the command
--- line, test helpers. It is authlete.core's generic codec (core.json_decode,
--- core.json_encode, in C), so the module has one JSON reader and one writer
--- outside the schema path:
---   - integer literals stay exact Lua integers on Lua 5.4 (every int64);
---     on LuaJIT, whose numbers are doubles, exact up to 2^53 (the mock
---     there holds IDs exactly up to 2^53 only; spec/helpers/mock.lua);
---   - decoded arrays carry `array_mt`, so [] and {} stay apart both ways;
---   - JSON null is `json.null`, in objects and arrays alike;
---   - keys are written in the order Authlete's answers use (KEY_ORDER),
---     the others after them by name, so the mock's answers read as the real
---     ones do and come out the same on every run.
--- Why not lua-cjson: Debian's lua-cjson 2.1.0 decodes every number as a
--- double and writes 5921531358155430 as 5.9215313581554e+15, so a mock
--- built on it would itself corrupt the 16-digit client IDs that clients
--- must keep exact.
local core = require("authlete.core")

local json = {}

--- Marker for JSON null in decoded values (the mock treats it as absent).
json.null = setmetatable({}, { __tostring = function() return "null" end })

--- Metatable of decoded arrays; `json.array(t)` sets it to force `[]`. The
--- same one authlete.core gives the arrays of a parsed result.
json.array_mt = core.array_mt

function json.array(t)
   return setmetatable(t or {}, json.array_mt)
end

function json.is_array(v)
   return type(v) == "table" and getmetatable(v) == json.array_mt
end

-- Keys written first, in this order; others follow by name.
local KEY_ORDER = {
   "resultCode", "resultMessage", "action", "start", "end", "totalCount",
   "accessToken", "accessTokenHash", "refreshToken", "refreshTokenHash", "tokenType",
   "accessTokenExpiresAt", "refreshTokenExpiresAt", "createdAt", "lastRefreshedAt",
   "clientId", "clientIdentifier", "subject", "grantType", "scopes", "refreshTokenScopes",
   "properties", "expiresIn", "expiresAt", "count", "client", "accessTokens",
}
local RANK = {}
for i, k in ipairs(KEY_ORDER) do RANK[k] = i end

--- Encode a Lua value as compact JSON text. Raises on values JSON cannot
--- hold (a non-finite number, a function, text that is not UTF-8, nesting
--- past 64).
function json.encode(v)
   return core.json_encode(v, json.null, RANK)
end

--- Decode JSON text. Returns the value, or nil and a message with the byte
--- offset.
function json.decode(s)
   if type(s) ~= "string" then return nil, "expected a string" end
   return core.json_decode(s, json.null)
end

return json
