-- The connected-apps page in a real browser: Debian's chromium, headless,
-- driven by Debian's python3-selenium (connected_apps.py beside this file)
-- at a phone's width, against nginx and the mock. Run as its own suite
-- (`busted --run=browser`), once: not under ASan or valgrind, whose
-- preloads a browser must not inherit.
local apps = require("spec.helpers.connected_apps")
local helper = require("spec.helpers.mock")
local json = require("authlete.json")
local sh = require("spec.helpers.servers").sh

-- /usr/bin/python3, not the first python3 on PATH: a pyenv or venv one
-- does not see Debian's selenium (and a stock Debian 12 has only this one).
local PYTHON = "/usr/bin/python3"
local SCREENSHOT = "build/connected-apps.png"

-- Why the browser cannot run here, or nil.
local function missing()
   for _, path in ipairs({ "/usr/bin/chromium", "/usr/bin/chromedriver" }) do
      local f = io.open(path)
      if not f then return path .. " is not installed" end
      f:close()
   end
   local _, has_selenium = sh(PYTHON .. " -c 'import selenium'")
   if not has_selenium then return "python3-selenium is not installed" end
   return nil
end

local function by_name(list)
   local out = {}
   for _, app in ipairs(list) do out[app.name] = app end
   return out
end

-- The width of a PNG image (its IHDR chunk), or nil when it is not one.
local function png_width(path)
   local f = io.open(path, "rb")
   if not f then return nil end
   local png = f:read(24)
   f:close()
   if not png or png:sub(1, 8) ~= "\137PNG\r\n\26\n" then return nil end
   return png:byte(17) * 2 ^ 24 + png:byte(18) * 2 ^ 16 + png:byte(19) * 2 ^ 8 + png:byte(20)
end

local function shell_quote(s) return "'" .. s:gsub("'", "'\\''") .. "'" end

-- The tokens of `subject` for `client_id` that Authlete still counts valid.
local function valid(mock, subject, client_id)
   local _, res = helper.list(mock, { subject = subject, clientIdentifier = ("%d"):format(client_id),
                                      tokenStatus = "VALID", start = 0, ["end"] = 20 })
   return res.totalCount
end

