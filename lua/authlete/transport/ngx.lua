--- The transport inside OpenResty / nginx: HTTP/1.1 over ngx.socket.tcp
--- cosockets, so a call never blocks the worker.
---
--- It answers like the libcurl transport: status, headers (lower-case names),
--- body; or nil, kind, message, sent with the same kinds and the same rule
--- for `sent`. Connections go back to a keep-alive pool only after a
--- complete, well-framed answer; after any error or partial read they are
--- closed. Every read and write is bounded by the call's deadline, so a
--- server trickling one byte at a time cannot hold a request past it.
local header = require("authlete.header")
local http1 = require("authlete.http1")
local proxy = require("authlete.transport.proxy")

local ngx = ngx

local transport = {}
transport.__index = transport

local concat, find, lower, sub = table.concat, string.find, string.lower, string.sub
local tcp = ngx.socket.tcp

-- Phases in which cosockets work. Everywhere else a call gets an error that
-- names the phase; it never falls back to a blocking libcurl call.
local COSOCKET_PHASES = {
   rewrite = true, server_rewrite = true, access = true, content = true, timer = true,
   ssl_cert = true, ssl_session_fetch = true, ssl_client_hello = true, preread = true,
}

local READ_SIZE = 16 * 1024
local STALE_RETRIES = 3          -- pooled connections found dead before any answer

-- nginx's cached clock: it moves on whenever the worker wakes from I/O or
-- a timer, which is when a deadline can have passed. (ngx.update_time
-- would read the system clock and reformat nginx's time strings, a few
-- times per call, for no earlier answer.)
local function now_ms()
   return ngx.now() * 1000
end

--- cfg: the client's normalised options (ssl_verify, proxy, no_proxy,
--- max_response_bytes, connect_timeout_ms, pool_size, keepalive_timeout).
function transport.new(cfg)
   local proxies, err = proxy.for_client(cfg.proxy, cfg.no_proxy)
   if not proxies then error("authlete.new: " .. err, 0) end
   return setmetatable({
      ssl_verify = cfg.ssl_verify,
      proxies = proxies,
      max_response_bytes = cfg.max_response_bytes,
      pool_size = cfg.pool_size or 32,
      keepalive_timeout = cfg.keepalive_timeout or 60000,
      sessions = {}, -- pool key -> TLS session, for resumption on new connections
   }, transport)
end

--- Can a call run now? false and a message naming the phase when not.
function transport.ready()
   local phase = ngx.get_phase()
   if COSOCKET_PHASES[phase] then return true end
   return false, ("nginx cannot open connections in the %s phase (cosockets are disabled there); "
      .. "call from rewrite, access or content, or defer the call with ngx.timer.at(0, function() … end)"):format(phase)
end

function transport.sleep(_, ms)
   ngx.sleep(ms / 1000)
end

transport.now_ms = now_ms

function transport.close() end -- connections belong to the worker's pool

---------------------------------------------------------------- URLs

-- A client calls the same few URLs again and again (one per operation
-- and service): their parts are kept, a bounded number of them, and never
-- changed by a request.
local parsed, parsed_count, MAX_PARSED = {}, 0, 256
local WEAK_KEYS = { __mode = "k" }

local function parse_url(url)
   local scheme, host, port, rest = url:match("^(%a+)://(%[[^%]]+%])(:?%d*)(.*)$")
   if not scheme then scheme, host, port, rest = url:match("^(%a+)://([^/:?#]+)(:?%d*)(.*)$") end
   if not scheme then return nil end
   scheme = lower(scheme)
   if scheme ~= "http" and scheme ~= "https" then return nil end
   local default = scheme == "https" and 443 or 80
   local n = port ~= "" and tonumber(sub(port, 2)) or default
   if rest == "" or sub(rest, 1, 1) == "?" then rest = "/" .. rest end
   local bare = host:gsub("^%[(.*)%]$", "%1")
   return { scheme = scheme, host = host, connect_host = bare, port = n,
            authority = n == default and host or (host .. ":" .. n), target = rest,
            keys = setmetatable({}, WEAK_KEYS) }
end

local function url_parts(url)
   local u = parsed[url]
   if u then return u end
   u = parse_url(url)
   if u then
      if parsed_count >= MAX_PARSED then parsed, parsed_count = {}, 0 end
      parsed[url], parsed_count = u, parsed_count + 1
   end
   return u
end

---------------------------------------------------------------- reading

-- What the reader (authlete.http1) reads from: the socket, each wait
-- bounded by what is left of the call's deadline.
local Source = {}
Source.__index = Source

function Source:more()
   local remaining = self.deadline - now_ms()
   if remaining < 1 then return nil, "timeout" end
   self.sock:settimeout(remaining)
   return self.sock:receiveany(READ_SIZE)
end

local function reader(sock, deadline)
   return http1.reader(setmetatable({ sock = sock, deadline = deadline }, Source))
