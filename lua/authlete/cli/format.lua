--- Output: readable tables, JSON lines, local times, one-line errors.
local compat = require("authlete.compat")
local core = require("authlete.core")

local format = {}

--- Epoch milliseconds as local time ("never" for 0 or absent).
function format.time(ms)
   if not ms or ms <= 0 then return "never" end
   return os.date("%Y-%m-%d %H:%M", compat.idiv(ms, 1000))
end

--- "1 token", "2 tokens": a count in English. `plural` when adding "s"
--- will not do.
function format.count(n, noun, plural)
   return ("%d %s"):format(n, n == 1 and noun or (plural or noun .. "s"))
end

--- One JSON object on one line: a result as the core parsed it, whose
--- arrays carry core.array_mt, so that an empty one is written [] and not
--- {}, whatever field it is; integers are exact.
function format.json_line(value)
   io.write(core.json_encode(value), "\n")
end

--- Rows (arrays of strings) under headers, columns padded to fit.
function format.table(headers, rows)
   local widths = {}
   for i, h in ipairs(headers) do widths[i] = #h end
   for _, row in ipairs(rows) do
      for i, cell in ipairs(row) do widths[i] = math.max(widths[i], compat.utf8_len(cell) or #cell) end
   end
   local function line(cells)
      local out = {}
      for i, cell in ipairs(cells) do
         out[i] = i < #cells and (cell .. (" "):rep(widths[i] - (compat.utf8_len(cell) or #cell))) or cell
      end
      io.write(table.concat(out, "  "), "\n")
   end
   line(headers)
   for _, row in ipairs(rows) do line(row) end
end

return format
