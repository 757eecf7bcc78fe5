-- Re-entrancy: a finalizer (or any metamethod) may run at any allocation
-- inside a C function, and may itself call the module. Each case runs in a
-- process of its own (reentrancy_child.lua, where the collector runs a
-- whole cycle at every allocation) and must show finalizers running inside
-- the outer C calls, and every outer and finalizer result byte for byte
-- what it is without them. Under make test-asan the child inherits the
-- sanitizers, where shared scratch shows as heap-use-after-free.
local helper = require("spec.helpers.mock")

-- LuaJIT's interpreter: with its JIT compiler on, a collector running a
-- whole cycle at every allocation and finalizers running Lua inside C calls
-- now and then sends LuaJIT itself into an endless loop (about one run in
-- three; never with -joff, never on Lua 5.4), whatever module is called.
local LUA = rawget(_G, "jit") and "luajit -joff" or (_VERSION == "Lua 5.1" and "lua5.1" or "lua5.4")

local function child(mode, ...)
   local args = { mode, ... }
   for i, a in ipairs(args) do args[i] = ("'%s'"):format(a) end
   local cmd = ("LUA_PATH='./lua/?.lua;./lua/?/init.lua;;' LUA_CPATH=%q %s spec/reliability/reentrancy_child.lua %s 2>&1")
      :format(package.cpath, LUA, table.concat(args, " "))
   local p = io.popen(cmd)
   local out = p:read("*a")
   local ok = p:close()
   local runs, inside, wrong = out:match("finalizers=(%d+) inside=(%d+) wrong=(%d+)")
   assert(ok and runs, "the child failed:\n" .. out)
   return tonumber(runs), tonumber(inside), tonumber(wrong)
end

describe("re-entered from finalizers", function()
   it("core.prepare and core.parse give each call its own output", function()
      local runs, inside, wrong = child("core")
      assert.is_true(inside > 100, ("finalizers ran %d times, %d inside a call"):format(runs, inside))
      assert.are.equal(0, wrong)
   end)

   describe("authlete.curl, a finalizer using the outer call's own session", function()
      local mock, url
      setup(function()
         mock = helper.start()
         url = mock.url .. "/api/" .. mock.service_id .. "/auth/token/get/list"
      end)
      teardown(function() mock:stop() end)

      for _, mode in ipairs({ "request", "perform", "multi" }) do
         it(("session:%s gives each call its own answer"):format(mode == "multi" and "result" or mode), function()
            local runs, inside, wrong = child(mode, url, helper.BEARER)
            assert.is_true(inside > 10, ("finalizers ran %d times, %d inside a call"):format(runs, inside))
            assert.are.equal(0, wrong)
         end)
      end

      it("a finalizer closing the session mid-call leaves the call its answer or a clear error", function()
         local runs, inside, wrong = child("close", url, helper.BEARER)
         assert.is_true(inside > 0, ("finalizers ran %d times, %d inside a call"):format(runs, inside))
         assert.are.equal(0, wrong)
      end)
   end)
end)
