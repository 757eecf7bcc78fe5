--- The call pipeline behind client.token.management.*:
---
---   core.prepare -> headers, bearer -> transport:perform -> retry? -> core.parse
---
--- (the transport contract is in authlete.transport)
---
--- Every call returns the result table (true for delete) or nil and an
--- error object (authlete.errors). Options are checked in authlete.options,
--- retry decisions made in authlete.retry.
local core = require("authlete.core")
local errors = require("authlete.errors")
local header = require("authlete.header")
local options = require("authlete.options")
local pause = require("authlete.pause")
local retry = require("authlete.retry")
local transports = require("authlete.transport")

local Client = {}
Client.__index = Client

local ceil, floor, min = math.ceil, math.floor, math.min

local OPERATIONS = core.operations()
local BY_NAME = {}
for _, op in ipairs(OPERATIONS) do BY_NAME[op.name] = op end

-- The server's largest list window; each() pages with it.
local PAGE = 20

---------------------------------------------------------------- the bearer

local function invalid_request(message)
   return errors.new({ kind = "InvalidRequestError", message = message })
end

--- The Authorization value for one call: `bearer` (or a function returning
--- it, called once per call), else AUTHLETE_BEARER. nil: send none.
local function authorization(cfg)
   if cfg.fixed_authorization then return cfg.fixed_authorization end
   local b = cfg.bearer
   if type(b) == "function" then
      local ok, v = pcall(b)
      if not ok then
         -- Its error may quote the secret it failed to produce, which is
         -- unknown here and so cannot be scrubbed: the text stays out of
         -- the message, in `cause`, which nothing of ours prints or logs.
         local err = invalid_request("the bearer function failed (its error is in err.cause)")
         err.cause = v
         return nil, err
      end
      b = v
   end
   if b == nil then b = os.getenv("AUTHLETE_BEARER") end
   if b == nil or b == "" then return nil end
   if type(b) ~= "string" then
      return nil, invalid_request("the bearer function returned a " .. type(b) .. ", not a string")
   end
   if not header.value_ok(b) then
      return nil, invalid_request("the bearer contains CR, LF or NUL and cannot be sent")
   end
   -- "tok", " tok ", "Bearer tok" and "bearer  tok" all send "Bearer tok",
   -- so that the secret the errors scrub is exactly what went out.
   local token = b:match("^%s*(.-)%s*$")
   if token:sub(1, 7):lower() == "bearer " then token = token:sub(8):match("^%s*(.*)$") end
   if token == "" then return nil end
   return "Bearer " .. token
end

---------------------------------------------------------------- headers

-- Set name=value in headers, replacing any spelling of the same name.
local function set_header(headers, name, value)
   local lname = name:lower()
   for k in pairs(headers) do
      if k:lower() == lname then headers[k] = nil end
   end
   headers[name] = value
end

local function build_headers(self, has_body, auth, call_headers)
   local h = { Accept = "application/json", ["User-Agent"] = self.user_agent }
   if has_body then h["Content-Type"] = "application/json" end
   if auth then h.Authorization = auth end
   for k, v in pairs(self.cfg.headers) do set_header(h, k, v) end
   for k, v in pairs(call_headers or {}) do set_header(h, k, v) end
   return h
end

local function new_header_cache()
   return { [true] = {}, [false] = {}, n = 0 } -- [has_body][Authorization or false]
end

--- The request headers. Without per-call headers they are the same call
--- after call, so the table is built once and reused (the libcurl transport
--- then reuses its header list too). Callers must not change it.
function Client:request_headers(has_body, auth, call_headers)
   if call_headers then return build_headers(self, has_body, auth, call_headers) end
   local cache = self.header_cache
   local key = auth or false
   local h = cache[has_body][key]
   if not h then
      if cache.n >= 16 then cache = new_header_cache() self.header_cache = cache end -- a rotating bearer
      h = build_headers(self, has_body, auth)
      cache[has_body][key], cache.n = h, cache.n + 1
   end
   return h
