-- The examples run unchanged against the mock, configured only through the
-- environment variables a user would set for a real service.
local helper = require("spec.helpers.mock")

describe("examples/mock_tour.lua", function()
   local mock
   setup(function() mock = helper.start() end)
   teardown(function() mock:stop() end)

   it("walks create, list, update, revoke and delete", function()
      local p = io.popen(("%s AUTHLETE_BASE_URL=%s AUTHLETE_SERVICE_ID=%s AUTHLETE_BEARER=%s " ..
         "lua5.4 examples/mock_tour.lua 2>&1; echo \"rc=$?\""):format(helper.LUA_ENV, mock.url, mock.service_id,
         helper.BEARER))
      local out = p:read("a")
      p:close()
      assert.matches("rc=0", out)
      assert.matches("%[A109001%] Access token created", out)
      assert.matches("john's tokens: 1 token%(s%)", out)
      assert.matches("scopes now: history%.read\n", out)
      assert.matches("%(count = 1%)", out)
      assert.matches("john's tokens now: 0 token%(s%)", out)
      assert.falsy(out:find(helper.BEARER, 1, true))
      local stats = mock:stats()
      assert.are.same({ create = 1, list = 3, update = 1, revoke = 1, delete = 1, reissueIdToken = 0 }, stats.requests)
      assert.are.equal(0, stats.tokens)
   end)
end)
