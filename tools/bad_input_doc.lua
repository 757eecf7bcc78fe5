--- Render the bad-input catalogue (spec/helpers/bad_input.lua) as
--- docs/bad-input.md. The spec checks the file matches what this writes.
---   lua5.4 tools/bad_input_doc.lua > docs/bad-input.md
local catalogue = require("spec.helpers.bad_input")

local function cell(s)
   s = tostring(s or ""):gsub("|", "\\|"):gsub("\n", " ")
   if #s > 160 then s = s:sub(1, 157) .. "…" end
   return s
end

local out = {
   "# Bad input",
   "",
   "What the public API does with bad input. Every row below is run by",
   "`spec/reliability/bad_input_spec.lua` through `client.token.management.*`",
   "with a transport that records what would reach the network: an error row",
   "sends nothing, and a `sent` row sends exactly one request. This file is",
   "generated from that catalogue (`lua5.4 tools/bad_input_doc.lua`), and the",
   "spec fails when it is out of date.",
   "",
   "- `SDKValidationError`: returned as `nil, err` before anything is sent;",
   "  `err.field` names the field and `err.message` starts with it.",
   "- `InvalidRequestError`: the request could not be formed (the bearer).",
   "- raises: a programming error (a bad option), raised at once.",
   "- sent: the value is legal and goes out intact, as shown.",
   "",
}
for _, section in ipairs(catalogue.sections) do
   local title, rows = section[1], section[2]
   out[#out + 1] = "## " .. title
   out[#out + 1] = ""
   out[#out + 1] = "| input | outcome | field or path | message |"
   out[#out + 1] = "|---|---|---|---|"
   for _, row in ipairs(rows) do
      local kind, field, message = catalogue.run(row)
      local input = row.input:find("`", 1, true) and row.input or ("`" .. row.input .. "`")
      if row.input:match("^%a") and not row.input:find("`", 1, true) then input = row.input end
      out[#out + 1] = ("| %s | %s | %s | %s |"):format(cell(input), cell(kind),
         field and field ~= "" and ("`" .. cell(field) .. "`") or "", cell(message))
   end
   out[#out + 1] = ""
end
io.write(table.concat(out, "\n"))
