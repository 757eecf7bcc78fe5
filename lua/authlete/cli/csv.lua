--- CSV as RFC 4180 writes it, read whole: records end in CRLF (or LF, or a
--- lone CR), fields may be quoted, a quoted field may hold commas, CR, LF
--- and doubled quotes, and a UTF-8 byte-order mark before the first record
--- is dropped. Values are kept byte for byte: a token value is never trimmed.
---
--- A syntax error (an unclosed quote, text after a closing quote, a quote
--- inside an unquoted field) is an error for the whole text: it moves every
--- field boundary after it, so no record of such a file can be trusted.
local csv = {}

local BOM = "\239\187\191"

-- The quoted field starting at text[pos] ('"'): its value, the position
-- after its closing quote, and how many line ends it holds; or nil, why.
local function quoted(text, pos)
   local parts, i = {}, pos + 1
   while true do
      local q = text:find('"', i, true)
      if not q then return nil, "a quoted field is never closed" end
      parts[#parts + 1] = text:sub(i, q - 1)
      if text:byte(q + 1) ~= 34 then
         local value = table.concat(parts)
         local _, lfs = value:gsub("\n", "") -- an editor's lines: a CR inside a value is not one
         return value, q + 1, lfs
      end
      parts[#parts + 1] = '"' -- "" is one quote
      i = q + 2
   end
end

--- The records of `text`: { fields..., line = the line the record starts
--- on }. Empty lines are skipped. Returns records, or nil and "line N: why".
function csv.parse(text)
   local records, pos, line, len = {}, 1, 1, #text
   if text:sub(1, 3) == BOM then pos = 4 end
   while pos <= len do
      local record = { line = line }
      while true do
         if text:byte(pos) == 34 then -- '"'
            local value, after, breaks = quoted(text, pos)
            if not value then return nil, ("line %d: %s"):format(line, after) end
            line = line + breaks
            pos = after
            local c = text:byte(pos)
            if c and c ~= 44 and c ~= 13 and c ~= 10 then
               return nil, ("line %d: text after a closing quote (a quote inside a value is written \"\")"):format(line)
            end
            record[#record + 1] = value
         else
            local stop = text:find("[,\r\n]", pos) or len + 1
            local value = text:sub(pos, stop - 1)
            if value:find('"', 1, true) then
               return nil, ("line %d: a quote inside an unquoted field (quote the field and double the quote)")
                  :format(line)
            end
            record[#record + 1] = value
            pos = stop
         end
         local c = text:byte(pos)
         if c ~= 44 then -- end of the record: CRLF, LF, CR or the end of the text
            if c == 13 then pos = pos + 1 end
            if text:byte(pos) == 10 then pos = pos + 1 end
            if c then line = line + 1 end
            break
         end
         pos = pos + 1
         if pos > len then record[#record + 1] = "" break end -- "a," ends with an empty field
      end
      if not (#record == 1 and record[1] == "") then records[#records + 1] = record end
   end
   return records
end

return csv
