-- A pause Authlete asks for (429 or 503 with Retry-After) reaches every
-- worker of an nginx through the shared_dict option: calls that start in
-- it, in any worker, send nothing.
local helper = require("spec.helpers.mock")
local http = require("spec.helpers.http")
local json = require("authlete.json")
local nginx_helper = require("spec.helpers.nginx")

describe("pauses across nginx workers", function()
   local mock, server

   setup(function()
      mock = helper.start()
      server = nginx_helper.with_handler(mock, helper.BEARER, {
         workers = 2, http = "   lua_shared_dict authlete_pauses 1m;\n" })
   end)
   teardown(function()
      server.stop()
      mock:stop()
   end)
   before_each(function() mock:reset() end)

   -- One call on a new connection (reuseport spreads those over the workers).
   local function call(dict)
      local status, _, body = http.request("127.0.0.1", server.port, { method = "GET",
         path = "/call/list?req=%7B%7D" .. (dict and ("&shared_dict=" .. dict) or "") })
      assert.are.equal(200, status, body)
      return json.decode(body)
   end

   it("makes every worker respect a pause one worker was told of", function()
      mock:fault({ operation = "list", status = 429, headers = { ["Retry-After"] = "30" }, times = 1 })
      local told = call("authlete_pauses")
      assert.are.equal(429, told.error.statusCode)
      local workers = {}
      for _ = 1, 30 do
         local res = call("authlete_pauses")
         assert.are.equal("PausedError", res.error and res.error.kind)
         workers[res.worker] = true
      end
      assert.is_true(workers[0] and workers[1], "both workers answered") -- reuseport spreads connections
      assert.are.equal(1, mock:stats().requests.list)
   end)

   it("keeps the pause in the worker that was told when there is no shared_dict", function()
      mock:fault({ operation = "list", status = 429, headers = { ["Retry-After"] = "30" }, times = 1 })
      local told, sent = call(), 1
      assert.are.equal(429, told.error.statusCode)
      for _ = 1, 30 do
         local res = call()
         if res.worker == told.worker then
            assert.are.equal("PausedError", res.error and res.error.kind)
         else
            assert.is_true(res.ok)
            sent = sent + 1
         end
      end
      assert.are.equal(sent, mock:stats().requests.list)
   end)

   it("refuses a shared_dict nginx.conf does not declare at authlete.new, naming it", function()
      local status = http.request("127.0.0.1", server.port, { method = "GET",
         path = "/call/list?req=%7B%7D&shared_dict=no_such_dict" })
      assert.are.equal(500, status) -- the handler's authlete.new raised
      assert.matches("authlete.new: option 'shared_dict': nginx.conf has no lua_shared_dict no_such_dict",
         server.log(), 1, true)
   end)

   it("leaves no unexpected errors in the error log", function()
      assert.are.same({}, server.errors({ { from = 0, to = math.huge, pattern = "no lua_shared_dict no_such_dict" } }))
   end)
end)
