--- make bench-nginx: requests per second through one nginx worker for list
--- and create, three ways against the same backend (a static nginx
--- answering bench/fixtures.lua, as in the client benchmarks):
---   floor    proxy_pass straight to the backend (nginx alone, no Lua)
---   ours     content_by_lua with this module's client (cosockets), the
---            result written back out with authlete.json_encode
---   capture  what users write without it: ngx.location.capture to an
---            internal proxy_pass location, then cjson.decode/encode
--- The measured nginx runs on CPU 1; the backend and wrk share CPU 0.
---   lua5.4 bench/nginx.lua [seconds] [connections]
local fixtures = dofile("bench/fixtures.lua")
local nginx_helper = require("spec.helpers.nginx")

local SECONDS = tonumber(arg[1]) or 3
local CONNECTIONS = tonumber(arg[2]) or 32

local backend = dofile("bench/static_server.lua")()
local auth = 'proxy_set_header Authorization "Bearer ' .. fixtures.BEARER .. '";'
local function upstream(path, post)
   return ([[proxy_pass http://backend%s; proxy_http_version 1.1; proxy_set_header Connection ""; %s %s]]):format(
      path, auth, post and ("proxy_method POST; proxy_set_header Content-Type application/json; "
         .. "proxy_set_body '" .. fixtures.create_request .. "';") or "")
end

local server = nginx_helper.start({
   workers = 1, cpu = 1,
   http = ([[
   lua_socket_log_errors off;
   upstream backend { server %s; keepalive 32; }
   init_by_lua_block { require("bench.nginx.handlers").configure(%q) }
]]):format(backend.base:match("//(.*)$"), backend.base),
   server = ([[
      location = /floor/list { %s }
      location = /floor/create { %s }
      location = /internal/list { internal; %s }
      location = /internal/create { internal; proxy_pass http://backend%s; proxy_http_version 1.1;
                                    proxy_set_header Connection ""; %s
                                    proxy_set_header Content-Type application/json; }
      location = /ours/list { content_by_lua_block { require("bench.nginx.handlers").ours("list") } }
      location = /ours/create { content_by_lua_block { require("bench.nginx.handlers").ours("create") } }
      location = /capture/list { content_by_lua_block { require("bench.nginx.handlers").capture("list") } }
      location = /capture/create { content_by_lua_block { require("bench.nginx.handlers").capture("create") } }
]]):format(upstream(fixtures.paths.list2), upstream(fixtures.paths.create, true), upstream(fixtures.paths.list2),
           fixtures.paths.create, auth),
})

local function wrk(path, seconds)
   local p = io.popen(("taskset -c 0 wrk -t1 -c%d -d%ds '%s%s' 2>&1"):format(CONNECTIONS, seconds, server.url, path))
   local out = p:read("*a")
   p:close()
   local rps = tonumber(out:match("Requests/sec:%s*([%d.]+)"))
   assert(rps, out)
   local bad = tonumber(out:match("Non%-2xx or 3xx responses:%s*(%d+)")) or 0
   assert(bad == 0, path .. ": " .. bad .. " answers were not 2xx\n" .. out)
   return rps
end

-- This machine is shared: each cell is the best of ROUNDS runs, the rounds
-- interleaved so that a slow spell hits every way alike.
local ROUNDS = 3
print(("%-7s %10s %10s %10s %12s %14s"):format("op", "floor", "ours", "capture", "ours/floor", "capture/floor"))
for _, op in ipairs({ "list", "create" }) do
   local best = { floor = 0, ours = 0, capture = 0 }
   for _, way in ipairs({ "floor", "ours", "capture" }) do wrk("/" .. way .. "/" .. op, 1) end -- warm
   for _ = 1, ROUNDS do
      for _, way in ipairs({ "floor", "ours", "capture" }) do
         best[way] = math.max(best[way], wrk("/" .. way .. "/" .. op, SECONDS))
      end
   end
   print(("%-7s %10.0f %10.0f %10.0f %12.2f %14.2f"):format(op, best.floor, best.ours, best.capture,
      best.ours / best.floor, best.capture / best.floor))
end
print(("(requests/s, best of %d; one nginx worker on CPU 1; wrk -c%d for %d s per run; list = a 2-token page)")
   :format(ROUNDS, CONNECTIONS, SECONDS))

local errors = server.errors()
server.stop()
backend.stop()
assert(#errors == 0, table.concat(errors, "\n"))
