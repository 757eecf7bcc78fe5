--- The mock Authlete server: routes, authentication, faults and statistics.
---
--- local server = Server.new{ port = 0, seed = seed.default() }
--- local host, port = server:listen()
--- server:run()            -- until server:stop()
local compat = require("authlete.compat")
local core = require("authlete.core")
local socket = require("authlete.mock.socket")
local codes = require("authlete.mock.codes")
local crypto = require("authlete.mock.crypto")
local controls = require("authlete.mock.controls")
local http = require("authlete.mock.http")
local json = require("authlete.json")
local Loop = require("authlete.mock.loop")
local operations = require("authlete.mock.operations")
local seed_mod = require("authlete.mock.seed")
local Store = require("authlete.mock.store")

local Server = {}
Server.__index = Server

-- One row per endpoint, from the operations the core declares (method,
-- path, where the input comes from, whether the answer has an `action`),
-- plus what only the mock knows: the result code of a malformed body.
local BAD_BODY = { create = codes.CREATE_BAD_BODY, update = codes.UPDATE_BAD_BODY,
                   revoke = codes.REVOKE_BAD_BODY, reissueIdToken = codes.REISSUE_BAD_BODY }
local ROUTES = {}
do
   local models = core.models()
   for _, op in ipairs(core.operations()) do
      local has_action = false
      for _, f in ipairs(op.responseModel and models[op.responseModel].fields or {}) do
         has_action = has_action or f.name == "action"
      end
      ROUTES[#ROUTES + 1] = {
         op = op.name, method = op.method,
         pattern = "^" .. op.path:gsub("{%w+}", "([^/]+)") .. "$",
         api = op.path:gsub("^/api/{serviceId}", ""):gsub("/{%w+}$", ""), -- the path Authlete's messages name
         -- where the input comes from: the query, a path segment, or a JSON body
         input = #op.queryParams > 0 and "query" or #op.pathParams > 1 and "path" or "body",
         body_required = op.bodyRequired,
         -- an answer with an `action` can carry an error with HTTP 200 ("action" error style)
         has_action = has_action,
         bad_body = BAD_BODY[op.name],
      }
   end
end
local REQUEST_LOG_SIZE = 100

local DEFAULTS = {
   host = "127.0.0.1", port = 0, latency_ms = 0, error_style = "status",
   idle_timeout_ms = 15000, max_body_bytes = 1024 * 1024, max_header_bytes = 16 * 1024,
   -- ASSUMED (Authlete documents neither): a rate limit per service, off by
   -- default; and the header naming each API answer ("" for none).
   rate_limit = 0, rate_burst = 0, request_id_header = "X-Request-Id",
   -- ASSUMED: a revoked token stays, listed as INVALID; revoke's count
   -- includes expired tokens. Either can be switched off.
   revoke_keeps_records = true, revoke_counts_expired = true,
}

local function percent_decode(s)
   return (s:gsub("%%(%x%x)", function(h) return string.char(tonumber(h, 16)) end))
end

local function parse_query(q)
   local params = {}
   for pair in q:gmatch("[^&]+") do
      local k, v = pair:match("^([^=]*)=?(.*)$")
      k = percent_decode((k:gsub("%+", " ")))
      params[k] = percent_decode((v:gsub("%+", " ")))
   end
   return params
end

--- A JSON response. Authlete labels its bodies with a charset.
local function json_response(status, value)
   return { status = status, headers = { ["Content-Type"] = "application/json;charset=UTF-8" },
            body = json.encode(value) }
end

--- Create a server. Options: host, port, seed (table), bearer, service_id,
--- latency_ms, error_style ("status" | "action"), idle_timeout_ms,
--- max_body_bytes, max_header_bytes, rate_limit (requests per second per
--- service, 0: none) and rate_burst (default: rate_limit), request_id_header,
--- log (function(line) for each request).
function Server.new(opts)
   opts = opts or {}
   local self = setmetatable({}, Server)
   for k, v in pairs(DEFAULTS) do self[k] = v end
   for k, v in pairs(opts) do self[k] = v end
   local s = opts.seed or seed_mod.default()
   if opts.bearer then s.bearer = opts.bearer end
   if opts.service_id then s.serviceId = opts.service_id end
   seed_mod.validate(s)
   if self.error_style ~= "status" and self.error_style ~= "action" then
      error("error_style must be 'status' or 'action'", 2)
   end
   self.loop = Loop.new()
   self.store = Store.new(s)
   self:apply_assumptions()
   self:reset()
   return self
end

