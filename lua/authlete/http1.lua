--- HTTP/1.1 messages read from a byte stream, one way for every peer of
--- ours: answers for the cosocket transport inside nginx and the specs' raw
--- client, requests for the mock server. Written against a source with a
--- `more()` method, so that it serves cosockets and LuaSocket alike:
---   local r = http1.reader(source)
---   local status, headers, version = http1.read_response_head(r)
---   local body, err, keep = http1.read_response_body(r, method, status, headers, version, max)
--- It reads past interim (1xx) answers, refuses 101, bounds every line and
--- the whole header block, reads Content-Length, chunked and
--- close-delimited bodies, and says whether bytes remain past the answer.
--- A server reads a request with read_request_head, then exact() or
--- read_chunked() for its body.
local http1 = {}

local byte, concat, find, lower, sub = string.byte, table.concat, string.find, string.lower, string.sub

local MAX_LINE = 16 * 1024          -- a status or header line
local MAX_HEADER_BYTES = 256 * 1024 -- every header line of every answer to one request
local MAX_INTERIM = 16              -- 1xx answers before the real one
http1.MAX_LINE, http1.MAX_HEADER_BYTES, http1.MAX_INTERIM = MAX_LINE, MAX_HEADER_BYTES, MAX_INTERIM

---------------------------------------------------------------- the reader

-- A buffered reader over `source:more()`. `buf` holds what was received
-- and not yet consumed from `pos` on: consuming moves pos, so reading many
-- short lines costs no copying of the rest.
local Reader = {}
Reader.__index = Reader

--- A reader of what `source:more()` returns: the next bytes that arrive
--- (any number), or nil and "closed", "timeout" or another error. The
--- source bounds each wait (a cosocket's deadline, the mock's loop).
function http1.reader(source)
   return setmetatable({ source = source, buf = "", pos = 1, got_any = false }, Reader)
end

-- Whatever arrives next. got_any: has anything arrived at all (a pooled
-- connection that answers nothing was closed while it idled).
function Reader:more()
   local data, err = self.source:more()
   if not data then return nil, err end
   self.got_any = true
   return data
end

--- Take what is buffered and not consumed, leaving the buffer empty.
function Reader:take()
   local rest = self.pos == 1 and self.buf or sub(self.buf, self.pos)
   self.buf, self.pos = "", 1
   return rest
end

