--- Create an access token for a user, as an authorization server would.
---   lua5.4 examples/create_token.lua [subject] [client_id] [scope …]
--- Reads AUTHLETE_BEARER, AUTHLETE_SERVICE_ID and AUTHLETE_BASE_URL.
local authlete = require("authlete")
local client = authlete.new{
   service_id = os.getenv("AUTHLETE_SERVICE_ID"),
   server_url = os.getenv("AUTHLETE_BASE_URL"), -- unset: Authlete's US cluster
}

local subject = arg[1] or "john"
local client_id = math.tointeger(tonumber(arg[2] or "26888344961664"))
local scopes = { table.unpack(arg, 3) }
if #scopes == 0 then scopes = { "history.read", "timeline.read" } end

local token = assert(client.token.management.create{
   tokenCreateRequest = { grantType = "AUTHORIZATION_CODE", clientId = client_id, subject = subject, scopes = scopes },
})
print(token.resultMessage)
print(("access token %s, expires %s, scopes: %s"):format(token.accessToken,
   os.date("!%Y-%m-%d %H:%M:%SZ", token.expiresAt // 1000), table.concat(token.scopes, " ")))
