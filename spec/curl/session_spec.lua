-- authlete.curl against the mock server, a TLS server and raw answers.
-- Runs under Lua 5.4 and LuaJIT.
local curl = require("authlete.curl")
local helper = require("spec.helpers.mock")
local servers = require("spec.helpers.servers")

local function gzip(text)
   local path = os.tmpname()
   local f = assert(io.open(path, "wb"))
   f:write(text)
   f:close()
   local p = io.popen("gzip -c " .. path .. " | base64 -w0")
   local b64 = p:read("*a")
   p:close()
   os.remove(path)
   return b64
end

describe("authlete.curl", function()
   local mock, session, list_url
   local AUTH = { Authorization = "Bearer " .. helper.BEARER }

   setup(function()
      mock = helper.start()
      list_url = mock.url .. "/api/" .. mock.service_id .. "/auth/token/get/list"
   end)
   teardown(function() mock:stop() end)
   before_each(function()
      mock:reset()
      session = curl.session()
   end)
   after_each(function() session:close() end)

   local function list(opts)
      local req = { url = list_url, headers = AUTH }
      for k, v in pairs(opts or {}) do req[k] = v end
      return session:request(req)
   end

   it("sends GET, POST and DELETE and returns status, lower-case headers and body", function()
      local status, headers, body = list()
      assert.are.equal(200, status)
      assert.are.equal("application/json;charset=UTF-8", headers["content-type"])
      assert.are.equal(tostring(#body), headers["content-length"])
      assert.matches('"totalCount":0', body)
      local _
      status, _, body = session:request{ method = "POST", url = mock.url .. "/api/" .. mock.service_id ..
         "/auth/token/create", headers = { Authorization = AUTH.Authorization, ["Content-Type"] = "application/json" },
         body = '{"grantType":"PASSWORD","clientId":26888344961664,"subject":"s"}' }
      assert.are.equal(200, status)
      assert.matches('"action":"OK"', body)
      status, _, body = session:request{ method = "DELETE", headers = AUTH,
         url = mock.url .. "/api/" .. mock.service_id .. "/auth/token/delete/unknown" }
      assert.are.equal(404, status)
      assert.matches("A133205", body)
      local log = mock:requests()
      assert.are.same({ "GET", "POST", "DELETE" }, { log[1].method, log[2].method, log[3].method })
      assert.are.equal("", log[1].body)
      assert.is_nil(log[2].headers.expect) -- no 100-continue round trip
   end)

   it("reuses one connection for sequential requests", function()
      for _ = 1, 10 do assert.are.equal(200, (list())) end
      local stats = mock:stats()
      assert.are.equal(10, stats.requests.list)
      assert.are.equal(2, stats.connections) -- ours, and the stats request's
   end)

   -- fork() is reachable from LuaJIT's FFI only; the C code is the same on 5.4.
   local has_ffi, ffi = pcall(require, "ffi")
   local fork_it = has_ffi and it or pending
   fork_it("leaves a forked parent's connection alone: the child opens its own", function()
      ffi.cdef("int fork(void); void _exit(int); int waitpid(int, int *, int);")
      assert.are.equal(200, (list()))
      local pid = ffi.C.fork()
      if pid == 0 then -- the child: report by exit status only, no cleanup
         local ok = list() == 200
         session:close()
         ffi.C._exit(ok and 0 or 1)
      end
      assert.is_true(pid > 0)
      local status = ffi.new("int[1]")
      assert.are.equal(pid, ffi.C.waitpid(pid, status, 0))
      assert.are.equal(0, status[0]) -- the child's request worked
      assert.are.equal(200, (list()))
      -- the parent's one connection (still alive), the child's, and stats
      assert.are.equal(3, mock:stats().connections)
   end)

   it("opens no connection before the first request", function()
      local idle = curl.session()
      assert.are.equal(1, mock:stats().connections) -- only the stats request itself
      idle:close()
   end)

   it("reports a delay beyond timeout_ms as a timeout, then works again", function()
      mock:fault({ delay_ms = 3000 })
      local t0 = curl.now_ms()
      local status, kind, message, sent = list({ timeout_ms = 200 })
      assert.is_nil(status)
      assert.are.equal("timeout", kind)
      assert.matches("timed out", message)
      assert.is_true(sent)
      assert.is_true(curl.now_ms() - t0 < 2500) -- it did not wait for the answer
      assert.are.equal(200, (list()))
   end)

   it("reports a dropped connection or a truncated body, then works again", function()
      for _, fault in ipairs({ { drop = true }, { truncate = 5 } }) do
         mock:fault(fault)
         local status, kind, _, sent = list()
         assert.is_nil(status)
         assert.are.equal("protocol", kind)
         assert.is_true(sent)
         assert.are.equal(200, (list()))
      end
   end)

   it("reconnects when the server closed the kept-alive connection", function()
      mock:fault({ close_after = true })
      assert.are.equal(200, (list()))
      assert.are.equal(200, (list()))
      -- the fault's own request, the closed one, the new one, and stats
      assert.are.equal(4, mock:stats().connections)
   end)

   it("never sends a non-idempotent request twice when a reused connection dies", function()
      local create = mock.url .. "/api/" .. mock.service_id .. "/auth/token/create"
      local post = { method = "POST", url = create, body = '{"grantType":"PASSWORD","clientId":26888344961664,"subject":"s"}',
                     headers = { Authorization = AUTH.Authorization, ["Content-Type"] = "application/json" } }
      assert.are.equal(200, (list())) -- the connection is now open and kept alive
      mock:fault({ operation = "create", drop = "after" })
      local status, kind, message, sent = session:request(post)
      assert.are.same({ nil, "protocol", true }, { status, kind, sent })
      assert.matches("not sent again", message)
      local stats = mock:stats()
      assert.are.same({ 1, 1 }, { stats.requests.create, stats.tokens })
      -- An idempotent request is sent again on a fresh connection, as HTTP allows.
      assert.are.equal(200, (list()))
      mock:fault({ operation = "list", drop = true })
      assert.are.equal(200, (list()))
      assert.are.equal(4, mock:stats().requests.list) -- 1, 2, then 3 dropped and 4 answered
   end)

   it("reads chunked and gzip bodies", function()
      mock:fault({ chunked = true })
      local status, headers, body = list()
      assert.are.equal(200, status)
      assert.are.equal("chunked", headers["transfer-encoding"])
      assert.matches('"totalCount":0,"accessTokens":%[%]}$', body)
      local text = '{"resultCode":"A1","resultMessage":"' .. ("compressed "):rep(100) .. '"}'
      mock:fault({ status = 200, headers = { ["Content-Encoding"] = "gzip", ["Content-Type"] = "application/json" },
                   body_base64 = gzip(text) })
      status, headers, body = list()
      assert.are.equal(200, status)
      assert.are.equal("gzip", headers["content-encoding"])
      assert.are.equal(text, body)
      assert.matches("gzip", mock:requests()[1].headers["accept-encoding"])
   end)

   it("enforces max_response_bytes on Content-Length, chunked and decoded bodies", function()
      local small = curl.session({ max_response_bytes = 100 })
      local big = '{"x":"' .. ("a"):rep(500) .. '"}'
      for _, fault in ipairs({
         { status = 200, body = big },
         { status = 200, body = big, chunked = true },
         { status = 200, headers = { ["Content-Encoding"] = "gzip" }, body_base64 = gzip(big) },
      }) do
         mock:fault(fault)
         local status, kind, message = small:request{ url = list_url, headers = AUTH }
         assert.is_nil(status)
         assert.are.equal("too_large", kind)
         assert.matches("max_response_bytes", message)
      end
      assert.are.equal(200, (small:request{ url = list_url, headers = AUTH })) -- 52 bytes fit
      small:close()
   end)

   it("reports a closed port and an unknown host as connect failures, never sent", function()
      local status, kind, message, sent = session:request{ url = ("http://127.0.0.1:%d/"):format(servers.free_port()) }
      assert.are.same({ nil, "connect", false }, { status, kind, sent })
      assert.matches("[Cc]onnect", message)
      local _
      status, kind, _, sent = session:request{ url = "http://no-such-host.invalid/" }
      assert.are.same({ nil, "connect", false }, { status, kind, sent })
   end)

   it("rejects header injection, bad names, non-http URLs and unknown fields before sending", function()
      for _, req in ipairs({
         { url = list_url, headers = { ["X-A"] = "a\r\nInjected: 1" } },
         { url = list_url, headers = { ["X-A"] = "a\nb" } },
         { url = list_url, headers = { ["X-A"] = "a\0b" } },
         { url = list_url, headers = { ["X A"] = "a" } },
         { url = list_url, headers = { ["X-A\r\n"] = "a" } },
         { url = list_url, headers = { [""] = "a" } },
         { url = list_url, headers = { ["X-A"] = 1 } },
         { url = "ftp://127.0.0.1/" },
         { url = "file:///etc/passwd" },
         { url = "http://127.0.0.1/a b" },
         { url = list_url, method = "get" },
         { url = list_url, timeout_ms = 0 },
         { url = list_url, idempotent = "yes" },
         { url = list_url, colour = "red" },
         { url = 42 },
      }) do
         assert.has_error(function() session:request(req) end)
      end
      assert.are.equal(0, mock:stats().api_requests)
      assert.has_error(function() curl.session({ colour = "red" }) end)
      assert.has_error(function() curl.session({ ssl_verify = "no" }) end)
      assert.has_error(function() curl.session({ max_response_bytes = -1 }) end)
   end)

   it("closes idempotently and refuses use after close", function()
      local s = curl.session()
      assert.matches("open", tostring(s))
      s:close()
      s:close()
      assert.matches("closed", tostring(s))
      assert.has_error(function() s:request{ url = list_url } end, "attempt to use a closed session")
      assert.has_error(function() curl.session().request({}, { url = list_url }) end)
      collectgarbage()
      collectgarbage()
   end)

   it("closes through <close> on Lua 5.4", function()
      local chunk = (rawget(_G, "loadstring") or load)([[
         local curl, url = ...
         local s <close> = curl.session()
         assert(s:request{ url = url })
         return s
      ]])
      if not chunk or _VERSION ~= "Lua 5.4" then return end
      local s = chunk(curl, list_url)
      assert.matches("closed", tostring(s))
   end)

   it("sleeps and reads a monotonic clock", function()
      local t0 = curl.now_ms()
      curl.sleep(50)
      assert.is_true(curl.now_ms() - t0 >= 49)
      curl.sleep(0)
      curl.sleep(-1)
      assert.matches("^libcurl/", curl.version())
   end)
end)

describe("authlete.curl answers", function()
   it("joins repeated headers and unfolds folded ones", function()
      local raw = servers.raw("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Multi: a\r\nx-multi: b\r\n" ..
         "X-Folded: one\r\n  two\r\nConnection: close\r\n\r\nok")
      local s = curl.session()
      local status, headers, body = s:request{ url = raw.url }
      s:close()
      raw.stop()
      assert.are.equal(200, status)
      assert.are.equal("a, b", headers["x-multi"])
      assert.are.equal("one two", headers["x-folded"])
      assert.are.equal("ok", body)
   end)

   it("answers perform with the same header table as request", function()
      local answer = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Multi: a\r\nx-multi: b\r\nX-Folded: one\r\n" ..
         "  two\r\nX-Empty:\r\nContent-Type:  application/json \r\nConnection: close\r\n\r\nok"
      local raw = servers.raw(answer)
      local s = curl.session()
      local status, headers, body = s:perform("GET", raw.url, {})
      local _, table_headers = s:request{ url = raw.url }
      s:close()
      raw.stop()
      assert.are.equal(200, status)
      assert.are.equal("ok", body)
      assert.are.same(table_headers, headers)
      assert.are.same({ ["content-length"] = "2", ["x-multi"] = "a, b", ["x-folded"] = "one two", ["x-empty"] = "",
                        ["content-type"] = "application/json", connection = "close" }, headers)
   end)

   it("refuses numbers no integer type holds (1e300, -1e300, inf, NaN) with a clear error", function()
      local session, url = curl.session(), "http://127.0.0.1:9/" -- never reached: the numbers are refused first
      for _, v in ipairs({ 1e300, -1e300, math.huge, -math.huge, 0 / 0, 2 ^ 31 }) do
         local what = tostring(v)
         for _, opt in ipairs({ "max_response_bytes", "connect_timeout_ms" }) do
            local ok, err = pcall(curl.session, { [opt] = v })
            assert.is_false(ok, opt .. " = " .. what)
            assert.matches("option '" .. opt .. "' must be a positive integer up to 2^31 %- 1", err)
         end
         local ok, err = pcall(session.request, session, { url = url, timeout_ms = v })
         assert.is_false(ok, "timeout_ms = " .. what)
         assert.matches("option 'timeout_ms' must be a positive integer", err)
         ok, err = pcall(session.perform, session, "GET", url, {}, nil, v)
         assert.is_false(ok, "perform timeout " .. what)
         assert.is_truthy(err:find("no integer representation", 1, true) or err:find("timeouts must be", 1, true), err)
         if v ~= -math.huge and v ~= -1e300 then
            ok, err = pcall(curl.sleep, v)
            assert.is_false(ok, "sleep " .. what)
            assert.matches("sleep: ", err)
         end
         local multi = curl.multi()
         ok, err = pcall(multi.poll, multi, v)
         assert.is_false(ok, "poll " .. what)
         assert.is_truthy(err:find("integer", 1, true) or err:find("timeout must be", 1, true), err)
         multi:close()
      end
      curl.sleep(-1e300) -- a negative wait is no wait
      session:close()
   end)

   it("verifies TLS by default, and accepts a given CA or an explicit ssl_verify = false", function()
      local tls = servers.tls()
      local s = curl.session()
      local status, kind, message, sent = s:request{ url = tls.url }
      assert.is_nil(status)
      assert.are.equal("tls", kind)
      assert.is_false(sent)
      assert.matches("certificate", message)
      s:close()
      s = curl.session({ ca_file = tls.cert })
      assert.are.equal(200, (s:request{ url = tls.url }))
      s:close()
      s = curl.session({ ssl_verify = false })
      assert.are.equal(200, (s:request{ url = tls.url }))
      s:close()
      tls.stop()
   end)
end)
