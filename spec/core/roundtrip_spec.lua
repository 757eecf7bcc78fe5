-- Round-trip properties, generated from the declared models themselves:
--   request:  generated input -> core.prepare -> independent decoder == input
--   response: generated body -> independent encoder -> core.parse == body
-- Every field of every model appears (one sample per model has them all).
local core = require("authlete.core")
local portable = require("spec.helpers.portable")

local models = core.models()
local SAMPLES = 150

local STRINGS = { "", "john", "alice@example.org", "é 中文 😀", 'quote " backslash \\ slash /',
                  "ctrl \1\8\31\n\r\t", "W_epF1cbUq3Zmgy1rEqpm-f9XhwyAd5Kuic-JCtt79c", ("long"):rep(200),
                  "\239\191\191\244\143\191\191", "nul\0byte" }
local INT64 = { 0, 1, -1, 2147483647, 2147483648, -2147483649, 3600, 1767229200000, 26888344961664,
                5921531358155430, 2 ^ 53 - 1, 2 ^ 53, -(2 ^ 53) }
if portable.exact_int64 then
   -- Written through load() so LuaJIT never has to parse them.
   for _, v in ipairs(load("return { 2^53 // 1 + 1, math.maxinteger, math.mininteger, (1 << 62) + 12345 }")()) do
      INT64[#INT64 + 1] = v
   end
else
   for i, v in ipairs(INT64) do INT64[i] = v end
end
for i, v in ipairs(INT64) do
   INT64[i] = math.tointeger and math.tointeger(v) or v -- integers, not floats, on 5.4
end
local INT32 = { 0, 1, -1, 5, 20, 2147483647, -2147483648 }
local JSON_OBJECTS = { "{}", '{"a":1}', '{"nested":{"x":[1,"y",null,true,2.5]},"s":"é"}' }

local function pick(list) return list[math.random(#list)] end

local gen_object

local function gen_scalar(kind, f, response)
   if kind == "string" then
      if f.enum and not response then return pick(f.enum) end
      if f.enum and math.random() < 0.2 then return "A_NEW_VALUE" end -- responses keep unknown values
      if f.enum then return pick(f.enum) end
      return pick(STRINGS)
   elseif kind == "int64" then
      return pick(INT64)
   elseif kind == "int32" then
      return pick(INT32)
   elseif kind == "boolean" then
      return math.random() < 0.5
   elseif kind == "json-object-string" then
      return pick(JSON_OBJECTS)
   end
   error("no generator for " .. kind)
end

local function gen_value(f, all, response)
   if f.type == "object" then return gen_object(models[f.model], all, response) end
   if f.type == "array" then
      local arr = portable.array()
      for i = 1, math.random(0, 3) do
         arr[i] = f.elem == "object" and gen_object(models[f.model], all, response)
            or gen_scalar(f.elem, f, response)
      end
      return arr
   end
   return gen_scalar(f.type, f, response)
end

function gen_object(m, all, response)
   local obj = {}
   for _, f in ipairs(m.fields) do
      if f.required or all or math.random() < 0.5 then obj[f.name] = gen_value(f, all, response) end
   end
   if m.oneOf then -- at least one of them given and not empty
      local given = false
      for _, name in ipairs(m.oneOf) do given = given or (obj[name] ~= nil and obj[name] ~= "") end
      if not given then obj[m.oneOf[1]] = m.oneOf[1] == "clientId" and 26888344961664 or "x" end
   end
   return obj
end

local function describe_value(v) return portable.encode(v) end

describe("core round trip", function()
   setup(function() math.randomseed(20261129) end)

   for _, op in ipairs(core.operations()) do
      if op.bodyModel then
         it("prepare keeps every field of " .. op.bodyModel, function()
            local m = models[op.bodyModel]
            for i = 1, SAMPLES do
               local input = gen_object(m, i == 1, false)
               local method, _, _, body = core.prepare(op.name, { serviceId = "1", [op.bodyKey] = input })
               assert(method, type(_) == "table" and _.message)
               local decoded = portable.decode(body)
               assert.is_true(portable.same(input, decoded), describe_value(input) .. "\n  became " .. body)
            end
         end)
      end
      if op.responseModel then
         it("parse keeps every field of " .. op.responseModel, function()
            local m = models[op.responseModel]
            for i = 1, SAMPLES do
               local body = gen_object(m, i == 1, true)
               if op.actionMustBeOk and body.action then body.action = "OK" end
               if i % 3 == 0 then body.futureField = { list = portable.array({ 1, "two", true }), n = 7 } end
               local text = portable.encode(body)
               local res, err = core.parse(op.name, 200, "application/json", text)
               assert(res, err and err.message)
               assert.is_true(portable.same(body, res), text)
            end
         end)
      end
   end

   it("parse keeps every field of an Authlete error body", function()
      for _ = 1, SAMPLES do
         local body = gen_object(models.ResultError, true, true)
         local _, err = core.parse("update", 400 + math.random(0, 199), "application/json", portable.encode(body))
         assert.are.same({ body.resultCode, body.resultMessage, body.action },
            { err.resultCode, err.resultMessage, err.action })
      end
   end)

   it("keeps integers integers", function()
      local m = models.AccessToken
      for _ = 1, SAMPLES do
         local res = core.parse("list", 200, "application/json",
            portable.encode({ accessTokens = portable.array({ gen_object(m, true, true) }) }))
         local t = res.accessTokens[1]
         for _, f in ipairs(m.fields) do
            if f.type == "int64" then assert.is_true(portable.is_integer(t[f.name]), f.name) end
         end
      end
   end)
end)
