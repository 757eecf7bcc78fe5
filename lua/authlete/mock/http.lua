--- HTTP/1.1 for the mock server: one coroutine per connection.
--
-- Reads requests (Content-Length or chunked bodies, Expect: 100-continue),
-- hands them to a handler, and writes responses with keep-alive. A response
-- may carry a `fault` that bends how it is written (dropped, truncated,
-- chunked, trickled, or followed by a close), so clients can be tested
-- against every way a real server or proxy misbehaves.
local compat = require("authlete.compat")
local http1 = require("authlete.http1")
local socket = require("authlete.mock.socket")

local http = {}

local gettime = socket.gettime
local concat, format, lower, sub = table.concat, string.format, string.lower, string.sub

local REASONS = {
   [100] = "Continue", [101] = "Switching Protocols", [102] = "Processing", [103] = "Early Hints",
   [200] = "OK", [201] = "Created", [204] = "No Content",
   [400] = "Bad Request", [401] = "Unauthorized", [403] = "Forbidden", [404] = "Not Found",
   [405] = "Method Not Allowed", [409] = "Conflict", [413] = "Content Too Large",
   [429] = "Too Many Requests", [431] = "Request Header Fields Too Large",
   [500] = "Internal Server Error", [501] = "Not Implemented", [502] = "Bad Gateway",
   [503] = "Service Unavailable", [504] = "Gateway Timeout",
}

---------------------------------------------------------------- connection I/O

local Conn = {}
Conn.__index = Conn

-- What the request reader (authlete.http1) reads from: whatever has
-- arrived, waiting in the loop until the current deadline.
local Source = {}
Source.__index = Source

function Source:more()
   while true do
      if self.eof then return nil, "closed" end
      local data, err, partial = self.sock:receive(16384)
      local got = data or partial
      if err == "closed" then self.eof = true end
      if got and #got > 0 then return got end
      if err == "closed" then return nil, "closed" end
      if not self.loop:wait_readable(self.sock, self.deadline) then return nil, "timeout" end
   end
end

local function new_conn(loop, sock, limits)
   local source = setmetatable({ loop = loop, sock = sock, eof = false, deadline = 0 }, Source)
   -- one reader for the connection: bytes past a request (the next one,
   -- pipelined) stay in it
   return setmetatable({ loop = loop, sock = sock, limits = limits, source = source,
                         r = http1.reader(source) }, Conn)
end

--- Send all of data; returns true or nil, err.
function Conn:send(data, deadline)
   local i = 1
   while i <= #data do
      local last, err, partial = self.sock:send(data, i)
      if last then
         i = last + 1
      elseif err == "timeout" then
         i = partial + 1
         if i <= #data and not self.loop:wait_writable(self.sock, deadline) then
            return nil, "timeout"
         end
      else
         return nil, err
      end
   end
   return true
end

---------------------------------------------------------------- requests

-- An error that ends the connection after answering with `status`.
local function reject(status, message)
   return nil, { status = status, message = message }
end

-- What the reader's failures answer: a rejection, or (nil) a close.
local REJECTIONS = {
   too_large = { 431, "request header too large" },
   ["malformed request line"] = { 400, "malformed request line" },
   ["malformed header line"] = { 400, "malformed header line" },
}

-- The request target: absolute form ("GET http://host/path", as sent to a
-- proxy) is accepted as servers must (RFC 9112 3.2.2), so the mock can also
-- play a proxy. Returns target, path, query.
local function split_target(target)
   local origin_form = target:match("^[Hh][Tt][Tt][Pp][Ss]?://[^/?#]*(.*)$")
   if origin_form then target = origin_form ~= "" and origin_form or "/" end
   local path, query = target:match("^([^?]*)%??(.*)$")
   return target, path, query
end

--- Read one request. Returns the request, or nil and either a string
--- ("closed", "timeout") or a rejection { status, message }.
function Conn:read_request(deadline)
   self.source.deadline = deadline
   local method, target, version, h = http1.read_request_head(self.r, self.limits.max_header_bytes)
   if not method then
      local rejection = REJECTIONS[target]
      if rejection then return reject(rejection[1], rejection[2]) end
      return nil, target
   end
   local req = { method = method, version = version, headers = h }
   req.target, req.path, req.query = split_target(target)
   req.keep_alive = (req.version == "1.1" and not (h.connection or ""):lower():find("close"))
      or (req.version == "1.0" and (h.connection or ""):lower():find("keep%-alive") ~= nil)

   local te, cl = h["transfer-encoding"], h["content-length"]
   if te and cl then return reject(400, "both Transfer-Encoding and Content-Length") end
   local length
   if cl then
      length = cl:match("^%d+$") and tonumber(cl)
      if not length then return reject(400, "malformed Content-Length") end
      if length > self.limits.max_body_bytes then return reject(413, "request body too large") end
   elseif te and lower(te) ~= "chunked" then
      return reject(501, "unsupported Transfer-Encoding")
   end
   if (te or (length and length > 0)) and lower(h.expect or "") == "100-continue" then
      local ok, serr = self:send("HTTP/1.1 100 Continue\r\n\r\n", deadline)
      if not ok then return nil, serr end
   end
   local err
   if te then
      req.body, err = http1.read_chunked(self.r, self.limits.max_body_bytes)
      if err == "too_large" then return reject(413, "request body too large") end
      if err == "malformed chunk size" or err == "malformed chunk" then return reject(400, err) end
   else
      req.body, err = self.r:exact(length or 0)
   end
   if not req.body then return nil, err end
   return req
