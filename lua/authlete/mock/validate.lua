--- Type checks for request bodies the mock receives, as a real server makes
--- them: a known field with the wrong JSON type is a 400 naming the field.
--- Unknown fields are ignored and JSON null counts as absent, so the mock is
--- as lenient as the server where the server is lenient.
local compat = require("authlete.compat")
local core = require("authlete.core")
local json = require("authlete.json")

local validate = {}

local function describe(v)
   if v == json.null then return "null" end
   if json.is_array(v) then return "array" end
   if type(v) == "table" then return "object" end
   if compat.mtype(v) == "float" then return "number" end
   if compat.mtype(v) == "integer" then return "integer" end
   return type(v)
end

local function is_object(v) return type(v) == "table" and not json.is_array(v) and v ~= json.null end

local check -- forward: check(kind, value, path) -> nil | message

-- What each field of each model must be, read from authlete.core's model
-- table (the one the client checks requests against, so the two cannot
-- drift apart): "string", "integer", "boolean", a model's name, or
-- { "array", kind }.
local KIND = { string = "string", int64 = "integer", int32 = "integer", boolean = "boolean",
               ["json-object-string"] = "string" }
local MODELS = {}
for name, m in pairs(core.models()) do
   local fields = {}
   for _, f in ipairs(m.fields) do
      local kind = f.model or KIND[f.type == "array" and f.elem or f.type]
      fields[f.name] = f.type == "array" and { "array", kind } or kind
   end
   MODELS[name] = fields
end

-- Drop JSON nulls so the rest of the mock sees them as absent.
local function strip_nulls(obj)
   for k, v in pairs(obj) do
      if v == json.null then obj[k] = nil end
   end
end

local function check_model(name, value, path)
   if not is_object(value) then return ("%s: expected object, got %s"):format(path, describe(value)) end
   strip_nulls(value)
   for field, kind in pairs(MODELS[name]) do
      if value[field] ~= nil then
         local err = check(kind, value[field], path == "" and field or path .. "." .. field)
         if err then return err end
      end
   end
end

function check(kind, value, path)
   if type(kind) == "table" then -- { "array", element kind }
      if not json.is_array(value) then
         return ("%s: expected array, got %s"):format(path, describe(value))
      end
      for i, v in ipairs(value) do
         local err = check(kind[2], v, ("%s[%d]"):format(path, i))
         if err then return err end
      end
      return nil
   end
   if MODELS[kind] then return check_model(kind, value, path) end
   local ok = (kind == "string" and type(value) == "string")
      or (kind == "integer" and compat.mtype(value) == "integer")
      or (kind == "boolean" and type(value) == "boolean")
   if not ok then return ("%s: expected %s, got %s"):format(path, kind, describe(value)) end
end

--- Check a decoded body against a request model. Returns nil, or a message
--- naming the first offending field ("scopes[2]: expected string, got integer").
function validate.body(model, body)
   local err = check_model(model, body, "")
   if err then return (err:gsub("^: ", "request body: ")) end
end

return validate
