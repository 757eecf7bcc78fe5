std = "lua54"
max_line_length = 140
exclude_files = { "build/**", ".luarocks/**", "lua_modules/**" }
files["spec/**"] = { std = "+busted" }
files["bin/authlete-mock"] = { std = "lua54" }
files["bin/authlete-tokens"] = { std = "lua54" }
read_globals = { "ngx" }
-- nginx handlers set response headers (ngx.header.*).
files["spec/nginx/**"] = { globals = { "ngx" } }
files["examples/nginx/**"] = { globals = { "ngx" } }
