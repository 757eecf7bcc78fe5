--- An internal admin API over Authlete's token management, for nginx:
---
---   GET  /admin/users/{subject}/tokens   the user's valid tokens, as JSON
---   POST /admin/users/{subject}/logout   revoke all of them: {"revoked": N}
---
--- Configuration comes from the environment, which the module reads itself
--- (declare the variables with `env` in nginx.conf): AUTHLETE_BEARER,
--- AUTHLETE_SERVICE_ID and, for a cluster other than the US one,
--- AUTHLETE_BASE_URL.
local authlete = require("authlete")

local admin = {}

-- One client per worker, made on first use: its connection pool and its
-- cosockets belong to the worker.
local client
local function tokens()
   if not client then
      client = authlete.new({
         timeout_ms = 5000, -- keep the admin endpoint responsive
         shared_dict = "authlete_pauses", -- every worker respects a pause Authlete asks for
         retry_config = { strategy = "backoff", retry_connection_errors = true,
                          backoff = { initial_interval = 100, max_elapsed_time = 3000 } },
      })
   end
   return client.token.management
end

local function reply(status, value)
   ngx.status = status
   ngx.header.content_type = "application/json"
   ngx.say(authlete.json_encode(value)) -- exact IDs, and [] for an empty list
   return ngx.exit(status)
end

-- A failed call: log it (tostring(err) never holds the bearer) and answer 502.
local function failed(err)
   ngx.log(ngx.ERR, "authlete: ", tostring(err))
   return reply(502, { error = err.kind, message = err.resultMessage or err.message })
end

function admin.list(subject)
   local out = authlete.json_array({})
   local ok, err = pcall(function()
      for t in tokens().each({ subject = subject, tokenStatus = "VALID" }) do
         out[#out + 1] = {
            accessTokenHash = t.accessTokenHash,
            clientId = t.clientId,
            grantType = t.grantType,
            scopes = t.scopes or authlete.json_array({}),
            expiresAt = t.accessTokenExpiresAt,
         }
      end
   end)
   if not ok then return failed(err) end
   return reply(200, { subject = subject, count = #out, tokens = out })
end

function admin.logout(subject)
   local res, err = tokens().revoke({ tokenRevokeRequest = { subject = subject } })
   if not res then return failed(err) end
   return reply(200, { subject = subject, revoked = res.count })
end

return admin
