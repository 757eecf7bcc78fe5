-- client.token.management.* end to end through the mock, as Authlete's
-- reference page uses them.
local authlete = require("authlete")
local support = require("spec.helpers.client")
local portable = require("spec.helpers.portable")

describe("client.token.management", function()
   local mock, new, client
   setup(function() mock, new, client = support.start() end)
   teardown(function() support.stop(mock, client) end)
   before_each(function() mock:reset() end)

   local tm
   before_each(function() tm = client.token.management end)

   it("creates the reference page's token", function()
      local res = assert(tm.create(support.create_request()))
      assert.are.same({ "A109001", "OK", "john", 26888344961664 }, { res.resultCode, res.action, res.subject, res.clientId })
      assert.is_true(portable.is_integer(res.clientId))
      assert.is_true(portable.is_integer(res.expiresAt))
      assert.are.same({ "history.read", "timeline.read" }, res.scopes)
      assert.are.equal(43, #res.accessToken)
   end)

   it("lists with the reference page's parameters", function()
      for _ = 1, 3 do assert(tm.create(support.create_request())) end
      local res = assert(tm.list({ serviceId = mock.service_id, subject = "john", start = 0, ["end"] = 2 }))
      assert.are.same({ 0, 2, 3, "john" }, { res.start, res["end"], res.totalCount, res.subject })
      assert.are.equal(2, #res.accessTokens)
      assert.are.equal(26888344961664, res.accessTokens[1].clientId)
      local by_client = assert(tm.list({ clientIdentifier = "26888344961664", tokenStatus = "VALID" }))
      assert.are.equal(3, by_client.totalCount)
      assert.are.equal("Timeline App", by_client.client.clientName)
   end)

   it("updates, revokes and deletes", function()
      local token = assert(tm.create(support.create_request()))
      local up = assert(tm.update({ tokenUpdateRequest = { accessToken = token.accessToken, scopes = { "history.read" } } }))
      assert.are.same({ "OK", { "history.read" } }, { up.action, up.scopes })
      local rev = assert(tm.revoke({ tokenRevokeRequest = { subject = "john" } }))
      assert.are.same({ "A312001", 1 }, { rev.resultCode, rev.count })
      assert.is_true(assert(tm.delete({ accessTokenIdentifier = token.accessToken })))
      assert.are.equal(0, assert(tm.list({})).totalCount)
   end)

   it("updates a token named by each of the four identifiers", function()
      local crypto = require("authlete.mock.crypto")
      local token = assert(tm.create(support.create_request()))
      local names = {
         { accessToken = token.accessToken }, { accessTokenHash = crypto.token_hash(token.accessToken) },
         { refreshToken = token.refreshToken }, { refreshTokenHash = crypto.token_hash(token.refreshToken) },
      }
      for i, name in ipairs(names) do
         local scopes = i % 2 == 1 and { "history.read" } or { "timeline.read" }
         name.scopes = scopes
         local up = assert(tm.update({ tokenUpdateRequest = name }))
         assert.are.same(scopes, up.scopes)
      end
      local _, err = tm.update({ tokenUpdateRequest = { scopes = { "history.read" } } })
      assert.are.equal("tokenUpdateRequest: one of accessToken, accessTokenHash, refreshToken or refreshTokenHash "
         .. "is required",
         err.message)
   end)

   it("reissues an ID token, with and without a body", function()
      local token = assert(tm.create(support.create_request({ scopes = { "openid" } })))
      local res = assert(tm.reissueIdToken({ idtokenReissueRequest = {
         accessToken = token.accessToken, refreshToken = token.refreshToken } }))
      assert.are.equal("OK", res.action)
      assert.matches("^[%w_-]+%.[%w_-]+%.[%w_-]+$", res.idToken)
      local bare = assert(tm.reissueIdToken({}))
      assert.are.equal("CALLER_ERROR", bare.action) -- a result to act on, as Authlete's Core APIs answer
      local log = mock:requests()
      assert.are.equal("", log[#log].body)
      assert.are.equal("application/json", log[#log].headers["content-type"])
   end)

   it("keeps 16-digit client IDs exact both ways", function()
      local res = assert(tm.create(support.create_request({ clientId = 5921531358155430 })))
      assert.are.equal(5921531358155430, res.clientId)
      assert.are.equal(5921531358155430, assert(tm.list({ clientIdentifier = "5921531358155430" })).client.clientId)
   end)

   it("sends what the reference SDK sends, and nothing sensitive in the clear", function()
      assert(tm.create(support.create_request()))
      assert(tm.list({ subject = "john" }))
      local log = mock:requests()
      local post, get = log[1].headers, log[2].headers
      assert.are.equal("application/json", post.accept)
      assert.are.equal("application/json", post["content-type"])
      assert.is_nil(get["content-type"])
      assert.matches("^lua%-authlete/", post["user-agent"])
      assert.is_nil(post.cookie)
      assert.are.equal("subject=john", log[2].query)
   end)

   it("uses the client's service_id unless the request names another", function()
      assert(tm.list({}))
      assert.are.equal(403, select(2, tm.list({ serviceId = "1" })).statusCode)
      local numeric = new({ service_id = tonumber(mock.service_id) })
      assert(numeric.token.management.list({}))
      numeric:close()
      local none = new({ service_id = false })
      local res, err = none.token.management.list({})
      assert.is_nil(res)
      assert.are.same({ "SDKValidationError", "serviceId" }, { err.kind, err.field })
      none:close()
   end)

   it("reuses one connection across calls", function()
      -- The client's connection is already open from earlier calls (reset
      -- does not close it): ten calls open none, the stats request one.
      for _ = 1, 10 do assert(tm.list({})) end
      assert.are.equal(1, mock:stats().connections)
   end)

   it("pages through every token with each, 20 at a time", function()
      for i = 1, 45 do assert(tm.create(support.create_request({ subject = i <= 44 and "john" or "jane" }))) end
      local before = mock:stats().requests.list
      local seen, n = {}, 0
      for token in tm.each({ subject = "john" }) do
         assert.is_nil(seen[token.accessTokenHash])
         seen[token.accessTokenHash] = true
         n = n + 1
      end
      assert.are.equal(44, n)
      assert.are.equal(3, mock:stats().requests.list - before) -- 20 + 20 + 4
      n = 0
      for _ in tm.each({ start = 5, ["end"] = 30 }) do n = n + 1 end
      assert.are.equal(25, n)
      n = 0
      for _ in tm.each({ subject = "nobody" }) do n = n + 1 end
      assert.are.equal(0, n)
   end)

   it("raises the error object when a page fails", function()
      assert(tm.create(support.create_request()))
      mock:fault({ operation = "list", status = 500,
                   body = { resultCode = "A001101", resultMessage = "[A001101] /auth/token/get/list, boom" } })
      local ok, err = pcall(function()
         for _ in tm.each({}) do end
      end)
      assert.is_false(ok)
      assert.is_true(authlete.is_error(err))
      assert.are.same({ "ResultError", "A001101", 500 }, { err.kind, err.resultCode, err.statusCode })
      assert.has_error(function() tm.each("john") end)
   end)

   it("explains a colon where a dot belongs", function()
      local ok, err = pcall(function() return tm:list({}) end)
      assert.is_false(ok)
      assert.matches("with a dot, not a colon", err)
      assert.are.equal(0, mock:stats().api_requests)
   end)
end)
