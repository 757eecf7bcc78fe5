--- A small, strict JSON codec, for the mock server and the command line.
--
-- Why not lua-cjson here: Debian's lua-cjson 2.1.0 decodes every number as a
-- double and encodes 5921531358155430 as 5.9215313581554e+15, so a mock built
-- on it would itself corrupt the 16-digit client IDs that clients must keep
-- exact. This codec keeps integer literals as Lua integers, tells `[]` from
-- `{}` (decoded arrays carry the `array_mt` metatable) and writes keys in a
-- stable order that resembles Authlete's own answers.
--
-- The server runs on Lua 5.4, but test suites that drive it (through
-- authlete.mock.process) may run on LuaJIT, so this file stays Lua 5.1
-- syntax; there, integers are exact up to 2^53, as every number is.
local json = {}

local byte, find, format, sub = string.byte, string.find, string.format, string.sub
local concat, sort = table.concat, table.sort
local floor = math.floor

local mtype = require("authlete.compat").mtype

--- Marker for JSON null in decoded values (the mock treats it as absent).
json.null = setmetatable({}, { __tostring = function() return "null" end })

--- Metatable of decoded arrays; `json.array(t)` sets it to force `[]`.
--- The same one authlete.core gives the arrays of a parsed result, so that
--- results encode back with `[]` for an empty list.
local has_core, core = pcall(require, "authlete.core")
json.array_mt = has_core and core.array_mt or { __name = "json.array" }

function json.array(t)
   return setmetatable(t or {}, json.array_mt)
end

function json.is_array(v)
   return type(v) == "table" and getmetatable(v) == json.array_mt
end

-- Keys written first, in this order; others follow alphabetically.
local KEY_ORDER = {
   "resultCode", "resultMessage", "action", "start", "end", "totalCount",
   "accessToken", "accessTokenHash", "refreshToken", "refreshTokenHash", "tokenType",
   "accessTokenExpiresAt", "refreshTokenExpiresAt", "createdAt", "lastRefreshedAt",
   "clientId", "clientIdentifier", "subject", "grantType", "scopes", "refreshTokenScopes",
   "properties", "expiresIn", "expiresAt", "count", "client", "accessTokens",
}
local RANK = {}
for i, k in ipairs(KEY_ORDER) do RANK[k] = i end

local function key_before(a, b)
   local ra, rb = RANK[a], RANK[b]
   if ra and rb then return ra < rb end
   if ra or rb then return ra ~= nil end
   return a < b
end

---------------------------------------------------------------- encoding

local ESCAPES = { ['"'] = '\\"', ["\\"] = "\\\\", ["\b"] = "\\b", ["\f"] = "\\f",
                  ["\n"] = "\\n", ["\r"] = "\\r", ["\t"] = "\\t" }

local function escape_char(c)
   return ESCAPES[c] or format("\\u%04x", byte(c))
end

local function encode_string(s)
   return '"' .. s:gsub('[%c"\\]', escape_char) .. '"'
end

local function encode_number(n)
   if n ~= n or n == math.huge or n == -math.huge then
      error("cannot encode a non-finite number", 0)
   end
   if mtype(n) == "integer" or (n == floor(n) and math.abs(n) < 2^53) then
      return format("%d", n)
   end
   return format("%.17g", n)
end

local function is_sequence(t)
   local n = #t
   if n == 0 then return false end
   for k in pairs(t) do
      if mtype(k) ~= "integer" or k < 1 or k > n then return false end
   end
   return true
end

local encode_value

