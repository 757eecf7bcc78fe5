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

describe("examples/nginx/connected-apps", function()
   local PASSWORD = "correct horse"
   local SECRET = "0123456789abcdef0123456789abcdef"
   -- The example's nginx.conf with alice's htpasswd line made by its own command.
   local conf = nginx_helper.example_conf("examples/nginx/connected-apps/nginx.conf", "examples/nginx/connected-apps",
      function(v)
         local f = assert(io.open("examples/nginx/connected-apps/nginx.conf"))
         local command = f:read("*a"):match("#%s+(printf 'alice.-) > /etc/nginx/connected%-apps%.htpasswd")
         f:close()
         local htpasswd = v.prefix .. "/connected-apps.htpasswd"
         assert(os.execute(command:gsub("choose a password", PASSWORD) .. " > " .. htpasswd))
         return { { "listen 80;", ("listen 127.0.0.1:%d;"):format(v.port) },
                  { "auth_basic_user_file /etc/nginx/connected-apps.htpasswd;", "auth_basic_user_file " .. htpasswd .. ";" } }
      end)
   local function environment(mock, secret)
      return ("AUTHLETE_BEARER=%s AUTHLETE_SERVICE_ID=%s AUTHLETE_BASE_URL=%s CONNECTED_APPS_SECRET=%s")
         :format(helper.BEARER, mock.service_id, mock.url, secret)
   end

   local mock, server
   setup(function()
      mock = helper.start()
      server = nginx_helper.start({ conf = conf, env = environment(mock, SECRET) })
   end)
   teardown(function()
      server.stop()
      mock:stop()
   end)

   local function request(method, user, body, path)
      local headers = {}
      if user then
         headers.Authorization = "Basic " .. require("authlete.hash").base64(user .. ":" .. PASSWORD)
      end
      if body then headers["Content-Type"] = "application/x-www-form-urlencoded" end
      local status, h, text = http.request("127.0.0.1", server.port, { method = method, headers = headers,
         path = path or "/account/apps", body = body })
      return status, text, h
   end

   it("shows the signed-in user's applications and revokes one", function()
      helper.create(mock, helper.token_body({ subject = "alice", clientId = 26888344961664 }))
      helper.create(mock, helper.token_body({ subject = "alice", clientId = 5921531358155430 }))
      assert.are.equal(401, (request("GET", nil))) -- nginx's own sign-in, before the page
      local status, page = request("GET", "alice")
      assert.are.equal(200, status, server.log())
      assert.matches('<h2 id="app%-%d">Timeline App</h2>', page)
      assert.matches('<h2 id="app%-%d">Mobile App</h2>', page)
      local token = page:match('name="csrf" value="([^"]+)"')
      local _, _, h = request("POST", "alice", "client=26888344961664&csrf=" .. token)
      assert.matches("^%?revoked=26888344961664&n=1&proof=", h["location"])
      status, page = request("GET", "alice", nil, "/account/apps" .. h["location"])
      assert.are.equal(200, status)
      assert.matches("Access for Timeline App was revoked.", page, 1, true)
      assert.falsy(page:find("Timeline App</h2>", 1, true))
      assert.are.same({}, server.errors())
   end)

   it("does not start without the forms' secret, saying why", function()
      local ok, err = pcall(nginx_helper.start, { conf = conf, env = environment(mock, "") })
      assert.is_false(ok)
      assert.matches("connected_apps.new: csrf_secret must be a string of 16 bytes or more", err)
   end)
end)