end

-- What hooks see: the Authorization header and access tokens in delete
-- URLs replaced by "[redacted]".
local function redacted_headers(headers)
   local out = {}
   for k, v in pairs(headers) do
      out[k] = (k:lower() == "authorization" or k:lower() == "proxy-authorization") and "[redacted]" or v
   end
   return out
end

local function redacted_url(op, url)
   for _, p in ipairs(op.pathParams) do
      if p.name == "accessTokenIdentifier" then
         return (url:gsub("/[^/?]*(%??[^/]*)$", "/[redacted]%1"))
      end
   end
   return url
end

---------------------------------------------------------------- one call

-- The answer to the last attempt, as a result or an error.
local function finish(name, status, rheaders, rbody, sent, attempts, secret)
   if not status then
      return nil, errors.transport(rheaders, rbody, sent, { operation = name, attempts = attempts }, secret)
   end
   local result, details = core.parse(name, status, rheaders["content-type"], rbody)
   if result ~= nil then return result end
   details.headers = rheaders
   details.attempts = attempts
   return nil, errors.new(details, secret)
end

-- How long to wait before attempt number `attempt` + 1, or nil: no retry.
-- Retry-After is read only for a status the policy retries.
local function retry_wait(policy, status, rheaders, sent, unsafe, attempt)
   if status then
      if not retry.status_retryable(policy, status) then return nil end
      local after = retry.after_ms(rheaders["retry-after"])
      if retry.status_allows(policy, status, unsafe, after) then return retry.backoff_ms(policy, attempt - 1, after) end
   elseif retry.failure_allows(policy, rheaders, sent, unsafe) then
      return retry.backoff_ms(policy, attempt - 1)
   end
   return nil
end

-- One call is four steps, each a function below, read top to bottom:
--   1. prepare: check and encode the request, make the URL, headers and
--      secret; whatever fails here fails before a byte is sent;
--   2. await_pause: a pause Authlete asked for is waited out, or ends the
--      call with nothing sent;
--   3. send_with_retries: attempts, with the hooks around each, until one
--      is the last;
--   4. answer: that attempt's answer as the result or a scrubbed error.
-- What a step needs is in its parameters: a table carrying the call's
-- state from step to step cost every call 4-7 % more instructions.

-- Step 1. Returns what the transport sends (method, url, headers, body,
-- resend_safe), the pause key (base, path), the secret the errors scrub
-- and the checked call options; or nil and the error.
local function prepare(self, name, request, call_opts)
   local co = options.call(name, call_opts)
   -- resend_safe: the operations table's word on sending this request again
   -- once it may have reached the server (create never; update not with
   -- accessTokenValueUpdated, which gives the token yet another value)
   local method, path, query, body, resend_safe = core.prepare(name, request, self.defaults)
   if not method then
      path.operation = name
      return nil, errors.new(path)
   end
   local cfg = self.cfg
   local ready, why = self.transport:ready() -- the ngx transport, say, in a phase without cosockets
   if not ready then return nil, errors.new({ kind = "InvalidRequestError", operation = name, message = why }) end
   local auth, aerr = authorization(cfg)
   if aerr then
      aerr.operation = name
      return nil, aerr
   end
   local secret = auth and (auth == cfg.fixed_authorization and self.fixed_secret or auth:sub(8))
   if method == "POST" and not body then body = "" end -- reissueIdToken without a body
   local base = co.server_url or cfg.server_url
   local url = base .. path .. (query and ("?" .. query) or "")
   return method, url, self:request_headers(body ~= nil, auth, co.headers), body, resend_safe, base, path, secret, co
end

