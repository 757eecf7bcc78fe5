--- A "connected apps" page for the gateway's end users: the applications
--- holding access to the signed-in user's account, one entry per
--- application, each with a "Revoke access" button. Plain HTML forms (POST,
--- then a redirect), no script, one inline stylesheet.
---
---   -- connected_apps_page.lua, somewhere on lua_package_path:
---   return require("authlete.ngx.connected_apps").new({
---      subject = { var = "remote_user" },  -- or { header = "X-Authenticated-User" }, or a function
---      csrf_secret = os.getenv("CONNECTED_APPS_SECRET"),  -- 16 bytes or more, the same in every worker
---      names_dict = "connected_apps_names",               -- a lua_shared_dict
---   })
---
---   location = /account/apps {
---      content_by_lua_block { require("connected_apps_page"):serve() }
---   }
---
--- Who the user is comes only from the configured source, never from the
--- request's query or form: without it the page answers 401 and calls
--- nothing. Every POST carries a CSRF token bound to the subject; without a
--- valid one it answers 403 and revokes nothing. A revoke names both the
--- subject and the client, so it can reach no one else's tokens.
local authlete = require("authlete")
local csrf = require("authlete.ngx.csrf")
local grants = require("authlete.ngx.apps.grants")
local json = require("authlete.json")
local languages = require("authlete.ngx.apps.languages")
local page_options = require("authlete.ngx.apps.options")
local view = require("authlete.ngx.apps.view")

local Page = {}
Page.__index = Page

local connected_apps = {}

---------------------------------------------------------------- options

-- How long the confirmation after a revoke can be shown again by reloading.
local NOTICE_TTL = 600

--- The page, its options checked now, each mistake named by its field (a
--- mistake stops nginx at start when this runs in init_by_lua, or in a
--- module required there). authlete.ngx.apps.options lists them.
function connected_apps.new(opts)
   local ok, settings = pcall(page_options.check, opts)
   if not ok then error(settings, 2) end
   return setmetatable(settings, Page)
end

---------------------------------------------------------------- answering

local function respond(status, html)
   ngx.status = status
   ngx.header["Content-Type"] = "text/html; charset=utf-8"
   ngx.print(html)
   return ngx.exit(status)
end

-- Headers every answer carries, redirects included.
local function protect()
   ngx.header["Content-Security-Policy"] = view.CSP
   ngx.header["X-Content-Type-Options"] = "nosniff"
   ngx.header["X-Frame-Options"] = "DENY"
   ngx.header["Cache-Control"] = "no-store"
   ngx.header["Referrer-Policy"] = "no-referrer"
end

-- Authlete out of reach or asking for a pause: 503, worth retrying soon.
-- A request the module refused to form: our configuration, 500. Anything
-- else Authlete (or a proxy) answered: 502.
local UNREACHABLE = { ConnectionError = true, RequestTimeoutError = true, PausedError = true }
local OURS = { SDKValidationError = true, InvalidRequestError = true }

local function status_of(err)
   if type(err) ~= "table" then return 500 end
   if UNREACHABLE[err.kind] or err.statusCode == 503 then return 503 end
   if OURS[err.kind] then return 500 end
   return 502
end

-- A failed call: the details to the error log (an error object's
-- tostring never holds the bearer), a friendly page to the user.
local function failed(err, what)
   ngx.log(ngx.ERR, "connected apps: ", what, " failed: ", tostring(err))
   local status = status_of(err)
   return respond(status, view.message({
      title = "Connected apps are unavailable",
      text = what == "revoke" and "Access could not be revoked just now. Please try again in a moment."
         or "Your connected apps cannot be shown just now. Please try again in a moment.",
      link = "Try again",
   }))
end

-- The worker's client, made on first use: its connections and cosockets
-- are the worker's own (a page made in init_by_lua is copied into each).
function Page:authlete()
   if not self.client then self.client = authlete.new(self.client_options) end
   return self.client
end

---------------------------------------------------------------- who

