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

-- The master nginx wrote into prefix's pid file, if it is running (it
-- removes the file when it exits).
local function master_pid(prefix)
   local f = io.open(prefix .. "/logs/nginx.pid")
   local pid = f and f:read("*l")
   if f then f:close() end
   return pid and servers.running(pid) and pid or nil
end

-- Stop the nginx spawned as `proc` and remove its prefix. A master that
-- daemonized itself is killed too; returns false when there was one.
local function halt(proc, prefix)
   proc.stop()
   local daemon = master_pid(prefix)
   if daemon then
      os.execute("kill " .. daemon)
      for _ = 1, 100 do
         if not master_pid(prefix) then break end
         os.execute("sleep 0.05")
      end
   end
   os.execute("rm -rf " .. prefix)
   return daemon == nil
end

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
   local env = opts.env and ("env " .. opts.env .. " ") or ""
   -- an example's own nginx.conf daemonizes, as in production: here nginx
   -- stays the process spawned, so that stop() ends it
   local foreground = opts.conf and "-g 'daemon off;' " or ""
   -- checked in the environment it runs in: init_by_lua may read it
   local check = sh(("%snginx -t %s-p %s -c %s/nginx.conf 2>&1"):format(env, foreground, prefix, prefix))
   if not check:find("syntax is ok", 1, true) then
      os.execute("rm -rf " .. prefix)
      error(check, 2)
   end
   local pin = opts.cpu and ("taskset -c %d "):format(opts.cpu) or ""
   local proc = servers.spawn(("%s%snginx %s-p %s -c %s/nginx.conf"):format(env, pin, foreground, prefix, prefix))
   local self = { url = ("http://127.0.0.1:%d"):format(port), port = port, prefix = prefix }
   function self.log()
      local lf = io.open(prefix .. "/logs/error.log")
      local text = lf and lf:read("*a") or ""
      if lf then lf:close() end
      return text
   end
   -- nginx -t does not run init_by_lua: an error there shows only now
   local up, err = pcall(servers.wait_port, port, proc.alive)
   if not up then
      local why = self.log():match("[^\n]*%[emerg%][^\n]*") or self.log():match("[^\n]*%[error%][^\n]*") or ""
      halt(proc, prefix)
      error(tostring(err) .. ": " .. why, 0)
   end
   -- A worker that cannot load the module fails every handler: say why
   -- once, here, instead of letting each spec fail on a 500.
   local status = not opts.conf and require("spec.helpers.http").request("127.0.0.1", port, { path = "/__authlete_loads" })
   if status and status ~= 200 then
      local why = self.log():match("[^\n]*%[error%][^\n]*") or "(no [error] line in the error log)"
      halt(proc, prefix)
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
   --- Stop nginx; fail if its master outlived the process spawned (it
   --- daemonized itself, and only the pid file still knew it).
   function self.stop()
      assert(halt(proc, prefix), "nginx (" .. prefix .. ") daemonized: its master outlived the process spawned")
   end
   return self
end

-- The documented command (in examples/nginx/nginx.conf) that writes the
-- resolver file from /etc/resolv.conf.
function nginx.resolver_command()
   local f = assert(io.open("examples/nginx/nginx.conf"))
   local conf = f:read("*a")
   f:close()
   local awk = conf:match("#   (awk .-/etc/resolv.conf) >")
   return (awk:gsub("\n#%s*", " "))
end

--- An example's nginx.conf (`path`) as it stands, for nginx.start's `conf`,
--- changed only where a test must: its files in the temporary prefix (the
--- resolver file made there by the documented command), its port, this
--- checkout's module and `lua_dir` for /etc/nginx/lua, the workers' user.
--- more(v) returns further { from, to } changes of the example's own.
function nginx.example_conf(path, lua_dir, more)
   return function(v)
      local f = assert(io.open(path))
      local conf = f:read("*a")
      f:close()
      local out = io.popen(nginx.resolver_command() .. " 2>&1")
      local resolver = out:read("*a")
      out:close()
      assert(resolver:find("^resolver %S"), "the documented command found no name server: " .. resolver)
      local rf = assert(io.open(v.prefix .. "/authlete-resolver.conf", "w"))
      rf:write(resolver)
      rf:close()
      local function swap(from, to)
         local i, j = conf:find(from, 1, true)
         assert(i, path .. " no longer has: " .. from)
         conf = conf:sub(1, i - 1) .. to .. conf:sub(j + 1)
      end
      swap("user www-data;", v.user)
      swap("pid /run/nginx.pid;", ("pid %s/logs/nginx.pid;"):format(v.prefix))
      swap("error_log /var/log/nginx/error.log;", ("error_log %s/logs/error.log info;"):format(v.prefix))
      swap("access_log /var/log/nginx/access.log;", "access_log off;")
      swap("/usr/local/share/lua/5.1/?.lua;/usr/local/share/lua/5.1/?/init.lua;/etc/nginx/lua/?.lua;;",
           ("%s/lua/?.lua;%s/lua/?/init.lua;%s/%s/?.lua;;"):format(v.root, v.root, v.root, lua_dir))
      swap("/usr/local/lib/lua/5.1/?.so;;", v.root .. "/build/luajit/?.so;;")
      swap("include /etc/nginx/authlete-resolver.conf;", ("include %s/authlete-resolver.conf;"):format(v.prefix))
      for _, change in ipairs(more and more(v) or {}) do swap(change[1], change[2]) end
      return conf
   end
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
