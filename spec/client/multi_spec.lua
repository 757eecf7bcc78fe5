-- authlete.transport.multi keeps no more sessions than calls in flight, and
-- a task that raises strands neither the other tasks nor their sessions.
local authlete = require("authlete")
local Multi = require("authlete.transport.multi")
local helper = require("spec.helpers.mock")

-- Open file descriptors of this process (sockets included).
local function open_fds()
   local p = io.popen("ls /proc/" .. (io.open("/proc/self/stat"):read("*l"):match("^(%d+)")) .. "/fd | wc -l")
   local n = tonumber(p:read("*a"))
   p:close()
   return n
end

describe("authlete.transport.multi", function()
   local mock, multi, client
   setup(function() mock = helper.start() end)
   teardown(function() mock:stop() end)
   before_each(function()
      multi = Multi.new()
      client = authlete.new({ bearer = helper.BEARER, server_url = mock.url, service_id = mock.service_id,
                              transport = multi })
   end)
   after_each(function() multi:close() end)

   it("reuses its sessions over 1,000 runs: no more than calls at once, no growing descriptors", function()
      local function one_run()
         multi:run(function()
            assert(client.token.management.list({}))
         end, 4)
      end
      for _ = 1, 20 do one_run() end -- connections opened and settled
      local fds = open_fds()
      for _ = 1, 1000 do one_run() end
      local stats = multi:stats()
      assert.is_true(stats.sessions <= 4, "sessions: " .. stats.sessions)
      assert.are.equal(stats.sessions, stats.idle)
      assert.is_true(open_fds() <= fds + 2, ("descriptors: %d before, %d after"):format(fds, open_fds()))
   end)

   it("a task that raises lets the others finish, then raises its error", function()
      local done = {}
      local ok, err = pcall(multi.run, multi, function(i)
         if i == 2 then error("task 2 broke", 0) end
         done[i] = assert(client.token.management.list({})).totalCount
      end, 4)
      assert.is_false(ok)
      assert.are.equal("task 2 broke", err)
      assert.are.same({ [1] = 0, [3] = 0, [4] = 0 }, done)
      local stats = multi:stats()
      assert.are.equal(stats.sessions, stats.idle) -- none left mid-transfer
      -- and the transport goes on working
      multi:run(function() assert(client.token.management.list({})) end, 2)
   end)

   it("a task that raises after its call leaves nothing waiting", function()
      local ok = pcall(multi.run, multi, function(i)
         assert(client.token.management.list({}))
         if i % 2 == 0 then error("after the call", 0) end
      end, 6)
      assert.is_false(ok)
      assert.are.same({}, multi.waiting)
      local stats = multi:stats()
      assert.are.equal(stats.sessions, stats.idle)
   end)
end)
