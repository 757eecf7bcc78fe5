--- An import file read into rows, before anything is sent: CSV (RFC 4180,
--- a header line naming the columns) or JSON Lines (one object per line).
--- Columns are the fields of Authlete's TokenCreateRequest, read from the
--- model table, plus a few a migration needs (expiresAt and friends). A file
--- that cannot be read, a CSV syntax error, and unknown, repeated or missing
--- columns are usage errors for the whole file; a bad value is the error of
--- its row alone.
local compat = require("authlete.compat")
local core = require("authlete.core")
local args = require("authlete.cli.args")
local csv = require("authlete.cli.csv")
local json = require("authlete.json")

local import_file = {}

local BOM = "\239\187\191" -- UTF-8's byte-order mark, which some exports put first

-- Columns of the import's own, turned into create fields when a row is sent
-- (so that a lifetime is counted from the moment of sending).
local EXTRA = {
   expiresAt = "time",             -- the access token's expiry
   expiresIn = "seconds",          -- its lifetime from now
   refreshTokenExpiresAt = "time", -- the refresh token's expiry
}

-- name -> the field's description in the model table (type, elem, model).
local FIELDS = {}
for _, f in ipairs(core.models().TokenCreateRequest.fields) do FIELDS[f.name] = f end

local function known_names()
   local names = {}
   for name in pairs(FIELDS) do names[#names + 1] = name end
   for name in pairs(EXTRA) do names[#names + 1] = name end
   table.sort(names)
   return names
end

-- What an unknown column was probably meant to be.
local function unknown_columns(list)
   local names, shown = known_names(), {}
   for _, name in ipairs(list) do
      local hint = core.suggest(name, names)
      shown[#shown + 1] = "'" .. args.shown(name) .. "'" .. (hint and (" (did you mean '" .. hint .. "'?)") or "")
   end
   return ("unknown column%s %s; the columns are fields of TokenCreateRequest, or expiresAt, expiresIn, "
      .. "refreshTokenExpiresAt"):format(#list > 1 and "s" or "", table.concat(shown, ", "))
end

-- A CSV cell as the value of field `name`, or nil and why not.
local function from_text(name, text)
   local kind = EXTRA[name]
   local f = FIELDS[name]
   if kind == "seconds" or (f and f.type == "int64") then
      if name == "clientId" and not text:match("^%d+$") then return text end -- an alias: see clientId below
      local n = text:match("^[-+]?%d+$") and #text <= 19 and compat.tointeger(tonumber(text))
      if not n then return nil, ("%s must be a whole number, got '%s'"):format(name, args.shown(text)) end
      return n
   elseif kind == "time" then
      return text
   elseif f.type == "boolean" then
      local lower = text:lower()
      if lower == "true" then return true elseif lower == "false" then return false end
      return nil, ("%s must be true or false, got '%s'"):format(name, args.shown(text))
   elseif f.type == "array" and f.elem == "string" then
      local words = {}
      for w in text:gmatch("%S+") do words[#words + 1] = w end
      return words
   elseif f.type == "array" or f.type == "object" then -- properties, authorizationDetails: JSON in the cell
      local value, err = json.decode(text)
      if type(value) ~= "table" then
         return nil, ("%s must be JSON (%s)"):format(name, tostring(err or "not an object or array"))
      end
      return value
   end
   return text
end

-- A token value must arrive as it was exported: a control character (the
-- CR a CRLF file leaves behind, a tab) is refused, never sent.
local function check_values(fields)
   for _, name in ipairs({ "accessToken", "refreshToken" }) do
      local v = fields[name]
      if type(v) == "string" and v:find("%c") then
         return ("%s holds a control character (byte %d)"):format(name, v:match("%c"):byte())
      end
   end
   if fields.accessToken == nil or fields.accessToken == "" then return "no accessToken" end
   if fields.clientId == nil and fields.clientIdentifier == nil then return "no clientId or clientIdentifier" end
end

local function read_csv(text, path)
   local records, err = csv.parse(text)
   if not records then args.bad_file(args.shown(path) .. " " .. err) end
   local header = table.remove(records, 1)
   if not header then args.bad_file(args.shown(path) .. " is empty: a CSV file starts with a header line") end
   local unknown, seen, names = {}, {}, {}
   for i, raw in ipairs(header) do
      local name = raw:match("^%s*(.-)%s*$")
      if name == "" then args.bad_file(("%s: column %d of the header has no name"):format(args.shown(path), i)) end
      if seen[name] then args.bad_file(("%s: the header names '%s' twice"):format(args.shown(path), args.shown(name))) end
      seen[name] = true
      if not FIELDS[name] and not EXTRA[name] then unknown[#unknown + 1] = name end
      names[i] = name
   end
   if #unknown > 0 then args.bad_file(args.shown(path) .. ": " .. unknown_columns(unknown)) end
   local missing = {}
   if not seen.accessToken then missing[#missing + 1] = "accessToken" end
   if not seen.clientId and not seen.clientIdentifier then missing[#missing + 1] = "clientId (or clientIdentifier)" end
   if #missing > 0 then
      args.bad_file(("%s: the header has no %s column"):format(args.shown(path), table.concat(missing, " column and no ")))
   end
   local rows = {}
   for n, record in ipairs(records) do
      local row = { row = n, line = record.line, fields = {} }
      if #record ~= #names then
         row.bad = ("%d fields, the header has %d"):format(#record, #names)
      else
         for i, cell in ipairs(record) do
            if cell ~= "" and not row.bad then
               local value, why = from_text(names[i], cell)
               if value == nil then row.bad = why else row.fields[names[i]] = value end
            end
         end
      end
      row.bad = row.bad or check_values(row.fields)
      rows[n] = row
   end
   return rows
end

local function read_jsonl(text, path)
   local rows, unknown, listed, line = {}, {}, {}, 0
   if text:sub(1, 3) == BOM then text = text:sub(4) end
   for content in (text .. "\n"):gmatch("([^\n]*)\n") do
      line = line + 1
      content = content:gsub("\r$", "")
      if content:find("%S") then
         local row = { row = #rows + 1, line = line, fields = {} }
         local obj, err = json.decode(content)
         if type(obj) ~= "table" or json.is_array(obj) or obj == json.null then
            row.bad = "not a JSON object" .. (err and (": " .. tostring(err)) or "")
         else
            for k, v in pairs(obj) do
               if not FIELDS[k] and not EXTRA[k] then
                  if not listed[k] then unknown[#unknown + 1], listed[k] = k, true end
               elseif v ~= json.null then
                  row.fields[k] = v
               end
            end
            if type(row.fields.clientId) == "string" then -- digits are an ID, anything else an alias, as in a CSV
               local id, alias = args.client(row.fields.clientId)
               row.fields.clientId = id or alias
            end
            row.bad = check_values(row.fields)
         end
         rows[#rows + 1] = row
      end
   end
   if #unknown > 0 then
      table.sort(unknown)
      args.bad_file(args.shown(path) .. ": " .. unknown_columns(unknown):gsub("^unknown column", "unknown field"))
   end
   return rows
end

--- "csv" or "jsonl": as asked, else by the name's extension, else by the
--- first character (a JSON line starts with "{").
function import_file.format(path, text, asked)
   if asked then
      if asked ~= "csv" and asked ~= "jsonl" then args.usage("--format must be csv or jsonl") end
      return asked
   end
   if path:match("%.jsonl$") or path:match("%.ndjson$") then return "jsonl" end
   if path:match("%.csv$") then return "csv" end
   if text:sub(1, 3) == BOM then text = text:sub(4) end
   return text:match("^%s*{") and "jsonl" or "csv"
end

--- The rows of the file at `path`: { row = n, line = first line, fields =
--- { name = value } } with bad = why when the row cannot be sent.
function import_file.read(path, asked_format)
   local f, err = io.open(path, "rb")
   if not f then args.bad_file("cannot read " .. args.shown(err or path)) end
   local text, rerr = f:read("a")
   f:close()
   if not text then args.bad_file(("cannot read %s: %s"):format(args.shown(path), args.shown(tostring(rerr)))) end
   if import_file.format(path, text, asked_format) == "jsonl" then return read_jsonl(text, path) end
   return read_csv(text, path)
end

import_file.EXTRA = EXTRA
return import_file
