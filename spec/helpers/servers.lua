--- Servers for transport specs, besides the mock: a TLS server with a
--- self-signed certificate (openssl s_server), and a raw server that answers
--- every connection with canned bytes, for answers the mock never gives
--- (repeated or folded headers). All on 127.0.0.1, ports picked at run time.
local socket = require("socket")

local servers = {}

--- A port nothing listens on right now.
function servers.free_port()
   local s = assert(socket.bind("127.0.0.1", 0))
   local _, port = s:getsockname()
   s:close()
   return tonumber(port)
end

--- Wait until something accepts connections on port (at most 10 s, or
--- until alive(), when given, says the server has exited).
function servers.wait_port(port, alive)
   for _ = 1, 200 do
      if alive and not alive() then error("the server exited before it listened on port " .. port) end
      local c = socket.tcp()
      c:settimeout(0.2)
      local ok = c:connect("127.0.0.1", port)
      c:close()
      if ok then return true end
      socket.sleep(0.05)
   end
   error("nothing came up on port " .. port)
end

--- Run cmd; returns what it printed (standard output and error).
function servers.sh(cmd)
   local p = io.popen(cmd .. " 2>&1")
   local out = p:read("*a")
   local ok = p:close()
   return out, ok
end
local sh = servers.sh

--- Is process `pid` running? Read from /proc, not with pgrep or kill -0:
--- those run as children, and under the ASan suite's preload pgrep hangs;
--- and an exited child stays a zombie until it is waited for (state Z).
function servers.running(pid)
   local f = io.open("/proc/" .. tostring(pid) .. "/stat")
   local stat = f and f:read("*a") or ""
   if f then f:close() end
   local state = stat:match("%) (%a)")
   return state ~= nil and state ~= "Z"
end

--- Run cmd in the background; returns a handle whose stop() ends it.
function servers.spawn(cmd)
   local pipe = assert(io.popen("echo $$; exec " .. cmd .. " >/dev/null 2>&1", "r"))
   local pid = pipe:read("*l")
   -- ended at exit if a spec raised before stopping it (as the mock's are)
   local live = { pid = pid }
   return {
      guard = require("authlete.mock.process").guard(live),
      stop = function()
         live.pid = nil
         os.execute("kill " .. pid .. " 2>/dev/null")
         pipe:close()
      end,
      alive = function() return servers.running(pid) end,
   }
end

--- A TLS server on 127.0.0.1 with a fresh self-signed certificate for
--- localhost/127.0.0.1. Returns { url, cert (path), stop() }. 127.0.0.1 is
--- in the certificate as a DNS name too: nginx's host check reads only those.
function servers.tls()
   local dir = sh("mktemp -d"):gsub("%s+$", "")
   local out = sh(("openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost " ..
      "-addext subjectAltName=DNS:localhost,DNS:127.0.0.1,IP:127.0.0.1 -keyout %s/key.pem -out %s/cert.pem"):format(dir, dir))
   assert(io.open(dir .. "/cert.pem"), out)
   local port = servers.free_port()
   local proc = servers.spawn(("openssl s_server -quiet -accept 127.0.0.1:%d -cert %s/cert.pem -key %s/key.pem -www")
      :format(port, dir, dir))
   servers.wait_port(port)
   return {
      url = ("https://127.0.0.1:%d/"):format(port),
      cert = dir .. "/cert.pem",
      stop = function()
         proc.stop()
         os.execute("rm -rf " .. dir)
      end,
   }
end

--- An HTTP proxy (spec/helpers/proxy_server.lua), asking for credentials
--- ("user:secret") when given. Returns { url, port, lines(), stop() }:
--- lines() are the request lines it received so far, each with "auth " or
--- "noauth " in front.
function servers.proxy(credentials)
   local log = os.tmpname()
   local port = servers.free_port()
   local proc = servers.spawn(("env LUA_PATH='./lua/?.lua;./lua/?/init.lua;;' lua5.4 spec/helpers/proxy_server.lua "
      .. "%d %s %s"):format(port, log, credentials or ""))
   servers.wait_port(port)
   return {
      url = ("http://127.0.0.1:%d"):format(port), port = port,
      lines = function()
         local out, f = {}, io.open(log)
         if f then
            for line in f:lines() do out[#out + 1] = line end
            f:close()
         end
         return out
      end,
      stop = function()
         proc.stop()
         os.remove(log)
      end,
   }
end

--- A server that reads each request's head and answers with `response`
--- (raw bytes), then closes. Returns { url, stop() }.
function servers.raw(response)
   local dir = sh("mktemp -d"):gsub("%s+$", "")
   local f = assert(io.open(dir .. "/response", "wb"))
   f:write(response)
   f:close()
   local port = servers.free_port()
   local script = ([[
      local socket = require("socket")
      local f = io.open(%q, "rb"); local answer = f:read("*a"); f:close()
      local server = assert(socket.bind("127.0.0.1", %d))
      while true do
         local c = server:accept()
         c:settimeout(5)
         repeat local line = c:receive("*l") until not line or line == ""
         c:send(answer)
         c:close()
      end
   ]]):format(dir .. "/response", port)
   local sf = assert(io.open(dir .. "/server.lua", "w"))
   sf:write(script)
   sf:close()
   local proc = servers.spawn("lua5.4 " .. dir .. "/server.lua")
   servers.wait_port(port)
   return {
      url = ("http://127.0.0.1:%d/"):format(port),
      stop = function()
         proc.stop()
         os.execute("rm -rf " .. dir)
      end,
   }
end

return servers
