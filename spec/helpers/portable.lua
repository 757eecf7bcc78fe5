--- Small helpers so that core specs read the same on Lua 5.4 and LuaJIT.
local core = require("authlete.core")

local portable = {}

--- True on Lua 5.3+, where every int64 is an exact Lua integer.
portable.exact_int64 = core.exact_int64

--- Is v a Lua integer (5.4), or an integral number (LuaJIT)?
function portable.is_integer(v)
   if math.type then return math.type(v) == "integer" end
   return type(v) == "number" and v == math.floor(v)
end

-- Arrays to be written as JSON arrays even when empty.
local ARRAY = {}

-- A small JSON writer for LuaJIT, where Debian's lua-cjson writes at most 14
-- significant digits (it would turn 16-digit client IDs into exponents).
local function write(v, out)
   local t = type(v)
   if t == "string" then
      out[#out + 1] = '"' .. v:gsub('[%c"\\]', function(c)
         return string.format("\\u%04x", c:byte())
      end) .. '"'
   elseif t == "number" then
      out[#out + 1] = v == math.floor(v) and string.format("%d", v) or string.format("%.17g", v)
   elseif t == "boolean" then
      out[#out + 1] = tostring(v)
   elseif getmetatable(v) == ARRAY or (t == "table" and v[1] ~= nil) then
      out[#out + 1] = "["
      for i = 1, #v do
         if i > 1 then out[#out + 1] = "," end
         write(v[i], out)
      end
      out[#out + 1] = "]"
   else
      out[#out + 1] = "{"
      local first = true
      for k, x in pairs(v) do
         if not first then out[#out + 1] = "," end
         first = false
         write(k, out)
         out[#out + 1] = ":"
         write(x, out)
      end
      out[#out + 1] = "}"
   end
end

--- An independent JSON decoder and encoder to check the core against: the
--- mock's exact codec on Lua 5.4; on LuaJIT a private lua-cjson instance to
--- decode (where no value beyond 2^53 is generated) and the writer above.
if portable.exact_int64 then
   local json = require("authlete.json")
   portable.decode = json.decode
   portable.encode = json.encode
   portable.array = json.array
else
   portable.decode = require("cjson").new().decode
   portable.encode = function(v)
      local out = {}
      write(v, out)
      return table.concat(out)
   end
   portable.array = function(t) return setmetatable(t or {}, ARRAY) end
end

--- Deep equality that treats an empty table and an empty array alike.
function portable.same(a, b)
   if type(a) ~= type(b) then return false end
   if type(a) ~= "table" then return a == b end
   for k, v in pairs(a) do
      if not portable.same(v, b[k]) then return false end
   end
   for k in pairs(b) do
      if a[k] == nil then return false end
   end
   return true
end

return portable
