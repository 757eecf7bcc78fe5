-- authlete.utc and authlete.header: the calendar and the header-line rule
-- that the command line, retries, options, transports and the mock share.
local utc = require("authlete.utc")
local header = require("authlete.header")
local unpack = rawget(table, "unpack") or rawget(_G, "unpack") -- 5.4, and LuaJIT's

describe("authlete.utc", function()
   it("counts the seconds of a UTC date, leap years and centuries included", function()
      local cases = {
         { date = { 1970, 1, 1, 0, 0, 0 }, epoch = 0 },
         { date = { 1994, 11, 6, 8, 49, 37 }, epoch = 784111777 },       -- RFC 9110's example date
         { date = { 2000, 2, 29, 12, 0, 0 }, epoch = 951825600 },        -- 2000 is a leap year
         { date = { 2038, 1, 19, 3, 14, 8 }, epoch = 2147483648 },       -- past 32-bit time
         { date = { 9999, 12, 31, 23, 59, 59 }, epoch = 253402300799 },
      }
      for _, case in ipairs(cases) do
         assert.are.equal(case.epoch, utc.epoch(unpack(case.date)))
      end
   end)

   it("tells real dates from impossible ones", function()
      assert.is_true(utc.valid(2024, 2, 29, 0, 0, 0))
      for _, d in ipairs({ { 2023, 2, 29 }, { 1900, 2, 29 }, { 2026, 4, 31 }, { 2026, 13, 1 }, { 2026, 0, 1 } }) do
         assert.is_false(utc.valid(d[1], d[2], d[3], 0, 0, 0), table.concat(d, "-"))
      end
      assert.is_false(utc.valid(2026, 1, 1, 24, 0, 0))
      assert.is_false(utc.valid(2026, 1, 1, 23, 59, 60))
   end)
end)

describe("authlete.header", function()
   it("takes tokens as names and values that keep to their line", function()
      assert.is_true(header.name_ok("X-Request-Id"))
      for _, bad in ipairs({ "", "X A", "X:A", "X\r\nA", 42 }) do assert.is_false(header.name_ok(bad), tostring(bad)) end
      assert.is_true(header.value_ok("a value; with: anything else"))
      for _, bad in ipairs({ "a\rb", "a\nb", "a\0b", false }) do assert.is_false(header.value_ok(bad), tostring(bad)) end
   end)
end)
