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

-- { name, operation, request, field, message pattern }
local CASES = {
   { "request that is not a table", "list", "nope", "", "request: expected table, got string" },
   { "unknown top-level field with a hint", "create", { serviceId = "1", tokenCreatRequest = {} }, "",
     "unknown field 'tokenCreatRequest' %(did you mean 'tokenCreateRequest'%?%)" },
   { "unknown top-level field without a hint", "list", { serviceId = "1", colour = "red" }, "",
     "unknown field 'colour' for list" },
   { "non-string top-level key", "list", { serviceId = "1", [1] = "x" }, "", "got a non%-string key %(%a+%)" },
   { "missing serviceId", "list", {}, "serviceId", "serviceId: required" },
   { "empty serviceId", "list", { serviceId = "" }, "serviceId", "must not be empty" },
   { "boolean serviceId", "list", { serviceId = true }, "serviceId", "expected string or integer, got boolean" },
   { "fractional serviceId", "list", { serviceId = 1.5 }, "serviceId", "expected integer, got 1.5" },
   { "serviceId with invalid UTF-8", "list", { serviceId = "\255" }, "serviceId", "invalid UTF%-8 at byte 1" },
   { "missing accessTokenIdentifier", "delete", { serviceId = "1" }, "accessTokenIdentifier", "required" },
   { "empty accessTokenIdentifier", "delete", { serviceId = "1", accessTokenIdentifier = "" },
     "accessTokenIdentifier", "must not be empty" },
   { "start as a string", "list", { serviceId = "1", start = "0" }, "start", "expected integer, got string" },
   { "end beyond int32", "list", { serviceId = "1", ["end"] = 2147483648 }, "end", "out of the int32 range" },
   { "end as NaN", "list", { serviceId = "1", ["end"] = 0 / 0 }, "end", "expected integer, got NaN" },
   { "subject as a number", "list", { serviceId = "1", subject = 5 }, "subject", "expected string, got" },
   { "unknown tokenStatus", "list", { serviceId = "1", tokenStatus = "valid" }, "tokenStatus",
     "'valid' is not a TokenStatus; expected one of VALID, INVALID, ALL" },
   { "missing body", "create", { serviceId = "1" }, "tokenCreateRequest", "tokenCreateRequest: required" },
   { "body that is not a table", "create", create("x"), "tokenCreateRequest", "expected object, got string" },
   { "body that is an array", "create", create({ "x" }), "tokenCreateRequest",
     "expected object, got array" },
   { "missing grantType", "create", create({ clientId = 1 }), "tokenCreateRequest.grantType", "required" },
   { "unknown grantType", "create", create({ grantType = "MAGIC", clientId = 1 }), "tokenCreateRequest.grantType",
     "'MAGIC' is not a GrantType; expected one of AUTHORIZATION_CODE, IMPLICIT" },
   { "no client", "create", create({ grantType = "PASSWORD" }), "tokenCreateRequest",
     "one of clientId or clientIdentifier is required" },
   { "empty clientIdentifier only", "create", create({ grantType = "PASSWORD", clientIdentifier = "" }),
     "tokenCreateRequest", "one of clientId or clientIdentifier is required" },
   { "misspelt field", "create", valid_create({ scope = { "a" } }), "tokenCreateRequest",
     "unknown field 'scope' %(did you mean 'scopes'%?%)" },
   { "wrong-case field", "create", valid_create({ ClientID = 1 }), "tokenCreateRequest",
     "did you mean 'clientId'" },
   { "clientId as a string", "create", valid_create({ clientId = "26888344961664" }), "tokenCreateRequest.clientId",
     "expected integer, got string" },
   { "clientId 1.5", "create", valid_create({ clientId = 1.5 }), "tokenCreateRequest.clientId", "got 1.5" },
   { "clientId +inf", "create", valid_create({ clientId = math.huge }), "tokenCreateRequest.clientId", "got inf" },
   { "clientId -inf", "create", valid_create({ clientId = -math.huge }), "tokenCreateRequest.clientId", "got %-inf" },
   { "clientId as a float beyond 2^53", "create", valid_create({ clientId = 2 ^ 53 + 2 }),
     "tokenCreateRequest.clientId", "beyond 2%^53" },
   { "scopes as a string", "create", valid_create({ scopes = "openid" }), "tokenCreateRequest.scopes",
     "expected array, got string" },
   { "scope of the wrong type", "create", valid_create({ scopes = { "a", 2 } }), "tokenCreateRequest.scopes[2]",
     "expected string, got" },
   { "sparse array", "create", valid_create({ scopes = sparse }), "tokenCreateRequest.scopes",
     "expected array, got a sparse table %(2 values, largest key 3%)" },
   { "mixed table", "create", valid_create({ scopes = { "a", x = "b" } }), "tokenCreateRequest.scopes",
     "expected array, got a table with key 'x'" },
   { "array with key 0", "create", valid_create({ scopes = { [0] = "a" } }), "tokenCreateRequest.scopes",
     "got a table with key 0" },
   { "self-referencing array", "create", valid_create({ scopes = cycle }), "tokenCreateRequest.scopes[1]",
     "expected string, got array" },
   { "self-referencing object", "create", valid_create({ authorizationDetails = self_ref }),
     "tokenCreateRequest.authorizationDetails.elements[1]", "unknown field 'elements'" },
   { "deep nesting", "create", valid_create({ properties = { { key = { { { { {} } } } } } } }),
     "tokenCreateRequest.properties[1].key", "expected string, got array" },
   { "invalid UTF-8", "create", valid_create({ subject = "jo\192\128hn" }), "tokenCreateRequest.subject",
     "invalid UTF%-8 at byte 3" },
   { "UTF-16 surrogate in UTF-8", "create", valid_create({ subject = "\237\160\128" }), "tokenCreateRequest.subject",
     "invalid UTF%-8 at byte 1" },
   { "boolean as a string", "create", valid_create({ accessTokenPersistent = "true" }),
     "tokenCreateRequest.accessTokenPersistent", "expected boolean, got string" },
   { "property of the wrong shape", "create", valid_create({ properties = { { key = "k", value = 1 } } }),
     "tokenCreateRequest.properties[1].value", "expected string" },
   { "unknown property field", "create", valid_create({ properties = { { key = "k", hiden = true } } }),
     "tokenCreateRequest.properties[1]", "did you mean 'hidden'" },
   { "element without its type", "create", valid_create({ authorizationDetails = { elements = { {} } } }),
     "tokenCreateRequest.authorizationDetails.elements[1].type", "required" },
   { "jwtAtClaims that is not a JSON object", "create", valid_create({ jwtAtClaims = "[1]" }),
     "tokenCreateRequest.jwtAtClaims", "expected a string holding a JSON object" },
   { "jwtAtClaims that is broken JSON", "create", valid_create({ jwtAtClaims = '{"a":}' }),
     "tokenCreateRequest.jwtAtClaims", "JSON object" },
   { "function value", "create", valid_create({ acr = print }), "tokenCreateRequest.acr", "expected string, got function" },
   { "update without an identifier", "update", { serviceId = "1", tokenUpdateRequest = { scopes = {} } },
     "tokenUpdateRequest", "one of accessToken, accessTokenHash, refreshToken or refreshTokenHash is required" },
   { "update expiry as a string", "update", { serviceId = "1",
     tokenUpdateRequest = { accessToken = "t", accessTokenExpiresAt = "soon" } },
     "tokenUpdateRequest.accessTokenExpiresAt", "expected integer, got string" },
   { "revoke without a criterion", "revoke", { serviceId = "1", tokenRevokeRequest = { subject = "" } },
     "tokenRevokeRequest", "one of accessTokenIdentifier, refreshTokenIdentifier, clientIdentifier or subject" },
   { "reissue without its tokens", "reissueIdToken", { serviceId = "1", idtokenReissueRequest = {} },
     "idtokenReissueRequest.accessToken", "required" },
   { "reissue with an unknown audience type", "reissueIdToken", { serviceId = "1", idtokenReissueRequest = {
     accessToken = "a", refreshToken = "r", idTokenAudType = "list" } }, "idtokenReissueRequest.idTokenAudType",
     "expected one of array, string" },
   { "body on an operation without one", "delete", { serviceId = "1", accessTokenIdentifier = "t",
     tokenRevokeRequest = {} }, "", "unknown field 'tokenRevokeRequest' for delete" },
}

if portable.exact_int64 then
   CASES[#CASES + 1] = { "int32 count beyond range", "list", { serviceId = "1", start = -2147483649 }, "start",
      "out of the int32 range" }
end

describe("core.prepare bad-input catalogue", function()
   for _, case in ipairs(CASES) do
      it(case[1], function()
         local method, err, query, body = core.prepare(case[2], case[3])
         assert.is_nil(method)
         assert.is_nil(query)
         assert.is_nil(body)
         assert.are.equal("SDKValidationError", err.kind)
         assert.are.equal(case[4], err.field)
         assert.matches(case[5], err.message)
         if case[4] ~= "" then
            assert.are.equal(case[4], err.message:sub(1, #case[4]))
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
