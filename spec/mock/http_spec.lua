-- The mock's HTTP/1.1 handling: keep-alive, bodies, limits, concurrency.
local helper = require("spec.helpers.mock")
local http = require("spec.helpers.http")
local json = require("authlete.json")

local function list_req(extra)
   local req = { method = "GET", path = "/api/715948317206/auth/token/get/list",
                 headers = { Authorization = "Bearer " .. helper.BEARER } }
   for k, v in pairs(extra or {}) do req[k] = v end
   return req
end

describe("mock HTTP", function()
   local mock
   setup(function() mock = helper.start({ idle_timeout_ms = 300 }) end)
   teardown(function() mock:stop() end)
   before_each(function() mock:reset() end)

   it("serves several requests on one keep-alive connection", function()
      local conn = http.connect(mock.host, mock.port)
      for _ = 1, 5 do
         local status, headers = conn:request(list_req())
         assert.are.equal(200, status)
         assert.is_nil(headers.connection)
      end
      conn:close()
      local stats = mock:stats()
      assert.are.equal(5, stats.requests.list)
      -- one connection for the five calls, one for this stats request
      assert.are.equal(2, stats.connections)
   end)

   it("closes after a request that asks for it, and after HTTP/1.0", function()
      local conn = http.connect(mock.host, mock.port)
      local status, headers = conn:request(list_req({ headers = {
         Authorization = "Bearer " .. helper.BEARER, Connection = "close" } }))
      assert.are.equal(200, status)
      assert.are.equal("close", headers.connection)
      assert.is_true(conn:is_closed())
      conn = http.connect(mock.host, mock.port)
      assert.are.equal(200, (conn:request(list_req({ version = "1.0" }))))
      assert.is_true(conn:is_closed())
   end)

   it("reads chunked request bodies and answers Expect: 100-continue", function()
      local conn = http.connect(mock.host, mock.port)
      local body = json.encode(helper.token_body())
      local status, _, res = conn:request({ method = "POST", path = "/api/715948317206/auth/token/create",
         body = body, chunked = true, headers = { Authorization = "Bearer " .. helper.BEARER,
         ["Content-Type"] = "application/json", Expect = "100-continue" } })
      assert.are.equal(200, status)
      assert.are.equal("OK", json.decode(res).action)
      conn:close()
   end)

   it("closes idle connections after the idle timeout", function()
      local conn = http.connect(mock.host, mock.port)
      assert.are.equal(200, (conn:request(list_req())))
      assert.is_true(conn:is_closed(3))
      assert.are.equal(0, mock:stats().open_connections - 1)
   end)

   it("rejects oversized headers and bodies and malformed requests", function()
      local big = list_req({ headers = { Authorization = "Bearer x", ["X-Big"] = ("a"):rep(20000) } })
      assert.are.equal(431, (http.request(mock.host, mock.port, big)))
      local conn = http.connect(mock.host, mock.port)
      conn:send({ method = "POST", path = "/api/715948317206/auth/token/create",
                  headers = { ["Content-Length"] = tostring(2 * 1024 * 1024) } })
      assert.are.equal(413, (conn:receive()))
      assert.is_true(conn:is_closed())
      for _, raw in ipairs({ "NONSENSE\r\n\r\n", "GET / HTTP/1.1\r\nbad header\r\n\r\n",
                             "POST / HTTP/1.1\r\nContent-Length: x\r\n\r\n" }) do
         conn = http.connect(mock.host, mock.port)
         conn.sock:send(raw)
         assert.are.equal(400, (conn:receive()), raw)
         conn:close()
      end
      assert.are.equal(0, mock:stats().api_requests)
   end)

   it("serves other clients while one request is delayed", function()
      mock:fault({ operation = "list", delay_ms = 1500 })
      local slow = http.connect(mock.host, mock.port)
      slow:send(list_req())
      -- The delayed request is in; the server is now sleeping on it.
      local fast = http.connect(mock.host, mock.port)
      assert.are.equal(200, (fast:request(list_req())))
      fast:close()
      -- The slow answer was not there when the fast one was complete.
      slow.sock:settimeout(0)
      local _, err = slow.sock:receive(1)
      assert.are.equal("timeout", err)
      slow.sock:settimeout(5)
      assert.are.equal(200, (slow:receive()))
      slow:close()
   end)
end)