--- The signed-in subject from the configured source, or nil. A header sent
--- twice is ambiguous, so it counts as missing.
function Page:subject()
   local source, value = self.subject_source
   if type(source) == "function" then
      local ok, v = pcall(source)
      if not ok then
         ngx.log(ngx.ERR, "connected apps: the subject function failed: ", tostring(v))
         return nil
      end
      value = v
   elseif source.header then
      value = ngx.req.get_headers(0)[source.header]
   else
      value = ngx.var[source.var]
   end
   if type(value) ~= "string" or value == "" then return nil end
   return value
end

---------------------------------------------------------------- names

-- What Authlete says client `id` is called, { clientName =, clientNames = },
-- asked with a list filtered by the client (its answer carries the `client`
-- object) and kept in names_dict. nil when it cannot be asked now.
function Page:look_up_names(subject, id)
   -- filtered by the subject too, so the one token it returns is this user's
   local res, err = self:authlete().token.management.list({ clientIdentifier = id, subject = subject,
                                                            start = 0, ["end"] = 1 })
   if not res then
      ngx.log(ngx.WARN, "connected apps: the name of client ", id, " is unknown for now: ", tostring(err))
      return nil
   end
   local c = type(res.client) == "table" and res.client or {}
   local names = { clientName = c.clientName, clientNames = c.clientNames }
   self.names_dict:set("client:" .. id, json.encode(names), self.names_ttl)
   return names
end

