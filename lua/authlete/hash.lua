--- SHA-256 and base64url in plain Lua, for token hashes: Authlete reports
--- a token's hash as the unpadded base64url of SHA-256(value). Used by the
--- mock (which issues tokens) and by the nginx introspection-cache helper
--- (which evicts by hash). 32-bit operations come from authlete.compat, so
--- it runs on Lua 5.4, LuaJIT and 5.1 alike, with no C dependency.
local compat = require("authlete.compat")

local hash = {}

local byte, char, rep = string.byte, string.char, string.rep
local band, bor, bxor, rshift, lshift = compat.band, compat.bor, compat.bxor, compat.rshift, compat.lshift
local floor = math.floor

local K = {
   0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
   0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
   0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
   0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
   0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
   0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
   0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
   0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
}

local M32 = 0xffffffff

local function rotr(x, n)
   return bor(rshift(x, n), lshift(x, 32 - n))
end

-- n as `count` big-endian bytes.
local function be_bytes(n, count)
   local out = {}
   for i = count, 1, -1 do
      out[i] = char(n % 256)
      n = floor(n / 256)
   end
   return table.concat(out)
end

local function compress(h, block)
   local w = {}
   for i = 1, 16 do
      local b1, b2, b3, b4 = byte(block, 4 * i - 3, 4 * i)
      w[i] = ((b1 * 256 + b2) * 256 + b3) * 256 + b4
   end
   for i = 17, 64 do
      local a, b = w[i - 15], w[i - 2]
      local s0 = bxor(rotr(a, 7), rotr(a, 18), rshift(a, 3))
      local s1 = bxor(rotr(b, 17), rotr(b, 19), rshift(b, 10))
      w[i] = band(w[i - 16] + s0 + w[i - 7] + s1, M32)
   end
   local a, b, c, d, e, f, g, hh = h[1], h[2], h[3], h[4], h[5], h[6], h[7], h[8]
   for i = 1, 64 do
      local S1 = bxor(rotr(e, 6), rotr(e, 11), rotr(e, 25))
      local ch = bxor(band(e, f), band(M32 - e, g))
      local t1 = band(hh + S1 + ch + K[i] + w[i], M32)
      local S0 = bxor(rotr(a, 2), rotr(a, 13), rotr(a, 22))
      local maj = bxor(band(a, b), band(a, c), band(b, c))
      local t2 = band(S0 + maj, M32)
      hh, g, f, e, d, c, b, a = g, f, e, band(d + t1, M32), c, b, a, band(t1 + t2, M32)
   end
   h[1], h[2], h[3], h[4] = band(h[1] + a, M32), band(h[2] + b, M32), band(h[3] + c, M32), band(h[4] + d, M32)
   h[5], h[6], h[7], h[8] = band(h[5] + e, M32), band(h[6] + f, M32), band(h[7] + g, M32), band(h[8] + hh, M32)
end

--- SHA-256 of a byte string, as 32 raw bytes.
function hash.sha256(msg)
   local h = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
               0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 }
   local len = #msg
   local padded = msg .. "\128" .. rep("\0", (55 - len) % 64) .. be_bytes(len * 8, 8)
   for i = 1, #padded, 64 do
      compress(h, padded:sub(i, i + 63))
   end
   local out = {}
   for i = 1, 8 do out[i] = be_bytes(h[i], 4) end
   return table.concat(out)
end

local B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
local STANDARD = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

-- base64 of bytes in `alphabet`, padded with "=" when `pad`.
local function encode64(bytes, alphabet, pad)
   local out = {}
   for i = 1, #bytes, 3 do
      local a, b, c = byte(bytes, i, i + 2)
      local n = (a * 256 + (b or 0)) * 256 + (c or 0)
      local chars = 2 + (b and 1 or 0) + (c and 1 or 0)
      for k = 1, chars do
         local idx = floor(n / 64 ^ (4 - k)) % 64
         out[#out + 1] = alphabet:sub(idx + 1, idx + 1)
      end
      if pad then out[#out + 1] = rep("=", 4 - chars) end
   end
   return table.concat(out)
end

--- Unpadded base64url (RFC 4648 section 5).
function hash.base64url(bytes)
   return encode64(bytes, B64, false)
end

--- Standard, padded base64 (RFC 4648 section 4), as HTTP Basic credentials use.
function hash.base64(bytes)
   return encode64(bytes, STANDARD, true)
end

--- Standard or url-safe base64 (padding optional) back to bytes; nil when
--- the text is not base64.
function hash.base64_decode(text)
   text = text:gsub("[\r\n]", ""):gsub("%-", "+"):gsub("_", "/"):gsub("=+$", "")
   if text:find("[^%w+/]") or #text % 4 == 1 then return nil end
   local out = {}
   for i = 1, #text, 4 do
      local n, chars = 0, 0
      for k = i, math.min(i + 3, #text) do
         local c = text:sub(k, k)
         local v = B64:find(c, 1, true) or (c == "+" and 63) or (c == "/" and 64)
         n = n * 64 + (v - 1)
         chars = chars + 1
      end
      n = n * 64 ^ (4 - chars)
      out[#out + 1] = be_bytes(n, 3):sub(1, chars - 1)
   end
   return table.concat(out)
end

--- The hash Authlete reports for a token value: base64url(SHA-256(value)).
function hash.token_hash(value)
   return hash.base64url(hash.sha256(value))
end

return hash
