--- authlete.transport: which transport a client gets, and the options each
--- one honours.
---
--- The contract every transport keeps (the client relies on nothing else):
---
---   t:perform(method, url, headers, body, timeout_ms, connect_timeout_ms, resend_safe)
---     -> status, headers, body
---        headers: a table of the answer's headers by lower-case name, a
---        repeated header's values joined with ", "
---     -> nil, kind, message, sent
---        kind: connect | timeout | tls | too_large | protocol | aborted | other;
---        sent: may any byte of the request have reached the server? A
---        request with resend_safe false is never sent twice.
---   t:ready()  -> true, or false and why a call cannot run here and now
---   t:sleep(ms), t:now_ms(), t:close()
---
--- Arguments and results are positional, not request and response tables:
--- this is every call's hot path, and two tables per call would cost more
--- than the rest of the client's Lua work.
---
--- A transport honours every option the client was given, with the same
--- meaning as everywhere else, or authlete.new refuses the option, naming
--- it and the transport: a silently dropped ssl_verify or ca_file would be
--- a security defect.
local transport = {}

-- The options that shape the HTTP itself, and which transports honour them.
-- (timeout_ms and connect_timeout_ms travel with each request.)
local SHAPING = { "ssl_verify", "ca_file", "proxy", "no_proxy", "max_response_bytes", "connect_timeout_ms", "pool_size",
                  "keepalive_timeout" }

local HONOURS = {
   curl = { ssl_verify = true, ca_file = true, proxy = true, no_proxy = true, max_response_bytes = true,
           connect_timeout_ms = true },
   ngx = { ssl_verify = true, proxy = true, no_proxy = true, max_response_bytes = true, connect_timeout_ms = true, pool_size = true,
           keepalive_timeout = true },
   ["a function"] = { connect_timeout_ms = true },
}

-- Why a transport cannot honour an option, where there is more to say.
local INSTEAD = {
   ngx = { ca_file = "nginx verifies against lua_ssl_trusted_certificate in nginx.conf" },
   curl = { pool_size = "libcurl keeps one connection per client", keepalive_timeout = "libcurl keeps one connection per client" },
   ["a function"] = { ssl_verify = "the function does its own HTTP", ca_file = "the function does its own HTTP",
                      proxy = "the function does its own HTTP", no_proxy = "the function does its own HTTP",
                      max_response_bytes = "the function does its own HTTP" },
}

local function refuse(option, name)
   local why = INSTEAD[name] and INSTEAD[name][option]
   error(("authlete.new: option '%s' is not supported by transport %s%s"):format(option,
      name:find(" ") and name or ('"' .. name .. '"'), why and (" (" .. why .. ")") or ""), 0)
end

--- Inside nginx (OpenResty, or nginx with the Lua module)?
function transport.in_nginx()
   return type(ngx) == "table" and type(ngx.get_phase) == "function" and type(ngx.socket) == "table"
end

-- A function transport: the user's function does the HTTP. Waits between
-- retries use ngx.sleep inside nginx where it may (never blocking the
-- worker), and authlete.curl's sleep elsewhere.
local function function_transport(fn)
   local curl = require("authlete.curl")
   local ngx_transport = transport.in_nginx() and require("authlete.transport.ngx")
   return {
      perform = function(_, method, url, headers, body, timeout_ms, connect_timeout_ms, resend_safe)
         return fn({ method = method, url = url, headers = headers, body = body, timeout_ms = timeout_ms,
                     connect_timeout_ms = connect_timeout_ms, idempotent = resend_safe })
      end,
      ready = function() return true end,
      sleep = function(_, ms)
         if ngx_transport and ngx_transport.ready() then ngx.sleep(ms / 1000) else curl.sleep(ms) end
      end,
      now_ms = function() return curl.now_ms() end,
      close = function() end,
   }
end

--- The transport for a client: cfg is its normalised options, `given` the
--- names of the options the caller set (defaults are not checked).
function transport.new(cfg, given)
   local t = cfg.transport
   local name = type(t) == "function" and "a function" or type(t) == "table" and "object"
      or t or (transport.in_nginx() and "ngx" or "curl")
   if name == "object" then
      -- A transport object takes the client's options through bind(), or
      -- takes none: it would drop them.
      if type(t.bind) == "function" then return t:bind(cfg, given) end
      for _, option in ipairs(SHAPING) do
         if given[option] then error(("authlete.new: option '%s' is not supported by this transport object "
            .. "(it has no bind(options) to take it)"):format(option), 0) end
      end
      return t
   end
   for _, option in ipairs(SHAPING) do
      if given[option] and not HONOURS[name][option] then refuse(option, name) end
   end
   if name == "a function" then return function_transport(t) end
   if name == "ngx" and not transport.in_nginx() then
      error('authlete.new: transport "ngx" works only inside nginx (OpenResty, or nginx with the Lua module)', 0)
   end
   return require("authlete.transport." .. name).new(cfg)
end

return transport
