-- The bad-input catalogue: every case returns nil and an SDKValidationError
-- naming the field, and produces nothing.
local core = require("authlete.core")
local portable = require("spec.helpers.portable")

local function create(body) return { serviceId = "1", tokenCreateRequest = body } end
local function valid_create(extra)
   local body = { grantType = "PASSWORD", clientId = 1, subject = "s" }
   for k, v in pairs(extra) do body[k] = v end
   return create(body)
end
local sparse = { "a" }
sparse[3] = "c"
local cycle = {}
cycle[1] = cycle
local self_ref = {}
self_ref.elements = { self_ref }

-- Each case: the request, the field the error names, a pattern of its message.
local CASES = {
   { name = "request that is not a table", operation = "list", request = "nope", field = "",
     message = "request: expected table, got string" },
   { name = "unknown top-level field with a hint", operation = "create",
     request = { serviceId = "1", tokenCreatRequest = {} }, field = "",
     message = "unknown field 'tokenCreatRequest' %(did you mean 'tokenCreateRequest'%?%)" },
   { name = "unknown top-level field without a hint", operation = "list",
     request = { serviceId = "1", colour = "red" }, field = "", message = "unknown field 'colour' for list" },
   { name = "non-string top-level key", operation = "list", request = { serviceId = "1", [1] = "x" }, field = "",
     message = "got a non%-string key %(%a+%)" },
   { name = "missing serviceId", operation = "list", request = {}, field = "serviceId",
     message = "serviceId: required" },
   { name = "empty serviceId", operation = "list", request = { serviceId = "" }, field = "serviceId",
     message = "must not be empty" },
   { name = "boolean serviceId", operation = "list", request = { serviceId = true }, field = "serviceId",
     message = "expected string or integer, got boolean" },
   { name = "fractional serviceId", operation = "list", request = { serviceId = 1.5 }, field = "serviceId",
     message = "expected integer, got 1.5" },
   { name = "serviceId with invalid UTF-8", operation = "list", request = { serviceId = "\255" },
     field = "serviceId", message = "invalid UTF%-8 at byte 1" },
   { name = "missing accessTokenIdentifier", operation = "delete", request = { serviceId = "1" },
     field = "accessTokenIdentifier", message = "required" },
   { name = "empty accessTokenIdentifier", operation = "delete",
     request = { serviceId = "1", accessTokenIdentifier = "" }, field = "accessTokenIdentifier",
     message = "must not be empty" },
   { name = "start as a string", operation = "list", request = { serviceId = "1", start = "0" }, field = "start",
     message = "expected integer, got string" },
   { name = "end beyond int32", operation = "list", request = { serviceId = "1", ["end"] = 2147483648 },
     field = "end", message = "out of the int32 range" },
   { name = "end as NaN", operation = "list", request = { serviceId = "1", ["end"] = 0 / 0 }, field = "end",
     message = "expected integer, got NaN" },
   { name = "subject as a number", operation = "list", request = { serviceId = "1", subject = 5 }, field = "subject",
     message = "expected string, got" },
   { name = "unknown tokenStatus", operation = "list", request = { serviceId = "1", tokenStatus = "valid" },
     field = "tokenStatus", message = "'valid' is not a TokenStatus; expected one of VALID, INVALID, ALL" },
   { name = "missing body", operation = "create", request = { serviceId = "1" }, field = "tokenCreateRequest",
     message = "tokenCreateRequest: required" },
   { name = "body that is not a table", operation = "create", request = create("x"), field = "tokenCreateRequest",
     message = "expected object, got string" },
   { name = "body that is an array", operation = "create", request = create({ "x" }), field = "tokenCreateRequest",
     message = "expected object, got array" },
   { name = "missing grantType", operation = "create", request = create({ clientId = 1 }),
     field = "tokenCreateRequest.grantType", message = "required" },
   { name = "unknown grantType", operation = "create", request = create({ grantType = "MAGIC", clientId = 1 }),
     field = "tokenCreateRequest.grantType",
     message = "'MAGIC' is not a GrantType; expected one of AUTHORIZATION_CODE, IMPLICIT" },
   { name = "no client", operation = "create", request = create({ grantType = "PASSWORD" }),
     field = "tokenCreateRequest", message = "one of clientId or clientIdentifier is required" },
   { name = "empty clientIdentifier only", operation = "create",
     request = create({ grantType = "PASSWORD", clientIdentifier = "" }), field = "tokenCreateRequest",
     message = "one of clientId or clientIdentifier is required" },
   { name = "misspelt field", operation = "create", request = valid_create({ scope = { "a" } }),
     field = "tokenCreateRequest", message = "unknown field 'scope' %(did you mean 'scopes'%?%)" },
   { name = "wrong-case field", operation = "create", request = valid_create({ ClientID = 1 }),
     field = "tokenCreateRequest", message = "did you mean 'clientId'" },
   { name = "clientId as a string", operation = "create", request = valid_create({ clientId = "26888344961664" }),
     field = "tokenCreateRequest.clientId", message = "expected integer, got string" },
   { name = "clientId 1.5", operation = "create", request = valid_create({ clientId = 1.5 }),
     field = "tokenCreateRequest.clientId", message = "got 1.5" },
   { name = "clientId +inf", operation = "create", request = valid_create({ clientId = math.huge }),
     field = "tokenCreateRequest.clientId", message = "got inf" },
   { name = "clientId -inf", operation = "create", request = valid_create({ clientId = -math.huge }),
     field = "tokenCreateRequest.clientId", message = "got %-inf" },
   { name = "clientId as a float beyond 2^53", operation = "create",
     request = valid_create({ clientId = 2 ^ 53 + 2 }), field = "tokenCreateRequest.clientId",
     message = "beyond 2%^53" },
   { name = "scopes as a string", operation = "create", request = valid_create({ scopes = "openid" }),
     field = "tokenCreateRequest.scopes", message = "expected array, got string" },
   { name = "scope of the wrong type", operation = "create", request = valid_create({ scopes = { "a", 2 } }),
     field = "tokenCreateRequest.scopes[2]", message = "expected string, got" },
   { name = "sparse array", operation = "create", request = valid_create({ scopes = sparse }),
     field = "tokenCreateRequest.scopes", message = "expected array, got a sparse table %(2 values, largest key 3%)" },
   { name = "mixed table", operation = "create", request = valid_create({ scopes = { "a", x = "b" } }),
     field = "tokenCreateRequest.scopes", message = "expected array, got a table with key 'x'" },
   { name = "array with key 0", operation = "create", request = valid_create({ scopes = { [0] = "a" } }),
     field = "tokenCreateRequest.scopes", message = "got a table with key 0" },
   { name = "self-referencing array", operation = "create", request = valid_create({ scopes = cycle }),
     field = "tokenCreateRequest.scopes[1]", message = "expected string, got array" },
   { name = "self-referencing object", operation = "create",
     request = valid_create({ authorizationDetails = self_ref }),
     field = "tokenCreateRequest.authorizationDetails.elements[1]", message = "unknown field 'elements'" },
   { name = "deep nesting", operation = "create",
     request = valid_create({ properties = { { key = { { { { {} } } } } } } }),
     field = "tokenCreateRequest.properties[1].key", message = "expected string, got array" },
   { name = "invalid UTF-8", operation = "create", request = valid_create({ subject = "jo\192\128hn" }),
     field = "tokenCreateRequest.subject", message = "invalid UTF%-8 at byte 3" },
   { name = "UTF-16 surrogate in UTF-8", operation = "create", request = valid_create({ subject = "\237\160\128" }),
     field = "tokenCreateRequest.subject", message = "invalid UTF%-8 at byte 1" },
   { name = "boolean as a string", operation = "create", request = valid_create({ accessTokenPersistent = "true" }),
     field = "tokenCreateRequest.accessTokenPersistent", message = "expected boolean, got string" },
   { name = "property of the wrong shape", operation = "create",
     request = valid_create({ properties = { { key = "k", value = 1 } } }),
     field = "tokenCreateRequest.properties[1].value", message = "expected string" },
   { name = "unknown property field", operation = "create",
     request = valid_create({ properties = { { key = "k", hiden = true } } }),
     field = "tokenCreateRequest.properties[1]", message = "did you mean 'hidden'" },
   { name = "element without its type", operation = "create",
     request = valid_create({ authorizationDetails = { elements = { {} } } }),
     field = "tokenCreateRequest.authorizationDetails.elements[1].type", message = "required" },
   { name = "jwtAtClaims that is not a JSON object", operation = "create",
     request = valid_create({ jwtAtClaims = "[1]" }), field = "tokenCreateRequest.jwtAtClaims",
     message = "expected a string holding a JSON object" },
   { name = "jwtAtClaims that is broken JSON", operation = "create",
     request = valid_create({ jwtAtClaims = '{"a":}' }), field = "tokenCreateRequest.jwtAtClaims",
     message = "JSON object" },
   { name = "function value", operation = "create", request = valid_create({ acr = print }),
     field = "tokenCreateRequest.acr", message = "expected string, got function" },
   { name = "update without an identifier", operation = "update",
     request = { serviceId = "1", tokenUpdateRequest = { scopes = {} } }, field = "tokenUpdateRequest",
     message = "one of accessToken, accessTokenHash, refreshToken or refreshTokenHash is required" },
   { name = "update expiry as a string", operation = "update",
     request = { serviceId = "1", tokenUpdateRequest = { accessToken = "t", accessTokenExpiresAt = "soon" } },
     field = "tokenUpdateRequest.accessTokenExpiresAt", message = "expected integer, got string" },
   { name = "revoke without a criterion", operation = "revoke",
     request = { serviceId = "1", tokenRevokeRequest = { subject = "" } }, field = "tokenRevokeRequest",
     message = "one of accessTokenIdentifier, refreshTokenIdentifier, clientIdentifier or subject" },
   { name = "reissue without its tokens", operation = "reissueIdToken",
     request = { serviceId = "1", idtokenReissueRequest = {} }, field = "idtokenReissueRequest.accessToken",
     message = "required" },
   { name = "reissue with an unknown audience type", operation = "reissueIdToken",
     request = { serviceId = "1", idtokenReissueRequest = { accessToken = "a", refreshToken = "r", idTokenAudType = "list" } },
     field = "idtokenReissueRequest.idTokenAudType", message = "expected one of array, string" },
   { name = "body on an operation without one", operation = "delete",
     request = { serviceId = "1", accessTokenIdentifier = "t", tokenRevokeRequest = {} }, field = "",
     message = "unknown field 'tokenRevokeRequest' for delete" },
}

