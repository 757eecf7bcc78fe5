--- An HTTP proxy for the proxy specs, in its own process:
---   lua5.4 spec/helpers/proxy_server.lua PORT LOG [USER:SECRET]
--- (with this checkout's lua/ on LUA_PATH). It speaks CONNECT (a tunnel,
--- for https) and absolute-form requests (for http, rewritten to
--- origin-form), then relays bytes both ways. With
--- USER:SECRET it answers 407 to a request without those credentials.
--- Each request line it receives goes to the LOG file with "auth" or
--- "noauth" in front, so a spec can tell what went through it.
local socket = require("socket")

local port, log_path, credentials = tonumber(arg[1]), arg[2], arg[3] ~= "" and arg[3] or nil
assert(port and log_path, "usage: proxy_server.lua PORT LOG [USER:SECRET]")

local expected = credentials and ("Basic " .. require("authlete.hash").base64(credentials))

local server = assert(socket.bind("127.0.0.1", port))
server:settimeout(0)
local peer = {} -- socket -> the socket its bytes go to

local function log(line)
   local f = assert(io.open(log_path, "a"))
   f:write(line, "\n")
   f:close()
end

-- Read one request head from a new client (blocking, with a timeout).
local function read_head(c)
   c:settimeout(5)
   local lines = {}
   while true do
      local line = c:receive("*l")
      if not line then return nil end
      if line == "" then return lines end
      lines[#lines + 1] = line
   end
end

local function serve(c)
   local head = read_head(c)
   if not head then return c:close() end
   local auth
   for i = 2, #head do
      local v = head[i]:match("^[Pp]roxy%-[Aa]uthorization:%s*(.-)%s*$")
      if v then auth = v end
   end
   local ok = not expected or auth == expected
   log((auth and "auth " or "noauth ") .. head[1])
   if not ok then
      c:send("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"spec\"\r\n"
         .. "Content-Length: 0\r\nConnection: close\r\n\r\n")
      return c:close()
   end
   local method, target, version = head[1]:match("^(%S+) (%S+) (%S+)$")
   local host, hport, path
   if method == "CONNECT" then
      host, hport = target:match("^(.+):(%d+)$")
   else
      host, hport, path = target:match("^http://([^/:]+):?(%d*)(.*)$")
   end
   local upstream = host and socket.connect(host, tonumber(hport) or 80)
   if not upstream then
      c:send("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
      return c:close()
   end
   if method == "CONNECT" then
      c:send("HTTP/1.1 200 Connection established\r\n\r\n")
   else
      local out = { ("%s %s %s"):format(method, path ~= "" and path or "/", version) }
      for i = 2, #head do
         if not head[i]:lower():find("^proxy%-authorization:") then out[#out + 1] = head[i] end
      end
      upstream:send(table.concat(out, "\r\n") .. "\r\n\r\n")
   end
   c:settimeout(0)
   upstream:settimeout(0)
   peer[c], peer[upstream] = upstream, c
end

while true do
   local watch = { server }
   for s in pairs(peer) do watch[#watch + 1] = s end
   local readable = socket.select(watch, nil, 1)
   for _, s in ipairs(readable) do
      if s == server then
         local c = server:accept()
         if c then serve(c) end
      elseif peer[s] then
         local data, err, partial = s:receive(16384)
         data = data or partial
         if data and #data > 0 then peer[s]:send(data) end
         if err == "closed" then
            local other = peer[s]
            peer[s], peer[other] = nil, nil
            s:close()
            other:close()
         end
      end
   end
end