end

---------------------------------------------------------------- responses

local function status_line(status)
   return format("HTTP/1.1 %d %s\r\n", status, REASONS[status] or "Unknown")
end

local function head_of(res, keep_alive, framing)
   local out = { status_line(res.status) }
   for name, value in pairs(res.headers or {}) do
      local lname = lower(name)
      if lname ~= "content-length" and lname ~= "transfer-encoding" and lname ~= "connection" then
         out[#out + 1] = name .. ": " .. value .. "\r\n"
      end
   end
   out[#out + 1] = framing
   if not keep_alive then out[#out + 1] = "Connection: close\r\n" end
   out[#out + 1] = "\r\n"
   return concat(out)
end

-- Interim (1xx) answers sent before the real one: 103 with a Link header,
-- as servers send Early Hints, the others bare.
local function interim_answers(statuses)
   local out = {}
   for i, status in ipairs(statuses or {}) do
      out[i] = status_line(status) .. (status == 103 and "Link: </hint.css>; rel=preload\r\n" or "") .. "\r\n"
   end
   return concat(out)
end

local function chunk(data)
   return format("%x\r\n%s\r\n", #data, data)
end

--- Write a response, honouring its fault. Returns true if the connection
--- may be reused.
function Conn:write_response(req, res, deadline)
   local fault = res.fault or {}
   if fault.drop then return false end -- close without answering
   local body = res.body or ""
   local keep = req.keep_alive
   -- close_after closes without announcing it, as a server dropping an idle
   -- pooled connection does: the response itself still reads as keep-alive.
   local reuse = keep and not fault.close_after
   -- 1xx, 204 and 304 carry no body and no length.
   local bodiless = res.status == 204 or res.status == 304 or res.status < 200

   if fault.chunked and not bodiless then
      if not self:send(head_of(res, keep, "Transfer-Encoding: chunked\r\n"), deadline) then return false end
      -- Several chunks, so a client really has to reassemble them.
      local step = math.max(1, math.ceil(#body / 3))
      for i = 1, #body, step do
         if not self:send(chunk(sub(body, i, i + step - 1)), deadline) then return false end
      end
      return (self:send("0\r\n\r\n", deadline)) and reuse
   end

   local framing = bodiless and "" or format("Content-Length: %d\r\n", #body)
   local head = interim_answers(fault.interim) .. head_of(res, keep, framing)
   if fault.truncate then
      local n = compat.mtype(fault.truncate) == "integer" and fault.truncate or compat.idiv(#body, 2)
      self:send(head .. sub(body, 1, math.min(n, #body - 1)), deadline)
      return false
   end
   if fault.trickle_ms then
      if not self:send(head, deadline) then return false end
      for i = 1, #body do
         self.loop:sleep(fault.trickle_ms / 1000)
         if not self:send(sub(body, i, i), deadline) then return false end
      end
      return reuse
   end
   if fault.after then -- bytes the answer's framing does not cover
      if fault.after_delay_ms then
         if not self:send(head .. body, deadline) then return false end
         self.loop:sleep(fault.after_delay_ms / 1000)
         return (self:send(fault.after, deadline)) and reuse
      end
      return (self:send(head .. body .. fault.after, deadline)) and reuse
   end
   return (self:send(head .. body, deadline)) and reuse
end

---------------------------------------------------------------- serving

--- Serve one accepted connection until it closes, times out or misbehaves.
--- handler(req) returns a response { status, headers, body, fault }.
function http.serve(loop, sock, handler, limits)
   sock:settimeout(0)
   sock:setoption("tcp-nodelay", true)
   local conn = new_conn(loop, sock, limits)
   while true do
      local req, err = conn:read_request(gettime() + limits.idle_timeout_ms / 1000)
      if not req then
         if type(err) == "table" then
            local body = err.message .. "\n"
            conn:send(head_of({ status = err.status, headers = { ["Content-Type"] = "text/plain" } },
               false, format("Content-Length: %d\r\n", #body)) .. body,
               gettime() + limits.idle_timeout_ms / 1000)
         end
         break
      end
      local res = handler(req)
      local write_deadline = gettime() + limits.idle_timeout_ms / 1000
      if not conn:write_response(req, res, write_deadline) then break end
   end
   sock:close()
end

http.REASONS = REASONS

return http
