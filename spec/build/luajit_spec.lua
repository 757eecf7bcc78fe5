-- LuaJIT 2.1 as a first-class host: every module of the checkout parses
-- there, the mock serves the mock specs when it runs on LuaJIT, and the
-- multi transport runs in a bare LuaJIT (busted's own helpers, such as a
-- table.pack, are not there to hide a 5.2+ call).
local helper = require("spec.helpers.mock")
local servers = require("spec.helpers.servers")

local busted = servers.sh("command -v busted"):gsub("%s+$", "")

describe("on LuaJIT", function()
   it("every Lua file of the module parses", function()
      local files = servers.sh("find lua -name '*.lua'; echo bin/authlete-mock; echo bin/authlete-tokens")
      local bad = {}
      for file in files:gmatch("[^\n]+") do
         local out = servers.sh(("luajit -e 'local f, e = loadfile(%q) if not f then print(e) end'"):format(file))
         if out ~= "" then bad[#bad + 1] = out end
      end
      assert.are.same({}, bad)
   end)

   it("the mock serves the mock specs", function()
      require("spec.helpers.build").modules("luajit") -- the mock reads authlete.core's model table
      local out = servers.sh(("AUTHLETE_MOCK_LUA=luajit lua5.4 %s --run=default spec/mock spec/client/operations_spec.lua")
         :format(busted))
      assert.matches("%d+ successes / 0 failures / 0 errors", out, 1, out)
   end)

   it("the multi transport runs in a bare LuaJIT", function()
      require("spec.helpers.build").modules("luajit")
      local mock = helper.start()
      local out = servers.sh(("LUA_PATH='./lua/?.lua;./lua/?/init.lua;;' LUA_CPATH='./build/luajit/?.so;;' luajit -e %q")
         :format(([[
         local authlete = require("authlete")
         local multi = require("authlete.transport.multi").new()
         local client = authlete.new({ bearer = %q, server_url = %q, service_id = %q, transport = multi })
         local n = 0
         multi:run(function() if client.token.management.list({}) then n = n + 1 end end, 4)
         multi:close()
         print("listed " .. n)]]):format(helper.BEARER, mock.url, mock.service_id)))
      mock:stop()
      assert.matches("listed 4", out, 1, out)
   end)
end)
