-- The module-level API (authlete.token.management.*, one default client
-- per Lua state, authlete.configure) and the reference page's standalone
-- functions (authlete.funcs.*): the same calls as a client's methods.
local authlete = require("authlete")
local helper = require("spec.helpers.mock")
local support = require("spec.helpers.client")

local NAMES = { "tokenManagementList", "tokenManagementCreate", "tokenManagementUpdate", "tokenManagementDelete",
                "tokenManagementRevoke", "tokenManagementReissueIdToken" }

describe("the module-level API", function()
   local mock
   setup(function() mock = support.setup() end)
   teardown(function()
      authlete.configure({ bearer = "unused", server_url = "http://127.0.0.1:1" }):close()
      mock:stop()
   end)
   before_each(function() mock:reset() end)

   it("calls the default client that authlete.configure set up", function()
      local c = authlete.configure({ bearer = helper.BEARER, server_url = mock.url, service_id = mock.service_id })
      assert.are.equal(c, authlete.default_client())
      local created = assert(authlete.token.management.create(support.create_request()))
      assert.are.equal(26888344961664, created.clientId)
      assert.are.equal(1, authlete.token.management.list({}).totalCount)
      local n = 0
      for _ in authlete.token.management.each({}) do n = n + 1 end
      assert.are.equal(1, n)
   end)

   it("replaces the default client on a second configure, closing the first", function()
      local first = authlete.configure({ bearer = helper.BEARER, server_url = mock.url, service_id = mock.service_id })
      local second = authlete.configure({ bearer = helper.BEARER, server_url = mock.url, service_id = "4242" })
      assert.is_true(first.closed)
      assert.are.equal(second, authlete.default_client())
      assert.are.equal("4242", authlete.default_client().cfg.service_id)
      assert.is_nil((authlete.token.management.list({}))) -- the mock serves no service 4242
      assert.has_error(function() first.token.management.list({}) end, "attempt to use a closed authlete client")
   end)

   it("checks configure's options as authlete.new does, keeping the client it had", function()
      local kept = authlete.configure({ bearer = helper.BEARER, server_url = mock.url, service_id = mock.service_id })
      assert.has_error(function() authlete.configure({ timeout_ms = "5000" }) end,
         "authlete.new: timeout_ms must be a positive integer up to 2^31 - 1, got string")
      assert.are.equal(kept, authlete.default_client())
      assert.is_false(kept.closed == true)
   end)

   it("says to use a dot, naming authlete.token.management", function()
      assert.has_error(function() authlete.token.management:list({}) end,
         "call authlete.token.management.list{…} with a dot, not a colon")
   end)
end)

describe("standalone functions", function()
   local mock, new, client
   setup(function() mock, new, client = support.start() end)
   teardown(function() support.stop(mock, client) end)
   before_each(function() mock:reset() end)

   it("exist under the reference page's names", function()
      for _, name in ipairs(NAMES) do
         assert.is_function(require("authlete.funcs." .. name), name)
      end
   end)

   it("answer { ok = true, value = result } through the very call the methods make", function()
      local create = require("authlete.funcs.tokenManagementCreate")
      local res = create(client, support.create_request())
      assert.is_true(res.ok)
      local token = res.value
      assert.are.equal(26888344961664, token.clientId)
      res = require("authlete.funcs.tokenManagementList")(client, {})
      assert.are.same({ true, 1 }, { res.ok, res.value.totalCount })
      res = require("authlete.funcs.tokenManagementUpdate")(client, { tokenUpdateRequest = {
         accessToken = token.accessToken, scopes = { "history.read" } } })
      assert.is_true(res.ok, res.error and tostring(res.error))
      res = require("authlete.funcs.tokenManagementReissueIdToken")(client, { idtokenReissueRequest = {
         accessToken = token.accessToken, refreshToken = token.refreshToken } })
      assert.is_true(res.ok, res.error and tostring(res.error))
      res = require("authlete.funcs.tokenManagementRevoke")(client, { tokenRevokeRequest = { subject = "john" } })
      assert.are.same({ true, 1 }, { res.ok, res.value.count })
      res = require("authlete.funcs.tokenManagementDelete")(client, { accessTokenIdentifier = token.accessToken })
      assert.are.same({ ok = true, value = true }, res)
      local stats = mock:stats().requests
      assert.are.same({ 1, 1, 1, 1, 1, 1 },
         { stats.create, stats.list, stats.update, stats.reissueIdToken, stats.revoke, stats.delete })
   end)

   it("answer { ok = false, error = err } for API, transport and validation failures, never raising", function()
      local list = require("authlete.funcs.tokenManagementList")
      mock:fault({ operation = "list", status = 500, times = 1 })
      local res = list(client, {})
      assert.is_false(res.ok)
      assert.are.equal(500, res.error.statusCode)
      local closed = new({ server_url = ("http://127.0.0.1:%d"):format(require("spec.helpers.servers").free_port()) })
      res = list(closed, {})
      assert.are.same({ false, "ConnectionError" }, { res.ok, res.error.kind })
      closed:close()
      res = require("authlete.funcs.tokenManagementCreate")(client, { tokenCreateRequest = { grantType = "NOPE" } })
      assert.are.same({ false, "SDKValidationError" }, { res.ok, res.error.kind })
   end)

   it("each answer an API failure as { ok = false, error }", function()
      local requests = {
         tokenManagementList = {}, tokenManagementCreate = support.create_request(),
         tokenManagementUpdate = { tokenUpdateRequest = { accessToken = "x" } },
         tokenManagementDelete = { accessTokenIdentifier = "x" },
         tokenManagementRevoke = { tokenRevokeRequest = { subject = "x" } },
         tokenManagementReissueIdToken = {},
      }
      for _, name in ipairs(NAMES) do
         mock:fault({ status = 503, times = 1 })
         local res = require("authlete.funcs." .. name)(client, requests[name])
         assert.are.same({ false, 503 }, { res.ok, res.error and res.error.statusCode }, name)
      end
   end)

   it("take the module itself for the default client, and refuse anything else", function()
      authlete.configure({ bearer = helper.BEARER, server_url = mock.url, service_id = mock.service_id })
      local list = require("authlete.funcs.tokenManagementList")
      assert.is_true(list(authlete, {}).ok)
      assert.has_error(function() list({}, {}) end, "tokenManagementList(client, request): client must be an "
         .. "authlete client (authlete.new{…}) or the authlete module, got table")
      authlete.default_client():close()
   end)
end)
