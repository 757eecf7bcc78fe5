-- Proxies for the cosocket transport, with libcurl's rules: an absolute
-- URL for http, a CONNECT tunnel for https, credentials from the proxy URL,
-- no_proxy, and the proxy from the environment when no option names one.
local helper = require("spec.helpers.mock")
local http = require("spec.helpers.http")
local json = require("authlete.json")
local nginx_helper = require("spec.helpers.nginx")
local servers = require("spec.helpers.servers")

describe("cosocket proxies", function()
   local mock, tls, open_proxy, guarded, server

   setup(function()
      mock, tls = helper.start(), servers.tls()
      open_proxy, guarded = servers.proxy(), servers.proxy("spec-user:s3cr:t")
      server = nginx_helper.with_handler(mock, helper.BEARER, {
         http = ("   lua_ssl_trusted_certificate %s;\n"):format(tls.cert),
         main = ("env http_proxy=%s;\nenv https_proxy=;\nenv no_proxy=;\n"):format(open_proxy.url),
      })
   end)
   teardown(function()
      server.stop()
      guarded.stop()
      open_proxy.stop()
      tls.stop()
      mock:stop()
   end)

   local function call(args)
      local path = "/call/list?req=%7B%7D"
      for k, v in pairs(args) do path = path .. "&" .. k .. "=" .. helper.encode(v) end
      local status, _, body = http.request("127.0.0.1", server.port, { method = "GET", path = path })
      assert.are.equal(200, status, body)
      return json.decode(body)
   end

   local function with_credentials(proxy, user_secret)
      return (proxy.url:gsub("^http://", function() return "http://" .. user_secret .. "@" end))
   end

   it("sends plain http through the proxy as an absolute URL, with the URL's credentials", function()
      local res = call({ proxy = with_credentials(guarded, "spec-user:s3cr%3At") })
      assert.is_true(res.ok, res.error and res.error.text)
      local lines = guarded.lines()
      assert.matches("^auth GET " .. mock.url:gsub("%p", "%%%0") .. "/api/", lines[#lines])
   end)

   it("tunnels https through CONNECT, with the URL's credentials", function()
      local res = call({ proxy = with_credentials(guarded, "spec-user:s3cr%3At"),
                         server_url = tls.url:gsub("/$", "") })
      -- s_server answers with an HTML status page: reaching it over TLS is what counts
      assert.are.same({ "AuthleteDefaultError", 200 }, { res.error.kind, res.error.statusCode })
      local lines = guarded.lines()
      assert.are.equal("auth CONNECT " .. tls.url:match("//([^/]+)"), lines[#lines]:match("^(.-) HTTP"))
   end)

   it("names a 407 for a tunnel whose credentials the proxy refuses, and sends nothing", function()
      local res = call({ proxy = with_credentials(guarded, "spec-user:wrong"), server_url = tls.url:gsub("/$", "") })
      assert.are.equal("ConnectionError", res.error.kind)
      assert.matches("407 Proxy Authentication Required", res.error.text, 1, true)
      assert.matches("refused those in the proxy URL", res.error.text, 1, true)
      assert.is_nil(res.error.text:find("wrong", 1, true)) -- no credentials in messages
   end)

   it("keeps an IPv6 origin's brackets in CONNECT", function()
      local res = call({ proxy = with_credentials(guarded, "spec-user:s3cr%3At"), server_url = "https://[::1]:9" })
      assert.is_false(res.ok)
      local lines = guarded.lines()
      assert.are.equal("auth CONNECT [::1]:9 HTTP/1.1", lines[#lines])
   end)

   it("goes directly to hosts no_proxy lists", function()
      local before = #guarded.lines()
      local res = call({ proxy = guarded.url, no_proxy = "example.com, 127.0.0.0/8" })
      assert.is_true(res.ok, res.error and res.error.text)
      assert.are.equal(before, #guarded.lines())
   end)

   it("takes http_proxy from the environment (nginx's env directive) when no option names a proxy", function()
      local before = #open_proxy.lines()
      assert.is_true(call({}).ok)
      local lines = open_proxy.lines()
      assert.are.equal(before + 1, #lines)
      assert.matches("^noauth GET http://", lines[#lines])
   end)

   it("leaves no unexpected errors in the error log", function()
      assert.are.same({}, server.errors())
   end)
end)
