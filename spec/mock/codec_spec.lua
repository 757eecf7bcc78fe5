-- The mock's own JSON codec and token material.
local json = require("authlete.json")
local crypto = require("authlete.mock.crypto")

describe("mock JSON codec", function()
   it("keeps integer literals as exact Lua integers", function()
      local v = assert(json.decode('{"a":5921531358155430,"b":9007199254740993,"c":-9223372036854775808}'))
      assert.are.equal("integer", math.type(v.a))
      assert.are.equal(9007199254740993, v.b)
      assert.are.equal(math.mininteger, v.c)
      assert.are.equal('{"a":5921531358155430,"b":9007199254740993,"c":-9223372036854775808}', json.encode(v))
   end)

   it("tells arrays from objects, empty ones included", function()
      local v = json.decode('{"a":[],"o":{}}')
      assert.is_true(json.is_array(v.a))
      assert.is_false(json.is_array(v.o))
      assert.are.equal('{"a":[],"o":{}}', json.encode(v))
   end)

   it("decodes escapes and surrogate pairs, and escapes control characters", function()
      assert.are.equal('a"\\/\b\f\n\r\té😀', json.decode('"a\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00"'))
      assert.are.equal('"\\u0001\\n\\"/"', json.encode('\1\n"/'))
   end)

   it("rejects what RFC 8259 rejects, with a byte offset", function()
      for _, bad in ipairs({ "", "[1,]", "{\"a\" 1}", "01", "1.", "-", "1e", "\"\\x\"", "\"\\ud800\"",
                             "\"\1\"", "[1] 2", "nul", "\"\255\"", ("["):rep(100) .. ("]"):rep(100) }) do
         local v, err = json.decode(bad)
         assert.is_nil(v, bad)
         assert.matches("at byte %d+", err)
      end
   end)

   it("decodes null to a sentinel and refuses non-finite numbers", function()
      assert.are.equal(json.null, json.decode("null"))
      assert.has_error(function() json.encode(0 / 0) end)
      assert.has_error(function() json.encode(math.huge) end)
   end)
end)

describe("mock token material", function()
   it("computes SHA-256 like sha256sum", function()
      local hex = function(s) return (s:gsub(".", function(c) return ("%02x"):format(c:byte()) end)) end
      assert.are.equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", hex(crypto.sha256("")))
      assert.are.equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", hex(crypto.sha256("abc")))
      assert.are.equal("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
         hex(crypto.sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")))
   end)

   it("hashes tokens as the fact sheet's examples do", function()
      -- The fact sheet's create example token and its list example hash.
      assert.are.equal("P4p-X_JyGm0ts8-nm-jtUGmK2LInVTzijgw-Glk-RZs",
         crypto.token_hash("W_epF1cbUq3Zmgy1rEqpm-f9XhwyAd5Kuic-JCtt79c"))
   end)

   it("makes 43-character base64url tokens that differ", function()
      local a, b = crypto.new_token(), crypto.new_token()
      assert.matches("^[%w_-]+$", a)
      assert.are.equal(43, #a)
      assert.are_not.equal(a, b)
      assert.are.equal("Zm9vYg", crypto.base64url("foob"))
   end)
end)
