--- Type checks for request bodies the mock receives, as a real server makes
--- them: a known field with the wrong JSON type is a 400 naming the field.
--- Unknown fields are ignored and JSON null counts as absent, so the mock is
--- as lenient as the server where the server is lenient.
local compat = require("authlete.compat")
local json = require("authlete.json")

local validate = {}

local function describe(v)
   if v == json.null then return "null" end
   if json.is_array(v) then return "array" end
   if type(v) == "table" then return "object" end
   if compat.mtype(v) == "float" then return "number" end
   if compat.mtype(v) == "integer" then return "integer" end
   return type(v)
end

local function is_object(v) return type(v) == "table" and not json.is_array(v) and v ~= json.null end

local check -- forward: check(kind, value, path) -> nil | message

local MODELS = {
   Property = { key = "string", value = "string", hidden = "boolean" },
   AuthzDetails = { elements = { "array", "AuthorizationDetailsElement" } },
   AuthorizationDetailsElement = {
      type = "string", locations = { "array", "string" }, actions = { "array", "string" },
      dataTypes = { "array", "string" }, identifier = "string",
      privileges = { "array", "string" }, otherFields = "string",
   },
   TokenCreateRequest = {
      grantType = "string", clientId = "integer", subject = "string",
      scopes = { "array", "string" }, accessTokenDuration = "integer",
      refreshTokenDuration = "integer", properties = { "array", "Property" },
      clientIdAliasUsed = "boolean", accessToken = "string", refreshToken = "string",
      accessTokenPersistent = "boolean", certificateThumbprint = "string",
      dpopKeyThumbprint = "string", authorizationDetails = "AuthzDetails",
      resources = { "array", "string" }, forExternalAttachment = "boolean",
      jwtAtClaims = "string", acr = "string", authTime = "integer",
      clientEntityIdUsed = "boolean", clientIdentifier = "string", sessionId = "string",
      metadataDocumentUsed = "boolean",
   },
   TokenUpdateRequest = {
      accessToken = "string", accessTokenExpiresAt = "integer", scopes = { "array", "string" },
      properties = { "array", "Property" }, accessTokenExpiresAtUpdatedOnScopeUpdate = "boolean",
      accessTokenHash = "string", accessTokenValueUpdated = "boolean",
      accessTokenPersistent = "boolean", certificateThumbprint = "string",
      dpopKeyThumbprint = "string", authorizationDetails = "AuthzDetails",
      forExternalAttachment = "boolean", refreshTokenExpiresAt = "integer",
      refreshTokenExpiresAtUpdatedOnScopeUpdate = "boolean", tokenId = "string",
      refreshToken = "string", refreshTokenHash = "string",
   },
   IdtokenReissueRequest = {
      accessToken = "string", refreshToken = "string", sub = "string", claims = "string",
      idtHeaderParams = "string", idTokenAudType = "string",
   },
   TokenRevokeRequest = {
      accessTokenIdentifier = "string", refreshTokenIdentifier = "string",
      clientIdentifier = "string", subject = "string",
   },
}

-- Drop JSON nulls so the rest of the mock sees them as absent.
local function strip_nulls(obj)
   for k, v in pairs(obj) do
      if v == json.null then obj[k] = nil end
   end
end

local function check_model(name, value, path)
   if not is_object(value) then return ("%s: expected object, got %s"):format(path, describe(value)) end
   strip_nulls(value)
   for field, kind in pairs(MODELS[name]) do
      if value[field] ~= nil then
         local err = check(kind, value[field], path == "" and field or path .. "." .. field)
         if err then return err end
      end
   end
end

function check(kind, value, path)
   if type(kind) == "table" then -- { "array", element kind }
      if not json.is_array(value) then
         return ("%s: expected array, got %s"):format(path, describe(value))
      end
      for i, v in ipairs(value) do
         local err = check(kind[2], v, ("%s[%d]"):format(path, i))
         if err then return err end
      end
      return nil
   end
   if MODELS[kind] then return check_model(kind, value, path) end
   local ok = (kind == "string" and type(value) == "string")
      or (kind == "integer" and compat.mtype(value) == "integer")
      or (kind == "boolean" and type(value) == "boolean")
   if not ok then return ("%s: expected %s, got %s"):format(path, kind, describe(value)) end
end

--- Check a decoded body against a request model. Returns nil, or a message
--- naming the first offending field ("scopes[2]: expected string, got integer").
function validate.body(model, body)
   local err = check_model(model, body, "")
   if err then return (err:gsub("^: ", "request body: ")) end
end

return validate
