-- Authentication and routing of the mock's API.
local helper = require("spec.helpers.mock")

describe("mock authentication", function()
   local mock
   setup(function() mock = helper.start() end)
   teardown(function() mock:stop() end)

   local LIST = "/api/{sid}/auth/token/get/list"

   it("answers a missing Authorization header with 401 and Authlete's body", function()
      local status, body, headers = helper.api(mock, { method = "GET", path = LIST, auth = false })
      assert.are.equal(401, status)
      assert.matches("^application/json", headers["content-type"])
      assert.are.same({ resultCode = "A001202",
         resultMessage = "[A001202] /auth/token/get/list, no Authorization header was supplied." }, body)
   end)

   it("answers a wrong bearer with 401", function()
      local status, body = helper.api(mock, { method = "GET", path = LIST, auth = "not-the-bearer" })
      assert.are.equal(401, status)
      assert.are.equal("A001203", body.resultCode)
      assert.is_nil(body.action)
   end)

   it("accepts the scheme in any case", function()
      local status = helper.api(mock, { method = "GET", path = LIST, auth = false,
         headers = { Authorization = "bearer " .. helper.BEARER } })
      assert.are.equal(200, status)
   end)

   it("answers a service the bearer does not own with 403", function()
      local status, body = helper.api(mock, { method = "GET", path = "/api/1/auth/token/get/list" })
      assert.are.equal(403, status)
      assert.are.equal("A001216", body.resultCode)
      -- create answers auth errors by status even though it has an action
      status, body = helper.api(mock, { method = "POST", path = "/api/1/auth/token/create",
         json = helper.token_body() })
      assert.are.equal(403, status)
      assert.is_nil(body.action)
      assert.are.equal(0, mock:stats().tokens)
   end)

   it("never echoes the bearer", function()
      local _, _, raw = require("spec.helpers.http").request(mock.host, mock.port, { method = "GET",
         path = "/api/1/auth/token/get/list", headers = { Authorization = "Bearer " .. helper.BEARER } })
      assert.falsy(raw:find(helper.BEARER, 1, true))
      assert.falsy(require("authlete.json").encode(mock:seed()):find(helper.BEARER, 1, true))
      local redacted = 0
      for _, r in ipairs(mock:requests()) do
         if r.headers.authorization then
            assert.are.equal("<redacted>", r.headers.authorization)
            redacted = redacted + 1
         end
      end
      assert.is_true(redacted > 0)
   end)

   it("answers unknown paths with 404 and wrong methods with 405", function()
      assert.are.equal(404, (helper.api(mock, { method = "GET", path = "/api/{sid}/auth/token/nothing" })))
      assert.are.equal(404, (helper.api(mock, { method = "GET", path = "/" })))
      local status, _, headers = helper.api(mock, { method = "POST", path = LIST })
      assert.are.equal(405, status)
      assert.are.equal("GET", headers.allow)
   end)
end)
