-- The examples run unchanged against the mock, configured only through the
-- environment variables a user would set for a real service: the steps
-- `make demo` shows, in the same order.
local helper = require("spec.helpers.mock")

describe("examples", function()
   local mock, outputs
   setup(function()
      mock = helper.start()
      outputs = {}
      for i, step in ipairs(dofile("tools/demo_steps.lua")) do
         local p = io.popen(("%s AUTHLETE_BASE_URL=%s AUTHLETE_SERVICE_ID=%s AUTHLETE_BEARER=%s lua5.4 %s 2>&1; " ..
            "echo \"rc=$?\""):format(helper.LUA_ENV, mock.url, mock.service_id, helper.BEARER, table.concat(step, " ")))
         outputs[i] = p:read("*a")
         p:close()
      end
   end)
   teardown(function() mock:stop() end)

   it("create tokens and print them", function()
      assert.matches("%[A109001%] Access token created %(authorization_code, client 26888344961664%)", outputs[1])
      assert.matches("scopes: history%.read timeline%.read\nrc=0", outputs[1])
      assert.matches("client 31415926535897%)", outputs[2])
   end)

   it("list every token of a user", function()
      assert.matches("2 tokens for john\nrc=0", outputs[3])
      assert.matches("client 26888344961664 +AUTHORIZATION_CODE", outputs[3])
   end)

   it("narrow a user's scopes", function()
      assert.matches("scopes now: history%.read\n.*scopes now: history%.read\n2 tokens of john updated\nrc=0",
         outputs[4])
   end)

   it("log a user out everywhere", function()
      assert.matches("john: 2 tokens revoked\nrc=0", outputs[5])
      assert.matches("2 invalid tokens for john\nrc=0", outputs[6])
   end)

   it("migrate tokens, reporting duplicates on a second run", function()
      assert.matches("3 created, 0 already present, 0 failed\nrc=0", outputs[7])
      assert.matches("row 1 %(line 2%): already imported", outputs[8])
      assert.matches("0 created, 3 already present, 0 failed\nrc=0", outputs[8])
      assert.matches("2 tokens for alice\nrc=0", outputs[9])
   end)

   it("and authlete-tokens does the same from a shell", function()
      assert.matches("^HASH +CLIENT +SUBJECT +GRANT TYPE +SCOPES +EXPIRES\n", outputs[10])
      assert.matches("\n2 tokens\nrc=0", outputs[10])
      assert.matches("^would revoke 2 valid tokens of alice\nrc=0", outputs[11])
      assert.matches("revoked 2 tokens\nrc=0", outputs[12])
   end)

   it("never print the bearer", function()
      for _, out in ipairs(outputs) do assert.falsy(out:find(helper.BEARER, 1, true)) end
   end)
end)