end

local read_head, read_body = http1.read_response_head, http1.read_response_body

---------------------------------------------------------------- connecting

-- Connections differ by origin, verification and the proxy they go
-- through (credentials as a checksum: the key may reach a debug log).
local function pool_key(self, u, via)
   local mine = u.keys[self] -- u is shared by the worker's clients; keys are per transport
   if not mine then
      mine = {}
      u.keys[self] = mine
   end
   local key = mine[via or false]
   if not key then
      key = concat({ u.scheme, u.connect_host, u.port, self.ssl_verify and "verify" or "noverify",
                     via and via.url or "", via and via.authorization and ngx.crc32_long(via.authorization) or "" }, "|")
      mine[via or false] = key
   end
   return key
end

-- sock:sslhandshake, but never raising. lua-resty-core before its fix for
-- openresty/lua-resty-core#499 (Debian 12's among them) fails an assert()
-- instead of returning an error when a handshake completes at once and the
-- certificate then fails verification, which on loopback happens now and
-- then. (LuaJIT lets the handshake yield inside pcall.)
local function handshake(sock, session, host, verify)
   local ok, result, err = pcall(sock.sslhandshake, sock, session, host, verify)
   if ok then return result, err end
   return nil, (verify and "certificate verify failed" or "handshake failed") ..
      " (lua-resty-core raised: " .. tostring(result) .. ")"
end

local function is_address(host)
   return find(host, "^%d+%.%d+%.%d+%.%d+$") ~= nil or find(host, ":", 1, true) ~= nil
end

-- sock:connect, in a light thread the call stops waiting for after limit
-- ms. nginx resolves a name with its own resolver_timeout (30 s unless
-- nginx.conf says otherwise), which no socket timeout bounds: a resolver
-- that never answers would hold the request that long. A connection taken
-- from the pool, or a name nginx has cached, finishes inside spawn and
-- costs no second thread.
local function connect_within(sock, host, port, opts, limit)
   local spawned, th = pcall(ngx.thread.spawn, function() return "done", sock:connect(host, port, opts) end)
   if not spawned then return sock:connect(host, port, opts) end -- a phase without light threads
   if coroutine.status(th) ~= "dead" then
      local timer = ngx.thread.spawn(function() ngx.sleep(limit / 1000) return "expired" end)
      local _, what, ok, err = ngx.thread.wait(th, timer)
      if what == "expired" then
         ngx.thread.kill(th) -- its cleanup stops the pending resolution
         sock:close()
         return nil, "timeout"
      end
      ngx.thread.kill(timer)
      return ok, err
   end
   local _, _, ok, err = ngx.thread.wait(th)
   return ok, err
end

-- Open (or take from the pool) a connection ready for a request. Returns
-- sock, reused; or nil, kind, message.
function transport:connect(u, via, deadline, connect_timeout)
   local sock = tcp()
   local key = pool_key(self, u, via)
   local limit = math.max(1, math.min(connect_timeout, deadline - now_ms()))
   sock:settimeouts(limit, 60000, 60000)
   local host, port = u.connect_host, u.port
   if via then host, port = via.connect_host, via.port end
   local opts = { pool = key, pool_size = self.pool_size }
   local ok, err
   if is_address(host) then
      ok, err = sock:connect(host, port, opts)
   else
      ok, err = connect_within(sock, host, port, opts, limit)
   end
   if not ok then
      if err == "timeout" then
         return nil, "timeout", ("connect: %s %s took longer than %d ms"):format(
            is_address(host) and "connecting to" or "resolving and connecting to", host, limit)
      end
      if find(tostring(err), "no resolver defined", 1, true) then
         err = err .. " (nginx.conf needs a resolver directive to reach a server by name; see the README)"
      end
      return nil, "connect", (via and "connect to the proxy: " or "connect: ") .. tostring(err)
   end
   local reused = (sock:getreusedtimes() or 0) > 0
   if reused or u.scheme ~= "https" then return sock, reused end

   if via then -- a tunnel to the origin first
      sock:settimeout(math.max(1, deadline - now_ms()))
      local sent, serr = sock:send(("CONNECT %s:%d HTTP/1.1\r\nHost: %s:%d\r\n%s\r\n"):format(
         u.host, u.port, u.host, u.port, -- u.host: an IPv6 address keeps its brackets
         via.authorization and ("Proxy-Authorization: " .. via.authorization .. "\r\n") or ""))
      if not sent then
         sock:close()
         return nil, "connect", "proxy: " .. tostring(serr)
      end
      local r = reader(sock, deadline)
      local status, herr = read_head(r)
      if status ~= 200 or r:pending() then
         sock:close()
         if status == 407 then
            return nil, "connect", "the proxy asks for credentials (407 Proxy Authentication Required)"
               .. (via.authorization and "; it refused those in the proxy URL" or "; give them in the proxy URL")
         end
         return nil, herr == "timeout" and "timeout" or "connect",
            "the proxy refused the tunnel: " .. (status and ("status " .. status) or tostring(herr))
      end
   end
   sock:settimeout(math.max(1, deadline - now_ms()))
   local session, herr = handshake(sock, self.sessions[key], u.connect_host, self.ssl_verify)
   if not session then
      sock:close()
      return nil, herr == "timeout" and "timeout" or "tls", "TLS: " .. tostring(herr)
   end
   self.sessions[key] = session
   return sock, false
