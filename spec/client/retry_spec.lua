-- Retries and the overall deadline.
local curl = require("authlete.curl")
local support = require("spec.helpers.client")
local servers = require("spec.helpers.servers")

local FAST = { strategy = "backoff", retry_connection_errors = true,
               backoff = { initial_interval = 20, max_interval = 200, exponent = 2, max_elapsed_time = 5000 } }

describe("client retries", function()
   local mock, new
   setup(function() mock, new = support.setup() end)
   teardown(function() mock:stop() end)
   before_each(function() mock:reset() end)

   local function run(op, request, client_opts, call_opts)
      local c = new(client_opts)
      local res, err = c.token.management[op](request, call_opts)
      c:close()
      return res, err
   end

   it("does not retry by default", function()
      mock:fault({ status = 503, times = 2 })
      local _, err = run("list", {})
      assert.are.same({ "AuthleteDefaultError", 503 }, { err.kind, err.statusCode })
      assert.are.equal(1, mock:stats().requests.list)
   end)

   it("retries 503, 503, then succeeds", function()
      mock:fault({ status = 503, times = 2 })
      local attempts = {}
      local res = run("list", {}, { retry_config = FAST,
         hooks = { after_response = function(i) attempts[#attempts + 1] = i.status end } })
      assert.is_table(res)
      assert.are.same({ 503, 503, 200 }, attempts)
      assert.are.equal(3, mock:stats().requests.list)
   end)

   it("waits for Retry-After on a 429", function()
      mock:fault({ status = 429, headers = { ["Retry-After"] = "1" } })
      local t0 = curl.now_ms()
      assert.is_table(run("list", {}, { retry_config = { strategy = "backoff" } }))
      assert.is_true(curl.now_ms() - t0 >= 900)
      assert.are.equal(2, mock:stats().requests.list)
   end)

   it("gives up at max_elapsed_time and returns the last answer", function()
      mock:fault({ status = 500, times = 100 })
      local _, err = run("list", {}, { retry_config = { strategy = "backoff", backoff = {
         initial_interval = 20, max_interval = 50, max_elapsed_time = 300 } } })
      assert.are.equal(500, err.statusCode)
      assert.is_true(err.attempts > 2)
      assert.are.equal(err.attempts, mock:stats().requests.list)
      mock:clear_faults()
   end)

   it("keeps one deadline across attempts", function()
      mock:fault({ status = 503, times = 100 })
      local t0 = curl.now_ms()
      local _, err = run("list", {}, { retry_config = FAST }, { timeout_ms = 400 })
      assert.are.equal(503, err.statusCode) -- the last answer, not a retry past the deadline
      assert.is_true(curl.now_ms() - t0 < 1500)
      mock:clear_faults()
   end)

   it("never repeats a create after a 500: it may have minted a token", function()
      mock:fault({ operation = "create", status = 500, body = { resultCode = "A001101", resultMessage = "x" } })
      local _, err = run("create", support.create_request(), { retry_config = FAST })
      assert.are.equal(500, err.statusCode)
      assert.are.equal(1, mock:stats().requests.create)
   end)

   it("never repeats a create after the connection dropped mid-request", function()
      mock:fault({ operation = "create", drop = "after" })
      local _, err = run("create", support.create_request(), { retry_config = FAST })
      assert.are.same({ "ConnectionError", true }, { err.kind, err.sent })
      local stats = mock:stats()
      assert.are.equal(1, stats.requests.create)
      assert.are.equal(1, stats.tokens) -- the server did create it: exactly one
   end)

   it("retries a create after 503 with Retry-After, and after a refused connection", function()
      mock:fault({ operation = "create", status = 503, headers = { ["Retry-After"] = "1" } })
      assert.is_table(run("create", support.create_request(), { retry_config = FAST }))
      assert.are.equal(2, mock:stats().requests.create)
      assert.are.equal(1, mock:stats().tokens)
      -- A transport that refuses once, then passes to libcurl.
      local session, refused = curl.session(), 0
      local function flaky(req)
         if refused == 0 then
            refused = 1
            return nil, "connect", "Connection refused", false
         end
         return session:request(req)
      end
      assert.is_table(run("create", support.create_request(), { retry_config = FAST, transport = flaky }))
      session:close()
      assert.are.equal(1, refused)
      assert.are.equal(2, mock:stats().tokens)
   end)

   it("retries connection errors only when asked", function()
      local closed = ("http://127.0.0.1:%d"):format(servers.free_port())
      local _, err = run("list", {}, { server_url = closed, retry_config = { strategy = "backoff" } })
      assert.are.equal(1, err.attempts)
      _, err = run("list", {}, { server_url = closed, retry_config = FAST }, { timeout_ms = 300 })
      assert.is_true(err.attempts > 1)
      assert.are.equal("ConnectionError", err.kind)
   end)

   it("takes retry_config per call and honours retry_codes", function()
      mock:fault({ status = 409, times = 1 })
      local res = run("list", {}, nil, { retry_config = { strategy = "backoff", retry_codes = { "4XX" },
         backoff = { initial_interval = 10 } } })
      assert.is_table(res)
      assert.are.equal(2, mock:stats().requests.list)
   end)
end)
