--- Real nginx with the Lua module for specs: a config rendered into a
--- temporary prefix (own error log and pid, a port picked at run time,
--- Debian's module paths, this checkout's Lua and LuaJIT-built C modules).
local servers = require("spec.helpers.servers")

local nginx = {}

local function sh(cmd)
   local p = io.popen(cmd)
   local out = p:read("*a")
   p:close()
   return (out:gsub("%s+$", ""))
end

local ROOT = sh("pwd")

-- Run as root, nginx hands its workers to `nobody`, who cannot read a
-- checkout in a folder only its owner can read (root's home, a mktemp -d
-- folder): the workers then run as the owner of the tree instead.
local function worker_user()
   if sh("id -u") ~= "0" then return "" end
   return ("user %s;"):format(sh(("stat -c '%%U %%G' %q"):format(ROOT)))
end
local USER = worker_user()

local TEMPLATE = [[
load_module /usr/lib/nginx/modules/ndk_http_module.so;
load_module /usr/lib/nginx/modules/ngx_http_lua_module.so;
worker_processes {workers};
{user}
daemon off;
master_process on;
error_log {prefix}/logs/error.log info;
pid {prefix}/logs/nginx.pid;
{main}
events { worker_connections 1024; }
http {
   access_log off;
   lua_package_path "{root}/lua/?.lua;{root}/lua/?/init.lua;{root}/?.lua;{root}/examples/nginx/?.lua;;";
   lua_package_cpath "{root}/build/luajit/?.so;;";
   lua_shared_dict results 1m;
{http}
   server {
      listen 127.0.0.1:{port} reuseport;
      location = /__authlete_loads { content_by_lua_block { require("authlete") ngx.say("ok") } }
{server}
   }
}
]]

--- Start nginx. opts.main, opts.http and opts.server are config text for
--- the main context, the http block and the server block; opts.workers
--- the number of worker processes (2: as in production, more than one;
--- reuseport spreads new connections over them); opts.cpu pins nginx to
--- that CPU (benchmarks). opts.conf instead renders a whole nginx.conf of
--- its own: conf{ prefix, port, root, user } returns its text; opts.env
--- are VAR=value words for nginx's environment.
--- Returns { url, port, prefix, stop(), errors() }.
function nginx.start(opts)
   require("spec.helpers.build").modules("luajit") -- nginx's Lua is LuaJIT
   local prefix = sh("mktemp -d")
   os.execute("mkdir -p " .. prefix .. "/logs")
   local port = servers.free_port()
   local conf = opts.conf and opts.conf({ prefix = prefix, port = port, root = ROOT, user = USER })
      or TEMPLATE:gsub("{(%w+)}", { prefix = prefix, root = ROOT, port = port, main = opts.main or "",
                                   http = opts.http or "", server = opts.server or "", user = USER,
                                   workers = opts.workers or 2 })
   if USER ~= "" then -- the workers' own files (temporary bodies) too
      os.execute(("chown -R %s %s"):format(USER:match("^user (%S+)"), prefix))
   end
   local f = assert(io.open(prefix .. "/nginx.conf", "w"))
   f:write(conf)
   f:close()
   local check = sh(("nginx -t -p %s -c %s/nginx.conf 2>&1"):format(prefix, prefix))
   assert(check:find("syntax is ok", 1, true), check)
   local pin = opts.cpu and ("taskset -c %d "):format(opts.cpu) or ""
   local proc = servers.spawn(("%s%snginx -p %s -c %s/nginx.conf"):format(opts.env and ("env " .. opts.env .. " ") or "",
      pin, prefix, prefix))
   servers.wait_port(port)
   local self = { url = ("http://127.0.0.1:%d"):format(port), port = port, prefix = prefix }
   function self.log()
      local lf = io.open(prefix .. "/logs/error.log")
      local text = lf and lf:read("*a") or ""
      if lf then lf:close() end
      return text
   end
   -- A worker that cannot load the module fails every handler: say why
   -- once, here, instead of letting each spec fail on a 500.
   local status = not opts.conf and require("spec.helpers.http").request("127.0.0.1", port, { path = "/__authlete_loads" })
   if status and status ~= 200 then
      local why = self.log():match("[^\n]*%[error%][^\n]*") or "(no [error] line in the error log)"
      proc.stop()
      os.execute("rm -rf " .. prefix)
      error("nginx's worker cannot load the module: " .. why, 0)
   end
   --- The error log's [error], [crit], [alert] and [emerg] lines, less
   --- those `expected` allows: { from = byte, to = byte, pattern = … } (a
   --- line between those offsets of the log that matches the pattern).
   function self.errors(expected)
      local out, log, at = {}, self.log(), 1
      for line in log:gmatch("[^\n]+") do
         local start = log:find(line, at, true)
         at = start + #line
         if line:find("%[error%]") or line:find("%[crit%]") or line:find("%[alert%]") or line:find("%[emerg%]") then
            local allowed = false
            for _, e in ipairs(expected or {}) do
               allowed = allowed or (start >= e.from and start <= e.to and line:find(e.pattern) ~= nil)
            end
            if not allowed then out[#out + 1] = line end
         end
      end
      return out
   end
   function self.stop()
      proc.stop()
      os.execute("rm -rf " .. prefix)
   end
   return self
end

--- The main-context lines that hand a mock's bearer, service ID and URL to
--- the workers as the environment the module reads (AUTHLETE_*).
function nginx.authlete_env(mock)
   return ("env AUTHLETE_BEARER=%s;\nenv AUTHLETE_SERVICE_ID=%s;\nenv AUTHLETE_BASE_URL=%s;")
      :format(require("spec.helpers.mock").BEARER, mock.service_id, mock.url)
end

--- nginx with spec/nginx/handler.lua answering /call/<op>, configured for
--- a mock started by spec/helpers/mock.lua. extra.main, extra.http and
--- extra.server add config text; extra.service_id overrides the mock's;
--- extra.workers as nginx.start's.
function nginx.with_handler(mock, bearer, extra)
   extra = extra or {}
   return nginx.start({
      main = extra.main, workers = extra.workers,
      http = ([[
   # The module returns socket errors as values; nginx need not log them too.
   lua_socket_log_errors off;
   init_by_lua_block {
      require("spec.nginx.handler").configure{ url = %q, bearer = %q, service_id = %q }
   }
%s]]):format(mock.url, bearer, extra.service_id or mock.service_id, extra.http or ""),
      server = [[
      location ~ ^/call/(?<op>\w+)$ {
         content_by_lua_block { require("spec.nginx.handler").call(ngx.var.op) }
      }
]] .. (extra.server or ""),
   })
end

return nginx
