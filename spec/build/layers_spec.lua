-- The Lua modules in layers (docs/internals.md draws the map): a module may
-- import its own layer and the layers below it, never one above. The mock
-- is apart: it imports only the base, so that it never depends on the
-- client it stands in front of, and nothing but the mock imports it.
local LAYERS = {
   { name = "base", may = {},
     modules = { "authlete.compat", "authlete.errors", "authlete.hash", "authlete.header", "authlete.http1", "authlete.json",
                 "authlete.pause", "authlete.retry", "authlete.utc", "authlete.core", "authlete.curl" } },
   { name = "transport", may = { "base" }, prefix = "authlete.transport" },
   { name = "client", may = { "base", "transport" },
     modules = { "authlete", "authlete.options", "authlete.client" }, prefixes = { "authlete.funcs", "authlete.ngx" } },
   { name = "command line", may = { "base", "transport", "client" }, prefix = "authlete.cli" },
   { name = "mock", may = { "base" }, prefix = "authlete.mock" },
}

local function starts(name, prefix) return name == prefix or name:sub(1, #prefix + 1) == prefix .. "." end

local function layer_of(name)
   for _, layer in ipairs(LAYERS) do
      for _, m in ipairs(layer.modules or {}) do if m == name then return layer end end
      for _, p in ipairs(layer.prefixes or { layer.prefix }) do if starts(name, p) then return layer end end
   end
end

-- The modules a file requires, comments left out.
local function requires(path)
   local f = assert(io.open(path))
   local text = f:read("a"):gsub("%-%-%[(=*)%[.-%]%1%]", ""):gsub("%-%-[^\n]*", "")
   f:close()
   local out = {}
   for name in text:gmatch("require%s*%(?%s*[\"']([%w_.]+)[\"']") do out[#out + 1] = name end
   return out
end

describe("the layers of the Lua modules", function()
   local files = {}
   setup(function()
      local p = io.popen("find lua -name '*.lua' | sort")
      for path in p:lines() do
         files[#files + 1] = { path = path,
            name = path:gsub("^lua/", ""):gsub("/init%.lua$", ""):gsub("%.lua$", ""):gsub("/", ".") }
      end
      p:close()
   end)

   it("place every module", function()
      assert.is_true(#files > 40)
      for _, f in ipairs(files) do assert.truthy(layer_of(f.name), f.name .. " is in no layer") end
   end)

   it("import only their own layer and the ones below", function()
      for _, f in ipairs(files) do
         local own = layer_of(f.name)
         local allowed = { [own.name] = true }
         for _, name in ipairs(own.may) do allowed[name] = true end
         for _, dep in ipairs(requires(f.path)) do
            local target = layer_of(dep)
            if target then -- not ours (socket, ltn12): outside the rule
               assert.truthy(allowed[target.name], ("%s (%s) imports %s (%s)"):format(f.name, own.name, dep, target.name))
            end
         end
      end
   end)

   it("catch a module that imports a layer above its own", function()
      local path = os.tmpname()
      local f = assert(io.open(path, "w"))
      f:write('-- require("authlete.mock") in a comment does not count\nlocal cli = require("authlete.cli")\n')
      f:close()
      local deps = requires(path)
      os.remove(path)
      assert.are.same({ "authlete.cli" }, deps)
      assert.are.equal("command line", layer_of(deps[1]).name)
      assert.are.equal("client", layer_of("authlete.client").name) -- so authlete.client may not import it
   end)
end)
