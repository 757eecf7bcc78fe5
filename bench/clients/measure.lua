--- Shared by the Lua clients: run `call` CALLS times per batch after a
--- warm-up, and print "us=<median µs per call> rss_kib=<peak RSS>".
local socket = require("socket")

return function(call, calls, batches)
   for _ = 1, calls // 5 + 10 do call() end
   local per_call = {}
   for b = 1, batches do
      local t0 = socket.gettime()
      for _ = 1, calls do call() end
      per_call[b] = (socket.gettime() - t0) * 1e6 / calls
   end
   table.sort(per_call)
   local rss = 0
   for line in io.lines("/proc/self/status") do
      rss = tonumber(line:match("^VmHWM:%s+(%d+)")) or rss
   end
   print(("us=%.2f rss_kib=%d"):format(per_call[batches // 2 + 1], rss))
end
