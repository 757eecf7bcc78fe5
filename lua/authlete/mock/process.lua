--- Run the mock server as a child process, for test suites.
---
--- local mock = require("authlete.mock").start{ bearer = "test-bearer" }
--- -- mock.url is "http://127.0.0.1:PORT", on a port picked at run time
--- mock:fault{ status = 503, times = 2 }
--- print(mock:stats().requests.list)
--- mock:stop()
local socket = require("authlete.mock.socket") -- first: it says when LuaSocket is missing
local socket_http = require("socket.http")
local ltn12 = require("ltn12")
local json = require("authlete.json")

local Process = {}
Process.__index = Process

local function shell_quote(s)
   return "'" .. tostring(s):gsub("'", "'\\''") .. "'"
end

-- Option name -> command-line flag.
local FLAGS = {
   host = "--host", port = "--port", bearer = "--bearer", service_id = "--service-id",
   seed_file = "--seed", latency_ms = "--latency-ms", error_style = "--error-style",
   idle_timeout_ms = "--idle-timeout-ms", rate_limit = "--rate-limit", rate_burst = "--rate-burst",
   request_id_header = "--request-id-header",
}
-- Switches on by default, and the flag that turns each off.
local OFF_FLAGS = { revoke_keeps_records = "--revoke-drops-records",
                    revoke_counts_expired = "--revoke-counts-valid-only" }

-- A server still running when its object is collected, or when Lua exits
-- (a test that raised before it could stop it), is ended first: Lua
-- closes the server's pipe at exit, and that waits for the server, which
-- would never end. Created after the pipe, the guard is finalized before
-- it. `live.pid` is cleared by stop(), so that a reused PID is never hit.
-- (spec/helpers/servers.lua guards the other servers a spec starts.)
function Process.guard(live)
   local function finalize()
      if live.pid then os.execute("kill -TERM " .. live.pid .. " 2>/dev/null") end
   end
   local newproxy = rawget(_G, "newproxy") -- Lua 5.1 and LuaJIT finalize only userdata
   if newproxy then
      local u = newproxy(true)
      getmetatable(u).__gc = finalize
      return u
   end
   return setmetatable({}, { __gc = finalize })
end

--- Start the mock. Options: the server's (host, port, bearer, service_id,
--- seed_file, latency_ms, error_style, idle_timeout_ms, rate_limit,
--- rate_burst, request_id_header, revoke_keeps_records, revoke_counts_expired)
--- plus `command`, the
--- command that runs it (default "authlete-mock", as luarocks installs it).
--- Raises if the server does not come up.
function Process.start(opts)
   opts = opts or {}
   local parts = { opts.command or "authlete-mock" }
   local names = {}
   for k in pairs(opts) do
      if k ~= "command" then
         if not FLAGS[k] and not OFF_FLAGS[k] then error("authlete.mock.start: unknown option '" .. k .. "'", 2) end
         names[#names + 1] = k
      end
   end
   table.sort(names)
   for _, k in ipairs(names) do
      if OFF_FLAGS[k] then
         if opts[k] == false then parts[#parts + 1] = OFF_FLAGS[k] end
      else
         parts[#parts + 1] = FLAGS[k] .. " " .. shell_quote(opts[k])
      end
   end
   local errfile = os.tmpname()
   -- The shell prints its PID, then becomes the server: that PID is the server's.
   local cmd = ("echo $$; exec %s 2>%s"):format(table.concat(parts, " "), shell_quote(errfile))
   local pipe = assert(io.popen(cmd, "r"))
   local pid = pipe:read("*l")
   local first = pipe:read("*l")
   local url = first and first:match("^listening on (http://%S+)$")
   if not url then
      pipe:close()
      local f = io.open(errfile, "rb")
      local err = f and f:read("*a") or ""
      if f then f:close() end
      os.remove(errfile)
      error("authlete-mock did not start: " .. (first or "") .. err, 2)
   end
   local host, port = url:match("^http://(.-):(%d+)$")
   local live = { pid = pid }
   return setmetatable({ url = url, host = host, port = tonumber(port), live = live, guard = Process.guard(live),
                         pid = pid, pipe = pipe, errfile = errfile }, Process)
end

--- Stop the server and wait for it to exit. Safe to call twice.
function Process:stop()
   if not self.pipe then return end
   self.live.pid = nil
   os.execute("kill -TERM " .. self.pid .. " 2>/dev/null")
   self.pipe:close()
   self.pipe = nil
   os.remove(self.errfile)
end

--- What the server wrote to stderr so far (startup errors, --verbose logs).
function Process:stderr()
   local f = io.open(self.errfile, "rb")
   if not f then return "" end
   local s = f:read("*a")
   f:close()
   return s
end

-- One request to a control endpoint; returns the decoded JSON answer.
function Process:control(method, path, value)
   local body = value ~= nil and json.encode(value) or nil
   local chunks = {}
   local _, status = socket_http.request({
      url = self.url .. path, method = method,
      headers = body and { ["Content-Type"] = "application/json", ["Content-Length"] = #body } or nil,
      source = body and ltn12.source.string(body) or nil,
      sink = ltn12.sink.table(chunks),
      create = function()
         local s = socket.tcp()
         s:settimeout(10)
         return s
      end,
   })
   local decoded = json.decode(table.concat(chunks))
   if status ~= 200 then
      error(("mock %s %s: %s %s"):format(method, path, tostring(status),
         decoded and decoded.error or table.concat(chunks)), 2)
   end
   return decoded
end

--- Queue one fault (a table) or several (an array of tables).
function Process:fault(f) return self:control("POST", "/__mock/faults", f) end
function Process:clear_faults() return self:control("DELETE", "/__mock/faults") end
function Process:stats() return self:control("GET", "/__mock/stats") end
function Process:reset() return self:control("POST", "/__mock/reset") end
function Process:seed() return self:control("GET", "/__mock/seed") end
function Process:requests() return self:control("GET", "/__mock/requests") end
function Process:configure(settings) return self:control("POST", "/__mock/config", settings) end
--- Change a client's names as a list filtered by it shows them:
--- { clientId = …, clientName = …, clientNames = { { tag = "ja", value = "…" } }, … }
function Process:set_client(fields) return self:control("POST", "/__mock/clients", fields) end

Process.__gc = Process.stop
Process.__close = Process.stop

return Process
