-- The C modules load and report the version the Lua layer reuses.
-- Runs under Lua 5.4 and LuaJIT.
describe("authlete modules", function()
   it("load authlete.core and report a version", function()
      local core = require("authlete.core")
      assert.matches("^%d+%.%d+%.%d+", core._VERSION)
   end)

   it("load authlete.curl and name libcurl", function()
      local curl = require("authlete.curl")
      assert.matches("^libcurl/%d", curl.version())
      assert.are.equal(require("authlete.core")._VERSION, curl._VERSION)
   end)

   it("expose the version and the four Authlete clusters, US first", function()
      local authlete = require("authlete")
      assert.are.equal(require("authlete.core")._VERSION, authlete._VERSION)
      assert.are.same({ "https://us.authlete.com", "https://jp.authlete.com",
                        "https://eu.authlete.com", "https://br.authlete.com" }, authlete.servers)
   end)
end)
