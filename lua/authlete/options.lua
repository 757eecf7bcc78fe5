--- Checking and normalising the options of authlete.new and of each call.
---
--- Options are a programming matter: an unknown name, a wrong type or a bad
--- server URL raises at once, naming the option, instead of failing later.
local core = require("authlete.core")
local header = require("authlete.header")

local options = {}

local floor = math.floor

--- Authlete's clusters, US first (the default), as in Authlete's SDKs.
options.SERVERS = {
   "https://us.authlete.com",
   "https://jp.authlete.com",
   "https://eu.authlete.com",
   "https://br.authlete.com",
}
local SERVER_NAMES = { us = 1, jp = 2, eu = 3, br = 4 }

options.RETRY_DEFAULTS = {
   initial_interval = 500, max_interval = 60000, exponent = 1.5, max_elapsed_time = 3600000,
}
local RETRY_CODES = { 429, 500, 502, 503, 504 }

-- The checks nest to different depths, so no source position is added: the
-- message names the option, which is what the caller needs.
local function raise(where, fmt, ...)
   error(where .. ": " .. fmt:format(...), 0)
end

-- What a wrong value was, for "must be X, got Y": a number with its value,
-- anything else by its type (a string's text may be a secret).
local function got(v)
   if type(v) == "number" then
      return "number " .. (v == floor(v) and math.abs(v) < 2 ^ 53 and ("%d"):format(v) or tostring(v))
   end
   return type(v)
end

-- Names other SDKs and HTTP libraries use for our options.
local ALIASES = { base_url = "server_url", baseUrl = "server_url", baseURL = "server_url", serverURL = "server_url",
                  serverUrl = "server_url", url = "server_url", timeoutMs = "timeout_ms", timeout = "timeout_ms",
                  retryConfig = "retry_config", userAgent = "user_agent", serviceId = "service_id",
                  serverIdx = "server_idx", verify = "ssl_verify", cafile = "ca_file" }

local function is_integer(v)
   return type(v) == "number" and v == floor(v) and v > -2 ^ 53 and v < 2 ^ 53
end

local function check_keys(where, t, known, what)
   local names = {}
   for name in pairs(known) do names[#names + 1] = name end
   table.sort(names)
   for k in pairs(t) do
      if type(k) ~= "string" or not known[k] then
         local hint = type(k) == "string" and (known[ALIASES[k]] and ALIASES[k] or core.suggest(k, names))
         raise(where, "unknown %s '%s'%s", what, tostring(k), hint and (" (did you mean '" .. hint .. "'?)") or "")
      end
   end
end

---------------------------------------------------------------- pieces

--- Parse and check a server URL: http(s), a host, an optional port and path;
--- no user info, query or fragment. Returns it without trailing slashes.
function options.server_url(where, url)
   if type(url) ~= "string" then raise(where, "server_url must be a string, got %s", got(url)) end
   if url:find("[%s%c]") then raise(where, "server_url must not contain spaces or control characters") end
   local scheme, authority, path = url:match("^(%a[%w+.-]*)://([^/?#]*)(.*)$")
   if not scheme then raise(where, "server_url '%s' is not an absolute URL", url) end
   scheme = scheme:lower()
   if scheme ~= "http" and scheme ~= "https" then
      raise(where, "server_url must use http or https, not '%s'", scheme)
   end
   if authority:find("@", 1, true) then raise(where, "server_url must not carry user information") end
   if path:find("[?#]") then raise(where, "server_url must not have a query or a fragment") end
   local host, port = authority:match("^(%[[%x:.]+%])(.*)$")
   if not host then host, port = authority:match("^([%w.-]+)(.*)$") end
   if not host or host == "" then raise(where, "server_url '%s' has no host", url) end
   if port ~= "" then
      local n = port:match("^:(%d+)$")
      if not n or tonumber(n) < 1 or tonumber(n) > 65535 then raise(where, "server_url has a bad port '%s'", port) end
   end
   return scheme .. "://" .. authority .. path:gsub("/+$", "")
end

--- Check a headers table: names must be tokens, values strings without CR,
--- LF or NUL (no header injection). Returns a copy.
function options.headers(where, headers)
   if type(headers) ~= "table" then raise(where, "headers must be a table, got %s", got(headers)) end
   local out = {}
   for name, value in pairs(headers) do
      if not header.name_ok(name) then
         raise(where, "header name '%s' is not a valid HTTP field name", tostring(name))
      end
      if type(value) ~= "string" then raise(where, "header '%s' must have a string value", name) end
      if not header.value_ok(value) then raise(where, "header '%s' has a value containing CR, LF or NUL", name) end
      out[name] = value
   end
   return out
end

-- Times in ms and sizes in bytes; the transports take at most 2^31 - 1
-- (24 days, 2 GiB), and a larger value is a mistake, not a wish.
local MAX_POSITIVE = 2 ^ 31 - 1

local function positive(where, name, v)
   if not is_integer(v) or v < 1 or v > MAX_POSITIVE then
      raise(where, "%s must be a positive integer up to 2^31 - 1, got %s", name, got(v))
   end
   return v
end

-- "503", 503 or "5XX" -> a predicate on status codes.
local function status_matcher(where, codes)
   if type(codes) ~= "table" then raise(where, "retry_config.retry_codes must be a list") end
   local exact, classes = {}, {}
   for i, c in ipairs(codes) do
      local s = tostring(c):upper()
      local class = s:match("^([1-5])XX$")
      if class then
         classes[tonumber(class)] = true
      elseif s:match("^[1-5]%d%d$") then
         exact[tonumber(s)] = true
      else
         raise(where, "retry_config.retry_codes[%d] must be a status such as 503 or \"5XX\", got %s", i, tostring(c))
      end
   end
   return function(status) return exact[status] or classes[floor(status / 100)] or false end
end

local RETRY_KEYS = { strategy = true, backoff = true, retry_connection_errors = true, retry_codes = true }
local BACKOFF_KEYS = { initial_interval = true, max_interval = true, exponent = true, max_elapsed_time = true }

--- Normalise retry_config (the SDK's names, plus retry_codes).
function options.retry(where, cfg)
   if cfg == nil then cfg = { strategy = "none" } end
   if type(cfg) ~= "table" then raise(where, "retry_config must be a table, got %s", got(cfg)) end
   check_keys(where, cfg, RETRY_KEYS, "retry_config field")
   local strategy = cfg.strategy or "none"
   if strategy ~= "none" and strategy ~= "backoff" then
      raise(where, "retry_config.strategy must be \"none\" or \"backoff\", got %s", tostring(strategy))
   end
   local out = { strategy = strategy, retry_connection_errors = cfg.retry_connection_errors == true }
   if cfg.retry_connection_errors ~= nil and type(cfg.retry_connection_errors) ~= "boolean" then
      raise(where, "retry_config.retry_connection_errors must be a boolean, got %s", got(cfg.retry_connection_errors))
   end
   local backoff = cfg.backoff or {}
   if type(backoff) ~= "table" then raise(where, "retry_config.backoff must be a table, got %s", got(backoff)) end
   check_keys(where, backoff, BACKOFF_KEYS, "retry_config.backoff field")
   for k, default in pairs(options.RETRY_DEFAULTS) do
      local v = backoff[k]
      if v == nil then
         out[k] = default
      elseif type(v) ~= "number" or v ~= v or v < 0 or v == math.huge then
         raise(where, "retry_config.backoff.%s must be a non-negative number", k)
      else
         out[k] = v
      end
   end
   if out.exponent < 1 then raise(where, "retry_config.backoff.exponent must be at least 1") end
   out.retryable_status = status_matcher(where, cfg.retry_codes or RETRY_CODES)
   return out
end

local function hooks(where, h)
   if type(h) ~= "table" then raise(where, "hooks must be a table, got %s", got(h)) end
   check_keys(where, h, { before_request = true, after_response = true }, "hook")
   for k, fn in pairs(h) do
      if type(fn) ~= "function" then raise(where, "hooks.%s must be a function, got %s", k, got(fn)) end
   end
   return h
end

---------------------------------------------------------------- the client

--- authlete.new's option names (tools/types.lua annotates them).
local CLIENT = {
   bearer = true, security = true, service_id = true, server_url = true, server_idx = true, server = true,
   timeout_ms = true, connect_timeout_ms = true, retry_config = true, user_agent = true, headers = true,
   ssl_verify = true, ca_file = true, proxy = true, no_proxy = true, max_response_bytes = true, transport = true, hooks = true,
   pool_size = true, keepalive_timeout = true, shared_dict = true,
}
options.CLIENT = CLIENT

local function credential(where, name, v)
   if v ~= nil and type(v) ~= "string" and type(v) ~= "function" then
      raise(where, "%s must be a string or a function returning one, got %s", name, got(v))
   end
   return v
end

-- authlete.new's options, checked one concern at a time into `cfg`.
-- Options win; the environment (AUTHLETE_BEARER, AUTHLETE_SERVICE_ID,
-- AUTHLETE_BASE_URL: the names the command line and the examples use)
-- fills in what they leave out.
local WHERE = "authlete.new"

-- Who we are: bearer, else security.authlete (the SDK's spelling), else
-- AUTHLETE_BEARER (read per call, by the client); the default service.
local function identity(opts, cfg)
   cfg.bearer = credential(WHERE, "bearer", opts.bearer)
   if cfg.bearer == nil and opts.security ~= nil then
      if type(opts.security) ~= "table" then raise(WHERE, "security must be a table, got %s", got(opts.security)) end
      check_keys(WHERE, opts.security, { authlete = true, bearer = true }, "security field")
      cfg.bearer = credential(WHERE, "security.authlete", opts.security.authlete or opts.security.bearer)
   end
   if opts.service_id ~= nil then
      if type(opts.service_id) ~= "string" and not is_integer(opts.service_id) then
         raise(WHERE, "service_id must be a string or an integer, got %s", got(opts.service_id))
      end
      cfg.service_id = opts.service_id
   else
      local env = os.getenv("AUTHLETE_SERVICE_ID")
      if env and env ~= "" then cfg.service_id = env end
   end
end

-- Where the API is: one of server_url, server and server_idx, else
-- AUTHLETE_BASE_URL, else the US cluster.
local function server(opts, cfg)
   local chosen = (opts.server_url and 1 or 0) + (opts.server_idx and 1 or 0) + (opts.server and 1 or 0)
   if chosen > 1 then raise(WHERE, "give only one of server_url, server and server_idx") end
   if opts.server_url then
      cfg.server_url = options.server_url(WHERE, opts.server_url)
   elseif opts.server then
      local idx = SERVER_NAMES[opts.server]
      if not idx then raise(WHERE, "server must be \"us\", \"jp\", \"eu\" or \"br\", got %s", tostring(opts.server)) end
      cfg.server_url = options.SERVERS[idx]
   elseif opts.server_idx ~= nil or (os.getenv("AUTHLETE_BASE_URL") or "") == "" then
      local idx = opts.server_idx or 1
      if not is_integer(idx) or not options.SERVERS[idx] then
         raise(WHERE, "server_idx must be 1 to %d, got %s", #options.SERVERS, got(idx))
      end
      cfg.server_url = options.SERVERS[idx]
   else
      cfg.server_url = options.server_url(WHERE .. " (from AUTHLETE_BASE_URL)", os.getenv("AUTHLETE_BASE_URL"))
   end
end

-- How long, how often, how much: the deadline, the connect timeout, the
-- largest answer, retries.
local function limits(opts, cfg)
   cfg.timeout_ms = opts.timeout_ms and positive(WHERE, "timeout_ms", opts.timeout_ms) or 30000
   cfg.connect_timeout_ms = opts.connect_timeout_ms and positive(WHERE, "connect_timeout_ms", opts.connect_timeout_ms)
      or 10000
   cfg.max_response_bytes = opts.max_response_bytes and positive(WHERE, "max_response_bytes", opts.max_response_bytes)
      or 16 * 1024 * 1024
   cfg.retry = options.retry(WHERE, opts.retry_config)
end

-- What goes on the wire: User-Agent and extra headers, TLS, proxies, the
-- transport and the cosocket pool, pauses shared through a dict.
local function wire(opts, cfg)
   if opts.user_agent ~= nil then
      cfg.user_agent = options.headers(WHERE, { ["User-Agent"] = opts.user_agent })["User-Agent"]
   end
   cfg.headers = opts.headers and options.headers(WHERE, opts.headers) or {}
   if opts.ssl_verify ~= nil and type(opts.ssl_verify) ~= "boolean" then
      raise(WHERE, "ssl_verify must be a boolean, got %s", got(opts.ssl_verify))
   end
   cfg.ssl_verify = opts.ssl_verify ~= false
   for _, k in ipairs({ "ca_file", "proxy", "no_proxy", "shared_dict" }) do
      if opts[k] ~= nil and type(opts[k]) ~= "string" then raise(WHERE, "%s must be a string, got %s", k, got(opts[k])) end
      cfg[k] = opts[k]
   end
   local t = opts.transport
   -- a transport object keeps the contract of authlete.transport, or binds to one
   local object = type(t) == "table" and (type(t.bind) == "function" or (type(t.perform) == "function"
      and type(t.ready) == "function" and type(t.sleep) == "function" and type(t.now_ms) == "function"
      and type(t.close) == "function"))
   if t ~= nil and t ~= "curl" and t ~= "ngx" and type(t) ~= "function" and not object then
      raise(WHERE, "transport must be \"curl\", \"ngx\", a function or a transport object (bind, or perform, "
         .. "ready, sleep, now_ms and close), got %s", tostring(t))
   end
   cfg.transport = t
   -- The ngx transport's keep-alive pool (per worker).
   cfg.pool_size = opts.pool_size and positive(WHERE, "pool_size", opts.pool_size) or 32
   cfg.keepalive_timeout = opts.keepalive_timeout and positive(WHERE, "keepalive_timeout", opts.keepalive_timeout)
      or 60000
end

--- Check authlete.new's options; returns the normalised configuration.
function options.client(opts)
   if opts == nil then opts = {} end
   if type(opts) ~= "table" then raise(WHERE, "options must be a table, got %s", got(opts)) end
   check_keys(WHERE, opts, CLIENT, "option")
   local cfg = {}
   identity(opts, cfg)
   server(opts, cfg)
   limits(opts, cfg)
   wire(opts, cfg)
   cfg.hooks = opts.hooks and hooks(WHERE, opts.hooks) or {}
   -- which options the caller set: a transport refuses those it cannot honour
   cfg.given = {}
   for k in pairs(opts) do cfg.given[k] = true end
   return cfg
end

---------------------------------------------------------------- one call

--- A call's option names.
local CALL = { timeout_ms = true, retry_config = true, server_url = true, headers = true, response = true }
options.CALL = CALL
local NO_OVERRIDES = setmetatable({}, { __newindex = function() error("read-only", 2) end })

--- Check a call's options; returns a table of overrides (possibly empty).
function options.call(operation, opts)
   local where = operation
   if opts == nil then return NO_OVERRIDES end
   if type(opts) ~= "table" then raise(where, "call options must be a table, got %s", got(opts)) end
   check_keys(where, opts, CALL, "call option")
   local out = {}
   if opts.timeout_ms ~= nil then out.timeout_ms = positive(where, "timeout_ms", opts.timeout_ms) end
   if opts.retry_config ~= nil then out.retry = options.retry(where, opts.retry_config) end
   if opts.server_url ~= nil then out.server_url = options.server_url(where, opts.server_url) end
   if opts.headers ~= nil then out.headers = options.headers(where, opts.headers) end
   if opts.response ~= nil then
      if type(opts.response) ~= "table" then raise(where, "response must be a table to fill, got %s", got(opts.response)) end
      out.response = opts.response
   end
   return out
end

return options
