-- The mock's fault injection: POST /__mock/faults.
local helper = require("spec.helpers.mock")
local http = require("spec.helpers.http")

describe("mock faults", function()
   local mock
   setup(function() mock = helper.start() end)
   teardown(function() mock:stop() end)
   before_each(function() mock:reset() end)

   local AUTH = { Authorization = "Bearer " .. helper.BEARER }
   local function list_req() return { method = "GET", path = "/api/715948317206/auth/token/get/list", headers = AUTH } end

   it("answers with a queued status, headers and body, times times, then normally", function()
      mock:fault({ status = 503, times = 2, headers = { ["Retry-After"] = "1" }, body = "busy" })
      for _ = 1, 2 do
         local status, headers, body = http.request(mock.host, mock.port, list_req())
         assert.are.equal(503, status)
         assert.are.equal("1", headers["retry-after"])
         assert.are.equal("busy", body)
      end
      assert.are.equal(200, (http.request(mock.host, mock.port, list_req())))
      assert.are.equal(3, mock:stats().requests.list)
   end)

   it("encodes a table body as JSON", function()
      mock:fault({ status = 500, body = { resultCode = "A001101", resultMessage = "boom" } })
      local status, headers, body = http.request(mock.host, mock.port, list_req())
      assert.are.equal(500, status)
      assert.matches("^application/json", headers["content-type"])
      assert.are.equal('{"resultCode":"A001101","resultMessage":"boom"}', body)
   end)

   it("applies a fault only to the operation it names", function()
      mock:fault({ operation = "create", status = 502, body = "<html>bad gateway</html>" })
      assert.are.equal(200, (helper.list(mock, {})))
      assert.are.equal(502, (helper.create(mock, helper.token_body())))
      assert.are.equal(0, mock:stats().tokens)
   end)

   it("drops the connection before the operation runs", function()
      mock:fault({ operation = "create", drop = true })
      local status, err = pcall(helper.create, mock, helper.token_body())
      assert.is_false(status)
      assert.matches("closed", err)
      assert.are.equal(0, mock:stats().tokens)
      assert.are.equal(1, mock:stats().requests.create)
   end)

   it("drops the connection after the operation ran", function()
      mock:fault({ operation = "create", drop = "after" })
      assert.is_false(pcall(helper.create, mock, helper.token_body()))
      assert.are.equal(1, mock:stats().tokens)
   end)

   it("truncates the body and closes", function()
      mock:fault({ truncate = 10 })
      local conn = http.connect(mock.host, mock.port)
      local status, err, partial = conn:request(list_req())
      assert.is_nil(status)
      assert.are.equal("closed", err)
      assert.are.equal(10, #partial)
   end)

   it("sends the real answer chunked", function()
      mock:fault({ chunked = true })
      local status, headers, body = http.request(mock.host, mock.port, list_req())
      assert.are.equal(200, status)
      assert.is_true(headers.chunked)
      assert.are.equal(0, require("authlete.json").decode(body).totalCount)
   end)

   it("trickles the body byte by byte", function()
      mock:fault({ trickle_ms = 1 })
      local status, _, body = http.request(mock.host, mock.port, list_req())
      assert.are.equal(200, status)
      assert.matches('"totalCount":0', body)
   end)

   it("delays the answer", function()
      mock:fault({ delay_ms = 300 })
      local conn = http.connect(mock.host, mock.port, 0.1)
      conn:send(list_req())
      assert.is_nil((conn:receive()))
      conn:close()
   end)

   it("closes a keep-alive connection after answering", function()
      mock:fault({ close_after = true })
      local conn = http.connect(mock.host, mock.port)
      local status, headers = conn:request(list_req())
      assert.are.equal(200, status)
      assert.is_nil(headers.connection) -- the close comes without warning
      assert.is_true(conn:is_closed())
   end)

   it("lists and clears pending faults", function()
      mock:fault({ { status = 500 }, { status = 503, operation = "revoke" } })
      local pending = mock:control("GET", "/__mock/faults")
      assert.are.equal(2, #pending)
      assert.are.equal(2, mock:stats().faults_pending)
      mock:clear_faults()
      assert.are.equal(0, mock:stats().faults_pending)
   end)

   it("rejects malformed faults with a reason", function()
      for _, case in ipairs({
         { { status = 99 }, "'status' must be an HTTP status" },
         { { drop = "sometimes" }, "'drop' must be" },
         { { colour = "red" }, "unknown field 'colour'" },
         { { body = "x" }, "'body' needs 'status'" },
         { { headers = { ["X-A"] = "a\r\nInjected: 1" }, status = 200 }, "without CR, LF or NUL" },
         { { operation = "reissue" }, "'operation' must be one of" },
      }) do
         local ok, err = pcall(mock.fault, mock, case[1])
         assert.is_false(ok)
         assert.matches(case[2], err)
      end
      assert.are.equal(0, mock:stats().faults_pending)
   end)
end)
