--- CSRF tokens for pages that change state with a POST (the connected-apps
--- page of issue 21): a token is bound to one subject and an expiry, signed
--- with HMAC-SHA256 under the operator's secret, and checked in constant
--- time. Plain Lua (authlete.hash), so that it is tested outside nginx.
---
---   local csrf = require("authlete.ngx.csrf")
---   local token = csrf.token(secret, subject, ngx.time(), 3600)
---   local ok, why = csrf.check(secret, subject, posted_token, ngx.time())
local hash = require("authlete.hash")
local compat = require("authlete.compat")

local csrf = {}

local BLOCK = 64 -- SHA-256's block size, for HMAC

-- HMAC-SHA256 (RFC 2104) of msg under key.
local function hmac(key, msg)
   if #key > BLOCK then key = hash.sha256(key) end
   key = key .. ("\0"):rep(BLOCK - #key)
   local ipad, opad = {}, {}
   for i = 1, BLOCK do
      local b = key:byte(i)
      ipad[i] = string.char(compat.bxor(b, 0x36))
      opad[i] = string.char(compat.bxor(b, 0x5c))
   end
   return hash.sha256(table.concat(opad) .. hash.sha256(table.concat(ipad) .. msg))
end
csrf.hmac = hmac

-- Whether a and b are equal, looking at every byte whatever the first
-- difference (the time taken does not say how much of a guess was right).
local function same(a, b)
   if #a ~= #b then return false end
   local diff = 0
   for i = 1, #a do diff = compat.bor(diff, compat.bxor(a:byte(i), b:byte(i))) end
   return diff == 0
end

local function mac(secret, subject, expires)
   -- the NUL keeps "ab" + "1" apart from "a" + "b1"
   return hash.base64url(hmac(secret, subject .. "\0" .. expires))
end

--- A token for `subject`, valid until now + ttl (seconds).
function csrf.token(secret, subject, now, ttl)
   assert(type(secret) == "string" and #secret >= 16, "csrf: the secret must be a string of 16 bytes or more")
   local expires = ("%d"):format(now + ttl)
   return expires .. "." .. mac(secret, subject, expires)
end

--- Whether `token` is one csrf.token made for `subject` and not expired at
--- `now`: true, or false and why ("missing", "malformed", "expired",
--- "forged"). The reason is for the log, never for the page.
function csrf.check(secret, subject, token, now)
   if type(token) ~= "string" or token == "" then return false, "missing" end
   local expires, given = token:match("^(%d+)%.([%w_-]+)$")
   if not expires or #expires > 12 then return false, "malformed" end
   if not same(mac(secret, subject, expires), given) then return false, "forged" end
   if tonumber(expires) < now then return false, "expired" end
   return true
end

return csrf
