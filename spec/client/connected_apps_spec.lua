-- The connected-apps page's parts that need no nginx: Accept-Language
-- matching, grouping tokens per application, the HTML, and the checks of
-- connected_apps.new's options. spec/nginx and spec/browser run the page.
local grants = require("authlete.ngx.apps.grants")
local languages = require("authlete.ngx.apps.languages")
local view = require("authlete.ngx.apps.view")

describe("authlete.ngx.apps.languages", function()
   it("orders ranges by weight, keeping the header's order for equal ones", function()
      assert.are.same({ "de-ch", "fr", "de", "en" }, languages.parse("de-CH, en;q=0.5, fr, de;q=0.9"))
      assert.are.same({ "en" }, languages.parse("*, en;q=0.1, ja;q=0, x;q=2, bad;q=abc, ;;, 12"))
      assert.are.same({}, languages.parse(nil))
      assert.are.same(24, #languages.parse(("en,"):rep(5000)))
   end)

   local names = { { tag = "en", value = "Photos" }, { tag = "de", value = "Fotos" },
                   { tag = "zh-Hant", value = "相片" }, { tag = "en-GB", value = "Photographs" } }

   it("picks the best tag: exact, then shortened, then the same primary language", function()
      assert.are.equal("Fotos", languages.pick(languages.parse("de-CH, en;q=0.5"), names))
      assert.are.equal("Photographs", languages.pick({ "en-gb" }, names))
      assert.are.equal("相片", languages.pick({ "zh-hant-tw" }, names))
      assert.are.equal("相片", languages.pick({ "zh-cn" }, names)) -- same language, another script: better than none
      assert.are.equal("Photos", languages.pick({ "fr", "en-us" }, names))
      assert.is_nil(languages.pick({ "fr" }, names))
      assert.are.equal("Bestellungen", languages.pick({ "de" }, { de = "Bestellungen", en = "Orders" }))
   end)

   it("ignores tagged values that are not strings or are empty", function()
      assert.is_nil(languages.pick({ "en" }, { { tag = "en", value = "" }, { tag = 1, value = "x" }, "junk" }))
      assert.is_nil(languages.pick({ "en" }, nil))
   end)
end)

describe("authlete.ngx.apps.grants", function()
   local NOW = 1800000000000
   local function token(client, fields)
      local t = { clientId = client, grantType = "AUTHORIZATION_CODE", scopes = { "openid" },
                  createdAt = NOW - 3600000, lastRefreshedAt = 0, accessTokenExpiresAt = NOW + 3600000 }
      for k, v in pairs(fields or {}) do t[k] = v end
      return t
   end

   it("groups tokens by client, counting them, each scope and grant type once", function()
      local apps = grants.group({
         token(26888344961664, { scopes = { "a", "b" } }),
         token(5921531358155430, { createdAt = NOW - 60000 }),
         token(26888344961664, { scopes = { "b", "c" }, grantType = "DEVICE_CODE", lastRefreshedAt = NOW - 1000,
                                  createdAt = NOW - 7200000, refreshTokenExpiresAt = NOW + 86400000 }),
      }, NOW)
      assert.are.equal(2, #apps)
      local a = apps[1] -- refreshed a second ago: the most recent
      assert.are.same({ "26888344961664", 2, { "a", "b", "c" }, { "AUTHORIZATION_CODE", "DEVICE_CODE" } },
                      { a.id, a.count, a.scopes, a.grant_types })
      assert.are.same({ NOW - 7200000, NOW - 1000, NOW + 86400000 }, { a.since, a.refreshed, a.expires })
      assert.are.same({ "5921531358155430", 1 }, { apps[2].id, apps[2].count })
      assert.is_nil(apps[2].refreshed) -- 0 means never
   end)

   it("leaves out tokens that no longer give access, and keeps those a refresh token renews", function()
      local apps = grants.group({
         token(1, { accessTokenExpiresAt = NOW - 1 }),
         token(2, { accessTokenExpiresAt = NOW - 1, refreshTokenExpiresAt = NOW + 1 }),
         token(3, { accessTokenExpiresAt = false }), -- no expiry stated: shown, "not stated"
         token(nil),                                -- no client: nothing to revoke by
         token(1.5),
      }, NOW)
      assert.are.same({ "2", "3" }, { apps[1].id, apps[2].id })
      assert.is_nil(apps[2].expires)
   end)

   it("writes client IDs exactly, up to 2^53 on every Lua", function()
      assert.are.equal("9007199254740992", grants.id_text(require("authlete.compat").tointeger(2 ^ 53)))
      assert.are.equal("5921531358155430", grants.id_text(5921531358155430))
      assert.is_nil(grants.id_text("123"))
   end)

   it("describes grant types in words, and an unknown one by its name", function()
      assert.are.equal("you approved it when signing in; NEW_GRANT",
                       grants.describe({ "AUTHORIZATION_CODE", "NEW_GRANT" }))
   end)
end)

describe("authlete.ngx.apps.view", function()
   local function app(fields)
      local a = { id = "26888344961664", name = "Timeline", count = 1, scopes = { "openid" }, grant_types = {},
                  since = 1796241600000 }
      for k, v in pairs(fields or {}) do a[k] = v end
      return a
   end

   it("escapes text and attributes", function()
      assert.are.equal("&lt;a href=&quot;x&quot;&gt;&amp;&#39;", view.escape('<a href="x">&\''))
   end)

   it("allows its stylesheet by hash, and nothing else", function()
      local html = view.page({ title = "Apps", apps = { app() }, csrf = "1.x" })
      assert.truthy(html:find("<style>" .. view.STYLE .. "</style>", 1, true))
      assert.matches("^default%-src 'none'; style%-src 'sha256%-", view.CSP)
      assert.falsy(html:find("<script", 1, true))
      assert.falsy(html:find(" style=", 1, true)) -- an inline style attribute would need 'unsafe-inline'
   end)

   it("labels each button with its application for screen readers", function()
      local html = view.page({ title = "Apps", apps = { app({ name = "<b>" }) }, csrf = "1.x" })
      assert.truthy(html:find('Revoke access<span class="sr"> for &lt;b&gt;</span>', 1, true))
      assert.truthy(html:find('<input type="hidden" name="client" value="26888344961664">', 1, true))
   end)

   it("writes times in UTC with a machine-readable datetime", function()
      assert.are.equal('<time datetime="2026-12-02T21:05Z">2 Dec 2026, 21:05 UTC</time>', view.time(1796245500000))
   end)

   it("links a message back to the same path, never to another site", function()
      local html = view.message({ title = "Down", text = "Try later", link = "Try again" })
      assert.truthy(html:find('<a href="?">Try again</a>', 1, true))
   end)
end)

describe("authlete.ngx.connected_apps.new", function()
   local saved
   setup(function()
      saved = rawget(_G, "ngx")
      _G.ngx = { shared = { names = {} } } -- what new() looks at: the shared dicts
   end)
   teardown(function() _G.ngx = saved end)

   local connected_apps = require("authlete.ngx.connected_apps")
   local function opts(changes)
      local o = { subject = { header = "X-User" }, csrf_secret = ("s"):rep(16), names_dict = "names" }
      for k, v in pairs(changes) do
         if v == "nil" then o[k] = nil else o[k] = v end
      end
      return o
   end

   it("takes a complete set of options", function()
      assert.truthy(connected_apps.new(opts({})))
      assert.truthy(connected_apps.new(opts({ subject = function() return "x" end, names = { ["1"] = "A" } })))
   end)

   local cases = {
      { "nil", "subject", "must be { header = name }, { var = name } or a function, got nil" },
      { { header = "a", var = "b" }, "subject", "must name exactly one source" },
      { { header = "bad name" }, "subject.header", "must be a name" },
      { { query = "user" }, "subject", "must name exactly one source" },
   }
   it("names the field of a wrong subject", function()
      for _, c in ipairs(cases) do
         local ok, err = pcall(connected_apps.new, opts({ subject = c[1] }))
         assert.is_false(ok)
         assert.matches("connected_apps.new: " .. c[2]:gsub("%p", "%%%0") .. " " .. c[3]:gsub("%p", "%%%0"), err)
      end
   end)

   it("says how to call serve when it is called without its page", function()
      local page = connected_apps.new(opts({}))
      local ok, err = pcall(page.serve)
      assert.is_false(ok)
      assert.matches("call serve on the page, with a colon: page:serve%(%)", err)
   end)

   it("names every other wrong option", function()
      local wrong = {
         { { csrf_secret = "short" }, "csrf_secret must be a string of 16 bytes or more" },
         { { names_dict = "missing" }, "names_dict must name a lua_shared_dict, got missing" },
         { { names = { [1] = "A" } }, "names keys must be client IDs as strings of digits" },
         { { names = { ["1"] = 2 } }, 'names["1"] must be a string or a table' },
         { { names = { ["1"] = { en = 1 } } }, 'names["1"] must map language tags to strings' },
         { { names_ttl = 0 }, "names_ttl must be a positive whole number" },
         { { max_grants = 1.5 }, "max_grants must be a positive whole number" },
         { { name_lookups = 0 }, "name_lookups must be a positive whole number" },
         { { title = 1 }, "title must be a string" },
         { { client_options = "x" }, "client_options must be a table" },
         { { client_options = { timeout = 5 } }, "client_options are wrong: " },
         { { introspection_cache = {} }, "introspection_cache must be an authlete.ngx.introspection_cache" },
         { { subjet = "x" }, "subjet is not an option" },
      }
      for _, w in ipairs(wrong) do
         local ok, err = pcall(connected_apps.new, opts(w[1]))
         assert.is_false(ok)
         assert.truthy(err:find("connected_apps.new: " .. w[2], 1, true), err)
      end
   end)
end)
