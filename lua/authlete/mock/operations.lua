--- The five token-management endpoints, as the fact sheet describes them.
---
--- Each function takes the store and the decoded input, and returns either the
--- response table (or true for delete's 204), or nil, a codes.lua entry and
--- the values its message is formatted with.
local compat = require("authlete.compat")
local core = require("authlete.core")
local codes = require("authlete.mock.codes")
local crypto = require("authlete.mock.crypto")
local json = require("authlete.json")
local Store = require("authlete.mock.store")
local validate = require("authlete.mock.validate")

local operations = {}

local array = json.array

local GRANT_TYPES = {
   AUTHORIZATION_CODE = true, IMPLICIT = true, PASSWORD = true, CLIENT_CREDENTIALS = true,
   REFRESH_TOKEN = true, CIBA = true, DEVICE_CODE = true, TOKEN_EXCHANGE = true,
   JWT_BEARER = true, PRE_AUTHORIZED_CODE = true,
}
-- Grant types whose tokens come without a refresh token.
local NO_REFRESH = { IMPLICIT = true, CLIENT_CREDENTIALS = true }

local function copy_array(t)
   local out = array()
   for i, v in ipairs(t or {}) do out[i] = v end
   return out
end

-- Properties and authorization details are stored as received and written
-- back as received (arrays stay arrays).
local function copy_properties(props)
   if props == nil then return nil end
   local out = array()
   for i, p in ipairs(props) do
      out[i] = { key = p.key, value = p.value, hidden = p.hidden }
   end
   return out
end

-- An answer of `model` from token record `rec`: the model's fields (from
-- authlete.core's model table) that the record holds, scopes always as an
-- array, refreshTokenScopes copied when there is one, the rest as stored.
-- The operation adds what is not a record's (result code, message, action).
local MODEL_FIELDS = {}
for name, m in pairs(core.models()) do
   local names = {}
   for i, f in ipairs(m.fields) do names[i] = f.name end
   MODEL_FIELDS[name] = names
end

local function answer_of(model, rec)
   local out = {}
   for _, name in ipairs(MODEL_FIELDS[model]) do
      local v = rec[name]
      if name == "scopes" or (name == "refreshTokenScopes" and v) then v = copy_array(v) end
      out[name] = v
   end
   return out
end

-- The lifetime in seconds: a positive request value, else the service default.
local function duration(requested, default)
   if requested and requested > 0 then return requested end
   return default
end

---------------------------------------------------------------- create

function operations.create(store, body)
   local verr = validate.body("TokenCreateRequest", body)
   if verr then return nil, codes.CREATE_BAD_BODY, verr end
   local seed, now = store.seed, Store.now_ms()

   local grant = body.grantType
   if grant == nil then return nil, codes.CREATE_GRANT_TYPE, "grantType is required." end
   if not GRANT_TYPES[grant] then
      return nil, codes.CREATE_GRANT_TYPE, ("The grant type '%s' is not supported."):format(grant)
   end
   if grant == "REFRESH_TOKEN" then
      return nil, codes.CREATE_GRANT_TYPE, "The grant type REFRESH_TOKEN is not allowed."
   end

   local client
   if body.clientId and body.clientId ~= 0 then
      client = store:client(body.clientId)
      if not client then return nil, codes.CREATE_NO_CLIENT, tostring(body.clientId) end
   elseif body.clientIdentifier and body.clientIdentifier ~= "" then
      client = store:client(body.clientIdentifier)
      if not client then return nil, codes.CREATE_NO_CLIENT, body.clientIdentifier end
   else
      return nil, codes.CREATE_NEED_CLIENT
   end

   local subject = body.subject
   if grant == "CLIENT_CREDENTIALS" then
      subject = nil -- ignored for this grant type
   elseif subject == nil or subject == "" then
      if grant ~= "JWT_BEARER" then
         return nil, codes.CREATE_SUBJECT, "subject is required for the grant type " .. grant .. "."
      end
      subject = nil
   elseif #subject > 100 or subject:find("[^\32-\126]") then
      return nil, codes.CREATE_SUBJECT, "subject must be printable ASCII of at most 100 characters."
   end

   for _, scope in ipairs(body.scopes or {}) do
      if not store:supports_scope(scope) then return nil, codes.CREATE_SCOPE, scope end
   end

   local access = body.accessToken ~= "" and body.accessToken or nil
   if access and store:access_hash_taken(access) then return nil, codes.CREATE_DUP_ACCESS end
   local refresh
   if not NO_REFRESH[grant] then
      refresh = body.refreshToken ~= "" and body.refreshToken or nil
      if refresh and store:refresh_hash_taken(refresh) then return nil, codes.CREATE_DUP_REFRESH end
      refresh = refresh or crypto.new_token()
   end

   local persistent = body.accessTokenPersistent == true
   local expires_in = persistent and 0 or duration(body.accessTokenDuration, seed.accessTokenDuration)
   local rec = store:add({
      accessToken = access or crypto.new_token(),
      refreshToken = refresh,
      clientId = client.clientId,
      clientIdentifier = client.clientIdAlias or tostring(client.clientId),
      subject = subject,
      grantType = grant,
      scopes = copy_array(body.scopes),
      refreshTokenScopes = refresh and copy_array(body.scopes) or nil,
      properties = copy_properties(body.properties),
      createdAt = now,
      lastRefreshedAt = 0,
      persistent = persistent,
      -- A persistent token never expires; the mock reports 0 for its expiry.
      accessTokenExpiresAt = persistent and 0 or now + expires_in * 1000,
      refreshTokenExpiresAt = refresh and now + duration(body.refreshTokenDuration,
         seed.refreshTokenDuration) * 1000 or nil,
      tokenType = body.dpopKeyThumbprint and "DPoP" or "Bearer",
      tokenId = crypto.new_id("tid_"),
      authorizationDetails = body.authorizationDetails,
      forExternalAttachment = body.forExternalAttachment == true,
      certificateThumbprint = body.certificateThumbprint,
      dpopKeyThumbprint = body.dpopKeyThumbprint,
      sessionId = body.sessionId,
   })

   local answer = answer_of("TokenCreateResponse", rec)
   answer.resultCode = codes.CREATE_OK.code
   answer.resultMessage = ("[%s] Access token created (%s, client %d)."):format(
      codes.CREATE_OK.code, grant:lower(), client.clientId)
   answer.action = "OK"
   answer.expiresIn, answer.expiresAt = expires_in, rec.accessTokenExpiresAt
   return answer
end

---------------------------------------------------------------- list

local TOKEN_STATUS = { VALID = true, INVALID = true, ALL = true }
local MAX_WINDOW = 20

-- AccessToken as the list shows it: hashes, never values (the model has
-- no field for a value).
local function list_entry(rec)
   return answer_of("AccessToken", rec)
end

-- ClientLimited: what the list says about the client it was filtered by.
-- Its localised names and descriptions (clientNames, descriptions) come
-- from the seed or from /__mock/clients.
local function client_limited(c)
   local answer = answer_of("ClientLimited", c)
   answer.clientIdAliasEnabled = c.clientIdAlias and (c.clientIdAliasEnabled ~= false) or nil
   return answer
end

local function int_param(params, name, default)
   local v = params[name]
   if v == nil then return default end
   local n = v:match("^-?%d+$") and compat.tointeger(tonumber(v))
   if not n or n < -2^31 or n >= 2^31 then
      return nil, ("'%s' must be an int32, not '%s'."):format(name, v)
   end
   return n
end

function operations.list(store, params)
   local start, err = int_param(params, "start", 0)
   if not start then return nil, codes.LIST_BAD_PARAM, err end
   local stop
   stop, err = int_param(params, "end", 5)
   if not stop then return nil, codes.LIST_BAD_PARAM, err end
   if start < 0 then return nil, codes.LIST_BAD_PARAM, "'start' must not be negative." end
   if stop < start then return nil, codes.LIST_BAD_PARAM, "'end' must not be less than 'start'." end
   if stop - start > MAX_WINDOW then return nil, codes.LIST_WINDOW end
   local status = params.tokenStatus or "ALL"
   if not TOKEN_STATUS[status] then
      return nil, codes.LIST_BAD_PARAM, "'tokenStatus' must be VALID, INVALID or ALL."
   end

   local client
   if params.clientIdentifier then
      client = store:client(params.clientIdentifier)
      if not client then return nil, codes.LIST_NO_CLIENT, params.clientIdentifier end
   end
   local subject, now = params.subject, Store.now_ms()
   local matches = store:select(function(rec)
      if client and rec.clientId ~= client.clientId then return false end
      if subject and rec.subject ~= subject then return false end
      if status == "ALL" then return true end
      return Store.is_valid(rec, now) == (status == "VALID")
   end)

   local page = array()
   for i = start + 1, math.min(stop, #matches) do page[#page + 1] = list_entry(matches[i]) end
   return {
      start = start, ["end"] = stop, totalCount = #matches,
      subject = subject, client = client and client_limited(client),
      accessTokens = page,
   }
end

---------------------------------------------------------------- update

function operations.update(store, body)
   local verr = validate.body("TokenUpdateRequest", body)
   if verr then return nil, codes.UPDATE_BAD_BODY, verr end
   -- The first identifier given wins, in authlete-java-common's order:
   -- accessToken, accessTokenHash, refreshToken, refreshTokenHash.
   local rec
   if body.accessToken and body.accessToken ~= "" then
      rec = store:find_access(body.accessToken)
   elseif body.accessTokenHash and body.accessTokenHash ~= "" then
      rec = store:find_access(body.accessTokenHash)
   elseif body.refreshToken and body.refreshToken ~= "" then
      rec = store:find_refresh(body.refreshToken)
   elseif body.refreshTokenHash and body.refreshTokenHash ~= "" then
      rec = store:find_refresh(body.refreshTokenHash)
   else
      return nil, codes.UPDATE_NEED_TOKEN
   end
   if not rec then return nil, codes.UPDATE_NOT_FOUND end
   local seed, now = store.seed, Store.now_ms()

   if body.scopes then
      -- Unsupported scopes are dropped silently, as the server does.
      local kept = array()
      for _, scope in ipairs(body.scopes) do
         if store:supports_scope(scope) then kept[#kept + 1] = scope end
      end
      rec.scopes = kept
      if body.accessTokenExpiresAtUpdatedOnScopeUpdate then
         rec.accessTokenExpiresAt = now + seed.accessTokenDuration * 1000
      end
      if body.refreshTokenExpiresAtUpdatedOnScopeUpdate and rec.refreshToken then
         rec.refreshTokenExpiresAt = now + seed.refreshTokenDuration * 1000
      end
   end
   if body.accessTokenPersistent ~= nil then rec.persistent = body.accessTokenPersistent end
   if rec.persistent then
      rec.accessTokenExpiresAt = 0
   elseif body.accessTokenExpiresAt and body.accessTokenExpiresAt > 0 then
      rec.accessTokenExpiresAt = body.accessTokenExpiresAt
   end
   if body.refreshTokenExpiresAt and body.refreshTokenExpiresAt > 0 and rec.refreshToken then
      rec.refreshTokenExpiresAt = body.refreshTokenExpiresAt
   end
   if body.properties then rec.properties = copy_properties(body.properties) end
   if body.authorizationDetails then rec.authorizationDetails = body.authorizationDetails end
   if body.forExternalAttachment ~= nil then rec.forExternalAttachment = body.forExternalAttachment end
   if body.certificateThumbprint then rec.certificateThumbprint = body.certificateThumbprint end
   if body.dpopKeyThumbprint then
      rec.dpopKeyThumbprint = body.dpopKeyThumbprint
      rec.tokenType = "DPoP"
   end
   if body.accessTokenValueUpdated then store:rekey_access(rec, crypto.new_token()) end

   local answer = answer_of("TokenUpdateResponse", rec)
   answer.resultCode = codes.UPDATE_OK.code
   answer.resultMessage = ("[%s] %s"):format(codes.UPDATE_OK.code, codes.UPDATE_OK.text)
   answer.action = "OK"
   return answer
end

---------------------------------------------------------------- delete

function operations.delete(store, identifier)
   local rec = store:find_access(identifier)
   if not rec then return nil, codes.DELETE_NOT_FOUND end
   store:remove(rec)
   return true
end

---------------------------------------------------------------- revoke

function operations.revoke(store, body)
   local verr = validate.body("TokenRevokeRequest", body)
   if verr then return nil, codes.REVOKE_BAD_BODY, verr end
   local function given(v) return v ~= nil and v ~= "" end

   -- The first criterion present decides, in Authlete's order.
   local targets
   if given(body.accessTokenIdentifier) then
      targets = { store:find_access(body.accessTokenIdentifier) }
   elseif given(body.refreshTokenIdentifier) then
      targets = { store:find_refresh(body.refreshTokenIdentifier) }
   elseif given(body.clientIdentifier) then
      local client = store:client(body.clientIdentifier)
      if not client then return nil, codes.REVOKE_NO_CLIENT, body.clientIdentifier end
      local subject = given(body.subject) and body.subject or nil
      targets = store:select(function(rec)
         return rec.clientId == client.clientId and (subject == nil or rec.subject == subject)
      end)
   elseif given(body.subject) then
      targets = store:select(function(rec) return rec.subject == body.subject end)
   else
      return nil, codes.REVOKE_NO_CRITERIA
   end

   -- What Authlete does with the records and the count is undocumented:
   -- both are switches of the server (store.revoke_keeps_records,
   -- store.revoke_counts_expired), on by default.
   local count, now = 0, Store.now_ms()
   for _, rec in ipairs(targets) do
      if not rec.revoked then
         if store.revoke_counts_expired ~= false or Store.is_valid(rec, now) then count = count + 1 end
         rec.revoked = true
         if store.revoke_keeps_records == false then store:remove(rec) end
      end
   end
   return {
      resultCode = codes.REVOKE_OK.code,
      -- Authlete's documented example of this message has no "[A312001]"
      -- prefix, unlike its other messages; the text itself is ours.
      resultMessage = ("%d token(s) revoked."):format(count),
      count = count,
   }
end

---------------------------------------------------------------- reissueIdToken

-- A JWS-shaped ID token: header and payload are real base64url JSON, the
-- signature is not (the mock signs nothing).
local function id_token(iss, sub, aud, now_s)
   local header = crypto.base64url(json.encode({ alg = "ES256", kid = "mock" }))
   local payload = crypto.base64url(json.encode({ iss = iss, sub = sub, aud = json.array({ aud }),
                                                  iat = now_s, exp = now_s + 3600 }))
   return header .. "." .. payload .. "." .. crypto.base64url(crypto.random_bytes(32))
end

function operations.reissueIdToken(store, body)
   body = body or {}
   local verr = validate.body("IdtokenReissueRequest", body)
   if verr then return nil, codes.REISSUE_BAD_BODY, verr end
   if not body.accessToken or not body.refreshToken then
      return nil, codes.REISSUE_BAD_BODY, "accessToken and refreshToken are required."
   end
   local rec = store:find_access(body.accessToken)
   if not rec or rec.refreshToken ~= body.refreshToken or rec.revoked then
      return nil, codes.REISSUE_NO_TOKEN
   end
   local openid = false
   for _, scope in ipairs(rec.scopes) do openid = openid or scope == "openid" end
   if not openid then return nil, codes.REISSUE_NOT_OPENID end
   local now_s = compat.idiv(Store.now_ms(), 1000)
   local token = id_token("https://mock.authlete.invalid", body.sub or rec.subject or "",
                          tostring(rec.clientId), now_s)
   local content = json.encode({ access_token = rec.accessToken, token_type = rec.tokenType,
      expires_in = math.max(0, compat.idiv(rec.accessTokenExpiresAt - Store.now_ms(), 1000)),
      refresh_token = rec.refreshToken, scope = table.concat(rec.scopes, " "), id_token = token })
   return {
      resultCode = codes.REISSUE_OK.code,
      resultMessage = ("[%s] %s"):format(codes.REISSUE_OK.code, codes.REISSUE_OK.text),
      action = "OK", idToken = token, responseContent = content,
   }
end

return operations
