-- Bad input through the public API: a clear error naming the field, and
-- nothing sent (the mock counts every API request).
local support = require("spec.helpers.client")
local helper = require("spec.helpers.mock")

describe("client bad input", function()
   local mock, client
   setup(function()
      local _
      mock, _, client = support.start()
   end)
   teardown(function() support.stop(mock, client) end)

   local sparse = { "a" }
   sparse[3] = "c"
   local CASES = {
      { operation = "list", request = nil, field = "", message = "request: expected table, got nil" },
      { operation = "list", request = { subject = 5 }, field = "subject", message = "expected string" },
      { operation = "list", request = { start = 1.5 }, field = "start", message = "expected integer, got 1.5" },
      { operation = "list", request = { ["end"] = 0 / 0 }, field = "end", message = "NaN" },
      { operation = "list", request = { tokenStatus = "EXPIRED" }, field = "tokenStatus",
        message = "expected one of VALID, INVALID, ALL" },
      { operation = "list", request = { subjct = "john" }, field = "", message = "did you mean 'subject'" },
      { operation = "create", request = {}, field = "tokenCreateRequest", message = "required" },
      { operation = "create", request = support.create_request({ grantType = "MAGIC" }),
        field = "tokenCreateRequest.grantType", message = "not a GrantType" },
      { operation = "create", request = support.create_request({ clientId = "26888344961664" }),
        field = "tokenCreateRequest.clientId", message = "expected integer, got string" },
      { operation = "create", request = support.create_request({ clientId = math.huge }),
        field = "tokenCreateRequest.clientId", message = "inf" },
      { operation = "create", request = support.create_request({ scopes = sparse }),
        field = "tokenCreateRequest.scopes", message = "sparse" },
      { operation = "create", request = support.create_request({ subject = "\255" }),
        field = "tokenCreateRequest.subject", message = "invalid UTF%-8" },
      { operation = "create", request = support.create_request({ scope = {} }), field = "tokenCreateRequest",
        message = "did you mean 'scopes'" },
      { operation = "update", request = { tokenUpdateRequest = {} }, field = "tokenUpdateRequest",
        message = "one of accessToken, accessTokenHash, refreshToken or refreshTokenHash" },
      { operation = "delete", request = { accessTokenIdentifier = "" }, field = "accessTokenIdentifier",
        message = "must not be empty" },
      { operation = "revoke", request = { tokenRevokeRequest = {} }, field = "tokenRevokeRequest",
        message = "one of accessTokenIdentifier" },
   }

   for _, c in ipairs(CASES) do
      it(("%s: %s"):format(c.operation, c.message), function()
         local res, err = client.token.management[c.operation](c.request)
         assert.is_nil(res)
         assert.are.same({ "SDKValidationError", c.operation, c.field }, { err.kind, err.operation, err.field })
         assert.matches(c.message, err.message)
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
