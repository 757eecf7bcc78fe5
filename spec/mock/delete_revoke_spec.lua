-- The mock's delete and revoke endpoints.
local helper = require("spec.helpers.mock")
local json = require("authlete.json")
local crypto = require("authlete.mock.crypto")

describe("mock delete", function()
   local mock
   setup(function() mock = helper.start() end)
   teardown(function() mock:stop() end)
   before_each(function() mock:reset() end)

   it("removes a token by value with 204 and no body", function()
      local _, token = helper.create(mock, helper.token_body())
      local status, body, headers = helper.delete(mock, token.accessToken)
      assert.are.equal(204, status)
      assert.are.equal("", body)
      assert.is_nil(headers["content-length"])
      assert.are.equal(0, mock:stats().tokens)
   end)

   it("removes a token by hash", function()
      local _, token = helper.create(mock, helper.token_body())
      assert.are.equal(204, (helper.delete(mock, crypto.token_hash(token.accessToken))))
      local _, list = helper.list(mock, {})
      assert.are.equal(0, list.totalCount)
   end)

   it("answers an unknown token with an Authlete error", function()
      local status, body = helper.delete(mock, "no-such-token")
      assert.are.equal(404, status)
      assert.are.equal("A133205", body.resultCode)
      assert.is_nil(body.action)
   end)

   it("keeps a percent-encoded identifier in one path segment", function()
      local _, token = helper.create(mock, helper.token_body({ accessToken = "a/b?c#d%e ..", refreshToken = "r" }))
      assert.are.equal(404, (helper.delete(mock, "a/b")))
      assert.are.equal(1, mock:stats().tokens)
      assert.are.equal(204, (helper.delete(mock, helper.encode(token.accessToken))))
   end)
end)

describe("mock revoke", function()
   local mock
   setup(function() mock = helper.start() end)
   teardown(function() mock:stop() end)

   local t -- tokens: j1, j2 (john, client A), jo (john, orders-web), a1 (jane, client A)
   before_each(function()
      mock:reset()
      t = {}
      local function mk(name, overrides)
         local status, body = helper.create(mock, helper.token_body(overrides))
         assert.are.equal(200, status)
         t[name] = body
      end
      mk("j1") mk("j2")
      mk("jo", { clientId = 31415926535897, scopes = json.array({ "orders.read" }) })
      mk("a1", { subject = "jane" })
   end)

   local function revoke(body)
      local status, res = helper.revoke(mock, body)
      assert.are.equal(200, status, type(res) == "table" and res.resultMessage or res)
      return res
   end

   local function invalid()
      local _, list = helper.list(mock, { tokenStatus = "INVALID", ["end"] = 20 })
      local hashes = {}
      for _, x in ipairs(list.accessTokens) do hashes[x.accessTokenHash] = true end
      return hashes, list.totalCount
   end

   it("revokes by access token value or hash, and the pair goes together", function()
      local res = revoke({ accessTokenIdentifier = t.j1.accessToken, subject = "jane" })
      assert.are.equal("A312001", res.resultCode)
      assert.are.equal("1 token(s) revoked.", res.resultMessage) -- no [code] prefix, as documented
      assert.are.equal(1, res.count)
      assert.is_nil(res.action)
      local hashes, n = invalid()
      assert.are.equal(1, n)
      assert.is_true(hashes[crypto.token_hash(t.j1.accessToken)])
      assert.are.equal(1, revoke({ accessTokenIdentifier = crypto.token_hash(t.j2.accessToken) }).count)
   end)

   it("revokes by refresh token when no access token is named", function()
      assert.are.equal(1, revoke({ refreshTokenIdentifier = t.a1.refreshToken, clientIdentifier = "orders-web" }).count)
      assert.is_true(invalid()[crypto.token_hash(t.a1.accessToken)])
   end)

   it("revokes by client and subject, then by client, then by subject", function()
      assert.are.equal(2, revoke({ clientIdentifier = "26888344961664", subject = "john" }).count)
      assert.are.equal(1, revoke({ clientIdentifier = "26888344961664" }).count) -- jane's is left
      assert.are.equal(1, revoke({ subject = "john" }).count)                   -- orders-web's is left
      local _, n = invalid()
      assert.are.equal(4, n)
   end)

   it("counts only tokens that were still valid", function()
      assert.are.equal(3, revoke({ subject = "john" }).count)
      assert.are.equal(0, revoke({ subject = "john" }).count)
      assert.are.equal(0, revoke({ accessTokenIdentifier = "no-such-token" }).count)
   end)

   it("answers 400 when no criterion is given", function()
      for _, body in ipairs({ {}, { subject = "" } }) do
         local status, res = helper.revoke(mock, body)
         assert.are.equal(400, status)
         assert.are.equal("A312202", res.resultCode)
      end
      local _, n = invalid()
      assert.are.equal(0, n)
   end)

   it("answers 400 for an unknown client or a wrong type", function()
      assert.are.equal(400, (helper.revoke(mock, { clientIdentifier = "nobody" })))
      local status, res = helper.revoke(mock, { subject = 42 })
      assert.are.equal(400, status)
      assert.matches("subject: expected string, got integer", res.resultMessage)
   end)
end)

-- What Authlete does with revoked records and in `count` is undocumented:
-- the mock's choices are switches.
describe("mock revoke assumptions", function()
   local mock
   setup(function() mock = helper.start() end)
   teardown(function() mock:stop() end)
   before_each(function()
      mock:reset()
      mock:configure({ revoke_keeps_records = true, revoke_counts_expired = true })
   end)

   local function expired_and_valid()
      helper.create(mock, helper.token_body({ subject = "ed", accessTokenDuration = 1 }))
      helper.create(mock, helper.token_body({ subject = "ed" }))
      require("socket").sleep(1.1) -- the first one expires
   end

   it("by default keeps revoked tokens, listed as INVALID, and counts expired ones", function()
      expired_and_valid()
      local _, res = helper.revoke(mock, { subject = "ed" })
      assert.are.equal(2, res.count)
      local _, list = helper.list(mock, { subject = "ed", tokenStatus = "INVALID" })
      assert.are.equal(2, list.totalCount)
   end)

   it("drops revoked records and counts valid tokens only when switched", function()
      mock:configure({ revoke_keeps_records = false, revoke_counts_expired = false })
      expired_and_valid()
      local _, res = helper.revoke(mock, { subject = "ed" })
      assert.are.equal(1, res.count)
      local _, list = helper.list(mock, { subject = "ed", tokenStatus = "ALL" })
      assert.are.equal(0, list.totalCount)
   end)

   it("takes the switches on its command line", function()
      local other = helper.start({ revoke_keeps_records = false, revoke_counts_expired = false })
      helper.create(other, helper.token_body({ subject = "ed" }))
      local _, res = helper.revoke(other, { subject = "ed" })
      assert.are.equal(1, res.count)
      assert.are.equal(0, other:stats().tokens)
      other:stop()
   end)
end)
