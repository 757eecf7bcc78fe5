-- The Makefile on a fresh machine: `make demo` and `make test` install the
-- Debian packages themselves, so nothing may ask pkg-config about them
-- (and print its complaints) before they run.
describe("the Makefile", function()
   local function make_n(target)
      local p = io.popen(("make -n %s PKG_CONFIG='echo PKG-CONFIG-WAS-ASKED >&2; true' 2>&1"):format(target))
      local out = p:read("*a")
      p:close()
      return out
   end

   it("asks pkg-config nothing before make demo or make test has installed the packages", function()
      for _, target in ipairs({ "demo", "test" }) do
         local out = make_n(target)
         assert.is_nil(out:find("PKG-CONFIG-WAS-ASKED", 1, true), target .. ":\n" .. out)
      end
   end)

   it("asks it when a build needs the flags", function()
      local p = io.popen("make -n -B build/lua5.4/authlete/core.so PKG_CONFIG='echo PKG-CONFIG-WAS-ASKED >&2; true' 2>&1")
      local out = p:read("*a")
      p:close()
      assert.matches("PKG-CONFIG-WAS-ASKED", out, 1, true)
   end)
end)