end

---------------------------------------------------------------- requests

-- The request as sent: through a proxy, plain http asks for the absolute
-- URL and carries the proxy's credentials (https carried them in CONNECT).
-- The header lines of a headers table, checked, or nil: a client sends the
-- same table call after call, so its lines are made once (weakly cached
-- by the table: callers do not change a table they sent).
local header_lines = setmetatable({}, { __mode = "k" })

local function lines_of(headers)
   local lines = header_lines[headers]
   if lines then return lines end
   local out = {}
   for name, value in pairs(headers) do
      if not header.name_ok(name) or not header.value_ok(value) then return nil end
      out[#out + 1] = name .. ": " .. value .. "\r\n"
   end
   lines = concat(out)
   header_lines[headers] = lines
   return lines
end

local function request_bytes(req, u, via)
   local lines = req.headers and lines_of(req.headers) or ""
   if not lines then return nil end
   local out = { req.method, " ", u.target, " HTTP/1.1\r\nHost: ", u.authority, "\r\n", lines }
   if via and u.scheme == "http" then
      out[3] = u.scheme .. "://" .. u.authority .. u.target
      if via.authorization then out[#out + 1] = "Proxy-Authorization: " .. via.authorization .. "\r\n" end
   end
   if req.body then out[#out + 1] = "Content-Length: " .. #req.body .. "\r\n" end
   out[#out + 1] = "\r\n"
   out[#out + 1] = req.body
   return concat(out)
end

--- The transport contract (authlete.transport): request's, positionally.
function transport:perform(method, url, headers, body, timeout_ms, connect_timeout_ms, resend_safe)
   return self:request({ method = method, url = url, headers = headers, body = body, timeout_ms = timeout_ms,
                         connect_timeout_ms = connect_timeout_ms, idempotent = resend_safe })
end

--- request = { method, url, headers, body, timeout_ms, connect_timeout_ms, idempotent }
--- -> status, headers, body | nil, kind, message, sent
function transport:request(req)
   local u = url_parts(req.url)
   if not u then return nil, "other", "not an http(s) URL", false end
   local via = proxy.choose(self.proxies, u.scheme, u.connect_host)
   local bytes = request_bytes(req, u, via)
   if not bytes then return nil, "other", "a header name or value holds CR, LF or NUL", false end
   local deadline = now_ms() + (req.timeout_ms or 30000)
   local idempotent = req.idempotent
   if idempotent == nil then idempotent = req.method ~= "POST" and req.method ~= "PATCH" end

   for _ = 0, STALE_RETRIES do
      local sock, reused, msg = self:connect(u, via, deadline, req.connect_timeout_ms or 10000)
      if not sock then return nil, reused, msg, false end
      sock:settimeout(math.max(1, deadline - now_ms()))
      local r = reader(sock, deadline)
      local status, headers, version, err
      local sent_ok, send_err = sock:send(bytes)
      if sent_ok then
         status, headers, version = read_head(r)
         if not status then err = headers end
      else
         err = send_err
      end
      if status then
         local body, berr, keep = read_body(r, req.method, status, headers, version, self.max_response_bytes)
         if not body then
            sock:close()
            if berr == "too_large" then return nil, "too_large", "the response exceeds max_response_bytes", true end
            return nil, berr == "timeout" and "timeout" or "protocol", "reading the body: " .. tostring(berr), true
         end
         -- Pooled only at a message boundary: bytes past this answer (a
         -- server that sent more than it framed, or a second answer) must
         -- never become the next caller's answer. Bytes that arrive later,
         -- while the connection idles in the pool, make nginx close it.
         if keep and not r:pending() then sock:setkeepalive(self.keepalive_timeout) else sock:close() end
         return status, headers, body
      end
      sock:close()
      -- A pooled connection that died before any answer: the server most
      -- likely closed it while idle. Idempotent requests go again on another
      -- connection; others may have reached the server and are not repeated.
      local stale = reused and not r.got_any and err ~= "timeout"
      if not (stale and idempotent) then
         if err == "timeout" then return nil, "timeout", "timed out waiting for the answer", true end
         if stale then
            return nil, "protocol", "the connection closed before an answer; the request may have reached "
               .. "the server and is not sent again", true
         end
         return nil, "protocol", "reading the answer: " .. tostring(err), true
      end
   end
   return nil, "protocol", "every pooled connection closed before answering", true
end

return transport
