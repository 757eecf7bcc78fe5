--- The answers the benchmark server gives, realistic and deterministic:
--- a 2-token list page, a full 20-token page (the server's largest window)
--- and a create answer, in the shapes of the fact sheet's examples.
local fixtures = {}

local function token(i)
   return ('{"accessTokenHash":"P4p-X_JyGm0ts8-nm-jtUGmK2LInVTzijgw-Glk-R%02d",'
      .. '"refreshTokenHash":"2GhOlWGGtyj9V9CBAQbYGq3oxASm-RhJ-2mkLlllX%02d",'
      .. '"accessTokenExpiresAt":1767232800000,"refreshTokenExpiresAt":1767312000000,'
      .. '"createdAt":1767225600000,"lastRefreshedAt":0,"clientId":31415926535897,'
      .. '"subject":"alice@example.org","grantType":"AUTHORIZATION_CODE","scopes":["openid","orders.read"],'
      .. '"refreshTokenScopes":["openid","orders.read"],'
      .. '"properties":[{"key":"tenant","value":"acme","hidden":false}]}'):format(i, i)
end

local function page(n)
   local t = {}
   for i = 1, n do t[i] = token(i) end
   return ('{"start":0,"end":%d,"totalCount":57,"subject":"alice@example.org","accessTokens":[%s]}')
      :format(n, table.concat(t, ","))
end

fixtures.list2 = page(2)
fixtures.list20 = page(20)
fixtures.create = '{"resultCode":"A109001","resultMessage":"[A109001] Access token created (authorization_code, '
   .. 'client 26888344961664).","action":"OK","accessToken":"W_epF1cbUq3Zmgy1rEqpm-f9XhwyAd5Kuic-JCtt79c",'
   .. '"refreshToken":"NP50gqDaQrbYcYSaNEtQ4v-G7hzG-S3rpKrEQ42jdpo","tokenType":"Bearer","clientId":26888344961664,'
   .. '"clientIdentifier":"26888344961664","subject":"john","grantType":"AUTHORIZATION_CODE",'
   .. '"scopes":["history.read","timeline.read"],"refreshTokenScopes":["history.read","timeline.read"],'
   .. '"expiresIn":3600,"expiresAt":1767229200000,"forExternalAttachment":false,"tokenId":"tid_5QxV0rJk2Lw"}'

--- The create request every client sends (the reference page's).
fixtures.create_request = '{"grantType":"AUTHORIZATION_CODE","clientId":26888344961664,"subject":"john",'
   .. '"scopes":["history.read","timeline.read"]}'

--- op -> path: the service ID picks the answer.
fixtures.paths = { list2 = "/api/2/auth/token/get/list", list20 = "/api/20/auth/token/get/list",
                   create = "/api/1/auth/token/create" }

fixtures.BEARER = "bench-bearer"

return fixtures
