-- core.prepare(op, request[, defaults]) -> method, path, query, body.
local core = require("authlete.core")
local portable = require("spec.helpers.portable")

local function prepare(op, request, defaults)
   local method, path, query, body = core.prepare(op, request, defaults)
   assert(method, type(path) == "table" and path.message or "no error")
   return method, path, query, body
end

describe("core.prepare", function()
   it("writes the reference page's create request as Authlete expects it", function()
      local method, path, query, body = prepare("create", {
         serviceId = "715948317",
         tokenCreateRequest = { grantType = "AUTHORIZATION_CODE", clientId = 26888344961664, subject = "john",
                                scopes = { "history.read", "timeline.read" } } })
      assert.are.equal("POST", method)
      assert.are.equal("/api/715948317/auth/token/create", path)
      assert.is_nil(query)
      assert.are.equal('{"grantType":"AUTHORIZATION_CODE","clientId":26888344961664,"subject":"john",' ..
         '"scopes":["history.read","timeline.read"]}', body)
   end)

   it("writes fields in the model's order, compact, whatever the table's order", function()
      local _, _, _, body = prepare("create", { serviceId = "1", tokenCreateRequest = {
         authorizationDetails = { elements = { { locations = { "https://x" }, type = "t" } } },
         properties = { { hidden = true, value = "v", key = "k" } },
         scopes = { "a", "b" }, clientId = 26888344961664, grantType = "CLIENT_CREDENTIALS" } })
      -- The body the fact sheet observed from the TypeScript SDK, byte for byte.
      assert.are.equal('{"grantType":"CLIENT_CREDENTIALS","clientId":26888344961664,"scopes":["a","b"],' ..
         '"properties":[{"key":"k","value":"v","hidden":true}],' ..
         '"authorizationDetails":{"elements":[{"type":"t","locations":["https://x"]}]}}', body)
   end)

   it("writes an empty table as [] for an array field and {} for an object field", function()
      local _, _, _, body = prepare("update", { serviceId = "1", tokenUpdateRequest = {
         accessToken = "t", scopes = {}, authorizationDetails = {} } })
      assert.are.equal('{"accessToken":"t","scopes":[],"authorizationDetails":{}}', body)
   end)

   it("escapes strings per RFC 8259 and leaves '/' and UTF-8 alone", function()
      local _, _, _, body = prepare("revoke", { serviceId = "1", tokenRevokeRequest = {
         subject = 'a"b\\c/d\1\31\n\té😀' } })
      assert.are.equal('{"subject":"a\\"b\\\\c/d\\u0001\\u001f\\u000a\\u0009é😀"}', body)
   end)

   it("escapes a quote, a backslash or a control character at any offset of a string", function()
      -- Strings are scanned eight bytes at a time: put each byte at every
      -- position of a word, and UTF-8 before and after it.
      local cases = { { '"', '\\"' }, { "\\", "\\\\" }, { "\n", "\\u000a" }, { "\31", "\\u001f" }, { "é", "é" } }
      for before = 0, 17 do
         for after = 0, 9 do
            for _, c in ipairs(cases) do
               local raw = ("a"):rep(before) .. c[1] .. ("é"):rep(after % 2) .. ("b"):rep(after)
               local _, _, _, body = prepare("revoke", { serviceId = "1", tokenRevokeRequest = { subject = raw } })
               assert.are.equal('{"subject":"' .. ("a"):rep(before) .. c[2] .. ("é"):rep(after % 2) ..
                  ("b"):rep(after) .. '"}', body)
            end
         end
         local method, err = core.prepare("revoke", { serviceId = "1",
            tokenRevokeRequest = { subject = ("a"):rep(before) .. "\255" .. ("b"):rep(9) } })
         assert.is_nil(method)
         assert.are.equal("tokenRevokeRequest.subject: invalid UTF-8 at byte " .. (before + 1), err.message)
      end
   end)

   it("writes integers digit for digit", function()
      local id = 5899463614448063
      local _, _, _, body = prepare("create", { serviceId = "1",
         tokenCreateRequest = { grantType = "PASSWORD", clientId = id, subject = "s", authTime = -5 } })
      assert.matches('"clientId":5899463614448063,', body)
      assert.matches('"authTime":%-5}', body)
      -- An integral float is accepted up to 2^53, written without exponent or ".0".
      _, _, _, body = prepare("create", { serviceId = "1",
         tokenCreateRequest = { grantType = "PASSWORD", clientId = 2 ^ 53, subject = "s" } })
      assert.matches('"clientId":9007199254740992,', body)
      if portable.exact_int64 then
         _, _, _, body = prepare("create", { serviceId = "1", tokenCreateRequest = {
            grantType = "PASSWORD", clientId = math.maxinteger, subject = "s", authTime = math.mininteger } })
         assert.matches('"clientId":9223372036854775807,', body)
         assert.matches('"authTime":%-9223372036854775808}', body)
      end
   end)

   it("says from the operations table whether a request may be sent again", function()
      local create = { serviceId = "1", tokenCreateRequest = { grantType = "PASSWORD", clientId = 1, subject = "s" } }
      assert.are.equal(false, select(5, core.prepare("create", create)))
      local update = { serviceId = "1", tokenUpdateRequest = { accessToken = "t", scopes = { "a" } } }
      assert.are.equal(true, select(5, core.prepare("update", update)))
      update.tokenUpdateRequest.accessTokenValueUpdated = true
      assert.are.equal(false, select(5, core.prepare("update", update)))
      assert.are.equal(true, select(5, core.prepare("list", { serviceId = "1" })))
      assert.are.equal(true, select(5, core.prepare("delete", { serviceId = "1", accessTokenIdentifier = "t" })))
      local declared = {}
      for _, op in ipairs(core.operations()) do declared[op.name] = { op.resendSafe, op.unsafeFlag } end
      assert.are.same({ false }, declared.create)
      assert.are.same({ true, "accessTokenValueUpdated" }, declared.update)
   end)

   it("percent-encodes each path parameter as one segment", function()
      local _, path = prepare("delete", { serviceId = "svc 1/é", accessTokenIdentifier = "a/b?c#d%e ..&=+" })
      assert.are.equal("/api/svc%201%2F%C3%A9/auth/token/delete/a%2Fb%3Fc%23d%25e%20..%26%3D%2B", path)
      _, path = prepare("delete", { serviceId = "1", accessTokenIdentifier = "..." })
      assert.are.equal("/api/1/auth/token/delete/...", path) -- not a dot segment: servers keep it
      local method, err = core.prepare("delete", { serviceId = "1", accessTokenIdentifier = ".." })
      assert.is_nil(method) -- a dot segment: servers resolve it to another endpoint
      assert.are.same({ "SDKValidationError", "accessTokenIdentifier" }, { err.kind, err.field })
      _, path = prepare("delete", { serviceId = "1", accessTokenIdentifier = "\r\n\0" })
      assert.are.equal("/api/1/auth/token/delete/%0D%0A%00", path)
      _, path = prepare("list", { serviceId = 715948317206 })
      assert.are.equal("/api/715948317206/auth/token/get/list", path)
   end)

   it("writes the list query in a stable order, leaving nil out", function()
      local method, path, query, body = prepare("list", { serviceId = "1", subject = "j!o'h~n*()", start = 0,
         ["end"] = 5, clientIdentifier = "a b&c", tokenStatus = "VALID" })
      assert.are.equal("GET", method)
      assert.are.equal("/api/1/auth/token/get/list", path)
      assert.are.equal("clientIdentifier=a%20b%26c&end=5&start=0&subject=j%21o%27h~n%2A%28%29&tokenStatus=VALID", query)
      assert.is_nil(body)
      local _, _, q = prepare("list", { serviceId = "1", subject = "" })
      assert.are.equal("subject=", q) -- an empty string is kept, as the SDK does
   end)

   it("takes parameters missing from the request from the defaults", function()
      local _, path = prepare("list", {}, { serviceId = "715948317206" })
      assert.are.equal("/api/715948317206/auth/token/get/list", path)
      _, path = prepare("list", { serviceId = "9" }, { serviceId = "715948317206" })
      assert.are.equal("/api/9/auth/token/get/list", path)
   end)

   it("sends reissueIdToken without a body when none is given", function()
      local method, path, query, body = prepare("reissueIdToken", { serviceId = "1" })
      assert.are.same({ "POST", "/api/1/idtoken/reissue" }, { method, path })
      assert.is_nil(query)
      assert.is_nil(body)
      local _, _, _, b = prepare("reissueIdToken", { serviceId = "1", idtokenReissueRequest = {
         accessToken = "a", refreshToken = "r", claims = '{"x":[1,{"y":null}]}', idTokenAudType = "string" } })
      assert.are.equal('{"accessToken":"a","refreshToken":"r","claims":"{\\"x\\":[1,{\\"y\\":null}]}",' ..
         '"idTokenAudType":"string"}', b)
   end)

   it("accepts a tokenUpdateRequest by hash and a revoke by any one criterion", function()
      assert.is_string(select(4, prepare("update", { serviceId = "1", tokenUpdateRequest = { accessTokenHash = "h" } })))
      for _, k in ipairs({ "accessTokenIdentifier", "refreshTokenIdentifier", "clientIdentifier", "subject" }) do
         assert.are.equal('{"' .. k .. '":"x"}', select(4, prepare("revoke", { serviceId = "1",
            tokenRevokeRequest = { [k] = "x" } })))
      end
   end)

   it("raises for a programming error: an unknown operation or bad defaults", function()
      assert.has_error(function() core.prepare("nope", {}) end)
      assert.has_error(function() core.prepare("list", {}, "715948317206") end)
      assert.has_error(function() core.prepare(nil, {}) end)
   end)

   it("does not call metamethods of the request", function()
      local calls = 0
      local req = setmetatable({ serviceId = "1" }, { __index = function() calls = calls + 1 end,
                                                      __pairs = function() calls = calls + 1 end })
      prepare("list", req)
      assert.are.equal(0, calls)
   end)
end)
