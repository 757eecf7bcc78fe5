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
local unpack = table.unpack or rawget(_G, "unpack") -- LuaJIT has only the global

--- opts: curl.session options for the sessions (ssl_verify, ca_file, …).
function Multi.new(opts)
   return setmetatable({ multi = curl.multi(), opts = opts or {}, all = {}, idle = {}, waiting = {},
                         sleeping = {} }, Multi)
end

-- A session for one transfer: an idle one, or a new one.
local function take_session(self)
   local idle = self.idle
   local s = idle[#idle]
   if s then
      idle[#idle] = nil
      return s
   end
   s = curl.session(self.opts)
   self.all[s] = true
   return s
end

-- Put the session back in the pool; returns the rest of its arguments.
local function give_back(self, s, ...)
   self.idle[#self.idle + 1] = s
   return ...
end

--- How many sessions exist and how many of them are idle (for specs and
--- for programs that watch their resources).
function Multi:stats()
   local n = 0
   for _ in pairs(self.all) do n = n + 1 end
   return { sessions = n, idle = #self.idle }
end

-- Outside a task (no coroutine to yield), a call simply waits for itself.
local function in_task()
   local co, main = co_running()
   return co ~= nil and not main
end

--- The transport interface (as the libcurl transport, headers as the
--- header block): a task's call yields until run() has its answer.
function Multi:perform(method, url, headers, body, timeout_ms, connect_timeout_ms, idempotent)
   local s = take_session(self)
   local ok, err = pcall(self.multi.start, self.multi, s, method, url, headers, body, timeout_ms,
                         connect_timeout_ms, idempotent)
   if not ok then
      give_back(self, s)
      error(err, 2)
   end
   if not in_task() then
      while true do
         self.multi:poll(200)
         local r = table.pack(s:result())
         if r.n > 0 then return give_back(self, s, unpack(r, 1, r.n)) end
      end
   end
   -- The body stays referenced here until the transfer is done: libcurl sends it without a copy.
   self.waiting[s] = { co = co_running(), body = body }
   return give_back(self, s, co_yield())
end

--- The same with a request table; the headers come back as a table, as
--- every transport's request returns them (perform's are the header block).
function Multi:request(req)
   local status, headers, body, sent = self:perform(req.method or "GET", req.url, req.headers, req.body,
      req.timeout_ms, req.connect_timeout_ms, req.idempotent)
   if status then headers = curl.headers(headers) end
   return status, headers, body, sent
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
            local r = table.pack(s:result())
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
