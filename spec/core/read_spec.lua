-- core.json_decode: the generic JSON reader (the mock's request bodies, the
-- command line's JSON Lines), and json_encode's key order, which the mock
-- answers with.
local core = require("authlete.core")
local portable = require("spec.helpers.portable")

local NULL = setmetatable({}, { __tostring = function() return "null" end })

describe("core.json_decode", function()
   it("reads any value, integers exact, arrays marked as arrays", function()
      local v = assert(core.json_decode('{"id":5921531358155430,"f":1.5,"s":"é","t":true,"a":[],"o":{}}'))
      assert.are.equal(5921531358155430, v.id)
      assert.are.equal(1.5, v.f)
      assert.are.same({ "é", true }, { v.s, v.t })
      assert.are.equal(core.array_mt, getmetatable(v.a))
      assert.is_nil(getmetatable(v.o))
      assert.are.same({ 1, 2 }, core.json_decode("[1,2]"))
      assert.are.equal("x", core.json_decode('"x"'))
      if portable.exact_int64 then assert.are.equal(9007199254740993, core.json_decode("9007199254740993")) end
   end)

   it("gives null the caller's value everywhere, or leaves it out", function()
      local v = core.json_decode('{"a":null,"b":[1,null,3]}', NULL)
      assert.are.same({ NULL, 3, NULL }, { v.a, #v.b, v.b[2] })
      assert.are.equal(NULL, core.json_decode("null", NULL))
      local w = core.json_decode('{"a":null,"b":[1,null]}')
      assert.is_nil(w.a)
      assert.is_nil(w.b[2])
      local none, err = core.json_decode("null")
      assert.is_nil(none)
      assert.matches("null is only allowed as an object member", err)
   end)

   it("names the byte of every syntax error, the end of the text included", function()
      for text, byte in pairs({ [""] = 1, ["[1,]"] = 4, ['{"a" 1}'] = 6, ["01"] = 2, ["1."] = 1, ["-"] = 1,
                                ['"\\x"'] = 2, ["[1] 2"] = 5, ["nul"] = 1, ["[1,"] = 4 }) do
         local v, err = core.json_decode(text, NULL)
         assert.is_nil(v, text)
         assert.matches("at byte " .. byte .. ":", err, 1, true)
      end
      assert.matches("at byte %d+", select(2, core.json_decode('"\255"')))
      assert.matches("nested deeper than 64", select(2, core.json_decode(("["):rep(100) .. ("]"):rep(100))))
   end)
end)

describe("core.json_encode with an order", function()
   it("writes ranked keys first, by rank, then the others by name, at every depth", function()
      local order = { resultCode = 1, action = 2 }
      assert.are.equal('{"resultCode":"x","inner":{"action":"OK","b":1,"c":2},"z":1}',
         core.json_encode({ z = 1, inner = { c = 2, b = 1, action = "OK" }, resultCode = "x" }, nil, order))
      assert.are.equal('{"a":[],"b":{}}', core.json_encode({ b = {}, a = setmetatable({}, core.array_mt) }, nil, {}))
      assert.has_error(function() core.json_encode({ [1.5] = true, a = 1 }, nil, {}) end)
      assert.has_error(function() core.json_encode({}, nil, "order") end)
   end)
end)
