-- core.operations() and core.models(): the declared tables, as Lua data.
local core = require("authlete.core")

describe("core.operations()", function()
   local ops = core.operations()
   local by_name = {}
   for _, op in ipairs(ops) do by_name[op.name] = op end

   it("lists the six operations with Authlete's methods, paths and IDs", function()
      local expected = {
         { "list", "GET", "/api/{serviceId}/auth/token/get/list", "auth_token_get_list_api" },
         { "create", "POST", "/api/{serviceId}/auth/token/create", "auth_token_create_api" },
         { "update", "POST", "/api/{serviceId}/auth/token/update", "auth_token_update_api" },
         { "delete", "DELETE", "/api/{serviceId}/auth/token/delete/{accessTokenIdentifier}", "auth_token_delete_api" },
         { "revoke", "POST", "/api/{serviceId}/auth/token/revoke", "auth_token_revoke_api" },
         { "reissueIdToken", "POST", "/api/{serviceId}/idtoken/reissue", "idtoken_reissue_api" },
      }
      assert.are.equal(#expected, #ops)
      for i, e in ipairs(expected) do
         assert.are.same({ e[1], e[2], e[3], e[4] }, { ops[i].name, ops[i].method, ops[i].path, ops[i].operationId })
      end
   end)

   it("describes parameters, bodies, response models and success statuses", function()
      local names = {}
      for _, p in ipairs(by_name.list.queryParams) do names[#names + 1] = p.name .. ":" .. p.type end
      assert.are.same({ "clientIdentifier:string", "end:int32", "start:int32", "subject:string", "tokenStatus:string" },
         names)
      assert.are.same({ "VALID", "INVALID", "ALL" }, by_name.list.queryParams[5].enum)
      assert.are.equal("tokenCreateRequest", by_name.create.bodyKey)
      assert.are.equal("TokenCreateRequest", by_name.create.bodyModel)
      assert.is_true(by_name.create.bodyRequired)
      assert.is_false(by_name.reissueIdToken.bodyRequired)
      assert.are.equal("TokenGetListResponse", by_name.list.responseModel)
      assert.is_nil(by_name.delete.responseModel)
      assert.are.same({ 204, 200 }, by_name.delete.success)
      assert.are.equal("accessTokenIdentifier", by_name.delete.pathParams[2].name)
      assert.is_true(by_name.create.actionMustBeOk)
      assert.is_true(by_name.update.actionMustBeOk)
      assert.is_false(by_name.revoke.actionMustBeOk)
   end)
end)

describe("core.models()", function()
   local models = core.models()

   it("declares every model of the fact sheet", function()
      for _, name in ipairs({ "TokenCreateRequest", "TokenCreateResponse", "TokenUpdateRequest", "TokenUpdateResponse",
         "TokenRevokeRequest", "TokenRevokeResponse", "TokenGetListResponse", "AccessToken", "ClientLimited",
         "TaggedValue", "Property", "AuthzDetails", "AuthorizationDetailsElement", "ResultError",
         "IdtokenReissueRequest", "IdtokenReissueResponse" }) do
         assert.is_table(models[name], name)
         assert.are.equal(name, models[name].name)
      end
   end)

   it("keeps the SDK's field order and types", function()
      local order = {}
      for _, f in ipairs(models.TokenCreateRequest.fields) do order[#order + 1] = f.name end
      assert.are.same({ "grantType", "clientId", "subject", "scopes", "accessTokenDuration", "refreshTokenDuration",
         "properties", "clientIdAliasUsed", "accessToken", "refreshToken", "accessTokenPersistent",
         "certificateThumbprint", "dpopKeyThumbprint", "authorizationDetails", "resources", "forExternalAttachment",
         "jwtAtClaims", "acr", "authTime", "clientEntityIdUsed", "clientIdentifier", "sessionId",
         "metadataDocumentUsed" }, order)
      local f = models.TokenCreateRequest.fields
      assert.are.same({ "string", true, "GrantType" }, { f[1].type, f[1].required, f[1].enumName })
      assert.are.equal("int64", f[2].type)
      assert.are.same({ "array", "string" }, { f[4].type, f[4].elem })
      assert.are.same({ "array", "object", "Property" }, { f[7].type, f[7].elem, f[7].model })
      assert.are.same({ "object", "AuthzDetails" }, { f[14].type, f[14].model })
      assert.are.equal("json-object-string", f[17].type)
      assert.are.same({ "clientId", "clientIdentifier" }, models.TokenCreateRequest.oneOf)
      assert.are.same({ "accessToken", "accessTokenHash", "refreshToken", "refreshTokenHash" },
                      models.TokenUpdateRequest.oneOf)
      assert.are.equal(4, #models.TokenRevokeRequest.oneOf)
      assert.are.equal("int32", models.TokenGetListResponse.fields[1].type)
      assert.is_true(models.AuthorizationDetailsElement.fields[1].required)
   end)
end)
