-- The bad-input catalogue (spec/helpers/bad_input.lua): each row gets its
-- documented answer, and an error row sends nothing.
local catalogue = require("spec.helpers.bad_input")
local helper = require("spec.helpers.mock")

describe("bad-input catalogue", function()
   for _, section in ipairs(catalogue.sections) do
      local title, rows = section[1], section[2]
      for _, row in ipairs(rows) do
         local want_kind, want_field, want_message = row.kind, row.field, row.message
         it(title .. ": " .. row.input, function()
            local kind, field, message, sent = catalogue.run(row)
            assert.are.equal(want_kind, kind, message)
            if want_kind == "sent" then
               assert.are.equal(1, #sent)
               assert.are.equal(want_field, field)
               return
            end
            assert.are.equal(0, #sent, "something was sent")
            if want_field then
               assert.are.equal(want_field, field)
               if want_field ~= "" then assert.are.equal(want_field .. ": ", message:sub(1, #want_field + 2)) end
            end
            assert.matches(want_message, message)
            assert.falsy(message:find(catalogue.BEARER, 1, true))
         end)
      end
   end

   it("is published, up to date, as docs/bad-input.md", function()
      local p = io.popen(helper.LUA_ENV .. " lua5.4 tools/bad_input_doc.lua")
      local generated = p:read("*a")
      p:close()
      local f = assert(io.open("docs/bad-input.md"))
      local published = f:read("*a")
      f:close()
      assert.are.equal(generated, published, "run: lua5.4 tools/bad_input_doc.lua > docs/bad-input.md")
   end)
end)
