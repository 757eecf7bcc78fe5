-- The fault matrix: every way a server or the network misbehaves, through
-- both transports (libcurl in this process; cosockets inside nginx). Each
-- row checks the error kind, that nothing was lost or duplicated (the mock's
-- counts and tokens), and that the next call on the same client succeeds.
local authlete = require("authlete")
local helper = require("spec.helpers.mock")
local http = require("spec.helpers.http")
local json = require("authlete.json")
local nginx_helper = require("spec.helpers.nginx")
local servers = require("spec.helpers.servers")
local Multi = require("authlete.transport.multi")
local RETRY = require("spec.nginx.handler").RETRY
local socket = require("socket")

local BIG = json.encode({ start = 0, ["end"] = 5, totalCount = 0, subject = ("x"):rep(300) })
local JSON_CT = { ["Content-Type"] = "application/json" }
-- A complete answer that no request asked for: if it ever reaches a call,
-- that call reads totalCount 4242.
local STALE_TOTAL = 4242
local STALE_BODY = json.encode({ start = 0, ["end"] = 5, totalCount = STALE_TOTAL, accessTokens = json.array({}) })
local STALE_ANSWER = ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s")
   :format(#STALE_BODY, STALE_BODY)
local function interim(n, status)
   local t = {}
   for i = 1, n do t[i] = status end
   return t
end

-- n headers X-Filler-1..n, each with a value of `size` bytes.
local function many_headers(n, size)
   local h = { ["Content-Type"] = "application/json" }
   for i = 1, n do h["X-Filler-" .. i] = ("v"):rep(size) end
   return h
end

local function create_request(subject)
   return { tokenCreateRequest = { grantType = "AUTHORIZATION_CODE", clientId = 26888344961664,
                                   subject = subject or "fault", scopes = { "history.read" } } }
end

-- { name, faults, op, request, opts (retry, max, timeout_ms, server_url, pause_ms), expect, counts }
-- expect: "ok", or { kind, reason?, sent?, status? }; counts: mock requests
-- for the operation and tokens afterwards.
local ROWS = {
   { "503, 503, then 200 with retries", { { status = 503, times = 2 } }, "list", {}, { retry = true },
     "ok", { list = 3 } },
   { "429 with Retry-After", { { status = 429, headers = { ["Retry-After"] = "1" } } }, "list", {}, { retry = true },
     "ok", { list = 2 } },
   { "connection refused", {}, "list", {}, { server_url = "closed" },
     { "ConnectionError", "connect", false }, { list = 0 } },
   { "an unresolvable host", {}, "list", {}, { server_url = "http://no-such-host.invalid" },
     { "ConnectionError", "connect", false }, { list = 0 } },
   { "a create dropped before answering", { { operation = "create", drop = true } }, "create", create_request(), {},
     { "ConnectionError", "protocol", true }, { create = 1, tokens = 0 } },
   { "a create dropped after the server made the token", { { operation = "create", drop = "after" } }, "create",
     create_request(), { retry = true }, { "ConnectionError", "protocol", true }, { create = 1, tokens = 1 } },
   { "a body truncated mid-way", { { truncate = 20 } }, "list", {}, {},
     { "ConnectionError", "protocol", true }, { list = 1 } },
   { "a delay beyond the deadline", { { delay_ms = 3000 } }, "list", {}, { timeout_ms = 300 },
     { "RequestTimeoutError", "timeout", true }, { list = 1 } },
   { "an answer trickling one byte at a time past the deadline", { { trickle_ms = 50 } }, "list", {},
     { timeout_ms = 500 }, { "RequestTimeoutError", "timeout", true }, { list = 1 } },
   { "malformed JSON labelled application/json", { { status = 200, headers = JSON_CT, body = '{"start":' } },
     "list", {}, {}, { "ResponseValidationError" }, { list = 1 } },
   { "a body over max_response_bytes with Content-Length", { { status = 200, headers = JSON_CT, body = BIG } },
     "list", {}, { max = 100 }, { "ConnectionError", "too_large", true }, { list = 1 } },
   { "a body over max_response_bytes, chunked", { { status = 200, headers = JSON_CT, body = BIG, chunked = true } },
     "list", {}, { max = 100 }, { "ConnectionError", "too_large", true }, { list = 1 } },
   { "an HTML 502 from a proxy", { { status = 502, headers = { ["Content-Type"] = "text/html" },
     body = "<html><body>502 Bad Gateway</body></html>" } }, "list", {}, { retry = false },
     { "AuthleteDefaultError", nil, nil, 502 }, { list = 1 } },
   { "a 200 with action BAD_REQUEST", { { operation = "create", status = 200, headers = JSON_CT, body = {
     resultCode = "A109201", resultMessage = "[A109201] /auth/token/create, bad", action = "BAD_REQUEST" } } },
     "create", create_request(), {}, { "ResultError", nil, nil, 200 }, { create = 1, tokens = 0 } },
   { "wrong types in known fields", { { status = 200, headers = JSON_CT, body = '{"totalCount":"3"}' } },
     "list", {}, {}, { "ResponseValidationError" }, { list = 1 } },
   { "a pooled connection the server closed between calls", { { close_after = true } }, "list", {}, {},
     "ok", { list = 1 } },
   -- Framing: an answer is read whole, past interim answers, and a
   -- connection holding bytes past it is never pooled or reused.
   { "a create whose answer follows 100 Continue", { { operation = "create", interim = { 100 } } }, "create",
     create_request(), {}, "ok", { create = 1, tokens = 1 } },
   { "a list after 100, 102 and 103 (Early Hints)", { { interim = { 100, 102, 103 } } }, "list", {}, {},
     "ok", { list = 1 } },
   { "16 interim answers, then the answer", { { interim = interim(16, 102) } }, "list", {}, {}, "ok", { list = 1 } },
   { "17 interim answers", { { interim = interim(17, 102) } }, "list", {}, {},
     { "ConnectionError", "protocol", true }, { list = 1 } },
   { "101 Switching Protocols before the answer", { { interim = { 101 } } }, "list", {}, {},
     { "ConnectionError", "protocol", true }, { list = 1 } },
   { "an answer followed by junk", { { after = "junk that no request asked for\r\n\r\n" } }, "list", {}, {},
     "ok", { list = 1 } },
   { "an answer followed by a complete second answer", { { after = STALE_ANSWER } }, "list", {}, {},
     "ok", { list = 1 } },
   { "a create followed by a complete second answer", { { operation = "create", after = STALE_ANSWER } }, "create",
     create_request(), {}, "ok", { create = 1, tokens = 1 } },
   { "an answer with 10,000 header lines", { { status = 200, headers = many_headers(10000, 8),
     body = '{"start":0,"end":5,"totalCount":0}' } }, "list", {}, {}, "ok", { list = 1 } },
   { "header lines past 256 KiB in all", { { status = 200, headers = many_headers(30000, 8), body = "{}" } },
     "list", {}, {}, { "ConnectionError", "protocol", true }, { list = 1 } },
   { "one header of 300 KiB", { { status = 200, headers = many_headers(1, 300 * 1024), body = "{}" } },
     "list", {}, {}, { "ConnectionError", "protocol", true }, { list = 1 } },
   { "a second answer arriving once the connection is pooled", { { after = STALE_ANSWER, after_delay_ms = 30 } },
     "list", {}, { pause_ms = 300 }, "ok", { list = 1 } },
}

-- Runners: call(op, request, opts) -> true, result | false, error (plain table).
local function curl_runner(mock)
   local clients = {}
   return function(op, request, opts)
      local key = tostring(opts.max) .. "/" .. tostring(opts.retry)
      clients[key] = clients[key] or authlete.new({ bearer = helper.BEARER, server_url = mock.url,
         service_id = mock.service_id, transport = "curl", max_response_bytes = opts.max,
         retry_config = opts.retry and RETRY or nil })
      local res, err = clients[key].token.management[op](request,
         { timeout_ms = opts.timeout_ms, server_url = opts.server_url })
      return res ~= nil, res ~= nil and res or err
   end
end

-- authlete.transport.multi: each call is a task of its own run().
local function multi_runner(mock)
   local clients = {}
   return function(op, request, opts)
      local key = tostring(opts.max) .. "/" .. tostring(opts.retry)
      if not clients[key] then
         local transport = Multi.new({ max_response_bytes = opts.max })
         clients[key] = { transport = transport, client = authlete.new({ bearer = helper.BEARER,
            server_url = mock.url, service_id = mock.service_id, transport = transport,
            retry_config = opts.retry and RETRY or nil }) }
      end
      local c, res, err = clients[key], nil, nil
      c.transport:run(function()
         res, err = c.client.token.management[op](request, { timeout_ms = opts.timeout_ms, server_url = opts.server_url })
      end, 1)
      return res ~= nil, res ~= nil and res or err
   end
end

-- opts.other_client: the call goes through another client object of the
-- same worker (its own transport choice), which shares the worker's pool.
local function ngx_runner(server)
   return function(op, request, opts)
      local path = "/call/" .. op .. "?req=" .. helper.encode(json.encode(request))
      if opts.other_client then path = path .. "&transport=ngx" end
      for k, v in pairs({ max = opts.max, timeout_ms = opts.timeout_ms, server_url = opts.server_url,
                          retry = opts.retry and "1" or nil }) do
         path = path .. "&" .. k .. "=" .. helper.encode(tostring(v))
      end
      local status, _, body = http.request("127.0.0.1", server.port, { method = "GET", path = path })
      assert(status == 200, body)
      local answer = json.decode(body)
      return answer.ok, answer.ok and answer.result or answer.error
   end
end

describe("fault matrix", function()
   local mock, server, runners
   setup(function()
      mock = helper.start()
      -- One worker: rows warm a pooled connection and then fault it, and a
      -- call on a new connection to a second worker would not find it.
      server = nginx_helper.with_handler(mock, helper.BEARER, { workers = 1 })
      runners = { curl = curl_runner(mock), multi = multi_runner(mock), ngx = ngx_runner(server) }
   end)
   teardown(function()
      server.stop()
      mock:stop()
   end)

   for _, transport in ipairs({ "curl", "multi", "ngx" }) do
      for _, row in ipairs(ROWS) do
         local name, faults, op, request, opts, expect, counts = table.unpack(row)
         it(("%s: %s"):format(transport, name), function()
            local call = runners[transport]
            local o = {}
            for k, v in pairs(opts) do o[k] = v end
            if o.server_url == "closed" then o.server_url = ("http://127.0.0.1:%d"):format(servers.free_port()) end
            assert.is_true((call("list", {}, { max = o.max, retry = o.retry }))) -- a warm pooled connection
            mock:reset()
            for _, f in ipairs(faults) do mock:fault(f) end

            local ok, value = call(op, request, o)
            if expect == "ok" then
               assert.is_true(ok, not ok and tostring(value.text or value) or nil)
            else
               assert.is_false(ok, "expected " .. expect[1])
               assert.are.equal(expect[1], value.kind, value.text)
               if expect[2] then assert.are.equal(expect[2], value.reason) end
               if expect[3] ~= nil then assert.are.equal(expect[3], value.sent) end
               if expect[4] then assert.are.equal(expect[4], value.statusCode) end
            end
            local stats = mock:stats()
            for k, n in pairs(counts) do
               assert.are.equal(n, k == "tokens" and stats.tokens or stats.requests[k], k)
            end
            mock:clear_faults()
            if o.pause_ms then socket.sleep(o.pause_ms / 1000) end
            -- The next call, on the same client (in nginx, through another
            -- client of the same worker), gets its own answer.
            local next_ok, next_value = call("list", {}, { max = o.max, retry = o.retry, other_client = true })
            assert.is_true(next_ok, "the next call failed: " .. tostring(not next_ok and (next_value.text or next_value)))
            assert.are_not.equal(STALE_TOTAL, next_value.totalCount, "the next call read an answer it did not ask for")
            assert.are.equal(stats.tokens, next_value.totalCount)
         end)
      end
   end

   it("ngx: 100 concurrent clients, every answer accounted for", function()
      mock:reset()
      local conns = {}
      for i = 1, 100 do
         conns[i] = http.connect("127.0.0.1", server.port, 30)
         local request = helper.encode(json.encode(create_request("user-" .. i)))
         assert(conns[i]:send({ method = "GET", path = "/call/create?req=" .. request }))
      end
      local subjects = {}
      for i = 1, 100 do
         local status, _, body = conns[i]:receive()
         conns[i]:close()
         assert.are.equal(200, status)
         local answer = json.decode(body)
         assert.is_true(answer.ok, answer.error and answer.error.text)
         subjects[answer.result.subject] = true
      end
      local n = 0
      for _ in pairs(subjects) do n = n + 1 end
      assert.are.equal(100, n)
      local stats = mock:stats()
      assert.are.same({ 100, 100 }, { stats.requests.create, stats.tokens })
   end)
end)
