--- The connected-apps page as HTML: every value that came from outside
--- (names, scopes, the subject's own data) goes through escape(); the one
--- stylesheet is inline, allowed by its hash in the Content-Security-Policy,
--- so the page loads nothing else and runs no script. Plain Lua, no ngx.
local grants = require("authlete.ngx.apps.grants")
local hash = require("authlete.hash")

local view = {}

local ENTITIES = { ["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;", ['"'] = "&quot;", ["'"] = "&#39;" }

--- Text made safe for an HTML element or a quoted attribute.
function view.escape(s)
   return (tostring(s):gsub("[&<>\"']", ENTITIES))
end
local esc = view.escape

view.STYLE = [[
:root{color-scheme:light dark;--fg:#1b1b1f;--bg:#fff;--muted:#5d5d66;--line:#d6d6dc;--accent:#b3261e;--ok:#1e6b35}
@media (prefers-color-scheme:dark){:root{--fg:#ececf1;--bg:#17171a;--muted:#a4a4ad;--line:#3a3a42;--accent:#ff8a80;--ok:#8fd6a0}}
*{box-sizing:border-box}
body{margin:0;font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:42rem;margin:0 auto;padding:1.25rem 1rem 3rem}
h1{font-size:1.6rem;margin:.5rem 0}
h2{font-size:1.15rem;margin:0;overflow-wrap:anywhere}
p{margin:.5rem 0}
.lead,.count,dt{color:var(--muted)}
.notice{border:2px solid var(--ok);border-radius:.5rem;padding:.75rem 1rem}
.problem{border:2px solid var(--accent);border-radius:.5rem;padding:.75rem 1rem}
ul.apps{list-style:none;margin:1rem 0;padding:0}
li.app{border:1px solid var(--line);border-radius:.75rem;padding:1rem;margin:0 0 1rem}
.head{display:flex;flex-wrap:wrap;align-items:baseline;gap:.25rem .75rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem .75rem;margin:.75rem 0}
dd{margin:0;overflow-wrap:anywhere}
ul.scopes{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem}
ul.scopes li{border:1px solid var(--line);border-radius:1rem;padding:0 .6rem;font-family:ui-monospace,monospace;font-size:.9rem}
button{font:inherit;min-height:2.75rem;padding:.5rem 1rem;border-radius:.5rem;border:2px solid var(--accent);
color:var(--accent);background:transparent;cursor:pointer}
button:hover{background:var(--accent);color:var(--bg)}
a:focus-visible,button:focus-visible{outline:3px solid var(--fg);outline-offset:2px}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
@media (max-width:30rem){dl{grid-template-columns:1fr}dt{margin-top:.25rem}button{width:100%}}
]]

--- The Content-Security-Policy that goes with every page: nothing but the
--- inline stylesheet above, forms posted only to this origin, no framing.
view.CSP = ("default-src 'none'; style-src 'sha256-%s'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
   :format(hash.base64(hash.sha256(view.STYLE)))

local MONTHS = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" }

--- A time in ms as a <time> element: "2 Dec 2026, 18:56 UTC".
function view.time(ms)
   local d = os.date("!*t", math.floor(ms / 1000))
   return ('<time datetime="%04d-%02d-%02dT%02d:%02dZ">%d %s %d, %02d:%02d UTC</time>')
      :format(d.year, d.month, d.day, d.hour, d.min, d.day, MONTHS[d.month], d.year, d.hour, d.min)
end

local function document(title, body)
   return table.concat({
      '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n',
      '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
      "<title>", esc(title), "</title>\n<style>", view.STYLE, "</style>\n</head>\n<body>\n<main>\n",
      body, "</main>\n</body>\n</html>\n",
   })
end

local function count_text(n, one, many)
   return n == 1 and ("1 " .. one) or (("%d %s"):format(n, many))
end

-- One application: its name, how many grants, what it may do, since when,
-- until when, how, and its revoke form.
local function app_item(app, i, csrf)
   local out = { ('<li class="app">\n<div class="head"><h2 id="app-%d">%s</h2>'):format(i, esc(app.name)) }
   if app.count > 1 then
      out[#out + 1] = ('<span class="count">%s</span>'):format(count_text(app.count, "grant", "grants"))
   end
   out[#out + 1] = "</div>\n<dl>\n<dt>Can access</dt><dd>"
   if #app.scopes == 0 then
      out[#out + 1] = "no specific permissions"
   else
      out[#out + 1] = '<ul class="scopes">'
      for _, s in ipairs(app.scopes) do out[#out + 1] = "<li>" .. esc(s) .. "</li>" end
      out[#out + 1] = "</ul>"
   end
   out[#out + 1] = "</dd>\n"
   if app.since then out[#out + 1] = "<dt>Access granted</dt><dd>" .. view.time(app.since) .. "</dd>\n" end
   if app.refreshed then out[#out + 1] = "<dt>Last refreshed</dt><dd>" .. view.time(app.refreshed) .. "</dd>\n" end
   out[#out + 1] = "<dt>Expires</dt><dd>" .. (app.expires and view.time(app.expires) or "not stated") .. "</dd>\n"
   if #app.grant_types > 0 then
      out[#out + 1] = "<dt>How</dt><dd>" .. esc(grants.describe(app.grant_types)) .. "</dd>\n"
   end
   out[#out + 1] = table.concat({
      '</dl>\n<form method="post">\n',
      '<input type="hidden" name="csrf" value="', esc(csrf), '">\n',
      '<input type="hidden" name="client" value="', esc(app.id), '">\n',
      '<button type="submit">Revoke access<span class="sr"> for ', esc(app.name), "</span></button>\n",
      "</form>\n</li>\n",
   })
   return table.concat(out)
end

--- The page: page.title, page.apps (from grants.group, each with a
--- `name`), page.csrf (the forms' token), page.notice (a confirmation to
--- show, or nil), page.truncated (true when not every grant was read).
function view.page(page)
   local out = { "<h1>", esc(page.title), "</h1>\n" }
   if page.notice then out[#out + 1] = '<p class="notice" role="status">' .. esc(page.notice) .. "</p>\n" end
   if #page.apps == 0 then
      out[#out + 1] = '<p class="lead">No application has access to your account.</p>\n'
   else
      out[#out + 1] = table.concat({
         '<p class="lead">', esc(count_text(#page.apps, "application has", "applications have")),
         " access to your account. Revoking access signs an application out:",
         " it must ask for your permission again.</p>\n",
         '<ul class="apps" aria-label="Applications with access">\n',
      })
      for i, app in ipairs(page.apps) do out[#out + 1] = app_item(app, i, page.csrf) end
      out[#out + 1] = "</ul>\n"
   end
   if page.truncated then
      out[#out + 1] = '<p class="lead">Only your most recent grants are shown.</p>\n'
   end
   return document(page.title, table.concat(out))
end

--- A page that only says something (401, 403, an outage): message.title,
--- message.text, and message.link, the words of a link back to the page
--- (a GET of the same path: "?" resolves to it whatever the path is, and
--- never to another site, as a path starting "//" would).
function view.message(message)
   local body = ('<h1>%s</h1>\n<p class="problem" role="alert">%s</p>\n'):format(esc(message.title), esc(message.text))
   if message.link then body = body .. ('<p><a href="?">%s</a></p>\n'):format(esc(message.link)) end
   return document(message.title, body)
end

return view
