--- Choosing a localised name by the browser's Accept-Language (RFC 9110
--- §12.5.4), for the connected-apps page: plain Lua, no ngx.
---
---   local ranges = languages.parse("de-CH, de;q=0.9, en;q=0.5")
---   languages.pick(ranges, { { tag = "en", value = "Photos" },
---                            { tag = "de", value = "Fotos" } })  --> "Fotos"
local languages = {}

-- A header is the browser's, but also anyone's: bound the work it can cause.
local MAX_RANGES = 24
local MAX_HEADER = 1024

--- The language ranges of an Accept-Language value, lower-cased, most
--- wanted first (equal weights keep the header's order). `*` and ranges
--- weighted 0 are left out, and so is anything malformed.
function languages.parse(header)
   if type(header) ~= "string" then return {} end
   local found = {}
   for item in header:sub(1, MAX_HEADER):gmatch("[^,]+") do
      local range, params = item:match("^%s*([%a%d%-]+)%s*(.-)%s*$")
      local q = 1
      if params and params ~= "" then
         local w = params:match("^;%s*[qQ]%s*=%s*([01]%.?%d*)$")
         q = w and tonumber(w) or -1
      end
      local primary = range and range:match("^%a+")
      if primary and #primary <= 8 and q > 0 and q <= 1 then
         found[#found + 1] = { range = range:lower(), q = q, at = #found }
         if #found == MAX_RANGES then break end
      end
   end
   table.sort(found, function(a, b)
      if a.q ~= b.q then return a.q > b.q end
      return a.at < b.at
   end)
   local out = {}
   for i, f in ipairs(found) do out[i] = f.range end
   return out
end

-- tagged: a list of { tag = , value = } (Authlete's TaggedValue) or a map
-- tag -> value (an operator's names); either way a map of lower-cased tag
-- to value, non-empty strings only.
local function by_tag(tagged)
   local map = {}
   if type(tagged) ~= "table" then return map end
   for k, v in pairs(tagged) do
      local tag, value = k, v
      if type(v) == "table" then tag, value = v.tag, v.value end
      if type(tag) == "string" and type(value) == "string" and value ~= "" then
         map[tag:lower()] = map[tag:lower()] or value
      end
   end
   return map
end

--- The value whose tag best matches the ranges, or nil. Each range in turn
--- is looked up as RFC 4647 §3.4 does (de-ch, then de); after that, a tag
--- that only shares a range's primary language (a de-AT name for "de-CH")
--- is better than no localised name at all.
function languages.pick(ranges, tagged)
   local map = by_tag(tagged)
   if next(map) == nil then return nil end
   for _, range in ipairs(ranges) do
      local r = range
      while r do
         if map[r] then return map[r] end
         r = r:match("^(.+)%-[^-]+$")
      end
   end
   for _, range in ipairs(ranges) do
      local primary = range:match("^[^-]+")
      local best
      for tag, value in pairs(map) do
         if tag:match("^[^-]+") == primary and (not best or tag < best.tag) then best = { tag = tag, value = value } end
      end
      if best then return best.value end
   end
   return nil
end

return languages
