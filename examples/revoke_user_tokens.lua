--- Log a user out everywhere: revoke every token issued to them.
---   lua5.4 examples/revoke_user_tokens.lua subject
--- Reads AUTHLETE_BEARER, AUTHLETE_SERVICE_ID and AUTHLETE_BASE_URL.
local authlete = require("authlete")
local client = authlete.new{
   service_id = os.getenv("AUTHLETE_SERVICE_ID"),
   server_url = os.getenv("AUTHLETE_BASE_URL"), -- unset: Authlete's US cluster
   -- A revoke can be repeated safely, so ride out a brief outage.
   retry_config = { strategy = "backoff", retry_connection_errors = true,
                    backoff = { initial_interval = 500, max_elapsed_time = 30000 } },
}

local subject = assert(arg[1], "usage: revoke_user_tokens.lua subject")
local res, err = client.token.management.revoke{ tokenRevokeRequest = { subject = subject } }
if not res then
   io.stderr:write(tostring(err), "\n")
   os.exit(1)
end
print(("%s: %d token%s revoked"):format(subject, res.count, res.count == 1 and "" or "s"))
