-- Revoke where gateways cache: authlete.ngx.introspection_cache evicts
-- what a revoke or delete named from a lua_shared_dict introspection cache,
-- keyed by token value or by Authlete's hash.
local helper = require("spec.helpers.mock")
local http = require("spec.helpers.http")
local json = require("authlete.json")
local nginx_helper = require("spec.helpers.nginx")
local hash = require("authlete.hash")

describe("authlete.ngx.introspection_cache", function()
   local mock, server
   setup(function()
      mock = helper.start()
      server = nginx_helper.start({
         main = nginx_helper.authlete_env(mock),
         http = "   lua_shared_dict introspection 1m;\n",
         server = [[
      location = /cache {
         content_by_lua_block {
            -- what a gateway's introspection step would have stored
            local args = ngx.req.get_uri_args()
            local dict = ngx.shared.introspection
            if args.put then dict:set(args.put, '{"active":true}', 300) end
            ngx.say(dict:get(args.get or "") and "cached" or "absent")
         }
      }
      location ~ ^/admin/users/(?<subject>[^/]+)/logout$ { # examples/nginx/gateway_revoke.lua, as documented
         limit_except POST { deny all; }
         content_by_lua_block { require("gateway_revoke").logout(ngx.var.subject) }
      }
      location = /bad {
         content_by_lua_block {
            local new = require("authlete.ngx.introspection_cache").new
            local _, e1 = pcall(new, { dict = "nope" })
            local _, e2 = pcall(new, { dict = "introspection", key = "md5" })
            ngx.say(e1, "\n", e2)
         }
      }
      location = /revoke {
         content_by_lua_block {
            local authlete = require("authlete")
            local args = ngx.req.get_uri_args()
            local cache = require("authlete.ngx.introspection_cache").new{ dict = "introspection", key = args.key }
            local res, err, evicted
            if args.op == "delete" then
               res, err, evicted = cache:delete(authlete.default_client(), { accessTokenIdentifier = args.token })
            else
               local body = args.token and { accessTokenIdentifier = args.token } or { subject = args.subject }
               res, err, evicted = cache:revoke(authlete.default_client(), { tokenRevokeRequest = body })
            end
            ngx.say(require("authlete.json").encode({ ok = res ~= nil, evicted = evicted, error = err and tostring(err) }))
         }
      }
]],
      })
   end)
   teardown(function()
      server.stop()
      mock:stop()
   end)
   before_each(function() mock:reset() end)

   local function get(path)
      local status, _, body = http.request("127.0.0.1", server.port, { method = "GET", path = path })
      assert.are.equal(200, status, body)
      return body:gsub("\n$", "")
   end
   local function cached(key) return get("/cache?get=" .. helper.encode(key)) == "cached" end
   local function put(key) get("/cache?put=" .. helper.encode(key)) end
   local function revoke(query) return json.decode(get("/revoke?" .. query)) end

   local function token_for(subject)
      local _, t = helper.create(mock, helper.token_body({ subject = subject }))
      return t.accessToken, hash.token_hash(t.accessToken)
   end

   it("evicts a token revoked by value, under either key", function()
      local value, h = token_for("ann")
      put(value)
      local res = revoke("key=token&token=" .. helper.encode(value))
      assert.are.same({ true, 1 }, { res.ok, res.evicted })
      assert.is_false(cached(value))
      local other, other_hash = token_for("bob")
      put(other_hash)
      res = revoke("key=hash&token=" .. helper.encode(other))
      assert.are.same({ true, 1 }, { res.ok, res.evicted })
      assert.is_false(cached(other_hash))
      assert.is_false(cached(h)) -- never cached: nothing to do
   end)

   it("evicts every token of a subject under the hash key, listing them first", function()
      local _, h1 = token_for("cid")
      local _, h2 = token_for("cid")
      local _, keep = token_for("dan")
      put(h1) put(h2) put(keep)
      local res = revoke("key=hash&subject=cid")
      assert.are.same({ true, 2 }, { res.ok, res.evicted })
      assert.is_false(cached(h1))
      assert.is_false(cached(h2))
      assert.is_true(cached(keep)) -- another subject's entry stays
   end)

   it("evicts a deleted token, and leaves the cache alone when the call fails", function()
      local value = token_for("eve")
      put(value)
      mock:fault({ operation = "delete", status = 500, times = 1 })
      local res = revoke("op=delete&key=token&token=" .. helper.encode(value))
      assert.is_false(res.ok)
      assert.is_true(cached(value)) -- not deleted: still cached
      res = revoke("op=delete&key=token&token=" .. helper.encode(value))
      assert.are.same({ true, 1 }, { res.ok, res.evicted })
      assert.is_false(cached(value))
   end)

   it("serves examples/nginx/gateway_revoke.lua: log a user out, revoked tokens gone from the cache", function()
      local _, h1 = token_for("fay")
      local _, h2 = token_for("fay")
      put(h1) put(h2)
      local status, _, body = http.request("127.0.0.1", server.port, { method = "POST",
         path = "/admin/users/fay/logout" })
      assert.are.equal(200, status, body)
      assert.are.same({ subject = "fay", revoked = 2, evicted = 2 }, json.decode(body))
      assert.is_false(cached(h1))
      assert.is_false(cached(h2))
   end)

   it("refuses a dict nginx.conf lacks and a key it does not know, naming them", function()
      local text = get("/bad")
      assert.matches("dict must name a lua_shared_dict, got nope", text, 1, true)
      assert.matches('key must be "token", "hash" or a function, got md5', text, 1, true)
   end)

   it("leaves no unexpected errors in the error log", function()
      assert.are.same({}, server.errors())
   end)
end)
