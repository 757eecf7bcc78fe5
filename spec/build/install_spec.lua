-- Packaging: the rock and `make install` give a working module on this
-- machine with only Debian's packages, and the rockspec lists every module.
local function sh(cmd)
   local p = io.popen("(" .. cmd .. ") 2>&1; echo \"rc=$?\"")
   local out = p:read("a")
   p:close()
   local rc = tonumber(out:match("rc=(%d+)%s*$"))
   return rc, out
end

local function tmpdir()
   local p = io.popen("mktemp -d")
   local dir = p:read("l")
   p:close()
   return dir
end

-- A copy of the checkout without build products, so the install builds afresh.
local function copy_checkout(dir)
   local rc, out = sh(("tar --exclude=./build --exclude=./.git -cf - . | tar -C %s -xf -"):format(dir))
   assert(rc == 0, out)
end

local LOAD_CHECK = [[
local authlete = require("authlete")
local core, curl = require("authlete.core"), require("authlete.curl")
if package.searchpath then -- not in PUC Lua 5.1
   assert(package.searchpath("authlete.core", package.cpath):find(os.getenv("TREE"), 1, true))
end
require("authlete.mock.server")
print("loaded " .. authlete._VERSION .. " " .. core._VERSION .. " " .. curl.version():match("^%S+"))
]]

describe("packaging", function()
   local dir
   before_each(function()
      dir = tmpdir()
      copy_checkout(dir)
   end)
   after_each(function() sh("rm -rf " .. dir) end)

   -- `lua` loads the module from `tree` alone (the checkout's lua/ and
   -- build/ are not on the path); returns what LOAD_CHECK printed.
   local function load_check(version, lua, tree)
      local script = dir .. "/check.lua"
      local f = assert(io.open(script, "w"))
      f:write(LOAD_CHECK)
      f:close()
      local rc, out = sh(("cd / && eval \"$(luarocks --lua-version=%s --tree=%s path)\" && TREE=%s %s %s")
         :format(version, tree, tree, lua, script))
      assert.are.equal(0, rc, out)
      assert.matches("loaded %S+ %S+ libcurl/", out)
      return out
   end

   -- Into a tree of its own, with luarocks for `version`, then loaded by
   -- `lua`. `vars` are extra luarocks variables.
   local function luarocks_install(version, lua, vars)
      local tree = dir .. "/tree"
      local rc, out = sh(("cd %s && luarocks --lua-version=%s --tree=%s make --deps-mode=none "
         .. "authlete-scm-1.rockspec %s"):format(dir, version, tree, vars or ""))
      assert.are.equal(0, rc, out)
      -- only what the module needs is a dependency: LuaSocket is the mock's
      assert.falsy(out:find("Missing dependencies", 1, true), out)
      load_check(version, lua, tree)
      return tree
   end

   it("installs with luarocks make and loads in a fresh interpreter", function()
      local tree = luarocks_install("5.4", "lua5.4")
      -- the editors' annotations come with the rock
      assert.is_truthy(io.open(tree .. "/lib/luarocks/rocks-5.4/authlete/scm-1/types/authlete.lua"))
      -- A tree luarocks is not configured for needs `luarocks path`, as for any rock.
      local rc, out = sh(("eval \"$(luarocks --lua-version=5.4 --tree=%s path)\" && %s/bin/authlete-mock --help")
         :format(tree, tree))
      assert.are.equal(0, rc, out)
      assert.matches("usage: authlete%-mock", out)
      rc, out = sh(("eval \"$(luarocks --lua-version=5.4 --tree=%s path)\" && %s/bin/authlete-tokens --help")
         :format(tree, tree))
      assert.are.equal(0, rc, out)
      assert.matches("usage: authlete%-tokens", out)
   end)

   -- luarocks --lua-version=5.1 serves LuaJIT and PUC Lua 5.1 alike; for
   -- LuaJIT it needs to be told where Debian keeps LuaJIT's headers.
   it("installs with luarocks --lua-version=5.1 make for LuaJIT and loads there", function()
      luarocks_install("5.1", "luajit", "LUA_INCDIR=/usr/include/luajit-2.1")
   end)

   it("installs with luarocks --lua-version=5.1 make for PUC Lua 5.1 and loads there", function()
      luarocks_install("5.1", "lua5.1")
   end)

   it("installs with make install PREFIX and loads from there", function()
      local prefix = dir .. "/prefix"
      local rc, out = sh(("cd %s && make -s install PREFIX=%s"):format(dir, prefix))
      assert.are.equal(0, rc, out)
      local script = dir .. "/check.lua"
      local f = assert(io.open(script, "w"))
      f:write(LOAD_CHECK)
      f:close()
      rc, out = sh(("cd / && TREE=%s LUA_PATH='%s/share/lua/5.4/?.lua;%s/share/lua/5.4/?/init.lua;;' " ..
         "LUA_CPATH='%s/lib/lua/5.4/?.so;;' lua5.4 %s"):format(prefix, prefix, prefix, prefix, script))
      assert.are.equal(0, rc, out)
      assert.matches("loaded", out)
      assert.is_truthy(io.open(prefix .. "/bin/authlete-mock"))
      assert.is_truthy(io.open(prefix .. "/bin/authlete-tokens"))
      rc, out = sh(("cd %s && make -s uninstall PREFIX=%s && find %s -type f"):format(dir, prefix, prefix))
      assert.are.equal(0, rc, out)
      assert.are.equal("", out:match("^(.-)rc=%d+%s*$")) -- find lists no file: nothing of ours is left
   end)

   it("installs for LuaJIT with make install LUA=luajit, the commands running on LuaJIT", function()
      local prefix = dir .. "/prefix"
      local rc, out = sh(("cd %s && make -s install LUA=luajit PREFIX=%s"):format(dir, prefix))
      assert.are.equal(0, rc, out)
      local f = assert(io.open(prefix .. "/bin/authlete-tokens"))
      assert.are.equal("#!/usr/bin/env luajit", f:read("*l"))
      f:close()
      rc, out = sh(("cd / && LUA_PATH='%s/share/lua/5.1/?.lua;%s/share/lua/5.1/?/init.lua;;' "
         .. "LUA_CPATH='%s/lib/lua/5.1/?.so;;' %s/bin/authlete-tokens --help"):format(prefix, prefix, prefix, prefix))
      assert.are.equal(0, rc, out)
      assert.matches("usage: authlete%-tokens", out)
      rc, out = sh(("cd %s && make -s uninstall LUA=luajit PREFIX=%s && find %s -type f"):format(dir, prefix, prefix))
      assert.are.equal(0, rc, out)
      assert.are.equal("", out:match("^(.-)rc=%d+%s*$"))
   end)
   it("builds with make rock a .src.rock that installs with no network", function()
      -- make rock packs HEAD, so it runs in a clone (the copy has no .git)
      local clone = dir .. "/clone"
      local rc, out = sh(("git clone -q . %s && cd %s && make -s rock"):format(clone, clone))
      assert.are.equal(0, rc, out)
      local rock = out:match("(build/authlete%-[%d.]+%-%d+%.src%.rock)")
      assert.truthy(rock, out)
      -- every fetch would fail: a proxy on a port nothing listens on
      local tree = dir .. "/rock-tree"
      rc, out = sh(("cd / && http_proxy=http://127.0.0.1:9 https_proxy=http://127.0.0.1:9 "
         .. "luarocks --lua-version=5.4 --tree=%s install %s/%s"):format(tree, clone, rock))
      assert.are.equal(0, rc, out)
      assert.matches("authlete 1%.0%.0%-1 is now installed", out)
      assert.falsy(out:find("Missing dependencies", 1, true), out)
      assert.matches("loaded 1%.0%.0 ", load_check("5.4", "lua5.4", tree))
   end)
end)

