-- The mock's list endpoint: GET /api/{serviceId}/auth/token/get/list.
local helper = require("spec.helpers.mock")
local json = require("authlete.json")

describe("mock list", function()
   local mock
   setup(function() mock = helper.start() end)
   teardown(function() mock:stop() end)

   -- Seven tokens for john (two clients), two for jane; one of john's revoked.
   local john_tokens = {}
   before_each(function()
      mock:reset()
      john_tokens = {}
      for i = 1, 5 do
         local _, body = helper.create(mock, helper.token_body({ scopes = json.array({ "history.read" }) }))
         john_tokens[i] = body
      end
      for _ = 1, 2 do
         helper.create(mock, helper.token_body({ clientId = 31415926535897, scopes = json.array({ "orders.read" }) }))
      end
      for _ = 1, 2 do helper.create(mock, helper.token_body({ subject = "jane" })) end
      helper.revoke(mock, { accessTokenIdentifier = john_tokens[1].accessToken })
   end)

   local function list(params)
      local status, body = helper.list(mock, params)
      assert.are.equal(200, status, type(body) == "table" and body.resultMessage or body)
      return body
   end

   it("defaults to start 0 and end 5 and counts every match", function()
      local body = list({})
      assert.are.equal(0, body.start)
      assert.are.equal(5, body["end"])
      assert.are.equal(9, body.totalCount)
      assert.are.equal(5, #body.accessTokens)
      assert.is_true(json.is_array(body.accessTokens))
      assert.is_nil(body.resultCode)
   end)

   it("pages with start inclusive and end exclusive", function()
      local seen = {}
      for start = 0, 8, 4 do
         local body = list({ start = start, ["end"] = start + 4 })
         for _, t in ipairs(body.accessTokens) do seen[#seen + 1] = t.accessTokenHash end
      end
      assert.are.equal(9, #seen)
      local unique = {}
      for _, h in ipairs(seen) do unique[h] = true end
      local n = 0
      for _ in pairs(unique) do n = n + 1 end
      assert.are.equal(9, n)
      assert.are.same({}, list({ start = 20, ["end"] = 25 }).accessTokens)
   end)

   it("returns hashes and never token values", function()
      for _, t in ipairs(list({ ["end"] = 20 }).accessTokens) do
         assert.are.equal(43, #t.accessTokenHash)
         assert.is_nil(t.accessToken)
         assert.is_nil(t.refreshToken)
         assert.are.equal(0, t.lastRefreshedAt)
         assert.is_number(t.createdAt)
      end
   end)

   it("filters by subject and echoes it", function()
      local body = list({ subject = "jane", ["end"] = 20 })
      assert.are.equal(2, body.totalCount)
      assert.are.equal("jane", body.subject)
      assert.is_nil(body.client)
      for _, t in ipairs(body.accessTokens) do assert.are.equal("jane", t.subject) end
   end)

   it("filters by client ID or alias and describes the client", function()
      for _, id in ipairs({ "31415926535897", "orders-web" }) do
         local body = list({ clientIdentifier = id, ["end"] = 20 })
         assert.are.equal(2, body.totalCount)
         assert.are.same({ number = 4711, clientId = 31415926535897, clientIdAlias = "orders-web",
            clientIdAliasEnabled = true, clientName = "Orders Web", clientType = "CONFIDENTIAL" }, body.client)
      end
      local both = list({ clientIdentifier = "26888344961664", subject = "john", ["end"] = 20 })
      assert.are.equal(5, both.totalCount)
   end)

   it("shows a client's localised names, set per client until the next reset", function()
      local names = { { tag = "ja", value = "注文ウェブ" }, { tag = "fr", value = "Commandes" } }
      mock:set_client({ clientId = 31415926535897, clientName = "Orders", clientNames = names,
                        descriptions = { { tag = "en", value = "Where orders are placed" } } })
      local client = list({ clientIdentifier = "orders-web" }).client
      assert.are.same({ "Orders", names, "Where orders are placed" },
         { client.clientName, client.clientNames, client.descriptions[1].value })
      assert.is_true(json.is_array(client.clientNames))
      mock:reset()
      client = list({ clientIdentifier = "orders-web" }).client
      assert.are.same({ "Orders Web" }, { client.clientName, client.clientNames })
      -- what the control refuses, naming the field
      for _, bad in ipairs({ { clientId = 1, clientName = "x" }, { clientId = 31415926535897, clientName = 5 },
                             { clientId = 31415926535897, clientNames = { { tag = "ja" } } },
                             { clientId = 31415926535897, colour = "red" } }) do
         local status, body = helper.api(mock, { method = "POST", path = "/__mock/clients", json = bad, auth = false })
         assert.are.equal(400, status)
         assert.truthy(body.error)
      end
   end)

   it("filters by tokenStatus", function()
      assert.are.equal(9, list({ tokenStatus = "ALL", ["end"] = 20 }).totalCount)
      assert.are.equal(8, list({ tokenStatus = "VALID", ["end"] = 20 }).totalCount)
      local invalid = list({ tokenStatus = "INVALID", ["end"] = 20 })
      assert.are.equal(1, invalid.totalCount)
      assert.are.equal(require("authlete.mock.crypto").token_hash(john_tokens[1].accessToken),
         invalid.accessTokens[1].accessTokenHash)
   end)

   it("counts an expired token as INVALID", function()
      helper.update(mock, { accessToken = john_tokens[2].accessToken, accessTokenExpiresAt = 1000 })
      assert.are.equal(2, list({ tokenStatus = "INVALID", ["end"] = 20 }).totalCount)
   end)

   it("rejects a window wider than 20, as the real server does", function()
      local status, body = helper.list(mock, { start = 0, ["end"] = 21 })
      assert.are.equal(400, status)
      assert.are.equal("A132202", body.resultCode)
      assert.are.equal(200, (helper.list(mock, { start = 5, ["end"] = 25 })))
   end)

   it("rejects bad parameters naming them", function()
      for _, case in ipairs({
         { { start = -1 }, "'start' must not be negative" },
         { { start = 5, ["end"] = 2 }, "'end' must not be less than 'start'" },
         { { start = "x" }, "'start' must be an int32" },
         { { ["end"] = "99999999999" }, "'end' must be an int32" },
         { { tokenStatus = "valid" }, "'tokenStatus' must be" },
         { { clientIdentifier = "nobody" }, "The client %(nobody%) does not exist" },
      }) do
         local status, body = helper.list(mock, case[1])
         assert.are.equal(400, status)
         assert.matches(case[2], body.resultMessage)
      end
   end)

   it("decodes percent-encoded query values", function()
      helper.create(mock, helper.token_body({ subject = "alice@example.org & co" }))
      local body = list({ subject = "alice@example.org & co" })
      assert.are.equal(1, body.totalCount)
   end)
end)