if portable.exact_int64 then
   CASES[#CASES + 1] = { name = "int32 count beyond range", operation = "list",
      request = { serviceId = "1", start = -2147483649 }, field = "start", message = "out of the int32 range" }
end

describe("core.prepare bad-input catalogue", function()
   for _, case in ipairs(CASES) do
      it(case.name, function()
         local method, err, query, body = core.prepare(case.operation, case.request)
         assert.is_nil(method)
         assert.is_nil(query)
         assert.is_nil(body)
         assert.are.equal("SDKValidationError", err.kind)
         assert.are.equal(case.field, err.field)
         assert.matches(case.message, err.message)
         if case.field ~= "" then
            assert.are.equal(case.field, err.message:sub(1, #case.field))
         end
      end)
   end

   it("survives any Lua value in any position", function()
      local values = { nil, true, false, 0, -1, 1.5, 0 / 0, math.huge, "", "x", {}, { 1 }, { a = 1 }, print,
                       coroutine.create(function() end), io.stdout }
      for _, op in ipairs({ "list", "create", "update", "delete", "revoke", "reissueIdToken" }) do
         for i = 1, 16 do
            local v = values[i]
            for _, key in ipairs({ "serviceId", "accessTokenIdentifier", "start", "subject", "tokenCreateRequest",
                                   "tokenUpdateRequest", "tokenRevokeRequest", "idtokenReissueRequest" }) do
               local ok = pcall(core.prepare, op, { serviceId = "1", [key] = v })
               assert.is_true(ok)
            end
            assert.is_true(pcall(core.prepare, op, v))
            for _, field in ipairs({ "grantType", "clientId", "scopes", "properties", "authorizationDetails",
                                     "jwtAtClaims", "accessToken", "subject" }) do
               assert.is_true(pcall(core.prepare, op, { serviceId = "1", tokenCreateRequest = { [field] = v },
                  tokenUpdateRequest = { [field] = v } }))
            end
         end
      end
   end)
end)