describe("without LuaSocket", function()
   -- only this checkout's modules on the path: LuaSocket cannot be found
   local ENV = "LUA_PATH='./lua/?.lua;./lua/?/init.lua' LUA_CPATH='./build/lua5.4/?.so'"

   it("the module and the command load", function()
      local rc, out = sh(ENV .. [[ lua5.4 -e 'require("authlete"); require("authlete.cli"); print("ok")']])
      assert.are.same({ 0, "ok\n" }, { rc, (out:gsub("rc=%d+%s*$", "")) })
      rc, out = sh(ENV .. " lua5.4 bin/authlete-tokens --help")
      assert.are.equal(0, rc, out)
   end)

   it("the mock says in one line how to get it", function()
      local rc, out = sh(ENV .. " lua5.4 bin/authlete-mock --help")
      assert.are.equal(1, rc)
      assert.are.equal("authlete-mock: the authlete mock server needs LuaSocket, which the authlete rock does not "
         .. "install: apt-get install lua-socket, or luarocks install luasocket\n", (out:gsub("rc=%d+%s*$", "")))
      out = select(2, sh(ENV .. [[ lua5.4 -e 'local ok, err = pcall(require, "authlete.mock"); print(ok, err)']]))
      assert.matches("^false\tthe authlete mock server needs LuaSocket", out)
   end)
end)

describe("the rockspec", function()
   it("of the release is the scm one but for version and source", function()
      local function load(path)
         local env = {}
         assert(loadfile(path, "t", env))()
         env.version, env.source = nil, nil
         return env
      end
      local p = io.popen("ls authlete-[0-9]*.rockspec")
      local release = p:read("l")
      p:close()
      assert.truthy(release)
      assert.are.same(load("authlete-scm-1.rockspec"), load(release))
      local env = {}
      assert(loadfile(release, "t", env))()
      assert.matches("@REF@", env.source.url, 1, true) -- filled by make rock
      assert.are.equal(release, "authlete-" .. env.version .. ".rockspec")
      -- the module says the version it is released as
      local p2 = io.popen([[LUA_CPATH='./build/lua5.4/?.so;;' lua5.4 -e 'print(require("authlete.core")._VERSION)']])
      local built = p2:read("l")
      p2:close()
      assert.are.equal(env.version:match("^(.-)%-%d+$"), built)
   end)

   it("lists every Lua module of the checkout, and nothing else", function()
      local env = {}
      local chunk = assert(loadfile("authlete-scm-1.rockspec", "t", env))
      chunk()
      local listed = {}
      for name, src in pairs(env.build.modules) do
         if type(src) == "string" then listed[src] = name end
      end
      local p = io.popen("find lua -name '*.lua' | sort")
      local found = 0
      for path in p:lines() do
         found = found + 1
         local expected = path:gsub("^lua/", ""):gsub("/init%.lua$", ""):gsub("%.lua$", ""):gsub("/", ".")
         assert.are.equal(expected, listed[path], path .. " is not in the rockspec")
         listed[path] = nil
      end
      p:close()
      assert.is_true(found > 0)
      assert.are.same({}, listed)
   end)

   it("builds the same C sources as the Makefile", function()
      local env = {}
      assert(loadfile("authlete-scm-1.rockspec", "t", env))()
      local p = io.popen("ls csrc/core/*.c csrc/curl/*.c")
      for path in p:lines() do
         local module = path:match("^csrc/(%w+)/") == "core" and "authlete.core" or "authlete.curl"
         local sources = env.build.modules[module].sources
         local present = false
         for _, s in ipairs(sources) do present = present or s == path end
         assert.is_true(present, path .. " is not in the rockspec's " .. module)
      end
      p:close()
   end)
end)
