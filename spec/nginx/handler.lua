--- nginx handlers for the specs: every operation over HTTP, calls from the
--- phases where cosockets are disabled, and a timer deferral. Configured
--- once in init_by_lua with the mock's URL and bearer.
local authlete = require("authlete")
local json = require("authlete.json")

local handler = {}
local settings
local clients = {}

function handler.configure(s)
   settings = s
end

-- Retries for the fault-matrix rows that expect them: quick, and bounded.
handler.RETRY = { strategy = "backoff", retry_connection_errors = true,
                  backoff = { initial_interval = 20, max_interval = 1500, max_elapsed_time = 5000 } }

-- One client per transport choice, size cap, retry choice and proxy
-- options, per worker, made on first use.
local function client(transport, max_response_bytes, retry, proxy, no_proxy, shared_dict)
   transport = transport or "auto"
   local key = table.concat({ transport, tostring(max_response_bytes), tostring(retry), tostring(proxy),
                              tostring(no_proxy), tostring(shared_dict) }, "/")
   if not clients[key] then
      clients[key] = authlete.new({
         proxy = proxy, no_proxy = no_proxy, shared_dict = shared_dict,
         bearer = settings.bearer, server_url = settings.url, service_id = settings.service_id,
         transport = transport ~= "auto" and transport or nil,
         max_response_bytes = max_response_bytes,
         retry_config = retry and handler.RETRY or { strategy = "none" },
      })
   end
   return clients[key]
end

local function plain_error(err)
   local out = {}
   for k, v in pairs(err) do
      if type(v) ~= "table" then out[k] = v end
   end
   out.text = tostring(err)
   return out
end

--- /call/<op>?req=<JSON request>&transport=ngx|curl&timeout_ms=N&max=N&server_url=U&retry=1&proxy=U&no_proxy=L
--- &shared_dict=NAME; the answer names the worker that made the call.
function handler.call(op)
   local args = ngx.req.get_uri_args()
   local request = args.req and assert(json.decode(args.req)) or {}
   local c = client(args.transport, tonumber(args.max), args.retry == "1", args.proxy, args.no_proxy, args.shared_dict)
   local res, err = c.token.management[op](request,
      { timeout_ms = tonumber(args.timeout_ms), server_url = args.server_url })
   ngx.header.content_type = "application/json"
   if res ~= nil then
      ngx.say(json.encode({ ok = true, result = res, worker = ngx.worker.id() }))
   else
      ngx.say(json.encode({ ok = false, error = plain_error(err), worker = ngx.worker.id() }))
   end
end

--- A call from the log phase (refused, naming the phase), and the same
--- call deferred to a timer (which works).
function handler.from_log()
   local results = ngx.shared.results
   local _, err = client().token.management.list({})
   results:set("log", err and tostring(err) or "no error")
   ngx.timer.at(0, function()
      local res, terr = client().token.management.list({})
      results:set("timer", res and ("totalCount=" .. res.totalCount) or tostring(terr))
   end)
end

--- A call straight from init_worker (refused) and from a timer it starts.
function handler.from_init_worker()
   local results = ngx.shared.results
   local _, err = client().token.management.list({})
   results:set("init_worker", err and tostring(err) or "no error")
end

function handler.result()
   ngx.say(ngx.shared.results:get(ngx.var.arg_key) or "(none)")
end

return handler