--- Hand the store the switches its operations read.
function Server:apply_assumptions()
   self.store.revoke_keeps_records = self.revoke_keeps_records
   self.store.revoke_counts_expired = self.revoke_counts_expired
end

--- Back to the seed: tokens, faults, statistics and the request log.
function Server:reset()
   self.store:reset()
   self.faults = {}
   self.request_log = {}
   self.buckets = {} -- service ID -> { tokens, at }: the rate limit's token buckets
   self.request_ids = self.request_ids or 0
   -- open_connections and in_flight survive a reset: those connections and
   -- requests are still there.
   local old = self.stats or {}
   self.stats = { connections = 0, open_connections = old.open_connections or 0,
                  api_requests = 0, rate_limited = 0, in_flight = old.in_flight or 0, peak_in_flight = 0,
                  requests = { list = 0, create = 0, update = 0, delete = 0, revoke = 0,
                               reissueIdToken = 0 } }
end

--- Bind and listen; returns host, port (the real port when 0 was asked).
function Server:listen()
   -- socket.bind sets SO_REUSEADDR and picks the address family of `host`.
   local sock, err = socket.bind(self.host, self.port, 128)
   if not sock then error(("cannot bind %s:%s: %s"):format(self.host, self.port, err), 0) end
   sock:settimeout(0)
   self.listener = sock
   self.host, self.port = sock:getsockname()
   self.port = compat.tointeger(tonumber(self.port))
   return self.host, self.port
end

function Server:url()
   return ("http://%s:%d"):format(self.host, self.port)
end

function Server:stop()
   self.loop:stop()
end

--- Accept connections and serve them until stop().
function Server:run()
   local limits = { idle_timeout_ms = self.idle_timeout_ms, max_body_bytes = self.max_body_bytes,
                    max_header_bytes = self.max_header_bytes }
   self.loop:spawn(function()
      while true do
         local client = self.listener:accept()
         if client then
            self.stats.connections = self.stats.connections + 1
            self.stats.open_connections = self.stats.open_connections + 1
            self.loop:spawn(function()
               http.serve(self.loop, client, function(req) return self:handle(req) end, limits)
               self.stats.open_connections = self.stats.open_connections - 1
            end)
         else
            self.loop:wait_readable(self.listener)
         end
      end
   end)
   self.loop:run()
   self.listener:close()
end

---------------------------------------------------------------- faults

--- Take the next queued fault that applies to operation `op`.
function Server:take_fault(op)
   for i, f in ipairs(self.faults) do
      if f.operation == nil or f.operation == op then
         f.times = f.times - 1
         if f.times <= 0 then table.remove(self.faults, i) end
         return f
      end
   end
end

local function fault_response(f)
   local body = f.body_base64 and crypto.base64_decode(f.body_base64) or f.body
   local headers = {}
   for k, v in pairs(f.headers or {}) do headers[k] = v end
   if type(body) == "table" then
      body = json.encode(body)
      headers["Content-Type"] = headers["Content-Type"] or "application/json;charset=UTF-8"
   end
   return { status = f.status, headers = headers, body = body or "", fault = f }
end

---------------------------------------------------------------- the API

-- An Authlete error answer for operation `route`, in the configured style.
function Server:error_response(route, entry, ...)
   local body = { resultCode = entry.code, resultMessage = codes.message(entry, route.api, ...) }
   if route.has_action and entry.action then
      body.action = entry.action
      if self.error_style == "action" then return json_response(200, body) end
   end
   return json_response(codes.status_of(entry), body)
end

function Server:authenticate(route, req, service_id)
   local auth = req.headers.authorization
   if not auth or auth == "" then
      return self:error_response(route, codes.AUTH_MISSING)
   end
   local token = auth:match("^[Bb][Ee][Aa][Rr][Ee][Rr] +(.-)%s*$")
   if token ~= self.store.seed.bearer then
      return self:error_response(route, codes.AUTH_INVALID)
   end
   if service_id ~= self.store.seed.serviceId then
      return self:error_response(route, codes.SERVICE_FORBIDDEN, service_id)
   end
end

-- The operation's input: query parameters, a JSON body, or a path segment.
local function operation_input(route, req, captured)
   if route.input == "query" then return parse_query(req.query) end
   if route.input == "path" then return captured end
   local ctype = (req.headers["content-type"] or "application/json"):lower()
   if not ctype:match("^application/json") then
      return nil, "the request body must be application/json, not " .. ctype
   end
   if req.body == "" then
      -- reissueIdToken's body is optional; the others need one.
      if not route.body_required then return {} end
      return nil, "the request body is missing"
   end
   local body, err = json.decode(req.body)
   if body == nil then return nil, "the request body is not valid JSON: " .. err end
   if type(body) ~= "table" or json.is_array(body) then
      return nil, "the request body must be a JSON object"
   end
   return body
