--- The mock's in-memory state: the service's clients and its tokens.
--
-- Tokens are kept in creation order (the order `list` pages through) and
-- indexed by the hashes of their access and refresh token values, so a lookup
-- by value or by hash is one table access either way.
local compat = require("authlete.compat")
local crypto = require("authlete.mock.crypto")
local socket = require("authlete.mock.socket")

local Store = {}
Store.__index = Store

local token_hash = crypto.token_hash

function Store.new(seed_table)
   local self = setmetatable({ seed = seed_table }, Store)
   self:reset()
   return self
end

--- Back to the seed: its clients and its tokens, nothing else.
function Store:reset()
   local s = self.seed
   self.tokens = {}          -- array, creation order
   self.by_access = {}       -- accessTokenHash -> record
   self.by_refresh = {}      -- refreshTokenHash -> record
   self.clients_by_id, self.clients_by_alias = {}, {}
   self.scopes = {}
   for _, seeded in ipairs(s.clients) do
      -- a copy: /__mock/clients changes it until the next reset, never the seed
      local c = {}
      for k, v in pairs(seeded) do c[k] = v end
      self.clients_by_id[c.clientId] = c
      if c.clientIdAlias then self.clients_by_alias[c.clientIdAlias] = c end
   end
   for _, scope in ipairs(s.supportedScopes) do self.scopes[scope] = true end
   local now = self.now_ms()
   for _, t in ipairs(s.tokens or {}) do
      self:add({
         accessToken = t.accessToken, refreshToken = t.refreshToken,
         clientId = t.clientId, subject = t.subject,
         grantType = t.grantType or "AUTHORIZATION_CODE",
         scopes = t.scopes or {}, refreshTokenScopes = t.scopes or {},
         properties = t.properties,
         createdAt = t.createdAt or now, lastRefreshedAt = 0,
         accessTokenExpiresAt = t.accessTokenExpiresAt or now + s.accessTokenDuration * 1000,
         refreshTokenExpiresAt = t.refreshToken and (t.refreshTokenExpiresAt
            or now + s.refreshTokenDuration * 1000) or nil,
         revoked = t.revoked == true, tokenType = "Bearer",
      })
   end
end

--- Wall-clock milliseconds since the epoch (Authlete's unit for *At fields).
function Store.now_ms()
   return math.floor(socket.gettime() * 1000)
end

--- A client by numeric ID (integer) or identifier string (decimal ID or alias).
function Store:client(identifier)
   if compat.mtype(identifier) == "integer" then return self.clients_by_id[identifier] end
   if type(identifier) ~= "string" then return nil end
   local id = identifier:match("^%d+$") and compat.tointeger(tonumber(identifier))
   return (id and self.clients_by_id[id]) or self.clients_by_alias[identifier]
end

function Store:supports_scope(scope)
   return self.scopes[scope] == true
end

--- Store a new token record; fills in the hashes.
function Store:add(rec)
   rec.accessTokenHash = token_hash(rec.accessToken)
   self.by_access[rec.accessTokenHash] = rec
   if rec.refreshToken then
      rec.refreshTokenHash = token_hash(rec.refreshToken)
      self.by_refresh[rec.refreshTokenHash] = rec
   end
   self.tokens[#self.tokens + 1] = rec
   return rec
end

--- Give a record a new access-token value (update's accessTokenValueUpdated).
function Store:rekey_access(rec, value)
   self.by_access[rec.accessTokenHash] = nil
   rec.accessToken = value
   rec.accessTokenHash = token_hash(value)
   self.by_access[rec.accessTokenHash] = rec
end

-- Authlete accepts a token value or its hash wherever it takes an identifier.
local function lookup(index, identifier)
   if type(identifier) ~= "string" or identifier == "" then return nil end
   return index[token_hash(identifier)] or index[identifier]
end

function Store:find_access(identifier) return lookup(self.by_access, identifier) end
function Store:find_refresh(identifier) return lookup(self.by_refresh, identifier) end
function Store:access_hash_taken(value) return self.by_access[token_hash(value)] ~= nil end
function Store:refresh_hash_taken(value) return self.by_refresh[token_hash(value)] ~= nil end

function Store:remove(rec)
   self.by_access[rec.accessTokenHash] = nil
   if rec.refreshTokenHash then self.by_refresh[rec.refreshTokenHash] = nil end
   for i, t in ipairs(self.tokens) do
      if t == rec then table.remove(self.tokens, i) break end
   end
end

--- Records for which keep(rec) is true, in creation order.
function Store:select(keep)
   local out = {}
   for _, rec in ipairs(self.tokens) do
      if keep(rec) then out[#out + 1] = rec end
   end
   return out
end

--- A token is valid while it is neither revoked nor expired.
function Store.is_valid(rec, now)
   return not rec.revoked and (rec.persistent or rec.accessTokenExpiresAt > now)
end

function Store:count()
   return #self.tokens
end

return Store
