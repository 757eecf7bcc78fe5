--- The default transport in plain Lua: authlete.curl, one session (and so
--- one kept-alive connection) per client.
local curl = require("authlete.curl")

local transport = {}
transport.__index = transport

--- cfg: the client's normalised options.
function transport.new(cfg)
   return setmetatable({
      session = curl.session({
         ssl_verify = cfg.ssl_verify, ca_file = cfg.ca_file, proxy = cfg.proxy, no_proxy = cfg.no_proxy,
         max_response_bytes = cfg.max_response_bytes, connect_timeout_ms = cfg.connect_timeout_ms,
      }),
   }, transport)
end

--- The transport contract (authlete.transport): positional, no request
--- table per call (the client's hot path).
function transport:perform(method, url, headers, body, timeout_ms, connect_timeout_ms, idempotent)
   return self.session:perform(method, url, headers, body, timeout_ms, connect_timeout_ms, idempotent)
end

--- Plain Lua can always make a call.
function transport.ready() return true end

transport.sleep = function(_, ms) curl.sleep(ms) end
transport.now_ms = curl.now_ms -- t:now_ms(): the C function ignores t

function transport:close()
   self.session:close()
end

return transport