-- Step 2. `paused`: the ms left of a pause Authlete asked for (pause.lua).
-- The call waits it out when it may retry and the pause ends in time.
-- Returns the time after waiting, or nil and a PausedError.
local function await_pause(self, name, policy, paused, now, deadline)
   if not (policy.strategy == "backoff" and now + paused < deadline and paused <= policy.max_elapsed_time) then
      return nil, errors.new({ kind = "PausedError", operation = name, attempts = 0, retryAfterMs = ceil(paused),
         message = ("Authlete asked for a pause of which %d ms remain; nothing was sent"):format(ceil(paused)) })
   end
   self.transport:sleep(paused)
   return self.transport:now_ms()
end

-- Step 4. The last attempt's answer: the result or the error (scrubbed),
-- the answer's metadata when the call options ask for it, and the error a
-- raising after_response hook left.
local function answer(name, co, status, rheaders, rbody, sent, attempt, secret, hook_error)
   if not hook_error and not co.response then return finish(name, status, rheaders, rbody, sent, attempt, secret) end
   local result, err = finish(name, status, rheaders, rbody, sent, attempt, secret)
   if co.response then -- the answer's metadata, asked for with { response = {} }
      local r = co.response
      r.status, r.attempts = status, attempt
      r.headers = status and errors.scrub_headers(rheaders, secret) or nil
   end
   if err and hook_error then err.hook_error = hook_error end
   return result, err, hook_error
end

