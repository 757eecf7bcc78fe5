-- The module-level API inside nginx: require("authlete").token.management
-- works from the environment nginx passes (env directives), with one
-- default client per worker, made on first use.
local helper = require("spec.helpers.mock")
local http = require("spec.helpers.http")
local json = require("authlete.json")
local nginx_helper = require("spec.helpers.nginx")

describe("the default client inside nginx", function()
   local mock, server
   setup(function()
      mock = helper.start()
      server = nginx_helper.start({
         workers = 2,
         main = nginx_helper.authlete_env(mock),
         server = [[
      location = /default {
         content_by_lua_block {
            local authlete = require("authlete")
            local res, err = authlete.token.management.list({})
            ngx.say(require("authlete.json").encode({ total = res and res.totalCount, error = err and tostring(err),
               worker = ngx.worker.pid(), client = tostring(authlete.default_client()) }))
         }
      }
]],
      })
   end)
   teardown(function()
      server.stop()
      mock:stop()
   end)

   it("answers from the environment, with one client per worker", function()
      helper.create(mock, helper.token_body({ subject = "dora" }))
      local clients_of = {}
      for _ = 1, 30 do
         local status, _, body = http.request("127.0.0.1", server.port, { method = "GET", path = "/default" })
         assert.are.equal(200, status, body)
         local answer = json.decode(body)
         assert.are.equal(1, answer.total, answer.error)
         clients_of[answer.worker] = clients_of[answer.worker] or {}
         clients_of[answer.worker][answer.client] = true
      end
      for worker, clients in pairs(clients_of) do
         local n = 0
         for _ in pairs(clients) do n = n + 1 end
         assert.are.equal(1, n, "worker " .. worker .. " made more than one default client")
      end
      assert.are.same({}, server.errors())
   end)
end)
