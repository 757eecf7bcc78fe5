--- "Log this user out everywhere" for a gateway that caches introspection
--- results: revoke the user's tokens through Authlete, then evict them from
--- the gateway's cache, so that the revoked tokens stop working at once
--- instead of when their cache entries expire.
---
---   lua_shared_dict introspection 10m;   # the gateway's introspection cache,
---                                        # keyed by Authlete's accessTokenHash
---   location ~ ^/admin/users/(?<subject>[^/]+)/logout$ {
---      limit_except POST { deny all; }
---      content_by_lua_block { require("gateway_revoke").logout(ngx.var.subject) }
---   }
---
--- The client is the module's default one (AUTHLETE_BEARER, AUTHLETE_BASE_URL
--- and AUTHLETE_SERVICE_ID from the environment; declare them with `env`).
local authlete = require("authlete")
local introspection_cache = require("authlete.ngx.introspection_cache")

local gateway = {}

local cache -- one per worker, made on first use
local function the_cache()
   cache = cache or introspection_cache.new({ dict = "introspection", key = "hash" })
   return cache
end

local function reply(status, value)
   ngx.status = status
   ngx.header.content_type = "application/json"
   ngx.say(authlete.json_encode(value))
   return ngx.exit(status)
end

function gateway.logout(subject)
   local res, err, evicted = the_cache():revoke(authlete.default_client(),
      { tokenRevokeRequest = { subject = subject } })
   if not res then
      ngx.log(ngx.ERR, "authlete: ", tostring(err)) -- never holds the bearer
      return reply(502, { error = err.kind })
   end
   return reply(200, { subject = subject, revoked = res.count, evicted = evicted })
end

return gateway
