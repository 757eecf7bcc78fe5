-- The mock's reissueIdToken endpoint: POST /api/{serviceId}/idtoken/reissue.
local helper = require("spec.helpers.mock")
local json = require("authlete.json")
local crypto = require("authlete.mock.crypto")

describe("mock reissueIdToken", function()
   local mock, token
   setup(function() mock = helper.start() end)
   teardown(function() mock:stop() end)
   before_each(function()
      mock:reset()
      local _, body = helper.create(mock, helper.token_body({ scopes = json.array({ "openid", "profile" }) }))
      token = body
   end)

   local function reissue(body)
      return helper.api(mock, { method = "POST", path = "/api/{sid}/idtoken/reissue", json = body })
   end

   it("issues a new ID token for a matching token pair", function()
      local status, res = reissue({ accessToken = token.accessToken, refreshToken = token.refreshToken })
      assert.are.equal(200, status)
      assert.are.same({ "A331001", "OK" }, { res.resultCode, res.action })
      local header, payload = res.idToken:match("^([%w_-]+)%.([%w_-]+)%.[%w_-]+$")
      assert.are.equal("ES256", json.decode(crypto.base64_decode(header)).alg)
      assert.are.equal("john", json.decode(crypto.base64_decode(payload)).sub)
      local content = json.decode(res.responseContent)
      assert.are.same({ token.accessToken, token.refreshToken, res.idToken },
         { content.access_token, content.refresh_token, content.id_token })
   end)

   it("overrides the subject with sub", function()
      local _, res = reissue({ accessToken = token.accessToken, refreshToken = token.refreshToken, sub = "pseudo" })
      local payload = res.idToken:match("^[%w_-]+%.([%w_-]+)%.")
      assert.are.equal("pseudo", json.decode(crypto.base64_decode(payload)).sub)
   end)

   it("answers caller errors with HTTP 200 and CALLER_ERROR, as a Core API does", function()
      for _, body in ipairs({ {}, { accessToken = token.accessToken, refreshToken = "other" },
                              { accessToken = token.accessToken } }) do
         local status, res = reissue(body)
         assert.are.equal(200, status)
         assert.are.equal("CALLER_ERROR", res.action)
      end
      local status, res = helper.api(mock, { method = "POST", path = "/api/{sid}/idtoken/reissue" })
      assert.are.equal(200, status) -- no body at all is a caller error, not a 400
      assert.are.equal("A331201", res.resultCode)
      local _, plain = helper.create(mock, helper.token_body())
      _, res = reissue({ accessToken = plain.accessToken, refreshToken = plain.refreshToken })
      assert.are.equal("A331203", res.resultCode)
      assert.are.equal(5, mock:stats().requests.reissueIdToken)
   end)
end)
