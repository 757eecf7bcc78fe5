-- The mock's controls: stats, reset, seed, config, request log; and its CLI.
local helper = require("spec.helpers.mock")
local json = require("authlete.json")
local process = require("authlete.mock.process")

describe("mock controls", function()
   local mock
   setup(function() mock = helper.start() end)
   teardown(function() mock:stop() end)

   it("counts requests per operation and tokens, and reset goes back to the seed", function()
      mock:reset()
      helper.create(mock, helper.token_body())
      helper.list(mock, {})
      local stats = mock:stats()
      assert.are.equal(1, stats.requests.create)
      assert.are.equal(1, stats.requests.list)
      assert.are.equal(2, stats.api_requests)
      assert.are.equal(1, stats.tokens)
      mock:reset()
      stats = mock:stats()
      assert.are.equal(0, stats.tokens)
      assert.are.equal(0, stats.api_requests)
   end)

   it("shows the seed without the bearer", function()
      local seed = mock:seed()
      assert.are.equal("715948317206", seed.serviceId)
      assert.is_nil(seed.bearer)
      local ids = {}
      for _, c in ipairs(seed.clients) do ids[#ids + 1] = c.clientId end
      assert.are.same({ 26888344961664, 31415926535897, 5921531358155430,
                        helper.EXACT_INT64 and 9007199254740993 or 9007199254740992 }, ids)
      assert.are.equal("orders-web", seed.clients[2].clientIdAlias)
   end)

   it("records API requests with the Authorization header redacted", function()
      mock:reset()
      helper.create(mock, helper.token_body())
      local log = mock:requests()
      assert.are.equal(1, #log)
      assert.are.equal("create", log[1].operation)
      assert.are.equal("POST", log[1].method)
      assert.are.equal("<redacted>", log[1].headers.authorization)
      assert.are.equal("john", json.decode(log[1].body).subject)
   end)

   it("changes settings at run time and rejects unknown ones", function()
      assert.are.same({ error_style = "action", latency_ms = 0, rate_limit = 0, rate_burst = 0,
                        request_id_header = "X-Request-Id", revoke_keeps_records = true,
                        revoke_counts_expired = true }, mock:configure({ error_style = "action" }))
      mock:configure({ error_style = "status" })
      assert.has_error(function() mock:configure({ speed = 1 }) end)
      assert.has_error(function() mock:configure({ error_style = "loud" }) end)
   end)

   it("delays every API answer by latency_ms", function()
      local http = require("spec.helpers.http")
      local req = { method = "GET", path = "/api/715948317206/auth/token/get/list",
                    headers = { Authorization = "Bearer " .. helper.BEARER } }
      mock:configure({ latency_ms = 400 })
      local conn = http.connect(mock.host, mock.port, 0.1)
      assert.is_nil((conn:request(req)))       -- nothing within 0.1 s
      conn.timeout = 5
      assert.are.equal(200, (conn:receive()))  -- the answer comes later
      conn:close()
      mock:configure({ latency_ms = 0 })
      assert.are.equal(200, (http.request(mock.host, mock.port, req)))
   end)

   it("counts the API requests answered at once, and the most since the last reset", function()
      local http = require("spec.helpers.http")
      local req = { method = "GET", path = "/api/715948317206/auth/token/get/list",
                    headers = { Authorization = "Bearer " .. helper.BEARER } }
      mock:reset()
      mock:configure({ latency_ms = 300 })
      for _ = 1, 2 do assert.are.equal(200, (http.request(mock.host, mock.port, req))) end
      assert.are.same({ 0, 1 }, { mock:stats().in_flight, mock:stats().peak_in_flight }) -- one after the other
      local conns = {}
      for i = 1, 3 do
         conns[i] = http.connect(mock.host, mock.port)
         conns[i]:send(req)
      end
      for i = 1, 3 do
         assert.are.equal(200, (conns[i]:receive()))
         conns[i]:close()
      end
      mock:configure({ latency_ms = 0 })
      assert.are.same({ 0, 3 }, { mock:stats().in_flight, mock:stats().peak_in_flight })
      mock:reset()
      assert.are.equal(0, mock:stats().peak_in_flight)
   end)

   it("answers unknown controls with 404", function()
      assert.has_error(function() mock:control("GET", "/__mock/nothing") end)
   end)
end)

describe("authlete.mock.start", function()
   -- A test that raises before it stops its mock: Lua closes the mock's pipe
   -- at exit, which waits for the server; without the guard, forever.
   for _, lua in ipairs({ "lua5.4", "luajit" }) do
      it("ends a server its program left running, so that " .. lua .. " exits", function()
         local script = os.tmpname()
         local f = assert(io.open(script, "w"))
         f:write([[
            local mock = require("authlete.mock").start({ command = "lua5.4 bin/authlete-mock" })
            io.stdout:write(mock.port, "\n")
            io.stdout:flush()
            error("a test that raised before its teardown")
         ]])
         f:close()
         local p = io.popen(("timeout 20 env %s %s %s 2>/dev/null; echo rc=$?")
            :format(helper.LUA_ENV:gsub("build/lua5.4", lua == "luajit" and "build/luajit" or "build/lua5.4"), lua, script))
         local out = p:read("a")
         p:close()
         os.remove(script)
         local port = tonumber(out:match("^(%d+)\n"))
         assert.truthy(port, out)
         assert.matches("rc=1\n$", out) -- the error's exit, not timeout's 124
         local sock = require("socket").tcp()
         sock:settimeout(1)
         assert.is_nil((sock:connect("127.0.0.1", port))) -- and the server is gone
         sock:close()
      end)
   end
end)

describe("authlete-mock command", function()
   local function run(args)
      local p = io.popen("lua5.4 bin/authlete-mock " .. args .. " 2>&1; echo \"rc=$?\"")
      local out = p:read("a")
      p:close()
      return out
   end

   it("rejects bad options with exit code 2", function()
      assert.matches("unknown option '%-%-nope'.*rc=2", run("--nope"))
      assert.matches("%-%-port needs a non%-negative integer.*rc=2", run("--port abc"))
      assert.matches("%-%-error%-style needs a value.*rc=2", run("--error-style"))
   end)

   it("fails with exit code 1 and a reason for a bad seed", function()
      local path = os.tmpname()
      local f = io.open(path, "w")
      f:write('{"clients": []}')
      f:close()
      assert.matches("seed: clients must be a non%-empty array.*rc=1", run("--seed " .. path))
      os.remove(path)
      assert.matches("rc=1", run("--seed /nonexistent/seed.json"))
      assert.matches("error_style must be.*rc=1", run("--error-style loud"))
   end)

   it("serves a seed file and a service ID given on the command line", function()
      local path = os.tmpname()
      local f = io.open(path, "w")
      f:write(json.encode({ supportedScopes = { "a" }, clients = { { clientId = 42, clientIdAlias = "answer" } },
         tokens = { { accessToken = "seeded-token", clientId = 42, subject = "sam", scopes = { "a" } } } }))
      f:close()
      local mock = helper.start({ seed_file = path, service_id = "123" })
      os.remove(path)
      assert.are.equal("123", mock.service_id)
      local status, list = helper.list(mock, { clientIdentifier = "answer" })
      assert.are.equal(200, status)
      assert.are.equal(1, list.totalCount)
      assert.are.equal(require("authlete.mock.crypto").token_hash("seeded-token"), list.accessTokens[1].accessTokenHash)
      mock:reset()
      assert.are.equal(1, mock:stats().tokens)
      mock:stop()
      mock:stop() -- twice is harmless
      local sock = require("socket").tcp()
      sock:settimeout(1)
      assert.is_nil(sock:connect(mock.host, mock.port)) -- the process is gone
      sock:close()
   end)

   it("prints its URL first and reports startup failures", function()
      local mock = helper.start()
      assert.matches("^http://127%.0%.0%.1:%d+$", mock.url)
      assert.is_true(mock.port > 0)
      local ok, err = pcall(process.start, { command = "lua5.4 bin/authlete-mock", port = mock.port })
      assert.is_false(ok)
      assert.matches("cannot bind", err)
      mock:stop()
      assert.has_error(function() process.start({ colour = "red" }) end)
   end)
end)
