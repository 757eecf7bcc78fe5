-- The module inside real nginx (Debian's nginx with the Lua module, LuaJIT):
-- every operation through cosockets, the keep-alive pool, timeouts,
-- phases, and that concurrent calls do not block the worker.
local curl = require("authlete.curl")
local helper = require("spec.helpers.mock")
local http = require("spec.helpers.http")
local json = require("authlete.json")
local nginx_helper = require("spec.helpers.nginx")

local SERVER = [[
      location = /phase/log {
         content_by_lua_block { ngx.say("ok") }
         log_by_lua_block { require("spec.nginx.handler").from_log() }
      }
      location = /result {
         content_by_lua_block { require("spec.nginx.handler").result() }
      }
]]

describe("inside nginx", function()
   local mock, server

   setup(function()
      mock = helper.start()
      server = nginx_helper.with_handler(mock, helper.BEARER, {
         http = '   init_worker_by_lua_block { require("spec.nginx.handler").from_init_worker() }\n',
         server = SERVER,
      })
   end)
   teardown(function()
      server.stop()
      mock:stop()
   end)
   before_each(function() mock:reset() end)

   -- GET a handler URL; returns the decoded JSON answer. Each call comes on
   -- a new connection, so any worker may serve it, unless `conn` (one kept
   -- open) keeps the calls of a test on one worker and its connection pool.
   local function call(op, request, extra, conn)
      local path = "/call/" .. op .. "?req=" .. helper.encode(json.encode(request or {}))
      for k, v in pairs(extra or {}) do path = path .. "&" .. k .. "=" .. helper.encode(v) end
      local status, _, body
      if conn then
         status, _, body = conn:request({ method = "GET", path = path })
      else
         status, _, body = http.request("127.0.0.1", server.port, { method = "GET", path = path })
      end
      assert.are.equal(200, status, body)
      return json.decode(body)
   end

   local function get(path)
      local _, _, body = http.request("127.0.0.1", server.port, { method = "GET", path = path })
      return body
   end

   it("runs every operation through cosockets", function()
      local created = call("create", { tokenCreateRequest = { grantType = "AUTHORIZATION_CODE",
         clientId = 5921531358155430, subject = "john", scopes = { "openid", "history.read" } } })
      assert.is_true(created.ok, created.error and created.error.text)
      local token = created.result
      assert.are.equal(5921531358155430, token.clientId)
      local listed = call("list", { subject = "john" }).result
      assert.are.equal(1, listed.totalCount)
      assert.are.equal(5921531358155430, listed.accessTokens[1].clientId)
      assert.is_true(call("update", { tokenUpdateRequest = { accessToken = token.accessToken,
         scopes = { "openid" } } }).ok)
      assert.are.equal("OK", call("reissueIdToken", { idtokenReissueRequest = {
         accessToken = token.accessToken, refreshToken = token.refreshToken } }).result.action)
      assert.are.equal(1, call("revoke", { tokenRevokeRequest = { subject = "john" } }).result.count)
      assert.is_true(call("delete", { accessTokenIdentifier = token.accessToken }).result)
      local stats = mock:stats()
      assert.are.same({ 1, 1, 1, 1, 1, 1 }, { stats.requests.create, stats.requests.list, stats.requests.update,
         stats.requests.reissueIdToken, stats.requests.revoke, stats.requests.delete })
   end)

   it("returns errors as values", function()
      local res = call("create", { tokenCreateRequest = { grantType = "PASSWORD", clientId = 1, subject = "s" } })
      assert.is_false(res.ok)
      assert.are.same({ "ResultError", 400, "A109202" }, { res.error.kind, res.error.statusCode, res.error.resultCode })
      res = call("create", { tokenCreateRequest = { grantType = "PASSWORD", scope = {} } })
      assert.are.equal("SDKValidationError", res.error.kind)
      mock:fault({ status = 502, headers = { ["Content-Type"] = "text/html" }, body = "<html>bad gateway</html>" })
      assert.are.equal("AuthleteDefaultError", call("list").error.kind)
   end)

   it("reuses pooled connections across handler calls", function()
      for _ = 1, 30 do assert.is_true(call("list").ok) end
      -- One pooled connection per worker (opened before or during these calls), and the stats request.
      assert.is_true(mock:stats().connections <= 3)
      assert.are.equal(30, mock:stats().requests.list)
   end)

   it("closes a connection that timed out mid-body; the next call reads a clean answer", function()
      assert.is_true(call("list").ok)
      mock:fault({ trickle_ms = 100 })
      local res = call("list", {}, { timeout_ms = 400 })
      assert.are.same({ false, "RequestTimeoutError" }, { res.ok, res.error.kind })
      for _ = 1, 3 do
         res = call("list", { subject = "nobody" })
         assert.is_true(res.ok)
         assert.are.equal("nobody", res.result.subject)
      end
   end)

   -- Error-log lines a spec provokes on purpose (see the last spec).
   local expected_errors = {}

   it("reconnects when the server closed a pooled connection", function()
      local from = #server.log() + 1
      local conn = http.connect("127.0.0.1", server.port, 10) -- one worker, one pool
      assert.is_true(call("list", nil, nil, conn).ok)
      mock:fault({ close_after = true })
      assert.is_true(call("list", nil, nil, conn).ok)
      assert.is_true(call("list", nil, nil, conn).ok)
      mock:fault({ operation = "list", drop = true }) -- dropped on a pooled connection: sent again (idempotent)
      assert.is_true(call("list", nil, nil, conn).ok)
      conn:close()
      -- When the next request goes out before nginx has seen the server's
      -- close (a loaded machine), the server's kernel answers it with a
      -- reset, and nginx's core logs the recv() failure of its cosocket at
      -- [error] (lua_socket_log_errors does not reach that log line). The
      -- transport then sends the idempotent list again, as asserted above.
      expected_errors[#expected_errors + 1] = { from = from, to = #server.log(),
                                                pattern = "recv%(%) failed %(104: Connection reset by peer%)" }
   end)

   it("never repeats a create on a pooled connection that died before answering", function()
      local conn = http.connect("127.0.0.1", server.port, 10) -- one worker, one pool
      assert.is_true(call("list", nil, nil, conn).ok)
      mock:fault({ operation = "create", drop = "after" })
      local res = call("create", { tokenCreateRequest = { grantType = "PASSWORD", clientId = 26888344961664,
         subject = "s" } }, nil, conn)
      conn:close()
      assert.are.same({ false, "ConnectionError", true }, { res.ok, res.error.kind, res.error.sent })
      assert.are.same({ 1, 1 }, { mock:stats().requests.create, mock:stats().tokens })
   end)

   it("enforces max_response_bytes on Content-Length and chunked bodies", function()
      local big = json.encode({ start = 0, ["end"] = 5, totalCount = 0, subject = ("x"):rep(200) })
      for _, chunked in ipairs({ false, true }) do
         mock:fault({ status = 200, headers = { ["Content-Type"] = "application/json" }, body = big, chunked = chunked })
         local res = call("list", {}, { max = 100 })
         assert.are.same({ false, "ConnectionError", "too_large" }, { res.ok, res.error.kind, res.error.reason })
      end
      assert.is_true(call("list", {}, { max = 100 }).ok) -- the small answer still fits
   end)

   it("reports a refused connection as never sent, and keeps libcurl when asked for", function()
      local closed = ("http://127.0.0.1:%d"):format(require("spec.helpers.servers").free_port())
      local res = call("list", {}, { server_url = closed })
      assert.are.same({ false, "ConnectionError", "connect", false },
         { res.ok, res.error.kind, res.error.reason, res.error.sent })
      res = call("list", {}, { transport = "curl" })
      assert.is_true(res.ok)
   end)

   it("refuses calls where cosockets are disabled, naming the phase; a timer works", function()
      assert.matches("init_worker phase", get("/result?key=init_worker"))
      assert.matches("ngx%.timer%.at", get("/result?key=init_worker"))
      get("/phase/log")
      local deadline = curl.now_ms() + 3000
      while get("/result?key=timer"):find("(none)", 1, true) and curl.now_ms() < deadline do curl.sleep(20) end
      assert.matches("^InvalidRequestError: nginx cannot open connections in the log phase", get("/result?key=log"))
      assert.matches("^totalCount=0", get("/result?key=timer"))
   end)

   it("does not block the worker: 20 calls of 200 ms each overlap", function()
      mock:configure({ latency_ms = 200 })
      local conns, per_worker, most = {}, {}, 0
      local t0 = curl.now_ms()
      for i = 1, 20 do
         conns[i] = http.connect("127.0.0.1", server.port, 10)
         conns[i]:send({ method = "GET", path = "/call/list?req=%7B%7D" })
      end
      for i = 1, 20 do
         local status, _, body = conns[i]:receive()
         assert.are.equal(200, status)
         local answer = json.decode(body)
         assert.is_true(answer.ok)
         per_worker[answer.worker] = (per_worker[answer.worker] or 0) + 1
         most = math.max(most, per_worker[answer.worker])
         conns[i]:close()
      end
      local elapsed = curl.now_ms() - t0
      mock:configure({ latency_ms = 0 })
      -- A blocking worker would take 200 ms per call it served, one after another.
      assert.is_true(elapsed < most * 100, ("20 calls took %.0f ms; one worker served %d"):format(elapsed, most))
   end)

   it("leaves no unexpected errors in the error log", function()
      assert.are.same({}, server.errors(expected_errors))
   end)
end)
