-- Pauses Authlete asks for (429 or 503 with Retry-After): calls that start
-- during one wait it out when they retry and may, or fail at once with
-- PausedError, sending nothing.
local authlete = require("authlete")
local support = require("spec.helpers.client")

local RETRY = { strategy = "backoff", backoff = { initial_interval = 10, max_interval = 2000, exponent = 1.5,
                                                  max_elapsed_time = 10000 } }

describe("pauses Authlete asks for", function()
   local mock, new
   setup(function() mock, new = support.setup() end)
   teardown(function() mock:stop() end)
   before_each(function() mock:reset() end)

   it("refuses a call that starts during the pause without sending it, naming what is left", function()
      local c = new()
      mock:fault({ status = 429, headers = { ["Retry-After"] = "2" }, times = 1 })
      local _, err = c.token.management.list({})
      assert.are.same({ "AuthleteDefaultError", 429 }, { err.kind, err.statusCode })
      local _, paused = c.token.management.list({})
      assert.are.equal("PausedError", paused.kind)
      assert.is_true(paused.retryAfterMs > 0 and paused.retryAfterMs <= 2000, tostring(paused.retryAfterMs))
      assert.are.equal(0, paused.attempts)
      assert.matches("^PausedError: Authlete asked for a pause of which %d+ ms remain; nothing was sent", tostring(paused))
      assert.are.equal(1, mock:stats().requests.list)
      c:close()
   end)

   it("lets a call that retries wait the pause out, then send", function()
      local c = new({ retry_config = RETRY })
      local plain = new()
      mock:fault({ status = 503, headers = { ["Retry-After"] = "1" }, times = 1 })
      local _, err = plain.token.management.list({})
      assert.are.equal(503, err.statusCode)
      plain:close()
      -- another client knows nothing of that pause: pauses live in the client
      assert.is_table(c.token.management.list({}))
      -- this one does: it was told, and its next call waits, then sends
      mock:fault({ status = 503, headers = { ["Retry-After"] = "1" }, times = 1 })
      local _, told = c.token.management.list({}, { retry_config = { strategy = "none" } })
      assert.are.equal(503, told.statusCode)
      local started = require("authlete.curl").now_ms()
      assert.is_table(c.token.management.list({}))
      assert.is_true(require("authlete.curl").now_ms() - started > 500) -- it did wait
      assert.are.equal(4, mock:stats().requests.list)
      c:close()
   end)

   it("waits within the deadline only: a shorter deadline fails at once", function()
      local c = new({ retry_config = RETRY })
      mock:fault({ status = 503, headers = { ["Retry-After"] = "30" }, times = 1 })
      local _, err = c.token.management.list({}, { retry_config = { strategy = "none" } })
      assert.are.equal(503, err.statusCode)
      local _, paused = c.token.management.list({}, { timeout_ms = 500 })
      assert.are.equal("PausedError", paused.kind)
      assert.is_true(paused.retryAfterMs > 25000)
      assert.are.equal(1, mock:stats().requests.create + mock:stats().requests.list)
      c:close()
   end)

   it("pauses one service, not another on the same server", function()
      local c = new()
      mock:fault({ status = 429, headers = { ["Retry-After"] = "5" }, times = 1 })
      c.token.management.list({})
      assert.are.equal("PausedError", select(2, c.token.management.list({})).kind)
      local _, other = c.token.management.list({ serviceId = "4242" })
      assert.are_not.equal("PausedError", other.kind)
      c:close()
   end)

   it("caps a pause at a minute, whatever Retry-After says", function()
      local c = new()
      mock:fault({ status = 429, headers = { ["Retry-After"] = "99999999" }, times = 1 })
      c.token.management.list({})
      local _, paused = c.token.management.list({})
      assert.is_true(paused.retryAfterMs <= 60000, tostring(paused.retryAfterMs))
      c:close()
   end)

   it("ignores a 429 without Retry-After, and one the mock sends with a date in the past", function()
      local c = new()
      mock:fault({ status = 429, times = 1 })
      c.token.management.list({})
      assert.is_table(c.token.management.list({}))
      mock:fault({ status = 429, headers = { ["Retry-After"] = "Sun, 06 Nov 1994 08:49:37 GMT" }, times = 1 })
      c.token.management.list({})
      assert.is_table(c.token.management.list({}))
      c:close()
   end)

   it("needs nginx for shared_dict", function()
      assert.has_error(function() authlete.new({ bearer = "x", shared_dict = "pauses" }) end,
         "authlete.new: option 'shared_dict' works only inside nginx (it names a lua_shared_dict)")
      assert.has_error(function() authlete.new({ bearer = "x", shared_dict = 1 }) end,
         "authlete.new: shared_dict must be a string, got number 1")
   end)
end)
