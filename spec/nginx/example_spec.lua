-- examples/nginx: the whole nginx.conf as documented (its resolver file made
-- by its own command, the environment passed as systemd would), against
-- the mock.
local helper = require("spec.helpers.mock")
local http = require("spec.helpers.http")
local json = require("authlete.json")
local nginx_helper = require("spec.helpers.nginx")

-- The example's nginx.conf, listening on the test's port.
local example_conf = nginx_helper.example_conf("examples/nginx/nginx.conf", "examples/nginx", function(v)
   return { { "listen 127.0.0.1:8080;", ("listen 127.0.0.1:%d;"):format(v.port) } }
end)

describe("examples/nginx", function()
   local mock, server
   setup(function()
      mock = helper.start()
      server = nginx_helper.start({
         conf = example_conf,
         env = ("AUTHLETE_BEARER=%s AUTHLETE_SERVICE_ID=%s AUTHLETE_BASE_URL=%s")
            :format(helper.BEARER, mock.service_id, mock.url),
      })
   end)
   teardown(function()
      server.stop()
      mock:stop()
   end)

   local function request(method, path)
      local status, _, body = http.request("127.0.0.1", server.port, { method = method, path = path })
      return status, json.decode(body), body
   end

   it("lists a user's valid tokens and logs the user out", function()
      for _ = 1, 3 do helper.create(mock, helper.token_body({ clientId = 5921531358155430, subject = "alice" })) end
      local status, body = request("GET", "/admin/users/alice/tokens")
      assert.are.equal(200, status)
      assert.are.same({ "alice", 3 }, { body.subject, body.count })
      assert.are.equal(5921531358155430, body.tokens[1].clientId)
      local _, _, text = request("GET", "/admin/users/alice/tokens")
      assert.matches('"clientId":5921531358155430[,}]', text) -- exact, not 5.9215313581554e+15
      status, body = request("POST", "/admin/users/alice/logout")
      assert.are.same({ 200, 3 }, { status, body.revoked })
      status, body, text = request("GET", "/admin/users/alice/tokens")
      assert.are.same({ 200, 0 }, { status, body.count })
      assert.matches('"tokens":%[%]', text) -- an empty list is a list
      assert.are.equal(403, (request("GET", "/admin/users/alice/logout")))
   end)

   it("answers 502 with the error kind when Authlete fails, logging no bearer", function()
      mock:fault({ operation = "revoke", status = 500, times = 10,
                   body = { resultCode = "A001101", resultMessage = "[A001101] /auth/token/revoke, boom" } })
      local status, body = request("POST", "/admin/users/alice/logout")
      mock:clear_faults()
      assert.are.same({ 502, "ResultError" }, { status, body.error })
      assert.matches("authlete: ResultError: %[A001101%] boom", server.log())
      assert.falsy(server.log():find(helper.BEARER, 1, true))
   end)
end)

describe("docs/openresty.md", function()
   -- spec/docs/code_blocks_spec.lua checks that it shows nginx.conf whole
   it("gives the same resolver command as nginx.conf", function()
      local f = assert(io.open("examples/nginx/nginx.conf"))
      local conf = f:read("*a")
      f:close()
      f = assert(io.open("docs/openresty.md"))
      local doc = f:read("*a")
      f:close()
      local awk = conf:match("#   (awk .-/etc/resolv.conf)"):gsub("\n#%s*", "\n     ")
      assert.is_truthy(doc:find(awk, 1, true), awk)
   end)
end)
