--- The connected-apps page under real nginx for specs: a mock, nginx with
--- the page at /account/apps (the subject from the X-Authenticated-User
--- header, as an authentication layer in front would set it), and the
--- grants two users hold, one of them under names the mock is told.
local helper = require("spec.helpers.mock")
local nginx_helper = require("spec.helpers.nginx")

local apps = {}

apps.PATH = "/account/apps"
apps.HEADER = "X-Authenticated-User"
apps.SECRET = "spec-csrf-secret-0123456789abcdef"

-- The seed's clients the specs grant access to.
apps.TIMELINE = 26888344961664
apps.MOBILE = 5921531358155430
apps.ORDERS = 31415926535897
-- two more than the built-in seed has (its fourth, above 2^53, is one that
-- LuaJIT, and so nginx, cannot hold exactly)
apps.NOTES = 11235813213455
apps.CALENDAR = 27182818284590 + 1

--- A scope that would run script if the page did not escape it.
apps.EVIL_SCOPE = "<img src=x onerror=alert(1)>"

-- The built-in seed, with EVIL_SCOPE among the service's scopes (the mock,
-- as Authlete, refuses a token with a scope the service does not support),
-- and NOTES and CALENDAR among its clients.
local function seed_file()
   local json = require("authlete.json")
   local seed = require("authlete.mock.seed").default()
   seed.supportedScopes[#seed.supportedScopes + 1] = apps.EVIL_SCOPE
   seed.clients[#seed.clients + 1] = { number = 5, clientId = apps.NOTES, clientName = "Notes",
                                       clientType = "PUBLIC" }
   seed.clients[#seed.clients + 1] = { number = 6, clientId = apps.CALENDAR, clientName = "Calendar",
                                       clientType = "CONFIDENTIAL" }
   local path = os.tmpname()
   local f = assert(io.open(path, "w"))
   f:write(json.encode(seed))
   f:close()
   return path
end

--- Start the mock and nginx. opts.page adds Lua fields to the page's
--- options (text inside the table constructor); opts.pages serves more
--- pages, path -> such fields, each over the same base options (the
--- header subject, the secret, the names dict, the mock); opts.http and
--- opts.server add http-block and server-block text. Returns { mock,
--- nginx, url }.
function apps.start(opts)
   opts = opts or {}
   local seed = seed_file()
   local mock = helper.start({ seed_file = seed })
   os.remove(seed)
   local pages, locations = { ("[%q] = page({ %s }),"):format(apps.PATH, opts.page or "") }, { apps.PATH }
   for path, fields in pairs(opts.pages or {}) do
      pages[#pages + 1] = ("[%q] = page({ %s }),"):format(path, fields)
      locations[#locations + 1] = path
   end
   for i, path in ipairs(locations) do
      locations[i] = ("      location = %s { content_by_lua_block { require(\"spec_pages\")[ngx.var.uri]:serve() } }")
         :format(path)
   end
   local server = nginx_helper.start({
      http = ([[
   lua_socket_log_errors off;
   lua_shared_dict connected_apps_names 1m;
%s
   init_by_lua_block {
      local function page(fields)
         local o = {
            subject = { header = %q },
            csrf_secret = %q,
            names_dict = "connected_apps_names",
            client_options = { server_url = %q, bearer = %q, service_id = %q, retry_config = { strategy = "none" } },
         }
         for k, v in pairs(fields) do o[k] = v end
         return require("authlete.ngx.connected_apps").new(o)
      end
      package.loaded.spec_pages = {
         %s
      }
   }]]):format(opts.http or "", apps.HEADER, apps.SECRET, mock.url, helper.BEARER, mock.service_id,
               table.concat(pages, "\n         ")),
      server = ([[
%s
      location = /__flush_names { content_by_lua_block { ngx.shared.connected_apps_names:flush_all() } }
%s]]):format(table.concat(locations, "\n"), opts.server or ""),
   })
   return { mock = mock, nginx = server, url = server.url .. apps.PATH }
end

--- Forget the client names nginx cached (a spec's mock:reset() changes them).
function apps.flush_names(env)
   local status = require("spec.helpers.http").request("127.0.0.1", env.nginx.port, { path = "/__flush_names" })
   assert(status == 200, "flushing the names failed")
end

function apps.stop(env)
   env.nginx.stop()
   env.mock:stop()
end

--- Grant `subject` a token for `client_id` with `scopes`.
function apps.grant(mock, subject, client_id, scopes, overrides)
   local body = helper.token_body({ subject = subject, clientId = client_id,
                                    scopes = require("authlete.json").array(scopes) })
   for k, v in pairs(overrides or {}) do body[k] = v end
   local status, res = helper.create(mock, body)
   assert(status == 200, "create failed: " .. tostring(status))
   return res
end

return apps
