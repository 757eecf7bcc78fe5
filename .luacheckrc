-- The module (lua/, bin/) runs on Lua 5.4 and on LuaJIT 2.1 (OpenResty):
-- it is checked against what both have ("min"); what only one of them has
-- goes through authlete.compat. Specs, tools and benchmarks run on Lua 5.4
-- (the nginx handlers, on LuaJIT).
std = "lua54"
max_line_length = 140
exclude_files = { "build/**", ".luarocks/**", "lua_modules/**", "types/**" } -- types/: generated annotations
files["lua/**"] = { std = "min" }
-- the bridge itself reads what only one of the dialects has
files["lua/authlete/compat.lua"] = { std = "max" }
files["bin/authlete-mock"] = { std = "min" }
files["bin/authlete-tokens"] = { std = "min" }
files["spec/**"] = { std = "+busted" }
read_globals = { "ngx" }
-- nginx handlers set response headers (ngx.header.*).
files["spec/nginx/**"] = { globals = { "ngx" } }
-- the connected-apps page answers requests itself
files["lua/authlete/ngx/connected_apps.lua"] = { std = "min", globals = { "ngx" } }
files["examples/nginx/**"] = { globals = { "ngx" } }
files["bench/nginx/**"] = { std = "luajit", globals = { "ngx" } }