-- Authlete's names of the clients `ids` that the operator has not named
-- outright: id -> names (absent where they cannot be asked now). From
-- names_dict; the rest are looked up side by side, name_lookups at a time, so
-- a view of many new applications waits for a few round trips, not one
-- per application.
function Page:known_names(subject, ids)
   local known, missing = {}, {}
   for _, id in ipairs(ids) do
      if type(self.names[id]) ~= "string" then
         local cached, names = self.names_dict:get("client:" .. id), nil
         if cached then
            local ok, decoded = pcall(json.decode, cached)
            if ok and type(decoded) == "table" then names = decoded end
         end
         if names then known[id] = names else missing[#missing + 1] = id end
      end
   end
   local taken = 0
   local function look_up()
      while taken < #missing do
         taken = taken + 1
         local id = missing[taken]
         known[id] = self:look_up_names(subject, id)
      end
   end
   local threads = {}
   for _ = 2, math.min(self.name_lookups, #missing) do threads[#threads + 1] = ngx.thread.spawn(look_up) end
   look_up()
   for _, t in ipairs(threads) do ngx.thread.wait(t) end
   return known
end

-- The name to show for client `id` to a reader preferring `ranges`: the
-- operator's, then Authlete's (`known`) in the reader's language, then
-- Authlete's default, then the ID.
function Page:name_of(id, ranges, known)
   local mine = self.names[id]
   if type(mine) == "string" then return mine end
   local name = mine and languages.pick(ranges, mine)
   if name then return name end
   name = known and (languages.pick(ranges, known.clientNames)
                     or (type(known.clientName) == "string" and known.clientName ~= "" and known.clientName))
   return name or ("Application " .. id)
end

---------------------------------------------------------------- the page

-- What a confirmation after a revoke is signed over: the subject (so a
-- link made for one user shows nothing to another), the client and count.
local function notice_subject(subject, id, count)
   return ("%s\0revoked\0%s\0%s"):format(subject, id, count)
end

-- The confirmation the redirect after a revoke asks for, if its proof holds.
function Page:notice(subject, ranges)
   local args = ngx.req.get_uri_args(8)
   local id, count, proof = args.revoked, args.n, args.proof
   if type(id) ~= "string" or type(count) ~= "string" or not id:match("^%d+$") or not count:match("^%d+$") then
      return nil
   end
   if not csrf.check(self.secret, notice_subject(subject, id, count), proof, ngx.time()) then return nil end
   local n, name = tonumber(count), self:name_of(id, ranges, self:known_names(subject, { id })[id])
   -- 0: revoked in another tab already, or never granted
   if n == 0 then return ("%s had no access left to revoke."):format(name) end
   return ("Access for %s was revoked%s."):format(name, n > 1 and (" (%d grants)"):format(n) or "")
end

-- The subject's tokens, at most max_grants; and whether there were more.
function Page:read_grants(subject)
   local tokens, more = {}, false
   local ok, err = pcall(function()
      for t in self:authlete():each({ subject = subject, tokenStatus = "VALID" }) do
         if #tokens == self.max_grants then
            more = true
            break
         end
         tokens[#tokens + 1] = t
      end
   end)
   if not ok then return nil, nil, err end
   return tokens, more
end

function Page:show(subject)
   local tokens, truncated, err = self:read_grants(subject)
   if not tokens then return failed(err, "list") end
   local apps = grants.group(tokens, ngx.now() * 1000)
   local ranges = languages.parse(ngx.var.http_accept_language)
   local ids = {}
   for i, app in ipairs(apps) do ids[i] = app.id end
   local known = self:known_names(subject, ids)
   for _, app in ipairs(apps) do app.name = self:name_of(app.id, ranges, known[app.id]) end
   return respond(200, view.page({
      title = self.title, apps = apps, truncated = truncated,
      csrf = csrf.token(self.secret, subject, ngx.time(), self.csrf_ttl),
      notice = self:notice(subject, ranges),
   }))
end

---------------------------------------------------------------- revoking

function Page:revoke(subject)
   ngx.req.read_body()
   local args = ngx.req.get_post_args(8)
   local ok, why = csrf.check(self.secret, subject, args and args.csrf, ngx.time())
   if not ok then
      ngx.log(ngx.WARN, "connected apps: a POST without a valid CSRF token (", why, ") changed nothing")
      return respond(403, view.message({
         title = "Nothing was changed",
         text = "This form was out of date or did not come from this page, so nothing was revoked.",
         link = "Reload your connected apps",
      }))
   end
   local id = args.client
   if type(id) ~= "string" or not id:match("^%d+$") or #id > 20 then
      return respond(400, view.message({ title = "Nothing was changed",
         text = "The form did not name an application.", link = "Back to your connected apps" }))
   end
   local request = { tokenRevokeRequest = { subject = subject, clientIdentifier = id } }
   local res, err
   if self.introspection_cache then
      res, err = self.introspection_cache:revoke(self:authlete(), request)
   else
      res, err = self:authlete().token.management.revoke(request)
   end
   if not res then return failed(err, "revoke") end
   local count = ("%d"):format(tonumber(res.count) or 0)
   -- the subject as the log can hold it on one line, whatever it contains
   ngx.log(ngx.NOTICE, ("connected apps: %s revoked the access of client %s (%s tokens)")
      :format((subject:gsub("%c", "?")), id, count))
   local proof = csrf.token(self.secret, notice_subject(subject, id, count), ngx.time(), NOTICE_TTL)
   -- relative, "?…": the same path, wherever a proxy in front mounts it
   return ngx.redirect(("?revoked=%s&n=%s&proof=%s"):format(id, count, proof), 303)
end

--- Answer the request: GET or HEAD shows the page, POST revokes.
function Page:serve()
   if getmetatable(self) ~= Page then
      error("connected_apps: call serve on the page, with a colon: page:serve()", 2)
   end
   protect()
   local method = ngx.req.get_method()
   if method ~= "GET" and method ~= "HEAD" and method ~= "POST" then
      ngx.header["Allow"] = "GET, HEAD, POST"
      return respond(405, view.message({ title = "Not allowed", text = "This page answers GET and POST only." }))
   end
   local subject = self:subject()
   if not subject then
      return respond(401, view.message({ title = "Sign in required",
         text = "Sign in to see the applications connected to your account." }))
   end
   if method == "POST" then return self:revoke(subject) end
   return self:show(subject)
end

return connected_apps
