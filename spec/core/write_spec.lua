-- core.json_encode (authlete.json_encode): JSON of any value a result holds,
-- integers exact, arrays kept arrays, bad values named.
local authlete = require("authlete")
local core = require("authlete.core")
local json = require("authlete.json")

local EXACT_INT64 = core.exact_int64

describe("core.json_encode", function()
   local enc = core.json_encode

   it("writes scalars: integers exact, other numbers round-tripping, strings escaped", function()
      assert.are.equal("5921531358155430", enc(5921531358155430))
      assert.are.equal("-9007199254740992", enc(-9007199254740992))
      if EXACT_INT64 then assert.are.equal("9223372036854775807", enc(math.maxinteger)) end
      assert.are.equal("0.5", enc(0.5))
      assert.are.equal(0.1, tonumber(enc(0.1)))
      assert.are.equal("1e+300", enc(1e300))
      assert.are.equal("0.30000000000000004", enc(0.1 + 0.2))
      assert.are.equal("true", enc(true))
      assert.are.equal('"a\\"b\\\\c\\n\\t\\r\\b\\f\\u0001\\u001f/é"', enc('a"b\\c\n\t\r\b\f\1\31/é'))
      assert.are.equal('""', enc(""))
   end)

   it("writes arrays as arrays, even empty ones core.parse or json_array made", function()
      assert.are.equal("[1,2,3]", enc({ 1, 2, 3 }))
      assert.are.equal("{}", enc({}))
      assert.are.equal("[]", enc(authlete.json_array({})))
      assert.are.equal("[]", enc(setmetatable({}, core.array_mt)))
      local res = core.parse("list", 200, "application/json",
         '{"start":0,"end":5,"totalCount":0,"accessTokens":[],"unknown":{"x":[]}}')
      local text = enc(res)
      assert.matches('"accessTokens":%[%]', text)
      assert.matches('"unknown":{"x":%[%]}', text)
      assert.are.same({ accessTokens = {}, ["end"] = 5, start = 0, totalCount = 0, unknown = { x = {} } },
                      json.decode(text))
   end)

   it("writes objects with every key and value once", function()
      local text = enc({ z = "x", b = { c = { { e = false, d = true } } }, a = 1 })
      assert.are.same({ z = "x", b = { c = { { e = false, d = true } } }, a = 1 }, json.decode(text))
      assert.are.equal(#'{"a":1,"b":{"c":[{"d":true,"e":false}]},"z":"x"}', #text)
   end)

   it("writes null for the sentinel it is given", function()
      assert.are.equal('{"a":null}', enc({ a = json.null }, json.null))
      assert.are.equal('{"a":null}', authlete.json_encode({ a = json.null }))
      assert.are.equal("[1,null,3]", enc(authlete.json_array({ 1, json.null, 3 }), json.null))
   end)

   it("refuses what JSON cannot hold, naming it", function()
      local function refused(v, msg) assert.has_error(function() enc(v) end, msg) end
      refused(0 / 0, "cannot encode a non-finite number")
      refused(math.huge, "cannot encode a non-finite number")
      refused({ f = print }, "cannot encode a function")
      refused({ [{}] = 1 }, "cannot encode a table with table keys as a JSON object (keys must be strings)")
      refused({ 1, 2, x = 3 }, "cannot encode a table with number keys as a JSON object (keys must be strings)")
      refused("\255", "cannot encode a string that is not UTF-8")
      local deep = {}
      for _ = 1, 100 do deep = { deep } end
      refused(deep, "cannot encode a value nested more than 64 deep")
      assert.has_error(function() enc() end)
   end)

   it("gives back, decoded, what the pure-Lua codec gives for a parsed result", function()
      local body = '{"start":0,"end":2,"totalCount":2,"subject":"alice","accessTokens":[{"clientId":5921531358155430,'
         .. '"scopes":["openid","é\\u0001"],"properties":[{"key":"k","value":"v","hidden":false}],'
         .. '"accessTokenExpiresAt":1767232800000},{"clientId":31415926535897,"scopes":[]}]}'
      local res = core.parse("list", 200, "application/json", body)
      assert.are.same(json.decode(json.encode(res)), json.decode(enc(res)))
      assert.matches('"clientId":5921531358155430', enc(res))
   end)
end)