describe("the connected-apps page in chromium", function()
   local why = missing()
   if why then
      it("is skipped: " .. why .. " (apt-get install chromium chromium-driver python3-selenium)", function()
         pending(why)
      end)
      return
   end

   local env, seen
   setup(function()
      env = apps.start()
      local mock = env.mock
      apps.grant(mock, "alice", apps.TIMELINE, { "history.read", "timeline.read" })
      apps.grant(mock, "alice", apps.TIMELINE, { "openid" })
      apps.grant(mock, "alice", apps.MOBILE, { "openid", apps.EVIL_SCOPE })
      apps.grant(mock, "bob", apps.TIMELINE, { "history.read" })
      -- the screenshot's user, with what a real account would show
      apps.grant(mock, "carol", apps.TIMELINE, { "openid", "profile", "timeline.read" })
      apps.grant(mock, "carol", apps.ORDERS, { "orders.read", "orders.write" })
      apps.grant(mock, "carol", apps.ORDERS, { "orders.read" })
      apps.grant(mock, "carol", apps.MOBILE, { "openid", "profile", "email" }, { grantType = "DEVICE_CODE" })
      mock:set_client({ clientId = apps.MOBILE, clientName = "Mobile App",
                        clientNames = { { tag = "de", value = "Mobile App (Deutsch)" },
                                        { tag = "en-GB", value = "Mobile App for Phones" } } })
      os.execute("mkdir -p build")
      os.remove(SCREENSHOT)
      local scene = json.encode({
         url = env.url, header = apps.HEADER, language = "en-US,en;q=0.9",
         subject = "alice", revoke = "Timeline App", forge_client = ("%d"):format(apps.MOBILE),
         screenshot_subject = "carol", screenshot = SCREENSHOT,
      })
      local out, ok = sh(("timeout 180 %s spec/browser/connected_apps.py %s"):format(PYTHON, shell_quote(scene)))
      assert(ok, "the browser run failed:\n" .. out)
      seen = json.decode(out:match("{.*}$"))
   end)
   teardown(function() apps.stop(env) end)

   it("answers a visitor without the subject header with the sign-in message", function()
      assert.are.equal("Sign in required", seen.anonymous.heading)
      assert.are.same({}, seen.anonymous.apps)
      -- what the browser was answered: a 401 (WebDriver does not show statuses)
      local status = require("spec.helpers.http").request("127.0.0.1", env.nginx.port, { path = apps.PATH })
      assert.are.equal(401, status)
   end)

   it("lists two applications with their scopes, grouped, in the reader's language", function()
      local listed = by_name(seen.listed.apps)
      assert.are.equal(2, #seen.listed.apps)
      -- the en-GB name for an en-US reader, rather than the default one
      local mobile, timeline = listed["Mobile App for Phones"], listed["Timeline App"]
      assert.are.same({ "openid", apps.EVIL_SCOPE }, mobile.scopes)
      assert.are.same({ "history.read", "timeline.read", "openid" }, timeline.scopes)
      assert.are.same({ json.null, "2 grants" }, { mobile.count or json.null, timeline.count })
      assert.are.equal("you approved it when signing in", timeline.how)
   end)

   it("shows a scope made of markup as text, running nothing", function()
      assert.are.equal(0, seen.listed.images)
      assert.is_false(seen.listed.dialog)
   end)

   it("is usable at 375 pixels and by keyboard, with buttons named for screen readers", function()
      local listed = seen.listed
      assert.are.equal(375, listed.viewport_width)
      assert.is_true(listed.scroll_width <= 375, "the page scrolls sideways: " .. listed.scroll_width)
      assert.is_true(listed.buttons_fit)
      assert.is_true(listed.smallest_button >= 44, "a button is too small to tap: " .. listed.smallest_button)
      assert.are.equal("Revoke access for Mobile App for Phones", by_name(listed.apps)["Mobile App for Phones"].button)
      assert.are.equal("Revoke access for " .. listed.apps[1].name, seen.focused) -- Tab reaches the first
   end)

   it("revokes one application: one is left, and the mock confirms which tokens went", function()
      local revoked = seen.revoked
      assert.are.same({ "Access for Timeline App was revoked (2 grants)." }, revoked.status)
      assert.are.equal(1, #revoked.apps)
      assert.are.equal("Mobile App for Phones", revoked.apps[1].name)
      assert.matches("%?revoked=26888344961664&n=2&proof=", revoked.url)
      assert.are.same(revoked.status, seen.reloaded.status) -- a reload shows it again, and posts nothing
      assert.are.equal(0, valid(env.mock, "alice", apps.TIMELINE))
      assert.are.equal(1, valid(env.mock, "alice", apps.MOBILE))
      assert.are.equal(1, valid(env.mock, "bob", apps.TIMELINE)) -- another user's grant of the same app
      assert.are.equal(1, valid(env.mock, "carol", apps.TIMELINE))
   end)

   it("refuses a forged POST from another site and revokes nothing", function()
      assert.are.equal("Nothing was changed", seen.forged.heading)
      assert.are.equal(1, #seen.after_forged.apps)
      assert.are.equal(1, valid(env.mock, "alice", apps.MOBILE))
   end)

   it("saves the screenshot the README shows", function()
      assert.are.equal(3, #seen.screenshot.apps)
      assert.are.equal(375, png_width(SCREENSHOT))
      -- the README's copy (make screenshot) is one such picture
      local shown = io.open("README.md"):read("*a"):match('<img src="(docs/images/[%w_.-]+%.png)"')
      assert.are.equal("docs/images/connected-apps.png", shown)
      assert.are.equal(375, png_width(shown))
   end)
end)