--- Has anything arrived that was not consumed? (A connection is reused
--- only at a message boundary: bytes past an answer must never become the
--- next caller's.)
function Reader:pending()
   return self.pos <= #self.buf
end

--- The next line, without its CRLF; nil and "line too long" past MAX_LINE.
function Reader:line()
   while true do
      local i = find(self.buf, "\r\n", self.pos, true)
      if i then
         local line = sub(self.buf, self.pos, i - 1)
         self.pos = i + 2
         return line
      end
      if #self.buf - self.pos + 1 > MAX_LINE then return nil, "line too long" end
      local data, err = self:more()
      if not data then return nil, err end
      self.buf = self:take() .. data
   end
end

--- Exactly n bytes; nil and the error when the source fails first.
function Reader:exact(n)
   if #self.buf - self.pos + 1 >= n then
      local out = sub(self.buf, self.pos, self.pos + n - 1)
      self.pos = self.pos + n
      return out
   end
   local parts = { self:take() }
   local have = #parts[1]
   while have < n do
      local data, err = self:more()
      if not data then -- what did arrive stays buffered: take() gives it (a spec's cut-short body)
         self.buf, self.pos = concat(parts), 1
         return nil, err
      end
      parts[#parts + 1] = data
      have = have + #data
   end
   local all = concat(parts)
   self.buf, self.pos = all, n + 1
   return sub(all, 1, n)
end

--- Everything until the peer closes, at most max bytes.
function Reader:rest(max)
   local parts = { self:take() }
   local have = #parts[1]
   while true do
      if have > max then return nil, "too_large" end
      local data, err = self:more()
      if not data then
         if err == "closed" then return concat(parts) end
         return nil, err
      end
      parts[#parts + 1] = data
      have = have + #data
   end
end

-- s from index i on, without the spaces and tabs around it (a pattern
-- with `(.-)%s*$` would try every split of the value).
local function trimmed(s, i)
   local j = #s
   local b = byte(s, i)
   while b == 32 or b == 9 do
      i = i + 1
      b = byte(s, i)
   end
   b = byte(s, j)
   while j >= i and (b == 32 or b == 9) do
      j = j - 1
      b = byte(s, j)
   end
   return sub(s, i, j)
end

-- One answer's status line and header block. `budget` is what is left of
-- MAX_HEADER_BYTES for this request. Returns status, headers, version, the
-- bytes it used; or nil, err. A header sent many times is joined once at
-- the end: joining as it comes would copy the growing value each time.
local function read_one_head(r, budget)
   local line, err = r:line()
   if not line then return nil, err end
   local version, status = line:match("^HTTP/(%d%.%d) (%d%d%d)")
   if not status then return nil, "not an HTTP status line" end
   local values, size, last, repeats = {}, #line, nil, false
   while true do
      local h
      h, err = r:line()
      if not h then return nil, err end
      if h == "" then break end
      size = size + #h
      if size > budget then return nil, "header block too large" end
      local name, sep, value
      local first = byte(h)
      if (first == 32 or first == 9) and last then -- obs-fold
         name, sep, value = last, " ", trimmed(h, 1)
      else
         local colon = find(h, ":", 1, true)
         if not colon or colon == 1 then return nil, "malformed header line" end
         name, sep, value = lower(sub(h, 1, colon - 1)), ", ", trimmed(h, colon + 1)
      end
      local v = values[name]
      if v == nil then
         values[name] = value -- the usual case: one line, no table
      else
         repeats = true
         if type(v) == "string" then
            v = { v }
            values[name] = v
         end
         v[#v + 1] = sep
         v[#v + 1] = value
      end
      last = name
   end
   if repeats then
      for name, v in pairs(values) do
         if type(v) == "table" then values[name] = concat(v) end
      end
   end
   return tonumber(status), values, version, size
end

--- The real answer's head, as status, headers (lower-case names, repeated
--- ones joined with ", "), version: interim (1xx) answers before it are read past,
-- at most MAX_INTERIM of them; 101 is refused (we never ask to switch
-- protocols, and what follows it is not HTTP).
function http1.read_response_head(r)
   local budget = MAX_HEADER_BYTES
   for _ = 0, MAX_INTERIM do
      local status, headers, version, used = read_one_head(r, budget)
      if not status then return nil, headers end
      if status == 101 then return nil, "the server switched protocols (101), which this client never asks for" end
      if status >= 200 then return status, headers, version end
      budget = budget - used
   end
   return nil, ("the server sent more than %d interim (1xx) answers"):format(MAX_INTERIM)
end

--- A request's head, as a server reads it: method, target, version,
--- headers (lower-case names, repeated ones joined with ", "). Empty lines
--- before the request line are read past (RFC 9112 2.2). Fails with
--- "too_large" past `max_bytes` for the whole head (a line past MAX_LINE
--- too), "malformed request line", "malformed header line", or the
--- source's error.
function http1.read_request_head(r, max_bytes)
   local size, line, err = 0
   repeat
      line, err = r:line()
      if not line then return nil, err == "line too long" and "too_large" or err end
      size = size + #line + 2
      if size > max_bytes then return nil, "too_large" end
   until line ~= ""
   local method, target, version = line:match("^(%u+) (%S+) HTTP/(1%.[01])$")
   if not method then return nil, "malformed request line" end
   local headers = {}
   while true do
      line, err = r:line()
      if not line then return nil, err == "line too long" and "too_large" or err end
      size = size + #line + 2
      if size > max_bytes then return nil, "too_large" end
      if line == "" then break end
      local colon = find(line, ":", 1, true)
      local name = colon and sub(line, 1, colon - 1)
      if not name or not name:match("^[%w!#$%%&'*+.^_`|~-]+$") then return nil, "malformed header line" end
      name = lower(name)
      local value = trimmed(line, colon + 1)
      headers[name] = headers[name] and (headers[name] .. ", " .. value) or value
   end
   return method, target, version, headers
end

--- A chunked body (of an answer or a request), at most `max` bytes.
function http1.read_chunked(r, max)
   local parts, total = {}, 0
   while true do
      local line, err = r:line()
      if not line then return nil, err end
      local hex = line:match("^%x+") -- tonumber(nil, 16) would raise: a malformed size is the server's error
      local size = hex and tonumber(hex, 16)
      if not size then return nil, "malformed chunk size" end
      if size == 0 then
         local trailers = 0
         repeat -- trailer fields, then the empty line
            line, err = r:line()
            if not line then return nil, err end
            trailers = trailers + #line
            if trailers > MAX_HEADER_BYTES then return nil, "trailer fields too large" end
         until line == ""
         return concat(parts)
      end
      total = total + size
      if total > max then return nil, "too_large" end
      local data
      data, err = r:exact(size + 2)
      if not data then return nil, err end
      if sub(data, -2) ~= "\r\n" then return nil, "malformed chunk" end -- the size did not frame it
      parts[#parts + 1] = sub(data, 1, -3)
   end
end

--- The answer's body (at most `max` bytes: nil and "too_large" past it),
--- and whether the connection may be reused afterwards: body, err, keep.
function http1.read_response_body(r, method, status, headers, version, max)
   local keep = (version == "1.1" and not find(lower(headers.connection or ""), "close", 1, true))
      or (version == "1.0" and find(lower(headers.connection or ""), "keep-alive", 1, true) ~= nil)
   if method == "HEAD" or status == 204 or status == 304 then return "", nil, keep end
   if headers["transfer-encoding"] then
      if not find(lower(headers["transfer-encoding"]), "chunked", 1, true) then
         return nil, "unsupported transfer encoding"
      end
      local body, err = http1.read_chunked(r, max)
      return body, err, keep
   end
   local length = headers["content-length"]
   if length then
      local n = length:match("^%d+$") and tonumber(length)
      if not n then return nil, "malformed Content-Length" end
      if n > max then return nil, "too_large" end
      local body, err = r:exact(n)
      return body, err, keep
   end
   local body, err = r:rest(max) -- framed by the close
   return body, err, false
end

return http1
