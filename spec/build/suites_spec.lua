-- .busted's runs: the sanitized one (ASan + UBSan, valgrind) names its
-- spec folders one by one, so a new folder must be added to it or left out
-- on purpose, here.
describe("the busted runs", function()
   -- run apart, and why: packaging checks whose C code runs only in child
   -- processes; the browser, which must not inherit a sanitizer preload
   local NOT_SANITIZED = { ["spec/build"] = true, ["spec/browser"] = true, ["spec/helpers"] = true }

   it("run every spec folder under the sanitizers but the ones left out on purpose", function()
      local config = dofile(".busted")
      local listed = {}
      for _, dir in ipairs(config.sanitized.ROOT) do listed[dir] = true end
      local p = io.popen("ls -d spec/*/")
      for dir in p:lines() do
         dir = dir:gsub("/$", "")
         assert.is_true(listed[dir] or NOT_SANITIZED[dir] or false,
            dir .. " is in no sanitized run: add it to .busted's sanitized ROOT, or here with why")
      end
      p:close()
      assert.is_nil(listed["spec/browser"])
   end)
end)
