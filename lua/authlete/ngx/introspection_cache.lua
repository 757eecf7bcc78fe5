--- Revoke where gateways cache: a gateway that caches introspection
--- results in a lua_shared_dict keeps accepting a revoked token until its
--- entry expires. These calls revoke or delete through the module, then
--- evict the tokens they named from that cache.
---
---   local cache = require("authlete.ngx.introspection_cache").new{
---      dict = "introspection",  -- the lua_shared_dict the gateway caches in
---      key = "token",           -- how it keys entries: "token" (the value,
---                               -- as lua-resty-openidc does), "hash"
---                               -- (Authlete's accessTokenHash), or a
---                               -- function(value, hash) -> key
---      prefix = "",             -- put before every key
---   }
---   local res, err = cache:revoke(client, { tokenRevokeRequest = { subject = "john" } })
---   local ok, err = cache:delete(client, { accessTokenIdentifier = token })
---
--- Each returns what the client's call returns, plus the number of cache
--- entries evicted. What can be evicted depends on the key:
---   * a call naming a token value evicts it under either key;
---   * a call naming a hash evicts it only under "hash" (a value cannot be
---     recovered from its hash);
---   * a revoke by subject or client first lists the matching tokens (as
---     hashes: the list never carries values), so it evicts them only
---     under "hash", or with a key function that can use the hash;
---   * a revoke by refresh token evicts nothing: the access token it
---     revokes with it is not known here.
local hash = require("authlete.hash")

local cache = {}
cache.__index = cache

local KEYS = {
   token = function(value) return value end,
   hash = function(_, token_hash) return token_hash end,
}

--- opts: dict (a lua_shared_dict name), key ("token", "hash" or a
--- function(value, hash) -> key or nil), prefix.
function cache.new(opts)
   if type(opts) ~= "table" then error("introspection_cache.new: options must be a table", 2) end
   local dict = type(opts.dict) == "string" and ngx.shared[opts.dict]
   if not dict then
      error(("introspection_cache.new: dict must name a lua_shared_dict, got %s"):format(tostring(opts.dict)), 2)
   end
   local key = opts.key or "token"
   local key_of = type(key) == "function" and key or KEYS[key]
   if not key_of then
      error(('introspection_cache.new: key must be "token", "hash" or a function, got %s'):format(tostring(key)), 2)
   end
   if opts.prefix ~= nil and type(opts.prefix) ~= "string" then
      error("introspection_cache.new: prefix must be a string", 2)
   end
   return setmetatable({ dict = dict, key_of = key_of, prefix = opts.prefix or "" }, cache)
end

-- Evict the entry of a token known by its value, or by its hash only
-- (value nil). Returns 1 when an entry went, else 0.
function cache:evict(value, token_hash)
   local key = self.key_of(value, token_hash or (value and hash.token_hash(value)))
   if key == nil then return 0 end
   key = self.prefix .. key
   if self.dict:get(key) == nil then return 0 end
   self.dict:delete(key)
   return 1
end

-- Evict an identifier the API takes as a value or a hash: both readings.
local function evict_identifier(self, identifier)
   return self:evict(identifier) + self:evict(nil, identifier)
end

--- The tokens (their hashes) a revoke by client and/or subject will reach.
local function matching_hashes(client, body, call_opts)
   local hashes = {}
   local request = { clientIdentifier = body.clientIdentifier, subject = body.subject, tokenStatus = "VALID" }
   local ok, err = pcall(function()
      for t in client.token.management.each(request, call_opts) do hashes[#hashes + 1] = t.accessTokenHash end
   end)
   if not ok then return nil, err end
   return hashes
end

--- client.token.management.revoke(request), then evict what it revoked.
--- Returns res, nil, evicted or nil, err.
function cache:revoke(client, request, call_opts)
   local body = type(request) == "table" and request.tokenRevokeRequest or {}
   local hashes
   if not body.accessTokenIdentifier and not body.refreshTokenIdentifier
      and (body.clientIdentifier or body.subject) then
      local err
      hashes, err = matching_hashes(client, body, call_opts)
      if not hashes then return nil, err end
   end
   local res, err = client.token.management.revoke(request, call_opts)
   if not res then return nil, err end
   local evicted = 0
   if body.accessTokenIdentifier then
      evicted = evict_identifier(self, body.accessTokenIdentifier)
   end
   for _, h in ipairs(hashes or {}) do evicted = evicted + self:evict(nil, h) end
   return res, nil, evicted
end

--- client.token.management.delete(request), then evict the token.
--- Returns true, nil, evicted or nil, err.
function cache:delete(client, request, call_opts)
   local res, err = client.token.management.delete(request, call_opts)
   if not res then return nil, err end
   local identifier = type(request) == "table" and request.accessTokenIdentifier
   return res, nil, identifier and evict_identifier(self, identifier) or 0
end

return cache
