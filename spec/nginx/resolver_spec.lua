-- Names inside nginx: nginx's own resolver finds the server, and the
-- call's connect timeout bounds the resolution too, whatever nginx's
-- resolver_timeout (30 s by default) says.
local helper = require("spec.helpers.mock")
local http = require("spec.helpers.http")
local json = require("authlete.json")
local nginx_helper = require("spec.helpers.nginx")
local servers = require("spec.helpers.servers")
local socket = require("socket")

-- Wait until the DNS server at port answers a question (at most 10 s).
local function wait_dns(port)
   local probe = assert(socket.udp())
   probe:settimeout(0.2)
   assert(probe:setpeername("127.0.0.1", port))
   for _ = 1, 50 do
      probe:send("\0\1\1\0\0\1\0\0\0\0\0\0\5probe\0\0\1\0\1")
      if probe:receive() then
         probe:close()
         return
      end
      socket.sleep(0.1) -- refused at once while nothing is bound yet
   end
   error("the DNS server on port " .. port .. " never answered")
end

describe("cosocket name resolution", function()
   local mock, dns, silent, server, bare

   setup(function()
      mock = helper.start()
      local dns_port = servers.free_port()
      dns = servers.spawn("lua5.4 spec/helpers/dns_server.lua " .. dns_port)
      wait_dns(dns_port)
      -- A resolver that never answers: a bound UDP socket nobody reads.
      silent = assert(socket.udp())
      assert(silent:setsockname("127.0.0.1", 0))
      local _, silent_port = silent:getsockname()
      server = nginx_helper.with_handler(mock, helper.BEARER, {
         http = ("   resolver 127.0.0.1:%d ipv6=off valid=1s;\n"):format(dns_port),
         server = ([[
      location ~ ^/silent/call/(?<op>\w+)$ {
         resolver 127.0.0.1:%d ipv6=off;
         content_by_lua_block { require("spec.nginx.handler").call(ngx.var.op) }
      }
]]):format(silent_port),
      })
      bare = nginx_helper.with_handler(mock, helper.BEARER) -- no resolver directive at all
   end)
   teardown(function()
      bare.stop()
      server.stop()
      silent:close()
      dns.stop()
      mock:stop()
   end)

   local function call(port, path, server_url, timeout_ms)
      local started = socket.gettime()
      local status, _, body = http.request("127.0.0.1", port, { method = "GET", path = path .. "?req=%7B%7D"
         .. "&server_url=" .. helper.encode(server_url) .. "&timeout_ms=" .. (timeout_ms or 5000) })
      assert.are.equal(200, status, body)
      return json.decode(body), socket.gettime() - started
   end

   local function mock_port() return mock.url:match(":(%d+)$") end

   it("reaches the server by name through nginx's resolver, again on the pooled connection", function()
      local url = "http://authlete.test:" .. mock_port()
      mock:reset()
      for _ = 1, 6 do
         local res = call(server.port, "/call/list", url)
         assert.is_true(res.ok, res.error and res.error.text)
         assert.are.equal(0, res.result.totalCount)
      end
      -- one pooled connection per worker (2), and this stats request's
      assert.is_true(mock:stats().connections <= 3, tostring(mock:stats().connections))
   end)

   it("gives up on a resolver that never answers when the call's timeout passes", function()
      local res, seconds = call(server.port, "/silent/call/list", "http://never.test:" .. mock_port(), 400)
      assert.is_false(res.ok)
      assert.are.equal("RequestTimeoutError", res.error.kind)
      assert.matches("resolving and connecting to never.test took longer than 400 ms", res.error.text, 1, true)
      assert.is_true(seconds < 10, ("the call took %.1f s"):format(seconds)) -- not resolver_timeout's 30 s
      -- the worker is fine afterwards
      assert.is_true(call(server.port, "/call/list", "http://authlete.test:" .. mock_port()).ok)
   end)

   it("says what nginx.conf lacks when there is no resolver directive", function()
      local res = call(bare.port, "/call/list", "http://authlete.test:" .. mock_port())
      assert.is_false(res.ok)
      assert.are.equal("ConnectionError", res.error.kind)
      assert.matches("nginx.conf needs a resolver directive", res.error.text, 1, true)
   end)

   it("leaves no unexpected errors in the error logs", function()
      assert.are.same({}, server.errors())
      assert.are.same({}, bare.errors())
   end)
end)
