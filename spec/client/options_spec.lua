-- authlete.new's options and per-call options.
local authlete = require("authlete")
local support = require("spec.helpers.client")
local helper = require("spec.helpers.mock")
local servers = require("spec.helpers.servers")
local Multi = require("authlete.transport.multi")

describe("authlete.new", function()
   it("exposes the version and Authlete's four clusters, US first", function()
      assert.matches("^%d+%.%d+%.%d+", authlete._VERSION)
      assert.are.same({ "https://us.authlete.com", "https://jp.authlete.com", "https://eu.authlete.com",
                        "https://br.authlete.com" }, authlete.servers)
   end)

   it("picks the server from server_url, server or server_idx", function()
      local function url(opts)
         local c = authlete.new(opts)
         local u = c.cfg.server_url
         c:close()
         return u
      end
      assert.are.equal("https://us.authlete.com", url({}))
      assert.are.equal("https://jp.authlete.com", url({ server_idx = 2 }))
      assert.are.equal("https://br.authlete.com", url({ server = "br" }))
      assert.are.equal("https://h.example/base", url({ server_url = "https://h.example/base//" }))
      assert.are.equal("http://127.0.0.1:8080", url({ server_url = "HTTP://127.0.0.1:8080/" }))
      assert.are.equal("https://[::1]:8443", url({ server_url = "https://[::1]:8443" }))
   end)

   it("raises at once, naming the option, for unknown names, wrong types and bad URLs", function()
      local cases = {
         { { timeout = 1 }, "unknown option 'timeout' %(did you mean 'timeout_ms'%?%)" },
         { { serviceId = "1" }, "did you mean 'service_id'" },
         { { bearer = 42 }, "bearer must be a string or a function" },
         { { security = { authlete = {} } }, "security.authlete must be a string or a function" },
         { { security = { key = "x" } }, "unknown security field 'key'" },
         { { service_id = 1.5 }, "service_id must be a string or an integer" },
         { { server_url = "ftp://h" }, "must use http or https" },
         { { server_url = "https://user:pw@h" }, "must not carry user information" },
         { { server_url = "https://h/#frag" }, "must not have a query or a fragment" },
         { { server_url = "https://h/?q=1" }, "must not have a query or a fragment" },
         { { server_url = "https://h:99999" }, "bad port" },
         { { server_url = "https://h x" }, "spaces or control characters" },
         { { server_url = "https://h\r\nX: y" }, "spaces or control characters" },
         { { server_url = "garbage" }, "is not an absolute URL" },
         { { server_url = "https://" }, "has no host" },
         { { server_url = 5 }, "server_url must be a string" },
         { { server = "mars" }, "server must be \"us\", \"jp\", \"eu\" or \"br\"" },
         { { server_idx = 0 }, "server_idx must be 1 to 4" },
         { { server_idx = 5 }, "server_idx must be 1 to 4" },
         { { server = "us", server_idx = 1 }, "give only one of server_url, server and server_idx" },
         { { timeout_ms = 0 }, "timeout_ms must be a positive integer" },
         { { connect_timeout_ms = "5" }, "connect_timeout_ms must be a positive integer" },
         { { max_response_bytes = -1 }, "max_response_bytes must be a positive integer" },
         { { headers = { ["X-A"] = "a\r\nInjected: 1" } }, "header 'X%-A' has a value containing CR, LF or NUL" },
         { { headers = { ["X A"] = "a" } }, "is not a valid HTTP field name" },
         { { headers = { ["X-A"] = 1 } }, "must have a string value" },
         { { user_agent = "ua\n" }, "containing CR, LF or NUL" },
         { { ssl_verify = "no" }, "ssl_verify must be a boolean" },
         { { ca_file = 1 }, "ca_file must be a string, got number 1" },
         { { timeout_ms = "5000" }, "timeout_ms must be a positive integer up to 2^31 %- 1, got string" },
         { { base_url = "https://x" }, "unknown option 'base_url' %(did you mean 'server_url'%?%)" },
         { { server_ur = "https://x" }, "unknown option 'server_ur' %(did you mean 'server_url'%?%)" },
         { { transport = "ngnix" }, "transport must be" },
         { { transport = "ngx" }, "transport \"ngx\" works only inside nginx" },
         { { pool_size = 0 }, "pool_size must be a positive integer" },
         { { hooks = { before = print } }, "unknown hook 'before'" },
         { { hooks = { before_request = "x" } }, "hooks.before_request must be a function" },
         { { retry_config = { strategy = "sometimes" } }, "retry_config.strategy must be" },
         { { retry_config = { retries = 3 } }, "unknown retry_config field 'retries'" },
         { { retry_config = { backoff = { initial_interval = -1 } } }, "initial_interval must be a non%-negative" },
         { { retry_config = { backoff = { exponent = 0.5 } } }, "exponent must be at least 1" },
         { { retry_config = { retry_codes = { "5xx", 600 } } }, "retry_codes%[2%] must be a status" },
         { "nope", "options must be a table" },
      }
      for _, c in ipairs(cases) do
         local ok, err = pcall(authlete.new, c[1])
         assert.is_false(ok, c[2])
         assert.matches("^authlete%.new: ", err)
         assert.matches(c[2], err)
      end
   end)
end)