-- Step 3. Attempts until one is the last: no retry wanted, or the wait
-- would pass the deadline or max_elapsed_time. Then step 4.
local function send_with_retries(self, name, co, policy, method, url, headers, body, resend_safe, base, path,
                                 secret, start, now, deadline)
   local t, hooks = self.transport, self.cfg.hooks
   local retries, unsafe = policy.strategy == "backoff", not resend_safe
   local shown_url = (hooks.before_request or hooks.after_response) and redacted_url(BY_NAME[name], url)
   local attempt, hook_error = 0, nil
   while true do
      attempt = attempt + 1
      local remaining = floor(deadline - now)
      if remaining < 1 then
         return nil, errors.new({ kind = "RequestTimeoutError", operation = name, attempts = attempt - 1,
            message = ("the call's deadline of %d ms passed"):format(co.timeout_ms or self.cfg.timeout_ms) }, secret)
      end
      if hooks.before_request then
         hooks.before_request({ operation = name, method = method, url = shown_url,
                                headers = redacted_headers(headers), attempt = attempt })
      end
      local status, rheaders, rbody, sent = t:perform(method, url, headers, body, remaining,
         min(self.cfg.connect_timeout_ms, remaining), resend_safe)
      if (status == 429 or status == 503) and rheaders["retry-after"] then
         local after = retry.after_ms(rheaders["retry-after"])
         if after then self.pauses:set(base, path, after) end
      end
      local wait = retries and retry_wait(policy, status, rheaders, sent, unsafe, attempt) or nil
      if wait or hooks.after_response then now = t:now_ms() end -- else no one asks the time
      if hooks.after_response then
         -- The answer is in (a create's token may be minted): a raising
         -- hook must not lose it. Its error comes back beside the result.
         local ok, herr = pcall(hooks.after_response, { operation = name, method = method, url = shown_url,
            attempt = attempt, elapsed_ms = now - start, status = status, error = not status and rheaders or nil,
            -- scrubbed: a server or proxy may echo the bearer back
            headers = status and errors.scrub_headers(rheaders, secret) or nil })
         if not ok and not hook_error then
            hook_error = errors.new({ kind = "HookError", operation = name, attempts = attempt, cause = herr,
               message = "hooks.after_response raised: " .. tostring(herr) }, secret)
         end
      end
      if not wait or now + wait >= deadline or now - start + wait > policy.max_elapsed_time then
         return answer(name, co, status, rheaders, rbody, sent, attempt, secret, hook_error)
      end
      t:sleep(wait)
      now = t:now_ms()
   end
end

--- Run operation `name`. Returns the result, or nil and an error object
--- (and a hook's error when hooks.after_response raised).
function Client:call(name, request, call_opts)
   if self.closed then error("attempt to use a closed authlete client", 2) end
   local method, url, headers, body, resend_safe, base, path, secret, co = prepare(self, name, request, call_opts)
   if not method then return nil, url end -- the error
   local start = self.transport:now_ms()
   local deadline, now = start + (co.timeout_ms or self.cfg.timeout_ms), start
   local policy = co.retry or self.cfg.retry
   local paused = self.pauses:remaining(base, path)
   if paused then
      local err
      now, err = await_pause(self, name, policy, paused, now, deadline)
      if not now then return nil, err end
   end
   return send_with_retries(self, name, co, policy, method, url, headers, body, resend_safe, base, path, secret,
      start, now, deadline)
end

---------------------------------------------------------------- paging

--- An iterator over every AccessToken a list request matches, fetching
--- pages of 20 (the server's largest window) as it goes. `start` and `end`
--- in the request bound the whole walk. Raises the error object on failure.
function Client:each(request, call_opts)
   if request ~= nil and type(request) ~= "table" then
      error(errors.new({ kind = "SDKValidationError", operation = "list", field = "",
                         message = "request: expected table, got " .. type(request) }), 2)
   end
   local page_request = {}
   for k, v in pairs(request or {}) do page_request[k] = v end
   local pos, last = page_request.start or 0, page_request["end"]
   local page, i, total = nil, 0, nil
   return function()
      while true do
         if page and i < #page then
            i = i + 1
            return page[i]
         end
         if page and (#page == 0 or (total and pos >= total)) then return nil end
         if last and pos >= last then return nil end
         page_request.start = pos
         page_request["end"] = last and min(pos + PAGE, last) or pos + PAGE
         local res, err = self:call("list", page_request, call_opts)
         if not res then error(err, 0) end
         page, i, total = res.accessTokens or {}, 0, res.totalCount
         pos = page_request["end"]
      end
   end
end

---------------------------------------------------------------- the client

--- The token.management table of functions, calling the client that
--- client_of() returns: a client's own (itself), or the module's default
--- client (authlete.token.management, made on first use). `where` names it
--- in the dot-not-colon error.
function Client.namespace(client_of, where)
   local ns = {}
   for _, op in ipairs(OPERATIONS) do
      local name = op.name
      ns[name] = function(request, call_opts)
         if rawequal(request, ns) then
            error(("call %s.%s{…} with a dot, not a colon"):format(where, name), 2)
         end
         return client_of():call(name, request, call_opts)
      end
   end
   ns.each = function(request, call_opts)
      if rawequal(request, ns) then error(("call %s.each{…} with a dot, not a colon"):format(where), 2) end
      return client_of():each(request, call_opts)
   end
   return ns
end

function Client.new(opts)
   local cfg = options.client(opts)
   local self = setmetatable({ cfg = cfg }, Client)
   self.defaults = cfg.service_id and { serviceId = cfg.service_id } or nil
   self.user_agent = cfg.user_agent or ("lua-authlete/%s (%s)"):format(core._VERSION, _VERSION)
   self.header_cache = new_header_cache()
   if type(cfg.bearer) == "string" then
      -- A fixed, valid bearer is checked and prefixed once, not per call (an
      -- invalid one keeps failing each call with InvalidRequestError).
      local auth, err = authorization(cfg)
      if not err then cfg.fixed_authorization, self.fixed_secret = auth, auth and auth:sub(8) end
   end
   self.transport = transports.new(cfg, cfg.given)
   local t = self.transport
   self.pauses = pause.store(cfg, function() return t:now_ms() end)
   self.token = { management = Client.namespace(function() return self end, "client.token.management") }
   return self
end

--- Release the client's connections. Safe to call twice.
function Client:close()
   if not self.closed then
      self.closed = true
      self.transport:close()
   end
end

Client.__close = Client.close

return Client
