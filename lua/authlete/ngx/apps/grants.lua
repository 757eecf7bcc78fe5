--- A subject's tokens as the connected-apps page shows them: one entry per
--- application, never one per token. Plain Lua, no ngx.
local compat = require("authlete.compat")

local grants = {}

local native_type = rawget(math, "type") -- Lua 5.3+: integers of their own

--- A client ID as decimal digits, exact: a Lua integer as it is, a LuaJIT
--- double (exact up to 2^53, which the core guarantees) without exponent.
function grants.id_text(id)
   if compat.mtype(id) ~= "integer" then return nil end
   if native_type then return tostring(id) end
   return ("%.0f"):format(id)
end

-- The later of two times in ms (nil and 0 mean "not known").
local function later(a, b)
   if not a or a <= 0 then return b end
   if not b or b <= 0 then return a end
   return a > b and a or b
end

-- The earlier of two times in ms.
local function earlier(a, b)
   if not a or a <= 0 then return b end
   if not b or b <= 0 then return a end
   return a < b and a or b
end

local function positive(n) return type(n) == "number" and n > 0 and n or nil end

-- A token still gives access at now_ms while its access token or its
-- refresh token is unexpired (the refresh token gets new access tokens).
-- A token that states no expiry at all counts as valid.
local function holds_access(t, now_ms)
   local a, r = positive(t.accessTokenExpiresAt), positive(t.refreshTokenExpiresAt)
   if not a and not r then return true end
   return (a and a > now_ms) or (r and r > now_ms) or false
end

--- Group the AccessToken entries of a list by client, keeping those that
--- still give access at now_ms. Returns a list of applications:
---   { clientId, id (its digits), count, scopes (each once, first seen
---     first), grant_types (likewise), since (earliest createdAt),
---     refreshed (latest lastRefreshedAt, nil when never), expires (latest
---     expiry of any of its tokens, nil when none is stated), last (latest
---     activity, for the order) }
--- most recently active first, then by ID.
function grants.group(tokens, now_ms)
   local apps, by_id = {}, {}
   for _, t in ipairs(tokens) do
      local id = grants.id_text(t.clientId)
      if id and holds_access(t, now_ms) then
         local app = by_id[id]
         if not app then
            app = { clientId = t.clientId, id = id, count = 0, scopes = {}, grant_types = {},
                    seen_scope = {}, seen_type = {} }
            by_id[id] = app
            apps[#apps + 1] = app
         end
         app.count = app.count + 1
         for _, s in ipairs(type(t.scopes) == "table" and t.scopes or {}) do
            if type(s) == "string" and not app.seen_scope[s] then
               app.seen_scope[s] = true
               app.scopes[#app.scopes + 1] = s
            end
         end
         local gt = t.grantType
         if type(gt) == "string" and not app.seen_type[gt] then
            app.seen_type[gt] = true
            app.grant_types[#app.grant_types + 1] = gt
         end
         app.since = earlier(app.since, positive(t.createdAt))
         app.refreshed = later(app.refreshed, positive(t.lastRefreshedAt))
         app.expires = later(app.expires, later(positive(t.accessTokenExpiresAt), positive(t.refreshTokenExpiresAt)))
         app.last = later(app.last, later(positive(t.createdAt), positive(t.lastRefreshedAt)))
      end
   end
   for _, app in ipairs(apps) do app.seen_scope, app.seen_type = nil, nil end
   table.sort(apps, function(a, b)
      if (a.last or 0) ~= (b.last or 0) then return (a.last or 0) > (b.last or 0) end
      if #a.id ~= #b.id then return #a.id < #b.id end
      return a.id < b.id
   end)
   return apps
end

--- What each grant type means to the person who granted it.
grants.GRANT_TYPE_WORDS = {
   AUTHORIZATION_CODE = "you approved it when signing in",
   IMPLICIT = "you approved it when signing in (implicit flow)",
   PASSWORD = "you gave it your password",
   CLIENT_CREDENTIALS = "the application's own credentials",
   REFRESH_TOKEN = "renewed from an earlier approval",
   CIBA = "you approved it on another device",
   DEVICE_CODE = "you approved it with a code shown on a device",
   TOKEN_EXCHANGE = "exchanged from another of your tokens",
   JWT_BEARER = "a signed assertion about you",
   PRE_AUTHORIZED_CODE = "a pre-authorized credential offer",
}

--- The grant types in words, "; " between them; one Authlete adds later
--- shows as its name.
function grants.describe(grant_types)
   local out = {}
   for i, gt in ipairs(grant_types) do out[i] = grants.GRANT_TYPE_WORDS[gt] or gt end
   return table.concat(out, "; ")
end

return grants