local function encode_table(t, out, depth)
   if depth > 64 then error("value nested too deeply to encode", 0) end
   if json.is_array(t) or is_sequence(t) then
      out[#out + 1] = "["
      for i = 1, #t do
         if i > 1 then out[#out + 1] = "," end
         encode_value(t[i], out, depth + 1)
      end
      out[#out + 1] = "]"
      return
   end
   local keys = {}
   for k in pairs(t) do
      if type(k) ~= "string" then error("object keys must be strings", 0) end
      keys[#keys + 1] = k
   end
   sort(keys, key_before)
   out[#out + 1] = "{"
   for i, k in ipairs(keys) do
      if i > 1 then out[#out + 1] = "," end
      out[#out + 1] = encode_string(k)
      out[#out + 1] = ":"
      encode_value(t[k], out, depth + 1)
   end
   out[#out + 1] = "}"
end

function encode_value(v, out, depth)
   local tv = type(v)
   if v == json.null then
      out[#out + 1] = "null"
   elseif tv == "string" then
      out[#out + 1] = encode_string(v)
   elseif tv == "number" then
      out[#out + 1] = encode_number(v)
   elseif tv == "boolean" then
      out[#out + 1] = v and "true" or "false"
   elseif tv == "table" then
      encode_table(v, out, depth)
   else
      error("cannot encode a " .. tv, 0)
   end
end

--- Encode a Lua value as compact JSON text. Raises on values JSON cannot hold.
function json.encode(v)
   local out = {}
   encode_value(v, out, 0)
   return concat(out)
end

---------------------------------------------------------------- decoding

local MAX_DEPTH = 64

local decode_value

local function decode_error(_, pos, what)
   error({ json_error = format("%s at byte %d", what, pos) }, 0)
end

-- UTF-8 of a code point, and strict validation, without the 5.3 utf8 library.
local function utf8_char(cp)
   if cp < 0x80 then return string.char(cp) end
   if cp < 0x800 then return string.char(0xC0 + floor(cp / 64), 0x80 + cp % 64) end
   if cp < 0x10000 then
      return string.char(0xE0 + floor(cp / 4096), 0x80 + floor(cp / 64) % 64, 0x80 + cp % 64)
   end
   return string.char(0xF0 + floor(cp / 262144), 0x80 + floor(cp / 4096) % 64,
                      0x80 + floor(cp / 64) % 64, 0x80 + cp % 64)
end

local function valid_utf8(str)
   local i, n = 1, #str
   while i <= n do
      local c = byte(str, i)
      if c < 0x80 then
         i = i + 1
      else
         local len, min, cp
         if c >= 0xC2 and c <= 0xDF then len, min, cp = 2, 0x80, c - 0xC0
         elseif c >= 0xE0 and c <= 0xEF then len, min, cp = 3, 0x800, c - 0xE0
         elseif c >= 0xF0 and c <= 0xF4 then len, min, cp = 4, 0x10000, c - 0xF0
         else return false end
         for k = 1, len - 1 do
            local cc = byte(str, i + k)
            if not cc or cc < 0x80 or cc > 0xBF then return false end
            cp = cp * 64 + (cc - 0x80)
         end
         if cp < min or cp > 0x10FFFF or (cp >= 0xD800 and cp <= 0xDFFF) then return false end
         i = i + len
      end
   end
   return true
end

local function skip_ws(s, pos)
   return (find(s, "[^ \t\r\n]", pos)) or #s + 1
end

local function decode_string(s, pos)
   -- pos is at the opening quote
   local out, i = {}, pos + 1
   while true do
      local j = find(s, '["\\%c]', i)
      if not j then decode_error(s, pos, "unterminated string") end
      out[#out + 1] = sub(s, i, j - 1)
      local c = sub(s, j, j)
      if c == '"' then
         local str = concat(out)
         if not valid_utf8(str) then decode_error(s, pos, "invalid UTF-8 in string") end
         return str, j + 1
      elseif c == "\\" then
         local e = sub(s, j + 1, j + 1)
         local simple = ({ ['"'] = '"', ["\\"] = "\\", ["/"] = "/", b = "\b",
                           f = "\f", n = "\n", r = "\r", t = "\t" })[e]
         if simple then
            out[#out + 1] = simple
            i = j + 2
         elseif e == "u" then
            local hex = sub(s, j + 2, j + 5)
            if not hex:match("^%x%x%x%x$") then decode_error(s, j, "bad \\u escape") end
            local cp = tonumber(hex, 16)
            i = j + 6
            if cp >= 0xD800 and cp <= 0xDBFF then
               local lo = sub(s, i, i + 5):match("^\\u(%x%x%x%x)$")
               local lcp = lo and tonumber(lo, 16)
               if not lcp or lcp < 0xDC00 or lcp > 0xDFFF then
                  decode_error(s, j, "unpaired surrogate")
               end
               cp = 0x10000 + (cp - 0xD800) * 1024 + (lcp - 0xDC00)
               i = i + 6
            elseif cp >= 0xDC00 and cp <= 0xDFFF then
               decode_error(s, j, "unpaired surrogate")
            end
            out[#out + 1] = utf8_char(cp)
         else
            decode_error(s, j, "bad escape")
         end
      else
         decode_error(s, j, "control character in string")
      end
   end
end

local function decode_number(s, pos)
   -- RFC 8259: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][-+]?[0-9]+)?
   local i = pos
   if sub(s, i, i) == "-" then i = i + 1 end
   local int = s:match("^%d+", i)
   if not int or (#int > 1 and sub(int, 1, 1) == "0") then decode_error(s, pos, "bad number") end
   i = i + #int
   if sub(s, i, i) == "." then
      local frac = s:match("^%.%d+", i)
      if not frac then decode_error(s, pos, "bad number") end
      i = i + #frac
   end
   if find(sub(s, i, i), "^[eE]") then
      local exp = s:match("^[eE][-+]?%d+", i)
      if not exp then decode_error(s, pos, "bad number") end
      i = i + #exp
   end
   -- An integer literal that fits int64 stays a Lua integer: tonumber does exactly that.
   return tonumber(sub(s, pos, i - 1)), i
end

local function decode_array(s, pos, depth)
   local arr, n = json.array(), 0
   pos = skip_ws(s, pos + 1)
   if sub(s, pos, pos) == "]" then return arr, pos + 1 end
   while true do
      local v
      v, pos = decode_value(s, pos, depth + 1)
      n = n + 1
      arr[n] = v
      pos = skip_ws(s, pos)
      local c = sub(s, pos, pos)
      if c == "]" then return arr, pos + 1 end
      if c ~= "," then decode_error(s, pos, "expected ',' or ']'") end
      pos = skip_ws(s, pos + 1)
   end
end

local function decode_object(s, pos, depth)
   local obj = {}
   pos = skip_ws(s, pos + 1)
   if sub(s, pos, pos) == "}" then return obj, pos + 1 end
   while true do
      if sub(s, pos, pos) ~= '"' then decode_error(s, pos, "expected a string key") end
      local k
      k, pos = decode_string(s, pos)
      pos = skip_ws(s, pos)
      if sub(s, pos, pos) ~= ":" then decode_error(s, pos, "expected ':'") end
      local v
      v, pos = decode_value(s, skip_ws(s, pos + 1), depth + 1)
      obj[k] = v
      pos = skip_ws(s, pos)
      local c = sub(s, pos, pos)
      if c == "}" then return obj, pos + 1 end
      if c ~= "," then decode_error(s, pos, "expected ',' or '}'") end
      pos = skip_ws(s, pos + 1)
   end
end

local LITERALS = { t = { "true", true }, f = { "false", false }, n = { "null", json.null } }

function decode_value(s, pos, depth)
   if depth > MAX_DEPTH then decode_error(s, pos, "nesting too deep") end
   local c = sub(s, pos, pos)
   if c == "{" then return decode_object(s, pos, depth) end
   if c == "[" then return decode_array(s, pos, depth) end
   if c == '"' then return decode_string(s, pos) end
   if c == "-" or c:match("%d") then return decode_number(s, pos) end
   local lit = LITERALS[c]
   if lit and sub(s, pos, pos + #lit[1] - 1) == lit[1] then
      return lit[2], pos + #lit[1]
   end
   decode_error(s, pos, c == "" and "unexpected end of input" or "unexpected character")
end

--- Decode JSON text. Returns the value, or nil and a message with the byte offset.
function json.decode(s)
   if type(s) ~= "string" then return nil, "expected a string" end
   local ok, v, pos = pcall(function()
      local value, p = decode_value(s, skip_ws(s, 1), 0)
      return value, skip_ws(s, p)
   end)
   if not ok then
      if type(v) == "table" and v.json_error then return nil, v.json_error end
      error(v, 0)
   end
   if pos <= #s then return nil, format("trailing characters at byte %d", pos) end
   return v
end

return json
