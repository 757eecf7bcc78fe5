-- The mock's create endpoint: POST /api/{serviceId}/auth/token/create.
local helper = require("spec.helpers.mock")
local json = require("authlete.json")
local crypto = require("authlete.mock.crypto")

local array, ABSENT = json.array, helper.ABSENT

describe("mock create", function()
   local mock
   setup(function() mock = helper.start() end)
   teardown(function() mock:stop() end)
   before_each(function() mock:reset() end)

   local function created(overrides)
      local status, body = helper.create(mock, helper.token_body(overrides))
      assert.are.equal(200, status, type(body) == "table" and body.resultMessage or body)
      return body
   end

   local function rejected(overrides, status)
      local got, body = helper.create(mock, helper.token_body(overrides))
      assert.are.equal(status or 400, got)
      return body
   end

   it("creates the reference page's token with Authlete's fields and units", function()
      local before = os.time() * 1000
      local body = created()
      assert.are.equal("A109001", body.resultCode)
      assert.matches("^%[A109001%] ", body.resultMessage)
      assert.are.equal("OK", body.action)
      assert.matches("^[%w_-]+$", body.accessToken)
      assert.are.equal(43, #body.accessToken)
      assert.are.equal(43, #body.refreshToken)
      assert.are.equal("Bearer", body.tokenType)
      assert.are.equal(26888344961664, body.clientId)
      assert.are.equal("john", body.subject)
      assert.are.equal("AUTHORIZATION_CODE", body.grantType)
      assert.are.same({ "history.read", "timeline.read" }, body.scopes)
      assert.are.same({ "history.read", "timeline.read" }, body.refreshTokenScopes)
      assert.are.equal(3600, body.expiresIn)
      -- expiresAt is epoch milliseconds, an hour ahead.
      assert.is_true(body.expiresAt >= before + 3600 * 1000 - 1000)
      assert.is_true(body.expiresAt <= (os.time() + 1) * 1000 + 3600 * 1000)
      assert.matches("^tid_", body.tokenId)
      assert.are.equal(1, mock:stats().tokens)
   end)

   it("never sends null and writes 16-digit client IDs exactly", function()
      local status, _, headers = helper.create(mock, helper.token_body({ clientId = 5921531358155430 }))
      assert.are.equal(200, status)
      assert.matches("^application/json", headers["content-type"])
      local raw_status, _, raw = require("spec.helpers.http").request(mock.host, mock.port, {
         method = "GET", path = "/api/" .. mock.service_id .. "/auth/token/get/list",
         headers = { Authorization = "Bearer " .. helper.BEARER } })
      assert.are.equal(200, raw_status)
      assert.truthy(raw:find('"clientId":5921531358155430', 1, true))
      assert.falsy(raw:find("null", 1, true))
   end)

   it("keeps a client ID above 2^53 exact", function()
      if not helper.EXACT_INT64 then return pending("a mock run on LuaJIT holds IDs exactly up to 2^53 only") end
      local body = created({ clientId = 9007199254740993 })
      assert.are.equal(9007199254740993, body.clientId)
   end)

   it("accepts clientIdentifier as a decimal ID or an alias", function()
      assert.are.equal(31415926535897, created({ clientId = ABSENT, clientIdentifier = "orders-web",
         scopes = array({ "orders.read" }) }).clientId)
      assert.are.equal(26888344961664, created({ clientId = ABSENT,
         clientIdentifier = "26888344961664" }).clientId)
   end)

   it("rejects an unknown client with Authlete's error shape", function()
      local body = rejected({ clientId = 27182818284590 })
      assert.are.equal("A109202", body.resultCode)
      assert.are.equal("BAD_REQUEST", body.action)
      assert.are.equal("[A109202] /auth/token/create, The client (ID = 27182818284590) does not exist.",
         body.resultMessage)
      assert.are.equal(0, mock:stats().tokens)
   end)

   it("needs a client", function()
      assert.are.equal("A109203", rejected({ clientId = ABSENT }).resultCode)
   end)

   it("rejects a missing, unknown or REFRESH_TOKEN grant type", function()
      assert.matches("grantType is required", rejected({ grantType = ABSENT }).resultMessage)
      assert.matches("'MAGIC' is not supported", rejected({ grantType = "MAGIC" }).resultMessage)
      assert.matches("REFRESH_TOKEN is not allowed", rejected({ grantType = "REFRESH_TOKEN" }).resultMessage)
   end)

   it("requires a subject unless the grant is CLIENT_CREDENTIALS or JWT_BEARER", function()
      assert.are.equal("A109206", rejected({ subject = ABSENT }).resultCode)
      assert.are.equal("A109206", rejected({ subject = "" }).resultCode)
      local cc = created({ grantType = "CLIENT_CREDENTIALS", subject = "ignored" })
      assert.is_nil(cc.subject)
      assert.is_nil(created({ grantType = "JWT_BEARER", subject = ABSENT }).subject)
   end)

   it("limits subjects to printable ASCII of at most 100 characters", function()
      created({ subject = ("s"):rep(100) })
      assert.are.equal("A109206", rejected({ subject = ("s"):rep(101) }).resultCode)
      assert.are.equal("A109206", rejected({ subject = "jöhn" }).resultCode)
   end)

   it("rejects a scope the service does not support", function()
      local body = rejected({ scopes = array({ "history.read", "admin" }) })
      assert.are.equal("A109205", body.resultCode)
      assert.matches("'admin'", body.resultMessage)
   end)

   it("issues no refresh token for IMPLICIT and CLIENT_CREDENTIALS", function()
      assert.is_nil(created({ grantType = "IMPLICIT" }).refreshToken)
      local cc = created({ grantType = "CLIENT_CREDENTIALS" })
      assert.is_nil(cc.refreshToken)
      assert.is_nil(cc.refreshTokenScopes)
   end)

   it("uses caller-chosen token values and detects duplicates", function()
      local body = created({ accessToken = "migrated-access-1", refreshToken = "migrated-refresh-1" })
      assert.are.equal("migrated-access-1", body.accessToken)
      assert.are.equal("migrated-refresh-1", body.refreshToken)
      assert.are.equal("A109207", rejected({ accessToken = "migrated-access-1" }).resultCode)
      assert.are.equal("A109208", rejected({ accessToken = "other", refreshToken = "migrated-refresh-1" }).resultCode)
      assert.are.equal(1, mock:stats().tokens)
   end)

   it("honours accessTokenDuration, refreshTokenDuration and accessTokenPersistent", function()
      local body = created({ accessTokenDuration = 60, refreshTokenDuration = 120 })
      assert.are.equal(60, body.expiresIn)
      local _, list = helper.list(mock, { subject = "john" })
      local t = list.accessTokens[1]
      assert.are.equal(60 * 1000, t.accessTokenExpiresAt - t.createdAt)
      assert.are.equal(120 * 1000, t.refreshTokenExpiresAt - t.createdAt)
      local p = created({ accessTokenPersistent = true, accessTokenDuration = 60 })
      assert.are.equal(0, p.expiresIn)
      assert.are.equal(0, p.expiresAt)
   end)

   it("keeps properties, authorization details and the DPoP binding", function()
      local props = array({ { key = "tenant", value = "acme", hidden = false }, { key = "k", value = "v", hidden = true } })
      local details = { elements = array({ { type = "payment", locations = array({ "https://x" }) } }) }
      local body = created({ properties = props, authorizationDetails = details, dpopKeyThumbprint = "jkt" })
      assert.are.same({ { key = "tenant", value = "acme", hidden = false }, { key = "k", value = "v", hidden = true } },
         body.properties)
      assert.are.equal("payment", body.authorizationDetails.elements[1].type)
      assert.are.equal("DPoP", body.tokenType)
   end)

   it("answers a field of the wrong type with a 400 naming the field", function()
      assert.matches("clientId: expected integer, got string", rejected({ clientId = "26888344961664" }).resultMessage)
      assert.matches("scopes%[2%]: expected string, got integer",
         rejected({ scopes = array({ "history.read", 7 }) }).resultMessage)
      assert.matches("properties%[1%]%.hidden: expected boolean",
         rejected({ properties = array({ { key = "a", hidden = "yes" } }) }).resultMessage)
      assert.matches("scopes: expected array, got object", rejected({ scopes = { a = 1 } }).resultMessage)
   end)

   it("treats null as absent and ignores unknown fields", function()
      local body = created({ scopes = json.null, somethingNew = true })
      assert.are.same({}, body.scopes)
   end)

   it("rejects malformed JSON, a non-object body and a missing body", function()
      for _, raw in ipairs({ "{", "[1]", "", '{"grantType":"PASSWORD",}' }) do
         local status, body = helper.api(mock, { method = "POST", path = "/api/{sid}/auth/token/create",
            body = raw, headers = { ["Content-Type"] = "application/json" } })
         assert.are.equal(400, status, raw)
         assert.are.equal("A109201", body.resultCode)
         assert.are.equal("BAD_REQUEST", body.action)
      end
      assert.are.equal(0, mock:stats().tokens)
   end)

   it("accepts a media type with parameters and rejects form bodies", function()
      local status = helper.api(mock, { method = "POST", path = "/api/{sid}/auth/token/create",
         body = json.encode(helper.token_body()),
         headers = { ["Content-Type"] = "application/json;charset=UTF-8" } })
      assert.are.equal(200, status)
      local form = helper.api(mock, { method = "POST", path = "/api/{sid}/auth/token/create",
         body = "grantType=PASSWORD", headers = { ["Content-Type"] = "application/x-www-form-urlencoded" } })
      assert.are.equal(400, form)
   end)

   it("reports the token's hash as base64url(SHA-256(value)) in the list", function()
      local body = created()
      local _, list = helper.list(mock, { subject = "john" })
      assert.are.equal(crypto.token_hash(body.accessToken), list.accessTokens[1].accessTokenHash)
      assert.are.equal(crypto.token_hash(body.refreshToken), list.accessTokens[1].refreshTokenHash)
   end)
end)

describe("mock create in action error style", function()
   local mock
   setup(function() mock = helper.start({ error_style = "action" }) end)
   teardown(function() mock:stop() end)

   it("answers business errors with HTTP 200 and the error action", function()
      local status, body = helper.create(mock, helper.token_body({ clientId = 1 }))
      assert.are.equal(200, status)
      assert.are.equal("BAD_REQUEST", body.action)
      assert.are.equal("A109202", body.resultCode)
   end)

   it("still answers authentication errors with 401", function()
      assert.are.equal(401, (helper.create(mock, helper.token_body(), { auth = "wrong" })))
   end)
end)
