-- core.parse(op, status, content_type, body) -> result | nil, details.
local core = require("authlete.core")
local portable = require("spec.helpers.portable")

local JSON = "application/json;charset=UTF-8"

local function ok(op, body, status, ct)
   local res, err = core.parse(op, status or 200, ct or JSON, body)
   assert(res, err and err.message)
   return res
end

local function failed(op, status, ct, body)
   local res, err = core.parse(op, status, ct, body)
   assert.is_nil(res)
   assert.is_table(err)
   return err
end

-- The fact sheet's list example (section 9.3).
local LIST = [[{
  "start": 0, "end": 2, "totalCount": 3, "subject": "alice@example.org",
  "client": {"number": 4711, "clientId": 31415926535897, "clientIdAlias": "orders-web",
             "clientIdAliasEnabled": true, "clientName": "Orders Web", "clientType": "CONFIDENTIAL"},
  "accessTokens": [
    {"accessTokenHash": "P4p-X_JyGm0ts8-nm-jtUGmK2LInVTzijgw-Glk-RZs", "refreshTokenHash": "2GhOlWGGtyj9V9CBAQbYGq3oxASm-RhJ-2mkLlllXkU",
     "accessTokenExpiresAt": 1767232800000, "refreshTokenExpiresAt": 1767312000000, "createdAt": 1767225600000,
     "lastRefreshedAt": 0, "clientId": 31415926535897, "subject": "alice@example.org", "grantType": "AUTHORIZATION_CODE",
     "scopes": ["orders.read"], "refreshTokenScopes": ["openid", "orders.read"],
     "properties": [{"key": "tenant", "value": "acme", "hidden": false}]},
    {"accessTokenHash": "clLwifJdajsVwnxHp37EoRDpkAQTH8J9CGhS-z-TdRw", "clientId": 31415926535897,
     "grantType": "PASSWORD", "scopes": ["orders.read", "orders.write"]}
  ]
}]]

