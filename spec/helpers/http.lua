--- A small HTTP/1.1 client over a raw LuaSocket connection, for specs that
--- need to see the wire: keep-alive on one connection, chunked answers,
--- truncated bodies, closed connections.
local socket = require("socket")

local http = {}

local Conn = {}
Conn.__index = Conn

--- Connect to host:port; `timeout` in seconds for every read (default 5).
function http.connect(host, port, timeout)
   local sock = assert(socket.tcp())
   sock:settimeout(timeout or 5)
   assert(sock:connect(host, port))
   return setmetatable({ sock = sock }, Conn)
end

--- Send a request without reading the answer.
--- req = { method, path, headers = {…}, body = "…", chunked = bool }
function Conn:send(req)
   local lines = { ("%s %s HTTP/%s\r\n"):format(req.method or "GET", req.path, req.version or "1.1") }
   local headers = req.headers or {}
   local has = {}
   for k, v in pairs(headers) do
      lines[#lines + 1] = k .. ": " .. v .. "\r\n"
      has[k:lower()] = true
   end
   if not has.host then lines[#lines + 1] = "Host: 127.0.0.1\r\n" end
   local body = req.body
   if body and req.chunked then
      lines[#lines + 1] = "Transfer-Encoding: chunked\r\n\r\n"
      local half = math.floor(#body / 2)
      for _, part in ipairs({ body:sub(1, half), body:sub(half + 1) }) do
         if #part > 0 then lines[#lines + 1] = ("%x\r\n%s\r\n"):format(#part, part) end
      end
      lines[#lines + 1] = "0\r\n\r\n"
   elseif body then
      if not has["content-length"] then lines[#lines + 1] = "Content-Length: " .. #body .. "\r\n" end
      lines[#lines + 1] = "\r\n" .. body
   else
      lines[#lines + 1] = "\r\n"
   end
   return self.sock:send(table.concat(lines))
end

--- Read one response. Returns status, headers (lower-case names), body;
--- or nil, err, partial body when the connection failed mid-way.
function Conn:receive()
   local line, err = self.sock:receive("*l")
   if not line then return nil, err end
   local status = tonumber(line:match("^HTTP/1%.%d (%d%d%d)"))
   if not status then return nil, "bad status line: " .. line end
   local headers = {}
   while true do
      local h, herr = self.sock:receive("*l")
      if not h then return nil, herr end
      if h == "" then break end
      local k, v = h:match("^([^:]+):%s*(.*)$")
      headers[k:lower()] = v
   end
   if status == 100 then return self:receive() end
   if status == 204 or status == 304 then return status, headers, "" end
   if headers["transfer-encoding"] == "chunked" then
      local parts = {}
      while true do
         local size_line, serr = self.sock:receive("*l")
         if not size_line then return nil, serr, table.concat(parts) end
         local size = tonumber(size_line, 16)
         if size == 0 then
            self.sock:receive("*l")
            break
         end
         local data, derr, partial = self.sock:receive(size + 2)
         if not data then return nil, derr, table.concat(parts) .. (partial or "") end
         parts[#parts + 1] = data:sub(1, -3)
      end
      headers.chunked = true
      return status, headers, table.concat(parts)
   end
   local length = tonumber(headers["content-length"])
   if length then
      local body, berr, partial = self.sock:receive(length)
      if not body then return nil, berr, partial end
      return status, headers, body
   end
   local body, berr, partial = self.sock:receive("*a")
   return status, headers, body or partial, berr
end

function Conn:request(req)
   local ok, err = self:send(req)
   if not ok then return nil, err end
   return self:receive()
end

--- True when the server has closed the connection (reads EOF at once).
function Conn:is_closed(wait)
   self.sock:settimeout(wait or 1)
   local _, err = self.sock:receive(1)
   return err == "closed"
end

function Conn:close()
   self.sock:close()
end

--- One request on a fresh connection.
function http.request(host, port, req)
   local conn = http.connect(host, port)
   local status, headers, body = conn:request(req)
   conn:close()
   return status, headers, body
end

return http