end

function Server:call(route, req, service_id, captured)
   local denied = self:authenticate(route, req, service_id)
   if denied then return denied end
   local input, err = operation_input(route, req, captured)
   if input == nil then return self:error_response(route, route.bad_body, err) end
   local result, entry, detail = operations[route.op](self.store, input)
   if result == nil then return self:error_response(route, entry, detail) end
   if result == true then return { status = 204, headers = {}, body = "" } end
   return json_response(200, result)
end

function Server:record(route, req)
   local headers = {}
   for k, v in pairs(req.headers) do
      headers[k] = (k == "authorization") and "<redacted>" or v
   end
   local log = self.request_log
   log[#log + 1] = { operation = route.op, method = req.method, path = req.path,
                     query = req.query, headers = headers, body = req.body }
   if #log > REQUEST_LOG_SIZE then table.remove(log, 1) end
end

local function match_route(path)
   for _, route in ipairs(ROUTES) do
      local a, b = path:match(route.pattern)
      if a then return route, a, b end
   end
end

-- A token bucket per service: rate_limit tokens a second, rate_burst at
-- most. nil when the request may go on; else the 429 answer, Retry-After
-- being the whole seconds until a token is there.
function Server:rate_limited(route, service_id)
   if not self.rate_limit or self.rate_limit <= 0 then return nil end
   local burst = (self.rate_burst and self.rate_burst > 0) and self.rate_burst or self.rate_limit
   local now = socket.gettime()
   local b = self.buckets[service_id]
   if not b then
      b = { tokens = burst, at = now }
      self.buckets[service_id] = b
   end
   b.tokens = math.min(burst, b.tokens + (now - b.at) * self.rate_limit)
   b.at = now
   if b.tokens >= 1 then
      b.tokens = b.tokens - 1
      return nil
   end
   self.stats.rate_limited = self.stats.rate_limited + 1
   local after = math.max(1, math.ceil((1 - b.tokens) / self.rate_limit))
   local res = self:error_response(route, codes.RATE_LIMITED, service_id, after)
   res.headers["Retry-After"] = tostring(after)
   return self:with_request_id(res)
end

-- Every API answer names itself, for tests of correlation logging.
function Server:with_request_id(res)
   if self.request_id_header and self.request_id_header ~= "" and res.headers then
      self.request_ids = self.request_ids + 1
      res.headers[self.request_id_header] = ("mock-%d-%d"):format(self.port or 0, self.request_ids)
   end
   return res
end

--- Answer one request.
function Server:handle(req)
   if req.path:sub(1, 8) == "/__mock/" then
      return controls.handle(self, req)
   end
   local route, service_id, captured = match_route(req.path)
   if not route then
      return { status = 404, headers = { ["Content-Type"] = "text/plain" },
               body = "no such endpoint: " .. req.path .. "\n" }
   end
   if req.method ~= route.method then
      return { status = 405, headers = { Allow = route.method, ["Content-Type"] = "text/plain" },
               body = "method not allowed\n" }
   end
   local stats = self.stats
   stats.api_requests = stats.api_requests + 1
   stats.requests[route.op] = stats.requests[route.op] + 1
   self:record(route, req)
   if self.log then self.log(("%s %s"):format(req.method, req.target)) end
   -- how many API requests are being answered at once, and the most so far
   -- (a test's proof that its calls overlap, or that they never do)
   stats.in_flight = stats.in_flight + 1
   if stats.in_flight > stats.peak_in_flight then stats.peak_in_flight = stats.in_flight end
   local res = self:answer_api(route, req, service_id, captured)
   self.stats.in_flight = self.stats.in_flight - 1
   return res
end

-- An API request counted by handle(): the rate limit, faults, latency, the
-- operation.
function Server:answer_api(route, req, service_id, captured)
   local limited = self:rate_limited(route, percent_decode(service_id))
   if limited then return limited end
   local fault = self:take_fault(route.op)
   local delay = self.latency_ms + (fault and fault.delay_ms or 0)
   if delay > 0 then self.loop:sleep(delay / 1000) end
   if fault and fault.status then return fault_response(fault) end
   -- drop = true|"before": the operation never runs; "after": it runs, then no answer.
   if fault and fault.drop and fault.drop ~= "after" then return { fault = fault } end

   local res = self:call(route, req, percent_decode(service_id), captured and percent_decode(captured))
   res.fault = fault
   return self:with_request_id(res)
end

return Server
