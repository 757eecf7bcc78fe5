-- TLS through cosockets: verification against lua_ssl_trusted_certificate.
local helper = require("spec.helpers.mock")
local http = require("spec.helpers.http")
local json = require("authlete.json")
local nginx_helper = require("spec.helpers.nginx")
local servers = require("spec.helpers.servers")

describe("cosocket TLS", function()
   local trusted, untrusted, server
   setup(function()
      trusted, untrusted = servers.tls(), servers.tls()
      server = nginx_helper.with_handler({ url = trusted.url, service_id = "1" }, helper.BEARER,
         { http = ("   lua_ssl_trusted_certificate %s;\n"):format(trusted.cert) })
   end)
   teardown(function()
      server.stop()
      trusted.stop()
      untrusted.stop()
   end)

   local function call(server_url)
      local conn = http.connect("127.0.0.1", server.port, 30)
      local status, _, body = conn:request({ method = "GET",
         path = "/call/list?req=%7B%7D&server_url=" .. helper.encode(server_url:gsub("/$", "")) })
      conn:close()
      local res = type(body) == "string" and json.decode(body)
      -- Should this ever fail, say what came back and what nginx logged.
      assert(res, ("no JSON answer: status %s, body %s\nnginx error log:\n%s"):format(
         tostring(status), tostring(body), server.log():sub(-2000)))
      return res
   end

   it("reaches a server whose certificate is trusted", function()
      -- s_server answers every request with an HTML status page: reaching it is what counts.
      local res = call(trusted.url)
      assert.are.same({ "AuthleteDefaultError", 200 }, { res.error.kind, res.error.statusCode })
      res = call(trusted.url) -- again, on the pooled connection or a resumed session
      assert.are.equal(200, res.error.statusCode)
   end)

   it("refuses a server whose certificate is not, before sending anything", function()
      local res = call(untrusted.url)
      assert.are.same({ "ConnectionError", "tls", false }, { res.error.kind, res.error.reason, res.error.sent })
      assert.matches("certificate", res.error.message)
   end)
end)
