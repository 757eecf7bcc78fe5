-- The mock's labelled assumptions for users' own tests: a rate limit per
-- service answering 429 with Retry-After (off unless asked for), and a
-- request identifier on every API answer.
local authlete = require("authlete")
local helper = require("spec.helpers.mock")

describe("mock rate limit and request IDs", function()
   local mock
   setup(function() mock = helper.start() end)
   teardown(function() mock:stop() end)
   before_each(function()
      mock:reset()
      mock:configure({ rate_limit = 0, rate_burst = 0, request_id_header = "X-Request-Id" })
   end)

   it("has no rate limit unless asked for", function()
      for _ = 1, 20 do assert.are.equal(200, (helper.list(mock))) end
      assert.are.equal(0, mock:stats().rate_limited)
   end)

   it("answers 429 with Retry-After and an Authlete error body beyond the burst", function()
      mock:configure({ rate_limit = 1, rate_burst = 2 })
      assert.are.equal(200, (helper.list(mock)))
      assert.are.equal(200, (helper.list(mock)))
      local status, body, headers = helper.list(mock)
      assert.are.equal(429, status)
      assert.are.equal("1", headers["retry-after"])
      assert.are.equal("A001229", body.resultCode)
      assert.matches("too many requests for the service", body.resultMessage)
      assert.are.equal(1, mock:stats().rate_limited)
   end)

   it("refills as time passes, so a client that waits Retry-After gets through", function()
      mock:configure({ rate_limit = 2, rate_burst = 1 })
      local client = authlete.new({ bearer = helper.BEARER, server_url = mock.url, service_id = mock.service_id,
         retry_config = { strategy = "backoff", backoff = { initial_interval = 10, max_interval = 2000,
                                                            max_elapsed_time = 10000 } } })
      for _ = 1, 3 do assert.is_table(client.token.management.list({})) end
      assert.is_true(mock:stats().rate_limited >= 1) -- some were told to wait, and did
      client:close()
   end)

   it("names every API answer in X-Request-Id, a different name each time", function()
      local seen = {}
      for _ = 1, 3 do
         local _, _, headers = helper.list(mock)
         local id = headers["x-request-id"]
         assert.is_string(id)
         assert.is_nil(seen[id])
         seen[id] = true
      end
      local _, _, headers = helper.api(mock, { method = "GET", path = "/api/" .. mock.service_id
         .. "/auth/token/get/list", auth = "wrong" })
      assert.is_string(headers["x-request-id"]) -- errors too
   end)

   it("takes another header name, or none", function()
      mock:configure({ request_id_header = "Request-Id" })
      local _, _, headers = helper.list(mock)
      assert.is_string(headers["request-id"])
      mock:configure({ request_id_header = "" })
      _, _, headers = helper.list(mock)
      assert.is_nil(headers["x-request-id"])
      assert.is_nil(headers["request-id"])
   end)

   it("refuses settings it cannot use, naming them", function()
      assert.has_error(function() mock:configure({ rate_limit = -1 }) end,
         "mock POST /__mock/config: 400 rate_limit must be a non-negative integer")
      assert.has_error(function() mock:configure({ request_id_header = "X Bad" }) end,
         'mock POST /__mock/config: 400 request_id_header must be a header name or ""')
   end)

   it("takes the same settings on its command line (authlete.mock.start passes them)", function()
      local other = helper.start({ rate_limit = 1, rate_burst = 1, request_id_header = "Request-Id" })
      local _, _, headers = helper.list(other)
      assert.is_string(headers["request-id"])
      assert.are.equal(429, (helper.list(other)))
      other:stop()
   end)

   -- Two more of the README's assumptions table.
   it("answers a path with a trailing slash 404, and a form-encoded body 400 naming the content type", function()
      local status, body = helper.api(mock, { method = "GET", path = "/api/{sid}/auth/token/get/list/" })
      assert.are.equal(404, status)
      assert.matches("no such endpoint", body)
      status, body = helper.api(mock, { method = "POST", path = "/api/{sid}/auth/token/revoke",
         headers = { ["Content-Type"] = "application/x-www-form-urlencoded" }, body = "subject=john" })
      assert.are.equal(400, status)
      assert.matches("application/x%-www%-form%-urlencoded", body.resultMessage)
   end)
end)