describe("client options", function()
   local mock, new
   setup(function() mock, new = support.setup() end)
   teardown(function() mock:stop() end)
   before_each(function() mock:reset() end)

   local function list(client, call_opts)
      local res, err = client.token.management.list({}, call_opts)
      client:close()
      return res, err
   end

   it("takes the bearer with or without its Bearer prefix, as a string or a function", function()
      assert(list(new({ bearer = "Bearer " .. support.BEARER })))
      assert(list(new({ bearer = "bearer " .. support.BEARER })))
      local calls = 0
      local c = new({ bearer = function() calls = calls + 1 return support.BEARER end })
      assert(c.token.management.list({}))
      assert(c.token.management.list({}))
      c:close()
      assert.are.equal(2, calls) -- once per call
      assert(list(new({ bearer = false, security = { authlete = support.BEARER } })))
   end)

   it("falls back to AUTHLETE_BEARER, also when the bearer function returns nil", function()
      local script = os.tmpname()
      local f = assert(io.open(script, "w"))
      f:write(([[
         local authlete = require("authlete")
         local a = authlete.new{ server_url = %q, service_id = %q }
         local b = authlete.new{ server_url = %q, service_id = %q, bearer = function() return nil end }
         assert(a.token.management.list{})
         assert(b.token.management.list{})
         print("ok")
      ]]):format(mock.url, mock.service_id, mock.url, mock.service_id))
      f:close()
      local p = io.popen(("%s AUTHLETE_BEARER=%s lua5.4 %s 2>&1"):format(helper.LUA_ENV, support.BEARER, script))
      local out = p:read("*a")
      p:close()
      os.remove(script)
      assert.matches("ok", out)
   end)

   it("sends no Authorization without a bearer, and the server says so", function()
      local _, err = list(new({ bearer = "" }))
      assert.are.same({ "ResultError", 401, "A001202" }, { err.kind, err.statusCode, err.resultCode })
   end)

   it("refuses a bearer that would inject a header, sending nothing", function()
      for _, bad in ipairs({ "tok\r\nX-Evil: 1", "tok\n", "tok\0" }) do
         local _, err = list(new({ bearer = bad }))
         assert.are.equal("InvalidRequestError", err.kind)
         assert.falsy(tostring(err):find("tok", 1, true))
      end
      local _, err = list(new({ bearer = function() error("vault unreachable") end }))
      assert.are.equal("InvalidRequestError", err.kind)
      -- its text may quote the secret: kept out of the message, in cause
      assert.falsy(tostring(err):find("vault unreachable", 1, true))
      assert.matches("vault unreachable", err.cause)
      _, err = list(new({ bearer = function() return 42 end }))
      assert.matches("returned a number, not a string", err.message)
      assert.are.equal(0, mock:stats().api_requests)
   end)

   it("sends client headers and User-Agent, with per-call headers winning", function()
      local c = new({ user_agent = "ops-script/1.0", headers = { ["X-Trace"] = "client", ["X-Team"] = "gw" } })
      assert(c.token.management.list({}, { headers = { ["x-trace"] = "call" } }))
      c:close()
      local h = mock:requests()[1].headers
      assert.are.same({ "ops-script/1.0", "call", "gw" }, { h["user-agent"], h["x-trace"], h["x-team"] })
   end)

   it("honours per-call server_url and timeout_ms", function()
      local closed = ("http://127.0.0.1:%d"):format(servers.free_port())
      local c = new({ server_url = closed })
      local res = c.token.management.list({}, { server_url = mock.url })
      assert.is_table(res)
      local _, err = c.token.management.list({})
      assert.are.equal("ConnectionError", err.kind)
      c:close()
      mock:fault({ delay_ms = 3000 })
      _, err = list(new(), { timeout_ms = 200 })
      assert.are.equal("RequestTimeoutError", err.kind)
      assert.has_error(function() list(new(), { timeout = 5 }) end)
      assert.has_error(function() list(new(), { server_url = "ftp://x" }) end)
   end)

   it("calls hooks with the Authorization header and delete's token redacted", function()
      local before, after = {}, {}
      local c = new({ hooks = { before_request = function(i) before[#before + 1] = i end,
                                after_response = function(i) after[#after + 1] = i end } })
      local token = assert(c.token.management.create(support.create_request()))
      assert(c.token.management.delete({ accessTokenIdentifier = token.accessToken }))
      c:close()
      assert.are.equal(2, #before)
      assert.are.same({ "create", "POST", 1 }, { before[1].operation, before[1].method, before[1].attempt })
      assert.are.equal("[redacted]", before[1].headers.Authorization)
      assert.matches("/auth/token/create$", before[1].url)
      assert.matches("/auth/token/delete/%[redacted%]$", before[2].url)
      assert.are.same({ 200, 204 }, { after[1].status, after[2].status })
      assert.is_number(after[1].elapsed_ms)
      for _, s in ipairs(support.strings({ before, after })) do
         assert.falsy(s:find(support.BEARER, 1, true))
         assert.falsy(s:find(token.accessToken, 1, true))
      end
   end)

   it("fills a response table with the answer's status and headers when asked", function()
      local c = new()
      local meta = {}
      local res = c.token.management.list({}, { response = meta })
      assert.is_table(res)
      assert.is_nil(getmetatable(res) and getmetatable(res).__index) -- the result is the result
      assert.are.equal(200, meta.status)
      assert.are.equal(1, meta.attempts)
      assert.matches("^application/json", meta.headers["content-type"])
      local emeta = {}
      local _, err = c.token.management.delete({ accessTokenIdentifier = "no-such-token" }, { response = emeta })
      assert.are.equal(404, emeta.status)
      assert.are.equal(err.headers["content-type"], emeta.headers["content-type"])
      assert.has_error(function() c.token.management.list({}, { response = true }) end)
      c:close()
   end)

   it("a raising after_response hook loses no result: the token comes back with the hook's error", function()
      local c = new({ hooks = { after_response = function() error("log sink full", 0) end } })
      local token, err, hook_error = c.token.management.create(support.create_request())
      assert.is_string(token and token.accessToken)
      assert.is_nil(err)
      assert.are.equal("HookError", hook_error.kind)
      assert.matches("log sink full", tostring(hook_error))
      assert.are.equal("log sink full", hook_error.cause)
      -- a failed call carries it too
      local res, ferr, fhook = c.token.management.delete({ accessTokenIdentifier = "no-such-token" })
      assert.is_nil(res)
      assert.are.equal("ResultError", ferr.kind)
      assert.are.equal(fhook, ferr.hook_error)
      assert.are.equal("HookError", fhook.kind)
      c:close()
      assert.are.equal(1, mock:stats().tokens)
   end)

   it("closes, also twice and through <close>, and refuses calls afterwards", function()
      local c = new()
      assert(c.token.management.list({}))
      c:close()
      c:close()
      assert.has_error(function() c.token.management.list({}) end, "attempt to use a closed authlete client")
      if _VERSION == "Lua 5.4" then
         local chunk = load([[
            local new = ...
            local client <close> = new()
            assert(client.token.management.list({}))
            return client
         ]])
         assert.is_true(chunk(new).closed)
      end
   end)
end)

describe("client options from the environment", function()
   local mock
   setup(function() mock = helper.start() end)
   teardown(function() mock:stop() end)

   -- Run `code` in a fresh lua5.4 with the environment `env`; its output.
   local function run(env, code)
      local p = io.popen(("%s %s lua5.4 -e %q 2>&1"):format(helper.LUA_ENV, env, code))
      local out = p:read("*a")
      p:close()
      return out
   end

   it("takes AUTHLETE_BASE_URL and AUTHLETE_SERVICE_ID, and options win over them", function()
      local env = ("AUTHLETE_BEARER=%s AUTHLETE_BASE_URL=%s AUTHLETE_SERVICE_ID=%s"):format(helper.BEARER, mock.url,
         mock.service_id)
      assert.matches("^totalCount 0", run(env, [[
         local c = require("authlete").new()
         local res, err = c.token.management.list({})
         print(res and ("totalCount " .. res.totalCount) or tostring(err))]]))
      -- an option wins: this server_url has nothing listening
      assert.matches("ConnectionError", run(env, [[
         local c = require("authlete").new({ server_url = "http://127.0.0.1:9" })
         print(select(2, c.token.management.list({})))]]))
      assert.matches("authlete.new %(from AUTHLETE_BASE_URL%): server_url must use http or https",
         run("AUTHLETE_BASE_URL=ftp://x", [[print(select(2, pcall(require("authlete").new)))]]))
   end)
end)

describe("client transport options", function()
   -- the libcurl transport, and authlete.transport.multi (which used to
   -- drop these options silently)
   for _, transport in ipairs({ "curl", "multi" }) do
      it(("verifies TLS by default, and takes ca_file or an explicit ssl_verify = false (%s)"):format(transport),
         function()
         local tls = servers.tls()
         local base = { bearer = "x", server_url = tls.url, service_id = "1" }
         local function try(extra)
            local o = {}
            for k, v in pairs(base) do o[k] = v end
            for k, v in pairs(extra) do o[k] = v end
            local multi = transport == "multi" and Multi.new() or nil
            o.transport = multi or transport
            local c = authlete.new(o)
            local res, err = c.token.management.list({})
            c:close()
            if multi then multi:close() end
            return res, err
         end
         local _, err = try({})
         assert.are.same({ "ConnectionError", "tls", false }, { err.kind, err.reason, err.sent })
         -- s_server answers any request with an HTML status page: reaching it is what counts.
         _, err = try({ ca_file = tls.cert })
         assert.are.same({ "AuthleteDefaultError", 200 }, { err.kind, err.statusCode })
         _, err = try({ ssl_verify = false })
         assert.are.equal(200, err.statusCode)
         tls.stop()
      end)
   end

   it("refuses an option the transport cannot honour, naming both", function()
      local function refused(opts, pattern)
         local o = { bearer = "x", service_id = "1" }
         for k, v in pairs(opts) do o[k] = v end
         local ok, err = pcall(authlete.new, o)
         assert.is_false(ok, pattern)
         assert.matches(pattern, err)
      end
      refused({ transport = "ngx", ca_file = "/etc/ssl/ca.pem" },
              "option 'ca_file' is not supported by transport \"ngx\" %(nginx verifies against lua_ssl_trusted_certificate")
      refused({ transport = "curl", pool_size = 8 }, "option 'pool_size' is not supported by transport \"curl\"")
      refused({ pool_size = 8 }, "option 'pool_size' is not supported by transport \"curl\"")
      refused({ transport = function() end, ssl_verify = true },
              "option 'ssl_verify' is not supported by transport a function %(the function does its own HTTP%)")
      refused({ transport = function() end, max_response_bytes = 100 }, "option 'max_response_bytes' is not supported")
      local function nop() end
      refused({ transport = { perform = nop }, ca_file = "/x" }, "transport must be .*a transport object %(bind, or perform")
      refused({ transport = { perform = nop, ready = nop, sleep = nop, now_ms = nop, close = nop },
                proxy = "http://p:3128" },
              "option 'proxy' is not supported by this transport object")
      refused({ transport = Multi.new(), keepalive_timeout = 1000 },
              "option 'keepalive_timeout' is not supported by transport authlete.transport.multi")
      refused({ transport = Multi.new({ ssl_verify = false }), ssl_verify = true },
              "option 'ssl_verify' is true for the client but false in its multi transport's options")
      -- what a transport honours is accepted
      authlete.new({ bearer = "x", transport = function() end, connect_timeout_ms = 500 }):close()
      authlete.new({ bearer = "x", transport = Multi.new(), ca_file = "/etc/ssl/certs/ca-certificates.crt" }):close()
   end)

   it("sends through a proxy", function()
      local mock, new = support.setup()
      local c = new({ server_url = "http://api.example.invalid", proxy = mock.url })
      assert.is_table(c.token.management.list({}))
      c:close()
      assert.are.equal(1, mock:stats().requests.list)
      mock:stop()
   end)

   it("sends a proxy URL's credentials, and goes directly to hosts no_proxy lists", function()
      local mock, new = support.setup()
      local proxy = servers.proxy("spec-user:s3cr:t")
      local with_credentials = proxy.url:gsub("^http://", function() return "http://spec-user:s3cr%3At@" end)
      for _, transport in ipairs({ "curl", Multi.new() }) do
         local c = new({ proxy = with_credentials, transport = transport ~= "curl" and transport or nil })
         assert.is_table(c.token.management.list({}))
         c:close()
         local lines = proxy.lines()
         assert.matches("^auth GET " .. mock.url:gsub("%p", "%%%0") .. "/api/", lines[#lines])
         c = new({ proxy = with_credentials, no_proxy = "example.com,127.0.0.1",
                   transport = transport ~= "curl" and transport or nil })
         assert.is_table(c.token.management.list({}))
         c:close()
         assert.are.equal(#lines, #proxy.lines())
      end
      proxy.stop()
      mock:stop()
   end)

   it("refuses a no_proxy that is not a string, and a proxy the cosocket transport cannot speak", function()
      assert.has_error(function() authlete.new({ bearer = "x", no_proxy = { "a" } }) end,
         "authlete.new: no_proxy must be a string, got table")
      local proxies = require("authlete.transport.proxy")
      assert.are.same({ nil, "only http:// proxies are supported, got socks5://" },
                      { proxies.parse("socks5://127.0.0.1:1080") })
      assert.are.equal("Basic " .. require("authlete.hash").base64("u@x:p:q"), proxies.parse("http://u%40x:p:q@h:1").authorization)
      assert.are.equal(1080, proxies.parse("h").port)
   end)
end)