describe("core.parse success", function()
   it("marks every array of a result, so that it encodes back as [] when empty", function()
      local authlete = require("authlete")
      local body = '{"start":0,"end":5,"totalCount":1,"accessTokens":[{"clientId":5921531358155430,' ..
         '"scopes":[],"properties":[]}],"unknown":[]}'
      local res = core.parse("list", 200, "application/json", body)
      assert.are.equal(core.array_mt, getmetatable(res.accessTokens))
      assert.are.equal(core.array_mt, getmetatable(res.accessTokens[1].scopes))
      assert.are.equal(core.array_mt, getmetatable(res.unknown))
      local text = authlete.json_encode(res)
      assert.matches('"scopes":%[%]', text)
      assert.matches('"unknown":%[%]', text)
      assert.matches('"clientId":5921531358155430', text) -- lua-cjson: 5.9215313581554e+15
      assert.are.equal("[]", authlete.json_encode(authlete.json_array({})))
   end)

   it("turns the fact sheet's list answer into typed tables", function()
      local res = ok("list", LIST)
      assert.are.same({ 0, 2, 3, "alice@example.org" }, { res.start, res["end"], res.totalCount, res.subject })
      assert.are.same({ number = 4711, clientId = 31415926535897, clientIdAlias = "orders-web",
         clientIdAliasEnabled = true, clientName = "Orders Web", clientType = "CONFIDENTIAL" }, res.client)
      assert.are.equal(2, #res.accessTokens)
      local t = res.accessTokens[1]
      assert.are.equal(1767232800000, t.accessTokenExpiresAt)
      assert.is_true(portable.is_integer(t.accessTokenExpiresAt))
      assert.is_true(portable.is_integer(t.clientId))
      assert.is_true(portable.is_integer(res.totalCount))
      assert.are.equal(0, t.lastRefreshedAt)
      assert.are.same({ "openid", "orders.read" }, t.refreshTokenScopes)
      assert.are.same({ { key = "tenant", value = "acme", hidden = false } }, t.properties)
      assert.are.same({ "orders.read", "orders.write" }, res.accessTokens[2].scopes)
   end)

   it("keeps 16-digit integers exact, and int64 beyond 2^53 on Lua 5.4", function()
      local res = ok("create", '{"clientId":5921531358155430,"expiresAt":1767229200000}')
      assert.are.equal(5921531358155430, res.clientId)
      local big, err = core.parse("create", 200, JSON, '{"clientId":9007199254740993}')
      if portable.exact_int64 then
         assert.are.equal(9007199254740993, big.clientId)
         assert.are.equal(math.maxinteger, ok("create", '{"clientId":9223372036854775807}').clientId)
         assert.are.equal(math.mininteger, ok("create", '{"clientId":-9223372036854775808}').clientId)
      else
         -- LuaJIT numbers cannot hold it: an error, never a rounded number.
         assert.is_nil(big)
         assert.are.equal("ResponseValidationError", err.kind)
         assert.are.equal("clientId", err.field)
         assert.matches("beyond 2%^53", err.message)
      end
   end)

   it("accepts integral numbers written with a fraction or an exponent", function()
      local res = ok("create", '{"expiresIn":3600.0,"expiresAt":1.7672292e12}')
      assert.are.equal(3600, res.expiresIn)
      assert.is_true(portable.is_integer(res.expiresIn))
      assert.are.equal(1767229200000, res.expiresAt)
   end)

   it("treats null as absent, keeps unknown fields and unknown enum values", function()
      local res = ok("create", '{"resultCode":"A109001","action":"OK","subject":null,"grantType":"NEW_GRANT",' ..
         '"type":"tokenCreateResponse","extra":{"n":[1,2.5,"x",true,{}],"z":null},"scopes":[]}')
      assert.is_nil(res.subject)
      assert.are.equal("NEW_GRANT", res.grantType)
      assert.are.equal("tokenCreateResponse", res.type)
      assert.are.same({ n = { 1, 2.5, "x", true, {} } }, res.extra)
      assert.is_true(portable.is_integer(res.extra.n[1]))
      assert.are.same({}, res.scopes)
   end)

   it("decodes escapes, surrogate pairs and UTF-8", function()
      local res = ok("revoke", '{"resultMessage":"\\"q\\" \\\\ \\/ \\b\\f\\n\\r\\t \\u00e9 \\ud83d\\ude00 é😀"}')
      assert.are.equal('"q" \\ / \b\f\n\r\t é 😀 é😀', res.resultMessage)
   end)

   it("finds a quote, an escape, a control character or UTF-8 at any offset of a string", function()
      -- The scanner reads strings eight bytes at a time: put each special
      -- byte at every position of a word, near the end of the body too.
      local cases = { { '\\"', '"' }, { "\\n", "\n" }, { "\\u00e9", "é" }, { "é", "é" }, { "😀", "😀" } }
      for before = 0, 17 do
         for after = 0, 9 do
            for _, c in ipairs(cases) do
               local text = ("a"):rep(before) .. c[1] .. ("b"):rep(after)
               local res = ok("revoke", '{"resultMessage":"' .. text .. '"}')
               assert.are.equal(("a"):rep(before) .. c[2] .. ("b"):rep(after), res.resultMessage)
            end
            local bad = failed("revoke", 200, JSON, '{"resultMessage":"' .. ("a"):rep(before) .. "\1" ..
               ("b"):rep(after) .. '"}')
            assert.matches("control character in string", bad.message, 1, true)
            assert.matches("at byte " .. (19 + before), bad.message, 1, true)
         end
      end
   end)

   it("keeps every element of long arrays in order, and nulls as holes in unknown arrays", function()
      for _, n in ipairs({ 1, 2, 31, 32, 33, 64, 65, 100 }) do
         local scopes, mixed, want_scopes, want_mixed = {}, {}, {}, {}
         for i = 1, n do
            scopes[i], want_scopes[i] = '"s' .. i .. '"', "s" .. i
            if i % 7 == 0 then mixed[i] = "null" else mixed[i], want_mixed[i] = tostring(i), i end
         end
         local res = ok("create", '{"action":"OK","scopes":[' .. table.concat(scopes, ",") ..
            '],"extra":[' .. table.concat(mixed, ",") .. "]}")
         assert.are.same(want_scopes, res.scopes)
         assert.are.same(want_mixed, res.extra)
      end
   end)

   it("accepts media types with parameters, any case, +json, or none at all", function()
      for _, ct in ipairs({ "application/json", "Application/JSON; charset=utf-8", "application/problem+json" }) do
         assert.are.equal(3, ok("revoke", '{"count":3}', 200, ct).count)
      end
      assert.are.equal(3, core.parse("revoke", 200, nil, '{"count":3}').count)
   end)

   it("answers delete's 204 and 200 with true, whatever the body", function()
      assert.is_true(core.parse("delete", 204, nil, ""))
      assert.is_true(core.parse("delete", 200, "text/plain", "ok"))
      assert.is_true(core.parse("delete", 204))
   end)

   it("returns reissueIdToken's non-OK actions as results for the caller to act on", function()
      local res = ok("reissueIdToken", '{"action":"INTERNAL_SERVER_ERROR","responseContent":"{\\"error\\":\\"x\\"}"}')
      assert.are.equal("INTERNAL_SERVER_ERROR", res.action)
      assert.are.equal('{"error":"x"}', res.responseContent)
   end)
end)

describe("core.parse errors", function()
   it("makes an Authlete JSON error body a ResultError, keeping action", function()
      local body = '{"resultCode":"A109202","resultMessage":"[A109202] /auth/token/create, The client does not exist.",' ..
         '"action":"BAD_REQUEST"}'
      local err = failed("create", 400, JSON, body)
      assert.are.same({ "ResultError", "create", 400, "A109202", "BAD_REQUEST", JSON, body },
         { err.kind, err.operation, err.statusCode, err.resultCode, err.action, err.contentType, err.body })
      assert.are.equal("[A109202] /auth/token/create, The client does not exist.", err.resultMessage)
      assert.are.equal(err.resultMessage, err.message)
      for _, status in ipairs({ 401, 403, 404, 409, 429, 500, 503 }) do
         local e = failed("list", status, "application/json", '{"resultCode":"A1","resultMessage":"m"}')
         assert.are.equal("ResultError", e.kind)
         assert.are.equal(status, e.statusCode)
         assert.is_nil(e.action)
      end
   end)

   it("makes create and update answers of 200 with a non-OK action a ResultError", function()
      for _, op in ipairs({ "create", "update" }) do
         local err = failed(op, 200, JSON, '{"resultCode":"A135205","resultMessage":"gone","action":"NOT_FOUND"}')
         assert.are.same({ "ResultError", 200, "NOT_FOUND", "A135205", "gone" },
            { err.kind, err.statusCode, err.action, err.resultCode, err.message })
      end
      local err = failed("create", 200, JSON, '{"action":"FORBIDDEN"}')
      assert.are.equal("create answered HTTP 200 with action FORBIDDEN", err.message)
      assert.are.equal("OK", ok("update", '{"action":"OK"}').action)
   end)

   it("makes other error bodies an AuthleteDefaultError", function()
      local cases = {
         { 502, "text/html", "<html>bad gateway</html>" },
         { 500, "application/json", "not json" },
         { 400, "application/json", '{"resultCode":404,"resultMessage":""}' },
         { 403, "application/json", '{"error":"forbidden"}' },
         { 404, "application/json", "" },
         { 200, "text/html", "<html>login</html>" },
         { 201, JSON, "{}" },
         { 302, "text/html", "" },
         { 100, nil, "" },
         { 700, nil, "" },
      }
      for _, c in ipairs(cases) do
         local err = failed("list", c[1], c[2], c[3])
         assert.are.equal("AuthleteDefaultError", err.kind, c[3])
         assert.are.equal(c[1], err.statusCode)
         assert.are.equal(c[2], err.contentType)
         assert.are.equal(c[3], err.body)
         assert.matches("list answered HTTP " .. c[1], err.message)
      end
      assert.are.equal("AuthleteDefaultError", failed("delete", 202, nil, "").kind)
   end)

   it("names the field whose type is wrong", function()
      local cases = {
         { '{"start":"0"}', "start", "expected integer, got string" },
         { '{"accessTokens":{}}', "accessTokens", "expected array, got object" },
         { '{"accessTokens":[{"clientId":1.5}]}', "accessTokens[1].clientId", "expected integer, got 1.5" },
         { '{"accessTokens":[{},{"scopes":["a",1]}]}', "accessTokens[2].scopes[2]", "expected string, got number" },
         { '{"accessTokens":[{"scopes":[null]}]}', "accessTokens[1].scopes[1]", "expected string, got null" },
         { '{"client":{"clientIdAliasEnabled":"yes"}}', "client.clientIdAliasEnabled", "expected boolean, got string" },
         { '{"totalCount":99999999999999999999}', "totalCount", "99999999999999999999 is out of the int64 range" },
         { '{"accessTokens":[{"properties":[{"hidden":1}]}]}', "accessTokens[1].properties[1].hidden",
           "expected boolean, got number" },
      }
      for _, c in ipairs(cases) do
         local err = failed("list", 200, JSON, c[1])
         assert.are.equal("ResponseValidationError", err.kind)
         assert.are.equal(c[2], err.field)
         assert.are.equal(c[2] .. ": " .. c[3], err.message)
         assert.are.equal(200, err.statusCode)
      end
   end)

   it("reports malformed JSON with the byte offset and the whole body (the client keeps 512 bytes)", function()
      local long = '{"subject":"' .. ("x"):rep(1000) .. '",}'
      local err = failed("list", 200, JSON, long)
      assert.are.equal("ResponseValidationError", err.kind)
      -- the '}' after the trailing comma, at byte 12 + 1000 + 3
      assert.matches("invalid JSON at byte 1015: expected a string key", err.message)
      assert.are.equal(long, err.body) -- whole: secrets are scrubbed before the client cuts it
      assert.are.equal(long:sub(1, 512), require("authlete.errors").new(err).body)
      local cases = {
         { "", "empty body" },
         { "   ", "empty body" },
         { "[]", "expected a JSON object, got array" },
         { "nul", "expected a JSON object, got null" },
         { '{"start":0', "unexpected end of input" },
         { '{"start":0} {}', "trailing characters" },
         { '{"subject":"a\\x"}', "invalid escape" },
         { '{"subject":"\\ud800"}', "invalid escape" },
         { '{"subject":"\\udc00\\ud800"}', "invalid escape" },
         { '{"subject":"\255"}', "invalid UTF%-8" },
         { '{"subject":"\192\175"}', "invalid UTF%-8" },
         { '{"subject":"a\nb"}', "control character" },
         { '{"start":01}', "expected ',' or '}'" },
         { '{"start":-}', "invalid number" },
         { '{"start":1.}', "invalid number" },
         { '{"start":1e}', "invalid number" },
         { '{"x":NaN}', "invalid JSON" },
         { '{"x":tru}', "unknown literal" },
         { "{'x':1}", "expected a string key" },
         { '{"x" 1}', "expected ':'" },
         { '{"x":[1 2]}', "expected ',' or ']'" },
         { '{"x":' .. ("["):rep(100) .. ("]"):rep(100) .. "}", "nested deeper than 64 levels" },
      }
      for _, c in ipairs(cases) do
         local e = failed("list", 200, JSON, c[1])
         assert.are.equal("ResponseValidationError", e.kind, c[1])
         assert.matches(c[2], e.message, nil, c[1])
      end
   end)

   it("raises for a programming error: an unknown operation or a non-integer status", function()
      assert.has_error(function() core.parse("nope", 200, JSON, "{}") end)
      assert.has_error(function() core.parse("list", {}, JSON, "{}") end)
      if portable.exact_int64 then -- Lua 5.1's luaL_checkinteger truncates instead
         assert.has_error(function() core.parse("list", 200.5, JSON, "{}") end)
      end
   end)

   it("survives arbitrary bytes", function()
      math.randomseed(7)
      local pieces = { "{", "}", "[", "]", '"', ":", ",", "\\", "u", "d8", "00", "1", "-", ".", "e", "null",
                       "true", '"clientId"', '"accessTokens"', "\0", "\255", " ", "9007199254740993" }
      for _ = 1, 3000 do
         local parts = {}
         for i = 1, math.random(1, 30) do parts[i] = pieces[math.random(#pieces)] end
         local body = table.concat(parts)
         for _, op in ipairs({ "list", "create", "delete" }) do
            for _, status in ipairs({ 200, 400, 503 }) do
               assert.is_true(pcall(core.parse, op, status, JSON, body))
            end
         end
      end
   end)
end)
