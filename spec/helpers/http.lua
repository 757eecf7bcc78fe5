--- A small HTTP/1.1 client over a raw LuaSocket connection, for specs that
--- need to see the wire: keep-alive on one connection, chunked answers,
--- truncated bodies, closed connections.
local http1 = require("authlete.http1")
local socket = require("socket")

local http = {}

local Conn = {}
Conn.__index = Conn

--- Connect to host:port; `timeout` in seconds for every read (default 5).
function http.connect(host, port, timeout)
   local sock = assert(socket.tcp())
   sock:settimeout(timeout or 5)
   assert(sock:connect(host, port))
   return setmetatable({ sock = sock, timeout = timeout or 5 }, Conn)
end

--- Send a request without reading the answer.
--- req = { method, path, headers = {…}, body = "…", chunked = bool }
function Conn:send(req)
   self.method = req.method or "GET" -- a HEAD's answer has no body
   self.sock:settimeout(self.timeout)
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

-- What authlete.http1 reads from: whatever has arrived, waiting at most
-- the connection's timeout for anything.
local Source = {}
Source.__index = Source

function Source:more()
   local deadline = socket.gettime() + self.conn.timeout
   local sock = self.conn.sock
   sock:settimeout(0)
   while true do
      local data, err, partial = sock:receive(16384)
      local got = data or partial
      if got and #got > 0 then return got end
      if err == "closed" then return nil, "closed" end
      local left = deadline - socket.gettime()
      if left <= 0 then return nil, "timeout" end
      socket.select({ sock }, nil, left)
   end
end

--- Read one response with authlete.http1, the module's own reader.
--- Returns status, headers (lower-case names; `chunked` set when the body
--- came chunked), body; or nil, err, and the part of the body that came
--- when the connection failed mid-way.
function Conn:receive()
   local r = http1.reader(setmetatable({ conn = self }, Source))
   local status, headers, version = http1.read_response_head(r)
   if not status then return nil, headers end
   local body, err = http1.read_response_body(r, self.method or "GET", status, headers, version, math.huge)
   if not body then return nil, err, r:take() end
   headers.chunked = (headers["transfer-encoding"] or ""):lower():find("chunked", 1, true) ~= nil or nil
   self.rest = r:take() -- bytes past the answer (pipelined or junk), for a spec to look at
   return status, headers, body
end

function Conn:request(req)
   local ok, err = self:send(req)
   if not ok then return nil, err end
   return self:receive()
end

--- True when the server has closed the connection (reads EOF at once).
function Conn:is_closed(wait)
   if self.rest and self.rest ~= "" then return false end
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
