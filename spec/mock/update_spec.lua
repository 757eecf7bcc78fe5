-- The mock's update endpoint: POST /api/{serviceId}/auth/token/update.
local helper = require("spec.helpers.mock")
local json = require("authlete.json")
local crypto = require("authlete.mock.crypto")

local array = json.array

describe("mock update", function()
   local mock, token
   setup(function() mock = helper.start() end)
   teardown(function() mock:stop() end)
   before_each(function()
      mock:reset()
      local _, body = helper.create(mock, helper.token_body({
         properties = array({ { key = "tenant", value = "acme", hidden = false } }) }))
      token = body
   end)

   local function updated(body)
      local status, res = helper.update(mock, body)
      assert.are.equal(200, status, type(res) == "table" and res.resultMessage or res)
      return res
   end

   local function listed()
      local _, body = helper.list(mock, { subject = "john" })
      return body.accessTokens[1]
   end

   it("updates scopes and expiry by token value", function()
      local res = updated({ accessToken = token.accessToken, scopes = array({ "history.read" }),
                            accessTokenExpiresAt = 1767232800000 })
      assert.are.equal("A135001", res.resultCode)
      assert.are.equal("[A135001] The access token was updated.", res.resultMessage)
      assert.are.equal("OK", res.action)
      assert.are.equal(token.accessToken, res.accessToken)
      assert.are.same({ "history.read" }, res.scopes)
      assert.are.equal(1767232800000, res.accessTokenExpiresAt)
      assert.are.equal(token.tokenId, res.tokenId)
      assert.are.same({ "history.read" }, listed().scopes)
   end)

   it("finds the token by its hash", function()
      local res = updated({ accessTokenHash = crypto.token_hash(token.accessToken), scopes = array({}) })
      assert.are.same({}, res.scopes)
   end)

   it("finds the token by its refresh token or that one's hash", function()
      assert.are.same({ "history.read" }, updated({ refreshToken = token.refreshToken,
         scopes = array({ "history.read" }) }).scopes)
      assert.are.same({}, updated({ refreshTokenHash = crypto.token_hash(token.refreshToken),
         scopes = array({}) }).scopes)
   end)

   it("takes the first identifier given: accessToken, accessTokenHash, refreshToken, refreshTokenHash", function()
      -- a wrong later identifier is never looked at; a wrong earlier one decides
      local res = updated({ accessTokenHash = crypto.token_hash(token.accessToken), refreshToken = "nope",
                            scopes = array({ "history.read" }) })
      assert.are.equal("A135001", res.resultCode)
      local status, body = helper.update(mock, { refreshToken = "nope", refreshTokenHash =
         crypto.token_hash(token.refreshToken) })
      assert.are.same({ 404, "A135205" }, { status, body.resultCode })
   end)

   it("drops unsupported scopes silently", function()
      assert.are.same({ "history.read" }, updated({ accessToken = token.accessToken,
         scopes = array({ "admin", "history.read" }) }).scopes)
   end)

   it("leaves expiry unchanged for zero or negative values", function()
      for _, v in ipairs({ 0, -5 }) do
         assert.are.equal(token.expiresAt, updated({ accessToken = token.accessToken,
            accessTokenExpiresAt = v }).accessTokenExpiresAt)
      end
   end)

   it("recomputes expiry on scope update when asked", function()
      updated({ accessToken = token.accessToken, accessTokenExpiresAt = 1000 })
      local res = updated({ accessToken = token.accessToken, scopes = array({ "history.read" }),
                            accessTokenExpiresAtUpdatedOnScopeUpdate = true })
      assert.is_true(res.accessTokenExpiresAt > os.time() * 1000)
   end)

   it("replaces properties and keeps them when absent", function()
      assert.are.same({ { key = "tenant", value = "acme", hidden = false } },
         updated({ accessToken = token.accessToken }).properties)
      assert.are.same({ { key = "k2", value = "v2", hidden = true } }, updated({ accessToken = token.accessToken,
         properties = array({ { key = "k2", value = "v2", hidden = true } }) }).properties)
   end)

   it("issues a new value with accessTokenValueUpdated", function()
      local res = updated({ accessToken = token.accessToken, accessTokenValueUpdated = true })
      assert.are_not.equal(token.accessToken, res.accessToken)
      assert.are.equal(43, #res.accessToken)
      assert.are.equal(crypto.token_hash(res.accessToken), listed().accessTokenHash)
      assert.are.equal(404, (helper.update(mock, { accessToken = token.accessToken })))
   end)

   it("makes a token persistent", function()
      local res = updated({ accessToken = token.accessToken, accessTokenPersistent = true })
      assert.are.equal(0, res.accessTokenExpiresAt)
      local _, valid = helper.list(mock, { tokenStatus = "VALID" })
      assert.are.equal(1, valid.totalCount)
   end)

   it("binds DPoP and updates the refresh token's expiry", function()
      local res = updated({ accessToken = token.accessToken, dpopKeyThumbprint = "jkt",
                            refreshTokenExpiresAt = 1767312000000 })
      assert.are.equal("DPoP", res.tokenType)
      assert.are.equal(1767312000000, res.refreshTokenExpiresAt)
   end)

   it("answers an unknown token with NOT_FOUND", function()
      local status, res = helper.update(mock, { accessToken = "no-such-token" })
      assert.are.equal(404, status)
      assert.are.equal("A135205", res.resultCode)
      assert.are.equal("NOT_FOUND", res.action)
      assert.are.equal("[A135205] /auth/token/update, The access token does not exist.", res.resultMessage)
   end)

   it("needs an identifier and well-typed fields", function()
      local status, res = helper.update(mock, { scopes = array({}) })
      assert.are.equal(400, status)
      assert.are.equal("BAD_REQUEST", res.action)
      status, res = helper.update(mock, { accessToken = token.accessToken, accessTokenExpiresAt = "soon" })
      assert.are.equal(400, status)
      assert.matches("accessTokenExpiresAt: expected integer, got string", res.resultMessage)
   end)

   it("answers NOT_FOUND with HTTP 200 in action error style", function()
      mock:configure({ error_style = "action" })
      local status, res = helper.update(mock, { accessToken = "no-such-token" })
      mock:configure({ error_style = "status" })
      assert.are.equal(200, status)
      assert.are.equal("NOT_FOUND", res.action)
   end)
end)
