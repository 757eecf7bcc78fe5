--- A cooperative scheduler over LuaSocket's select.
--
-- Every connection of the mock runs in its own coroutine. A coroutine that
-- must wait for a socket or for time yields to the loop, so a delayed or slow
-- request never stalls another client. All sockets are non-blocking.
local compat = require("authlete.compat")
local socket = require("authlete.mock.socket")

local Loop = {}
Loop.__index = Loop

local gettime, select = socket.gettime, socket.select
local co_create, co_resume, co_running, co_status, co_yield =
   coroutine.create, coroutine.resume, coroutine.running, coroutine.status, coroutine.yield

function Loop.new()
   return setmetatable({
      ready = {},       -- coroutines to resume now: { co, value }
      waiting = {},     -- co -> { sock = s, mode = "r"|"w"|nil, deadline = t|nil }
      stopped = false,
      on_error = function(msg) io.stderr:write("authlete-mock: ", msg, "\n") end,
   }, Loop)
end

--- Run fn(...) in a new task.
function Loop:spawn(fn, ...)
   local args = compat.pack(...)
   local co = co_create(function() return fn(compat.unpack(args, 1, args.n)) end)
   self.ready[#self.ready + 1] = { co }
end

-- Called from inside a task: park it until the socket is ready or the deadline
-- passes. Returns true when ready, false on deadline.
local function park(self, sock, mode, deadline)
   local co = co_running()
   self.waiting[co] = { sock = sock, mode = mode, deadline = deadline }
   return co_yield()
end

function Loop:wait_readable(sock, deadline) return park(self, sock, "r", deadline) end
function Loop:wait_writable(sock, deadline) return park(self, sock, "w", deadline) end

--- Sleep the current task for `seconds`.
function Loop:sleep(seconds)
   park(self, nil, nil, gettime() + seconds)
end

function Loop:stop()
   self.stopped = true
end

local function resume(self, co, value)
   local ok, err = co_resume(co, value)
   if not ok then
      self.on_error(debug.traceback(co, tostring(err)))
   end
   if co_status(co) == "dead" then self.waiting[co] = nil end
end

--- Run until stop() is called.
function Loop:run()
   while not self.stopped do
      local ready = self.ready
      self.ready = {}
      for _, item in ipairs(ready) do resume(self, item[1], item[2]) end

      if #self.ready == 0 then
         local readers, writers, owner = {}, {}, {}
         local now, next_deadline = gettime(), nil
         for co, w in pairs(self.waiting) do
            if w.deadline and w.deadline <= now then
               self.waiting[co] = nil
               self.ready[#self.ready + 1] = { co, false }
            else
               if w.mode == "r" then readers[#readers + 1] = w.sock
               elseif w.mode == "w" then writers[#writers + 1] = w.sock end
               if w.sock then owner[w.sock] = co end
               if w.deadline and (not next_deadline or w.deadline < next_deadline) then
                  next_deadline = w.deadline
               end
            end
         end
         if #self.ready == 0 then
            local timeout = next_deadline and math.max(0, next_deadline - now) or 1
            local r, w = select(readers, writers, timeout)
            for _, list in ipairs({ r, w }) do
               for _, s in ipairs(list) do
                  local co = owner[s]
                  if co and self.waiting[co] then
                     self.waiting[co] = nil
                     self.ready[#self.ready + 1] = { co, true }
                  end
               end
            end
         end
      end
   end
end

return Loop
