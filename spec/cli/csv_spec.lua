-- The import's CSV reader, RFC 4180 case by case: each record's fields and
-- the line it starts on, or the error that stops the whole file.
local csv = require("authlete.cli.csv")

local function fields(text)
   local records = assert(csv.parse(text))
   local out = {}
   for i, r in ipairs(records) do
      out[i] = { line = r.line }
      for j, v in ipairs(r) do out[i][j] = v end
   end
   return out
end

describe("authlete.cli.csv", function()
   local cases = {
      { name = "LF line ends", text = "a,b\n1,2\n", want = { { "a", "b", line = 1 }, { "1", "2", line = 2 } } },
      { name = "CRLF line ends leave no CR behind", text = "a,b\r\n1,2\r\n",
        want = { { "a", "b", line = 1 }, { "1", "2", line = 2 } } },
      { name = "lone CR line ends", text = "a,b\r1,2", want = { { "a", "b", line = 1 }, { "1", "2", line = 2 } } },
      { name = "no line end after the last record", text = "a\n1", want = { { "a", line = 1 }, { "1", line = 2 } } },
      { name = "a byte-order mark", text = "\239\187\191a,b\n", want = { { "a", "b", line = 1 } } },
      { name = "empty fields, a trailing comma", text = ",x,\n", want = { { "", "x", "", line = 1 } } },
      { name = "quoted comma, doubled quote", text = '"a,b","say ""hi""",c\n',
        want = { { "a,b", 'say "hi"', "c", line = 1 } } },
      { name = "line breaks inside quotes move the line count", text = '"x\r\ny\nz",1\n2,3\n',
        want = { { "x\r\ny\nz", "1", line = 1 }, { "2", "3", line = 4 } } },
      { name = "an empty quoted field", text = '"",1\n', want = { { "", "1", line = 1 } } },
      { name = "empty lines are skipped", text = "a\n\n\r\nb\n", want = { { "a", line = 1 }, { "b", line = 4 } } },
      { name = "values are not trimmed", text = " a , b \n", want = { { " a ", " b ", line = 1 } } },
   }
   for _, case in ipairs(cases) do
      it(case.name, function() assert.are.same(case.want, fields(case.text)) end)
   end

   local errors = {
      { name = "an unclosed quote", text = 'a\n"b,c\nd\n', err = "line 2: a quoted field is never closed" },
      { name = "text after a closing quote", text = '"a"b,c\n', err = "line 1: text after a closing quote" },
      { name = "a quote inside an unquoted field", text = 'a\nb"c\n', err = "line 2: a quote inside an unquoted field" },
   }
   for _, case in ipairs(errors) do
      it("refuses " .. case.name, function()
         local records, err = csv.parse(case.text)
         assert.is_nil(records)
         assert.matches(case.err, err, 1, true)
      end)
   end
end)
