--- Token material for the mock: random values, and (from authlete.hash)
--- SHA-256 and base64url.
--
-- Authlete's token values and their `*Hash` twins are 43-character base64url
-- strings: 32 random bytes, and the unpadded base64url of SHA-256(value).
local hash = require("authlete.hash")

local crypto = {}

crypto.sha256, crypto.base64url = hash.sha256, hash.base64url
crypto.base64_decode, crypto.token_hash = hash.base64_decode, hash.token_hash

local char = string.char

local urandom = io.open("/dev/urandom", "rb")
if not urandom then
   math.randomseed(os.time(), math.floor(os.clock() * 1e6))
end

--- n random bytes: /dev/urandom where it exists, math.random otherwise.
function crypto.random_bytes(n)
   if urandom then
      local s = urandom:read(n)
      if s and #s == n then return s end
   end
   local t = {}
   for i = 1, n do t[i] = char(math.random(0, 255)) end
   return table.concat(t)
end

--- A fresh 43-character token value, as Authlete generates them.
function crypto.new_token()
   return crypto.base64url(crypto.random_bytes(32))
end

--- A short random identifier with a prefix (token IDs).
function crypto.new_id(prefix)
   return prefix .. crypto.base64url(crypto.random_bytes(9))
end

return crypto
