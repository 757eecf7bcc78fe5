-- types/: the LuaLS annotations tools/types.lua makes from the model table
-- (make types). They must be current, and they must say what the code
-- checks: every model field, every enum value, every operation, error kind
-- and option. (Debian 12 has no lua-language-server to run --check with;
-- the annotations are read here instead.)
local core = require("authlete.core")
local errors = require("authlete.errors")
local options = require("authlete.options")

local function read(path)
   local f = assert(io.open(path))
   local text = f:read("*a")
   f:close()
   return text
end

describe("types/ (LuaLS annotations)", function()
   local dir, text
   setup(function()
      local p = io.popen("mktemp -d")
      dir = p:read("*l")
      p:close()
      assert(os.execute(("LUA_PATH='./lua/?.lua;./lua/?/init.lua;;' LUA_CPATH='./build/lua5.4/?.so;;' "
         .. "lua5.4 tools/types.lua %s"):format(dir)))
      text = read("types/authlete.lua")
   end)
   teardown(function() os.execute("rm -rf " .. dir) end)

   it("are what make types writes now (run make types after changing a model)", function()
      local p = io.popen(("diff -r %s types"):format(dir))
      local diff = p:read("*a")
      p:close()
      assert.are.equal("", diff)
   end)

   -- The fields a ---@class block declares, name -> "type" (with ? when optional).
   local function class_fields(name)
      local block = text:match("%-%-%-@class " .. name:gsub("%.", "%%.") .. "\n(.-)\n\n")
         or text:match("%-%-%-@class %(exact%) " .. name:gsub("%.", "%%.") .. "\n(.-)\n\n")
      assert(block, "no class " .. name)
      local fields = {}
      for field, opt, ty in block:gmatch("%-%-%-@field ([%w_]+)(%??) ([^\n]+)") do fields[field] = opt .. ty end
      return fields
   end

   it("declare every model with every field, required ones without ?", function()
      for name, m in pairs(core.models()) do
         local fields = class_fields("authlete." .. name)
         for _, f in ipairs(m.fields) do
            assert.is_string(fields[f.name], name .. "." .. f.name)
            assert.are.equal(f.required == true, fields[f.name]:sub(1, 1) ~= "?", name .. "." .. f.name)
         end
      end
      assert.are.equal("?string[]", class_fields("authlete.TokenCreateRequest").scopes)
      assert.is_nil(class_fields("authlete.TokenCreateRequest").scope)
      -- exact: an editor flags `scope`, a field the request model does not have
      assert.matches("---@class (exact) authlete.TokenCreateRequest", text, 1, true)
      assert.matches("---@class authlete.TokenCreateResponse", text, 1, true) -- answers stay open
      assert.are.equal("authlete.GrantType", class_fields("authlete.TokenCreateRequest").grantType)
   end)

   it("give enums as unions of their values", function()
      for _, m in pairs(core.models()) do
         for _, f in ipairs(m.fields) do
            if f.enum then
               local union = text:match("%-%-%-@alias authlete%." .. f.enumName .. " ([^\n]+)")
               assert(union, f.enumName)
               for _, v in ipairs(f.enum) do assert.matches('"' .. v .. '"', union, 1, true) end
            end
         end
      end
   end)

   it("declare every operation, error kind and option", function()
      local tm = class_fields("authlete.TokenManagement")
      for _, op in ipairs(core.operations()) do assert.is_string(tm[op.name], op.name) end
      local kinds = text:match("%-%-%-@alias authlete%.ErrorKind ([^\n]+)")
      for kind in pairs(errors.KINDS) do assert.matches('"' .. kind .. '"', kinds, 1, true) end
      local client_options, call_options = class_fields("authlete.Options"), class_fields("authlete.CallOptions")
      for name in pairs(options.CLIENT) do assert.is_string(client_options[name], name) end
      for name in pairs(options.CALL) do assert.is_string(call_options[name], name) end
      for _, name in ipairs({ "tokenManagementList", "tokenManagementCreate", "tokenManagementUpdate",
                              "tokenManagementDelete", "tokenManagementRevoke", "tokenManagementReissueIdToken" }) do
         assert.matches("---@meta authlete.funcs." .. name, read("types/authlete/funcs/" .. name .. ".lua"), 1, true)
      end
   end)

   it("parse as Lua", function()
      for _, path in ipairs({ "types/authlete.lua", "types/authlete/funcs/tokenManagementList.lua" }) do
         assert(load(read(path), path))
      end
   end)
end)
