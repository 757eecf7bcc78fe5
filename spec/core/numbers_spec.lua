-- Exact numbers, as properties over random and boundary literals: an
-- integer field keeps exactly the integer the server wrote, however it is
-- written ("12", "12.0", "1.2e1", "1200e-2"), or the answer is a
-- ResponseValidationError; a number in an unknown field is the double
-- strtod gives, whatever the literal's length (the reference is tonumber,
-- which uses strtod on Lua 5.4 and LuaJIT's own correctly rounded scanner).
local core = require("authlete.core")

local EXACT = core.exact_int64 -- Lua 5.4; LuaJIT holds integers up to 2^53

-- clientId (an int64 field) as written by `literal`: the value, or nil and
-- the error.
local function parse(literal)
   local res, err = core.parse("list", 200, "application/json",
      ('{"start":0,"end":1,"totalCount":1,"accessTokens":[{"clientId":%s}]}'):format(literal))
   if not res then return nil, err end
   return res.accessTokens[1].clientId
end

-- x, a field the model does not know, as written by `literal`.
local function parse_unknown(literal)
   local res = assert(core.parse("list", 200, "application/json", ('{"start":0,"x":%s}'):format(literal)))
   return res.x
end

-- Decimal text of a random integer of up to 19 digits, with a sign.
local function random_integer_text()
   local digits = { tostring(math.random(1, 9)) }
   for i = 2, math.random(1, 19) do digits[i] = tostring(math.random(0, 9)) end
   return (math.random() < 0.5 and "-" or "") .. table.concat(digits)
end

-- The same integer written another way: with a fraction of zeros, with
-- an exponent, or with the point moved and the exponent making up for it.
local function rewrite(text)
   local sign, digits = text:match("^(-?)(%d+)$")
   local form = math.random(1, 4)
   if form == 1 then return text .. "." .. ("0"):rep(math.random(1, 30)) end
   if form == 2 then return text .. "e" .. (math.random() < 0.5 and "+" or "") .. "0" end
   if form == 3 then -- 1234 -> 0.001234e7
      local zeros = math.random(0, 40)
      return sign .. "0." .. ("0"):rep(zeros) .. digits .. "e" .. (#digits + zeros)
   end
   local shift = math.random(1, 30) -- 1234 -> 12340000e-4
   return sign .. digits .. ("0"):rep(shift) .. "e-" .. shift
end

-- Does the decimal text fit int64 (and, on LuaJIT, 2^53)?
local function fits(text)
   local neg, digits = text:match("^(-?)(%d+)$")
   local limit = EXACT and (neg == "-" and "9223372036854775808" or "9223372036854775807") or "9007199254740992"
   return #digits < #limit or (#digits == #limit and digits <= limit)
end

describe("exact numbers", function()
   it("an integer field keeps every integer exactly, however it is written", function()
      math.randomseed(20261202)
      for _ = 1, 3000 do
         local text = random_integer_text()
         local literal = math.random() < 0.3 and text or rewrite(text)
         local got, err = parse(literal)
         if fits(text) then
            assert.is_not_nil(got, literal .. ": " .. tostring(err and err.message))
            assert.are.equal(text, ("%d"):format(got), literal)
         else
            assert.is_nil(got, literal)
            assert.are.equal("ResponseValidationError", err.kind)
         end
      end
   end)

   it("keeps the boundaries exact", function()
      local cases = {
         { "9007199254740993.0", "9007199254740993" }, { "9007199254740993e0", "9007199254740993" },
         { "9223372036854775807.0", "9223372036854775807" }, { "92233720368547758.07e2", "9223372036854775807" },
         { "-9223372036854775808.000", "-9223372036854775808" }, { "0.0e999999999", "0" }, { "-0.0", "0" },
         { "0." .. ("0"):rep(300) .. "1e301", "1" },
      }
      for _, c in ipairs(cases) do
         local got, err = parse(c[1])
         if fits(c[2]) then
            assert.are.equal(c[2], got and ("%d"):format(got), c[1] .. ": " .. tostring(err and err.message))
         else
            assert.are.equal("ResponseValidationError", err and err.kind, c[1])
         end
      end
      for _, literal in ipairs({ "9223372036854775808.0", "-9223372036854775809e0", "1e19", "1.5", "1e-1",
                                 "12.34e1", ("1"):rep(200) .. "e-199" }) do
         local got, err = parse(literal)
         assert.is_nil(got, literal)
         assert.are.equal("ResponseValidationError", err.kind, literal)
         assert.are.equal("accessTokens[1].clientId", err.field)
      end
   end)

   it("a number in an unknown field is strtod's nearest double, whatever its length", function()
      math.randomseed(53)
      local function digits(n)
         local t = {}
         for i = 1, n do t[i] = tostring(math.random(0, 9)) end
         return table.concat(t)
      end
      local literals = {
         -- halfway cases and neighbours past the 17th digit, long enough to be cut before
         "9007199254740993." .. ("0"):rep(200) .. "1", "2.2250738585072011e-308", "4.9406564584124654e-324",
         "1.7976931348623157e308", "0.1" .. ("0"):rep(150) .. "1", "1" .. ("0"):rep(400) .. "e-400",
      }
      for _ = 1, 2000 do
         local frac = math.random() < 0.7 and ("." .. digits(math.random(1, 250))) or ""
         local exp = math.random() < 0.5 and ("e" .. math.random(-330, 300)) or ""
         if frac == "" and exp == "" then exp = "e0" end
         literals[#literals + 1] = (math.random() < 0.5 and "-" or "") .. tostring(math.random(1, 9)) ..
            digits(math.random(0, 30)) .. frac .. exp
      end
      for _, literal in ipairs(literals) do
         local x = parse_unknown(literal)
         local want = tonumber(literal)
         assert.is_true(x == want, ("%s: got %.17g, want %.17g"):format(literal, x or 0 / 0, want))
      end
   end)
end)
