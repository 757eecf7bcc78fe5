--- The benchmarks' server: Debian's nginx on loopback with keep-alive,
--- answering the fixtures (bench/fixtures.lua) from files, pinned to CPU 0
--- like the clients, on a port chosen at run time.
---   local server = dofile("bench/static_server.lua")()
---   … server.base …; server.connections_per_1000(); server.stop()
local fixtures = dofile("bench/fixtures.lua")
local servers = require("spec.helpers.servers")

local sh = servers.sh

return function()
   -- Files, because a 20-token page is longer than a config parameter may
   -- be. POST to a static file is a 405 in nginx; error_page turns that
   -- into the file with 200.
   local prefix = sh("mktemp -d"):gsub("%s+$", "")
   os.execute("chmod 755 " .. prefix) -- nginx's workers run unprivileged
   for op, path in pairs(fixtures.paths) do
      os.execute(("mkdir -p %s/html%s"):format(prefix, path:match("^(.*)/[^/]+$")))
      local f = assert(io.open(prefix .. "/html" .. path, "w"))
      f:write(fixtures[op])
      f:close()
   end
   os.execute("mkdir -p " .. prefix .. "/logs")
   local port = servers.free_port()
   local conf = ([[
worker_processes 1;
daemon off;
error_log %s/logs/error.log warn;
pid %s/logs/nginx.pid;
events { worker_connections 256; }
http {
   log_format conn '$connection';
   access_log %s/logs/access.log conn;
   keepalive_requests 1000000;
   keepalive_timeout 60s;
   server {
      listen 127.0.0.1:%d;
      root %s/html;
      default_type application/json;
      location = %s { error_page 405 =200 $uri; }
   }
}
]]):format(prefix, prefix, prefix, port, prefix, fixtures.paths.create)
   local f = assert(io.open(prefix .. "/nginx.conf", "w"))
   f:write(conf)
   f:close()
   local nginx = servers.spawn(("taskset -c 0 nginx -p %s -c %s/nginx.conf"):format(prefix, prefix))
   servers.wait_port(port)

   local server = { base = ("http://127.0.0.1:%d"):format(port) }

   -- Connections nginx saw since the last look, per 1000 requests (from
   -- the access log, which logs each request's $connection).
   local log_offset = 0
   function server.connections_per_1000()
      local lf = assert(io.open(prefix .. "/logs/access.log"))
      lf:seek("set", log_offset)
      local seen, lines = {}, 0
      for line in lf:lines() do
         lines = lines + 1
         seen[line] = true
      end
      log_offset = lf:seek("end")
      lf:close()
      local n = 0
      for _ in pairs(seen) do n = n + 1 end
      return lines > 0 and n * 1000 / lines or 0
   end

   function server.stop()
      nginx.stop()
      os.execute("rm -rf " .. prefix)
   end
   return server
end
