-- The nginx specs from a checkout inside a folder only its owner can read
-- (root's home, a mktemp -d folder), as a container build or a CI runner
-- has it: nginx's workers must still read the module tree.
local servers = require("spec.helpers.servers")

describe("a checkout in a mode-700 folder", function()
   it("passes the nginx specs", function()
      local dir = servers.sh("mktemp -d"):gsub("%s+$", "")
      assert.are.equal("700", (servers.sh("stat -c %a " .. dir):gsub("%s+$", "")))
      -- what the nginx specs load: the modules, the specs, the examples, the builds
      require("spec.helpers.build").modules("luajit")
      os.execute(("mkdir -p %s/p/build && cp -a lua spec examples bin .busted %s/p/ && cp -a build/luajit build/lua5.4 %s/p/build/")
         :format(dir, dir, dir))
      local out = servers.sh(("cd %s/p && lua5.4 %s --run=default spec/nginx/nginx_spec.lua"):format(dir,
         servers.sh("command -v busted"):gsub("%s+$", "")))
      os.execute("rm -rf " .. dir)
      assert.matches("%d+ successes / 0 failures / 0 errors", out, 1, out)
   end)
end)
