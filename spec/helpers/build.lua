--- The builds a spec needs beyond the one `make` makes (Lua 5.4's), made
--- on first use, so that every spec runs after a plain `make`. Run without
--- the sanitizers' preload (make test-asan), which is meant for the suite's
--- own process and not for the compiler.
local build = {}

local made = {}

--- Make the modules for `lua` ("luajit", "lua5.1") unless this process made them already.
function build.modules(lua)
   if made[lua] then return end
   local makefile = io.open("Makefile")
   if not makefile then return end -- a copy of the specs, given its builds (private_checkout_spec)
   makefile:close()
   local ok = os.execute(("env -u LD_PRELOAD make -s LUA=%s >/dev/null"):format(lua))
   assert(ok == true or ok == 0, "make LUA=" .. lua .. " failed")
   made[lua] = true
end

return build
