-- authlete.curl's multi handle, directly: several transfers at once, and
-- bodies that only the multi handle still references while they are sent.
local curl = require("authlete.curl")
local helper = require("spec.helpers.mock")

describe("authlete.curl multi", function()
   local mock, base
   setup(function()
      mock = helper.start()
      base = mock.url .. "/api/" .. mock.service_id .. "/auth/token/"
   end)
   teardown(function() mock:stop() end)

   it("runs several transfers at once, each body pinned until it is sent", function()
      mock:reset()
      local multi, sessions = curl.multi(), {}
      local headers = { Authorization = "Bearer " .. helper.BEARER, ["Content-Type"] = "application/json" }
      for i = 1, 6 do
         sessions[i] = curl.session()
         -- built here and referenced by nothing of ours once start returns
         local body = ('{"grantType":"PASSWORD","clientId":26888344961664,"subject":"pinned-%d",' ..
            '"properties":[{"key":"pad","value":"%s"}]}'):format(i, ("s"):rep(2000))
         multi:start(sessions[i], "POST", base .. "create", headers, body, 10000, nil, false)
      end
      for _ = 1, 3 do collectgarbage("collect") end
      -- the garbage the bodies left is reused: a freed body would now hold other bytes
      local filler = {}
      for i = 1, 2000 do filler[i] = ("x"):rep(2100) .. i end
      assert.are.equal(2000, #filler)
      local subjects, results = {}, 0
      local deadline = curl.now_ms() + 10000
      while results < 6 and curl.now_ms() < deadline do
         multi:poll(100)
         for i = 1, 6 do
            local status, _, body = sessions[i]:result()
            if status then
               results = results + 1
               assert.are.equal(200, status, body)
               subjects[body:match('"subject":"(pinned%-%d)"')] = true
            end
         end
      end
      assert.are.equal(6, results)
      for i = 1, 6 do assert.is_true(subjects["pinned-" .. i], "pinned-" .. i) end
      assert.are.equal(6, mock:stats().tokens)
      for i = 1, 6 do sessions[i]:close() end
      multi:close()
   end)

   it("lets go of a pinned body when the transfer is taken off unfinished", function()
      local multi, session = curl.multi(), curl.session()
      local before = collectgarbage("count")
      for _ = 1, 50 do
         multi:start(session, "POST", base .. "create", {}, ("b"):rep(100000), 10000, nil, false)
         session:close() -- takes the transfer off, and its pin
         session = curl.session()
      end
      session:close()
      multi:close()
      collectgarbage("collect")
      collectgarbage("collect")
      assert.is_true(collectgarbage("count") - before < 1024, ("%.0f KiB kept"):format(collectgarbage("count") - before))
   end)
end)
