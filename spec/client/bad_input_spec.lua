-- Bad input through the public API: a clear error naming the field, and
-- nothing sent (the mock counts every API request).
local support = require("spec.helpers.client")
local helper = require("spec.helpers.mock")

describe("client bad input", function()
   local mock, client
   setup(function()
      local new
      mock, new = support.setup()
      client = new()
   end)
   teardown(function()
      client:close()
      mock:stop()
   end)

   local sparse = { "a" }
   sparse[3] = "c"
   local CASES = {
      { "list", nil, "", "request: expected table, got nil" },
      { "list", { subject = 5 }, "subject", "expected string" },
      { "list", { start = 1.5 }, "start", "expected integer, got 1.5" },
      { "list", { ["end"] = 0 / 0 }, "end", "NaN" },
      { "list", { tokenStatus = "EXPIRED" }, "tokenStatus", "expected one of VALID, INVALID, ALL" },
      { "list", { subjct = "john" }, "", "did you mean 'subject'" },
      { "create", {}, "tokenCreateRequest", "required" },
      { "create", support.create_request({ grantType = "MAGIC" }), "tokenCreateRequest.grantType", "not a GrantType" },
      { "create", support.create_request({ clientId = "26888344961664" }), "tokenCreateRequest.clientId",
        "expected integer, got string" },
      { "create", support.create_request({ clientId = math.huge }), "tokenCreateRequest.clientId", "inf" },
      { "create", support.create_request({ scopes = sparse }), "tokenCreateRequest.scopes", "sparse" },
      { "create", support.create_request({ subject = "\255" }), "tokenCreateRequest.subject", "invalid UTF%-8" },
      { "create", support.create_request({ scope = {} }), "tokenCreateRequest", "did you mean 'scopes'" },
      { "update", { tokenUpdateRequest = {} }, "tokenUpdateRequest",
        "one of accessToken, accessTokenHash, refreshToken or refreshTokenHash" },
      { "delete", { accessTokenIdentifier = "" }, "accessTokenIdentifier", "must not be empty" },
      { "revoke", { tokenRevokeRequest = {} }, "tokenRevokeRequest", "one of accessTokenIdentifier" },
   }

   for _, c in ipairs(CASES) do
      it(("%s: %s"):format(c[1], c[4]), function()
         local res, err = client.token.management[c[1]](c[2])
         assert.is_nil(res)
         assert.are.same({ "SDKValidationError", c[1], c[3] }, { err.kind, err.operation, err.field })
         assert.matches(c[4], err.message)
         assert.are.equal(0, mock:stats().api_requests)
      end)
   end

   it("keeps an identifier with / ? # % CR LF NUL in one path segment", function()
      for _, id in ipairs({ "a/b", "x?y=1", "#frag", "100%", "...", "../../list", "a\r\nb", "a\0b" }) do
         local res, err = client.token.management.delete({ accessTokenIdentifier = id })
         assert.is_nil(res)
         assert.are.equal(404, err.statusCode) -- the mock's delete answered: unknown token
      end
      local log = mock:requests()
      for _, r in ipairs(log) do
         assert.are.equal("delete", r.operation)
         assert.matches("^/api/" .. mock.service_id .. "/auth/token/delete/[^/]+$", r.path)
      end
   end)
end)

describe("an uncaught error object", function()
   it("prints as a readable line on Lua 5.4 and on LuaJIT", function()
      local mock = helper.start()
      local script = os.tmpname()
      local f = assert(io.open(script, "w"))
      f:write(([[
         local client = require("authlete").new{ bearer = %q, server_url = %q, service_id = %q }
         assert(client.token.management.create{ tokenCreateRequest = {
            grantType = "PASSWORD", clientId = 1, subject = "s" } })
      ]]):format(helper.BEARER, mock.url, mock.service_id))
      f:close()
      require("spec.helpers.build").modules("luajit")
      for _, run in ipairs({ helper.LUA_ENV .. " lua5.4",
                             "LUA_PATH='./lua/?.lua;./lua/?/init.lua;;' LUA_CPATH='./build/luajit/?.so;;' luajit" }) do
         local p = io.popen(run .. " " .. script .. " 2>&1")
         local out = p:read("*a")
         p:close()
         assert.matches("ResultError: %[A109202%] The client %(ID = 1%) does not exist%. %(HTTP 400, create%)", out)
      end
      os.remove(script)
      mock:stop()
   end)
end)
