--- What Lua 5.3+ has and LuaJIT 2.1 (Lua 5.1) has not, as plain functions,
--- for the modules that run on both: the mock server (an OpenResty user's
--- test suite runs it on LuaJIT), the command line and the JSON codec.
--- Every file of the module parses on both; this one keeps the 5.3+ syntax
--- inside a string that only 5.3+ compiles.
local compat = {}

local floor = math.floor

--- table.unpack (5.2+) or unpack (5.1).
compat.unpack = table.unpack or rawget(_G, "unpack")

--- table.pack (5.2+).
compat.pack = table.pack or function(...)
   return { n = select("#", ...), ... }
end

--- math.type: on 5.1, whose numbers are all doubles, an integral number
--- (within int64) counts as an integer.
compat.mtype = math.type or function(n)
   if type(n) ~= "number" then return nil end
   return (n == floor(n) and n >= -2 ^ 63 and n < 2 ^ 63) and "integer" or "float"
end

--- math.tointeger: the integer n is, or nil.
compat.tointeger = math.tointeger or function(n)
   if type(n) ~= "number" or n ~= floor(n) or n ~= n or n == math.huge or n == -math.huge then return nil end
   return n
end

--- a // b (floor division).
function compat.idiv(a, b)
   return floor(a / b)
end

--- utf8.len, for valid UTF-8 (continuation bytes are not counted).
compat.utf8_len = rawget(_G, "utf8") and utf8.len or function(s)
   return select(2, s:gsub("[^\128-\191]", ""))
end

--- 32-bit bitwise operations, results in 0 .. 2^32 - 1: band, bor, bxor,
--- rshift (logical), lshift (bits past 32 dropped).
local M32 = 4294967296
local ok_bit, bit = pcall(require, "bit") -- LuaJIT
if ok_bit then
   local band, bor, bxor, rshift, lshift = bit.band, bit.bor, bit.bxor, bit.rshift, bit.lshift
   compat.band = function(a, b) return band(a, b) % M32 end
   compat.bor = function(a, b) return bor(a, b) % M32 end
   compat.bxor = function(a, b, c) return (c and bxor(a, b, c) or bxor(a, b)) % M32 end
   compat.rshift = function(a, n) return rshift(a, n) % M32 end
   compat.lshift = function(a, n) return lshift(a, n) % M32 end
elseif rawget(_G, "bit32") then -- Lua 5.2
   local b32 = rawget(_G, "bit32")
   compat.band, compat.bor, compat.rshift, compat.lshift = b32.band, b32.bor, b32.rshift, b32.lshift
   compat.bxor = function(a, b, c) return b32.bxor(a, b, c or 0) end
elseif _VERSION == "Lua 5.1" then -- PUC Lua 5.1: neither operators nor a library; bit by bit
   local function bitwise(a, b, keep)
      local r, p = 0, 1
      a, b = a % M32, b % M32
      for _ = 1, 32 do
         local x, y = a % 2, b % 2
         if keep(x, y) then r = r + p end
         a, b, p = (a - x) / 2, (b - y) / 2, p * 2
      end
      return r
   end
   compat.band = function(a, b) return bitwise(a, b, function(x, y) return x == 1 and y == 1 end) end
   compat.bor = function(a, b) return bitwise(a, b, function(x, y) return x == 1 or y == 1 end) end
   compat.bxor = function(a, b, c)
      local r = bitwise(a, b, function(x, y) return x ~= y end)
      return c and compat.bxor(r, c) or r
   end
   compat.rshift = function(a, n) return floor((a % M32) / 2 ^ n) end
   compat.lshift = function(a, n) return (a * 2 ^ n) % M32 end
else
   compat.band, compat.bor, compat.bxor, compat.rshift, compat.lshift = assert(load([[
      return function(a, b) return a & b & 0xffffffff end,
             function(a, b) return (a | b) & 0xffffffff end,
             function(a, b, c) return (a ~ b ~ (c or 0)) & 0xffffffff end,
             function(a, n) return (a & 0xffffffff) >> n end,
             function(a, n) return (a << n) & 0xffffffff end
   ]]))()
end

return compat
