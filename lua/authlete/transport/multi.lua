--- Many calls at once in plain Lua: coroutines over one libcurl multi handle.
---
---   local multi = require("authlete.transport.multi").new()
---   local client = authlete.new{ transport = multi, … }
---   multi:run(function(worker) … client.token.management.create{…} … end, 8)
---
--- Each coroutine's call waits for its transfer by yielding; run() drives
--- the transfers and resumes each coroutine with its answer. The client's
--- pipeline (validation, retries, errors) is the same as with "curl": this
--- is only a transport. A call takes a session from a pool for its transfer
--- and gives it back when the answer is in, so sessions number at most the
--- calls in flight at once, however many tasks ever ran; the multi handle
--- shares the connections among them.
local curl = require("authlete.curl")

local Multi = {}
Multi.__index = Multi

local co_running, co_resume, co_status, co_yield = coroutine.running, coroutine.resume, coroutine.status, coroutine.yield
local compat = require("authlete.compat")
local pack, unpack = compat.pack, compat.unpack -- LuaJIT has neither in table

-- The session options a client's options decide (as the libcurl transport's).
local SESSION_OPTIONS = { "ssl_verify", "ca_file", "proxy", "no_proxy", "max_response_bytes", "connect_timeout_ms" }

local function key_of(opts)
   local parts = {}
   for i, name in ipairs(SESSION_OPTIONS) do parts[i] = tostring(opts[name]) end
   return table.concat(parts, "\0")
end

--- opts: curl.session options for the sessions (ssl_verify, ca_file, …);
--- a client's own options win where it sets them (see bind).
function Multi.new(opts)
   opts = opts or {}
   return setmetatable({ multi = curl.multi(), opts = opts, key = key_of(opts), all = {}, idle = {},
                         waiting = {}, sleeping = {} }, Multi)
end

-- A session with options `opts` for one transfer: an idle one, or a new one.
local function take_session(self, key, opts)
   local idle = self.idle[key]
   local s = idle and idle[#idle]
   if s then
      idle[#idle] = nil
      return s
   end
   s = curl.session(opts)
   self.all[s] = key
   return s
end

-- Put the session back in its pool; returns the rest of its arguments.
local function give_back(self, s, ...)
   local key = self.all[s]
   local idle = self.idle[key] or {}
   self.idle[key] = idle
   idle[#idle + 1] = s
   return ...
end

--- How many sessions exist and how many of them are idle (for specs and
--- for programs that watch their resources).
function Multi:stats()
   local n, idle = 0, 0
   for _ in pairs(self.all) do n = n + 1 end
   for _, list in pairs(self.idle) do idle = idle + #list end
   return { sessions = n, idle = idle }
end

--- The transport contract (authlete.transport): a client given this
--- object gets a view of it that sends with the client's own options
--- (ssl_verify, ca_file, proxy, max_response_bytes, connect_timeout_ms),
--- sharing the multi handle's connections where the options agree.
local Bound = {}
Bound.__index = Bound

function Multi:bind(cfg, given)
   for _, option in ipairs({ "pool_size", "keepalive_timeout" }) do
      if given[option] then
         error(("authlete.new: option '%s' is not supported by transport authlete.transport.multi "
            .. "(libcurl's multi handle keeps its own connections)"):format(option), 0)
      end
   end
   local opts = {}
   for _, name in ipairs(SESSION_OPTIONS) do
      local own = self.opts[name]
      if given[name] and own ~= nil and own ~= cfg[name] then
         error(("authlete.new: option '%s' is %s for the client but %s in its multi transport's options")
            :format(name, tostring(cfg[name]), tostring(own)), 0)
      end
      if given[name] or own == nil then opts[name] = cfg[name] else opts[name] = own end
   end
   return setmetatable({ parent = self, opts = opts, key = key_of(opts) }, Bound)
end

function Bound:perform(...)
   return self.parent:send(self.key, self.opts, ...)
end

function Bound.ready() return true end
function Bound:sleep(ms) return self.parent:sleep(ms) end
Bound.now_ms = function() return curl.now_ms() end
-- The multi handle is its creator's to close (several clients may share it).
function Bound.close() end

-- Outside a task (no coroutine to yield), a call simply waits for itself.
local function in_task()
   local co, main = co_running()
   return co ~= nil and not main
end

--- The transport contract (authlete.transport): a task's call yields until
--- run() has its answer.
function Multi:perform(...)
   return self:send(self.key, self.opts, ...)
end

function Multi.ready() return true end

-- One transfer on a session with options `opts` (pooled under `key`).
function Multi:send(key, opts, method, url, headers, body, timeout_ms, connect_timeout_ms, idempotent)
   local s = take_session(self, key, opts)
   local ok, err = pcall(self.multi.start, self.multi, s, method, url, headers, body, timeout_ms,
                         connect_timeout_ms, idempotent)
   if not ok then
      give_back(self, s)
      error(err, 2)
   end
   if not in_task() then
      while true do
         self.multi:poll(200)
         local r = pack(s:result())
         if r.n > 0 then return give_back(self, s, unpack(r, 1, r.n)) end
      end
   end
   self.waiting[s] = { co = co_running() } -- (multi:start pins the body until it is sent)
   return give_back(self, s, co_yield())
end

function Multi:sleep(ms)
   if not in_task() then return curl.sleep(ms) end
   self.sleeping[co_running()] = curl.now_ms() + ms
   co_yield()
end

Multi.now_ms = function() return curl.now_ms() end

function Multi:close()
   for s in pairs(self.all) do s:close() end
   self.all, self.idle, self.waiting, self.sleeping = {}, {}, {}, {}
   self.multi:close()
end

--- Run task(i) for i = 1..workers, each in its own coroutine, until all
--- have returned. A task that raises ends alone: the others run to their
--- end, and then the first error is raised here (so no transfer or session
--- is left behind).
function Multi:run(task, workers)
   local cos, first_error = {}, nil
   local function resume(co, ...)
      local ok, err = co_resume(co, ...)
      if not ok and not first_error then first_error = err end
   end
   for i = 1, workers do
      cos[i] = coroutine.create(task)
      resume(cos[i], i)
   end
   while true do
      local alive = false
      for _, co in ipairs(cos) do alive = alive or co_status(co) ~= "dead" end
      if not alive then
         if first_error then error(first_error, 0) end
         return
      end
      local now, wake, ready = curl.now_ms(), nil, {}
      for co, t in pairs(self.sleeping) do
         if t <= now then ready[#ready + 1] = co else wake = math.min(wake or t, t) end
      end
      for _, co in ipairs(ready) do
         self.sleeping[co] = nil
         resume(co)
      end
      if next(self.waiting) then
         self.multi:poll(wake and math.max(0, wake - curl.now_ms()) or 200)
         local done = {}
         for s, w in pairs(self.waiting) do
            local r = pack(s:result())
            if r.n > 0 then done[#done + 1] = { s, w.co, r } end
         end
         for _, d in ipairs(done) do
            self.waiting[d[1]] = nil
            resume(d[2], unpack(d[3], 1, d[3].n))
         end
      elseif wake then
         curl.sleep(math.max(0, wake - curl.now_ms()))
      elseif #ready == 0 then
         error("a task is waiting for something other than a transfer or a sleep", 0)
      end
   end
end

return Multi
