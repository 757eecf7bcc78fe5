-- The connected-apps page (authlete.ngx.connected_apps) under real nginx,
-- over plain HTTP: who may see and change what, the headers, the forms'
-- CSRF tokens, names, and failures. spec/browser runs it in chromium.
local apps = require("spec.helpers.connected_apps")
local csrf = require("authlete.ngx.csrf")
local helper = require("spec.helpers.mock")
local http = require("spec.helpers.http")

local MAX_GRANTS = 5

local function form(fields)
   local parts = {}
   for k, v in pairs(fields) do parts[#parts + 1] = helper.encode(k) .. "=" .. helper.encode(v) end
   table.sort(parts)
   return table.concat(parts, "&")
end

describe("the connected-apps page", function()
   local env, port
   setup(function()
      env = apps.start({
         page = ([[
            max_grants = %d,
            names = { ["31415926535897"] = { de = "Bestellungen", en = "Orders" } },
            introspection_cache = require("authlete.ngx.introspection_cache").new({ dict = "introspection", key = "hash" }),
         ]]):format(MAX_GRANTS),
         -- the same page with the subject from a function, which can fail
         pages = { ["/fn/apps"] = [[
            subject = function()
               local how = ngx.var.http_x_how
               if how == "raise" then error("the session store is down") end
               if how == "number" then return 42 end
               return how
            end,
         ]] },
         -- a gateway's introspection cache, keyed by token hash
         http = "   lua_shared_dict introspection 1m;",
         server = [[
      location = /__introspection {
         content_by_lua_block {
            local dict = ngx.shared.introspection
            if ngx.var.arg_set then dict:set(ngx.var.arg_set, "active") end
            ngx.print(dict:get(ngx.var.arg_get or "") or "none")
         }
      }
]],
      })
      port = env.nginx.port
   end)
   teardown(function() apps.stop(env) end)
   before_each(function()
      env.mock:reset()
      env.mock:clear_faults()
      apps.flush_names(env)
   end)

   local function get(subject, opts)
      opts = opts or {}
      local headers = { ["Accept-Language"] = opts.language }
      if subject then headers[apps.HEADER] = subject end
      local status, h, body = http.request("127.0.0.1", port, { method = opts.method or "GET",
         path = apps.PATH .. (opts.query or ""), headers = headers })
      return status, body, h
   end

   local function post(subject, fields, extra)
      local headers = { ["Content-Type"] = "application/x-www-form-urlencoded" }
      if subject then headers[apps.HEADER] = subject end
      for k, v in pairs(extra or {}) do headers[k] = v end
      local status, h, body = http.request("127.0.0.1", port, { method = "POST", path = apps.PATH,
         headers = headers, body = form(fields) })
      return status, body, h
   end

   -- The page's CSRF token for `subject`, as its forms carry it.
   local function token_of(subject)
      local _, body = get(subject)
      return body:match('name="csrf" value="([^"]+)"')
   end

   local function api_requests() return env.mock:stats().api_requests end

   local function valid(subject, client_id)
      local _, res = helper.list(env.mock, { subject = subject, clientIdentifier = ("%d"):format(client_id),
                                             tokenStatus = "VALID", start = 0, ["end"] = 20 })
      return res.totalCount
   end

   local function names_in(body)
      local out = {}
      for name in body:gmatch('<h2 id="app%-%d+">(.-)</h2>') do out[#out + 1] = name end
      table.sort(out)
      return out
   end

   describe("without the subject from the configured source", function()
      it("answers 401 and calls nothing", function()
         apps.grant(env.mock, "alice", apps.TIMELINE, { "openid" })
         local before = api_requests()
         local status, body, h = get(nil)
         assert.are.equal(401, status)
         assert.matches("Sign in to see the applications", body)
         assert.are.equal("no-store", h["cache-control"])
         -- a subject in the query or the form is no subject
         assert.are.equal(401, (get(nil, { query = "?subject=alice" })))
         assert.are.equal(401, (post(nil, { subject = "alice", client = tostring(apps.TIMELINE) })))
         assert.are.equal(before, api_requests())
      end)

      it("answers 401 when the subject function fails or returns no string, logging why", function()
         apps.grant(env.mock, "alice", apps.TIMELINE, { "openid" })
         local function fn_page(how)
            local status, _, body = http.request("127.0.0.1", port, { path = "/fn/apps", headers = { ["X-How"] = how } })
            return status, body
         end
         local before = api_requests()
         assert.are.equal(401, (fn_page("raise")))
         assert.are.equal(401, (fn_page("number")))
         assert.are.equal(before, api_requests())
         assert.matches("connected apps: the subject function failed: .*the session store is down", env.nginx.log())
         local status, body = fn_page("alice")
         assert.are.equal(200, status)
         assert.matches("Timeline App", body, 1, true)
      end)

      it("answers 401 to a subject header sent twice, which is ambiguous", function()
         local status = http.request("127.0.0.1", port, { path = apps.PATH,
            headers = { [apps.HEADER] = "alice\r\n" .. apps.HEADER .. ": bob" } })
         assert.are.equal(401, status)
      end)
   end)

   describe("GET", function()
      it("lists the subject's applications with the security headers, and no token or hash", function()
         local t1 = apps.grant(env.mock, "alice", apps.TIMELINE, { "openid", "timeline.read" })
         local t2 = apps.grant(env.mock, "alice", apps.TIMELINE, { "history.read" })
         local t3 = apps.grant(env.mock, "alice", apps.MOBILE, { "profile" }, { grantType = "PASSWORD" })
         apps.grant(env.mock, "bob", apps.ORDERS, { "orders.read" })
         local status, body, h = get("alice")
         assert.are.equal(200, status)
         assert.are.equal("text/html; charset=utf-8", h["content-type"])
         assert.matches("^default%-src 'none'; style%-src 'sha256%-[%w+/=]+'; form%-action 'self'; " ..
                        "frame%-ancestors 'none'; base%-uri 'none'$", h["content-security-policy"])
         assert.are.same({ "nosniff", "no-store", "no-referrer", "DENY" },
            { h["x-content-type-options"], h["cache-control"], h["referrer-policy"], h["x-frame-options"] })
         assert.are.same({ "Mobile App", "Timeline App" }, names_in(body))
         assert.matches('2 grants', body, 1, true)
         assert.matches("you gave it your password", body, 1, true)
         assert.matches("<li>openid</li><li>timeline.read</li><li>history.read</li>", body, 1, true)
         assert.falsy(body:find("Orders", 1, true)) -- bob's
         for _, t in ipairs({ t1, t2, t3 }) do
            for _, secret in ipairs({ t.accessToken, t.refreshToken, require("authlete.hash").token_hash(t.accessToken) }) do
               assert.falsy(body:find(secret, 1, true))
               assert.falsy(env.nginx.log():find(secret, 1, true))
            end
         end
         assert.falsy(env.nginx.log():find(helper.BEARER, 1, true))
      end)

      it("says so when no application has access", function()
         local status, body = get("nobody")
         assert.are.equal(200, status)
         assert.matches("No application has access to your account.", body, 1, true)
         assert.falsy(body:find("<form", 1, true))
      end)

      it("names an application the operator's way first, in the reader's language", function()
         apps.grant(env.mock, "alice", apps.ORDERS, { "orders.read" })
         assert.are.same({ "Bestellungen" }, names_in(select(2, get("alice", { language = "de-AT, en;q=0.5" }))))
         assert.are.same({ "Orders" }, names_in(select(2, get("alice", { language = "fr, en-US;q=0.8" }))))
      end)

      it("names an application from Authlete's client, localised, cached in the shared dict", function()
         apps.grant(env.mock, "alice", apps.MOBILE, { "openid" })
         env.mock:set_client({ clientId = apps.MOBILE, clientNames = { { tag = "ja", value = "モバイル" } } })
         local before = api_requests()
         assert.are.same({ "モバイル" }, names_in(select(2, get("alice", { language = "ja-JP" }))))
         local first = api_requests() - before -- the grants, then the client's names
         assert.are.equal(2, first)
         -- the names are cached: the next views (another language too) ask for the grants only
         assert.are.same({ "Mobile App" }, names_in(select(2, get("alice", { language = "en" }))))
         assert.are.equal(first + 1, api_requests() - before)
      end)

      it("looks up the names of new applications side by side, not one after another", function()
         for _, client in ipairs({ apps.TIMELINE, apps.MOBILE, apps.NOTES, apps.CALENDAR }) do
            apps.grant(env.mock, "alice", client, { "openid" })
         end
         assert.are.equal(1, env.mock:stats().peak_in_flight) -- the grants, one after another
         env.mock:configure({ latency_ms = 300 }) -- each lookup is held long enough to overlap the others
         local _, body = get("alice")
         env.mock:configure({ latency_ms = 0 })
         assert.are.same({ "Calendar", "Mobile App", "Notes", "Timeline App" }, names_in(body))
         local stats = env.mock:stats()
         -- one list of the grants, then the 4 lookups at once (name_lookups, 4 by default)
         assert.are.same({ 5, 4 }, { stats.requests.list, stats.peak_in_flight })
      end)

      it("escapes every value that came from outside", function()
         apps.grant(env.mock, "alice", apps.MOBILE, { apps.EVIL_SCOPE })
         env.mock:set_client({ clientId = apps.MOBILE, clientNames = { { tag = "x-evil", value = '"><script>x()</script>' } } })
         local _, body = get("alice", { language = "x-evil" })
         assert.falsy(body:find("<img", 1, true))
         assert.falsy(body:find("<script", 1, true))
         assert.matches("&lt;img src=x onerror=alert(1)&gt;", body, 1, true)
         assert.matches("&quot;&gt;&lt;script&gt;x()&lt;/script&gt;", body, 1, true)
      end)

      it("reads at most max_grants tokens, and says that older ones are not shown", function()
         for _ = 1, MAX_GRANTS + 1 do apps.grant(env.mock, "alice", apps.TIMELINE, { "openid" }) end
         local _, body = get("alice")
         assert.matches(("%d grants"):format(MAX_GRANTS), body, 1, true)
         assert.matches("Only your most recent grants are shown.", body, 1, true)
      end)

      it("answers other methods 405 with Allow", function()
         local status, _, h = get("alice", { method = "PUT" })
         assert.are.same({ 405, "GET, HEAD, POST" }, { status, h["allow"] })
      end)
   end)

   describe("POST", function()
      it("revokes the subject's tokens of one client, then redirects to a confirmation", function()
         apps.grant(env.mock, "alice", apps.TIMELINE, { "openid" })
         apps.grant(env.mock, "alice", apps.TIMELINE, { "openid" })
         apps.grant(env.mock, "alice", apps.MOBILE, { "openid" })
         apps.grant(env.mock, "bob", apps.TIMELINE, { "openid" })
         local status, _, h = post("alice", { csrf = token_of("alice"), client = tostring(apps.TIMELINE) })
         assert.are.equal(303, status)
         local query = h["location"]:match("^%?(revoked=26888344961664&n=2&proof=[%w._-]+)$")
         assert.truthy(query, h["location"])
         assert.are.equal("no-store", h["cache-control"])
         assert.are.same({ 0, 1, 1 }, { valid("alice", apps.TIMELINE), valid("alice", apps.MOBILE),
                                        valid("bob", apps.TIMELINE) })
         local _, body = get("alice", { query = "?" .. query })
         assert.matches('role="status">Access for Timeline App was revoked (2 grants).</p>', body, 1, true)
         -- the confirmation is signed for alice: bob, given the link, sees none
         assert.falsy(select(2, get("bob", { query = "?" .. query })):find('role="status"', 1, true))
         assert.falsy(select(2, get("alice", { query = "?" .. query:gsub("n=2", "n=9") })):find('role="status"', 1, true))
         assert.matches("connected apps: alice revoked the access of client 26888344961664 (2 tokens)",
                        env.nginx.log(), 1, true)
      end)

      it("evicts the revoked tokens from the gateway's introspection cache, and only those", function()
         local token_hash = require("authlete.hash").token_hash
         local function cache(query)
            local _, _, body = http.request("127.0.0.1", port, { path = "/__introspection?" .. query })
            return body
         end
         local hashes = {}
         for _, grant in ipairs({ { "alice", apps.TIMELINE }, { "alice", apps.TIMELINE }, { "alice", apps.MOBILE },
                                  { "bob", apps.TIMELINE } }) do
            local h = token_hash(apps.grant(env.mock, grant[1], grant[2], { "openid" }).accessToken)
            assert.are.equal("active", cache("set=" .. h .. "&get=" .. h))
            hashes[#hashes + 1] = h
         end
         assert.are.equal(303, (post("alice", { csrf = token_of("alice"), client = tostring(apps.TIMELINE) })))
         local left = {}
         for i, h in ipairs(hashes) do left[i] = cache("get=" .. h) end
         assert.are.same({ "none", "none", "active", "active" }, left)
      end)

      it("says so when there was nothing left to revoke (another tab was first)", function()
         apps.grant(env.mock, "alice", apps.MOBILE, { "openid" })
         local token = token_of("alice")
         assert.are.equal(303, (post("alice", { csrf = token, client = tostring(apps.MOBILE) })))
         local _, _, h = post("alice", { csrf = token, client = tostring(apps.MOBILE) })
         assert.matches("^%?revoked=5921531358155430&n=0&", h["location"])
         local _, body = get("alice", { query = h["location"] })
         assert.matches('role="status">Mobile App had no access left to revoke.</p>', body, 1, true)
         assert.matches("No application has access to your account.", body, 1, true)
      end)

      it("revokes nothing without a valid CSRF token, whatever else is posted", function()
         apps.grant(env.mock, "alice", apps.TIMELINE, { "openid" })
         local now = os.time()
         local forged = {
            {},                                                     -- no token
            { csrf = "" },
            { csrf = token_of("bob") },                             -- another user's
            { csrf = csrf.token(apps.SECRET, "alice", now - 7200, 3600) }, -- expired
            { csrf = csrf.token("another-secret-of-16+bytes", "alice", now, 3600) },
            { csrf = token_of("alice"):gsub("%.(.)", function(c) return "." .. (c == "A" and "B" or "A") end) },
            { csrf = "9999999999" },
         }
         for i, fields in ipairs(forged) do
            fields.client = tostring(apps.TIMELINE)
            local status, body = post("alice", fields)
            assert.are.equal(403, status, "case " .. i)
            assert.matches("nothing was revoked", body, 1, true)
         end
         assert.are.equal(1, valid("alice", apps.TIMELINE))
         assert.matches("a POST without a valid CSRF token %(forged%) changed nothing", env.nginx.log())
      end)

      it("refuses a form that names no application, and never takes a subject from it", function()
         apps.grant(env.mock, "alice", apps.MOBILE, { "openid" })
         apps.grant(env.mock, "bob", apps.TIMELINE, { "openid" })
         local token = token_of("alice")
         for _, client in ipairs({ "", "orders-web", "1 OR 1", ("9"):rep(21) }) do
            assert.are.equal(400, (post("alice", { csrf = token, client = client })))
         end
         -- alice's valid form, with bob's name in it: alice's tokens only
         assert.are.equal(303, (post("alice", { csrf = token, client = tostring(apps.TIMELINE), subject = "bob" })))
         assert.are.equal(1, valid("bob", apps.TIMELINE))
      end)
   end)

   describe("when Authlete fails", function()
      it("answers 503 with a retry link when it cannot be reached, logging no bearer", function()
         -- dropped every time: a call found dead on a pooled connection is
         -- sent again on the next, up to 4 attempts in all (STALE_RETRIES),
         -- and earlier specs leave several connections in the pool
         env.mock:fault({ operation = "list", drop = true, times = 4 })
         local status, body = get("alice")
         assert.are.equal(503, status)
         assert.matches("cannot be shown just now", body, 1, true)
         assert.matches('<a href="?">Try again</a>', body, 1, true)
         assert.matches("connected apps: list failed: ConnectionError", env.nginx.log())
         assert.falsy(env.nginx.log():find(helper.BEARER, 1, true))
      end)

      it("answers 502 when Authlete answers an error, and 503 when it says it is unavailable", function()
         env.mock:fault({ operation = "list", status = 500,
                          body = { resultCode = "A001101", resultMessage = "[A001101] boom" } })
         assert.are.equal(502, (get("alice")))
         env.mock:fault({ operation = "list", status = 503, body = { resultCode = "A001102", resultMessage = "busy" } })
         assert.are.equal(503, (get("alice")))
      end)

      it("says a revoke failed without claiming it worked", function()
         apps.grant(env.mock, "alice", apps.TIMELINE, { "openid" })
         local token = token_of("alice")
         env.mock:fault({ operation = "revoke", status = 500,
                          body = { resultCode = "A001101", resultMessage = "[A001101] boom" } })
         local status, body = post("alice", { csrf = token, client = tostring(apps.TIMELINE) })
         assert.are.equal(502, status)
         assert.matches("Access could not be revoked just now.", body, 1, true)
         assert.are.equal(1, valid("alice", apps.TIMELINE))
      end)
   end)
end)
