--- Instructions per call, counted by valgrind's callgrind: unlike time, the
--- same on every run whatever else the machine is doing, so a change's
--- effect shows even where this machine's noise hides it. The clients of
--- bench/compare.lua against the same static nginx, and marshalling alone.
--- Each scenario runs twice, with two call counts; the difference divided
--- by the difference in calls leaves out start-up and warm-up.
---   lua5.4 bench/instructions.lua        (make bench-instructions, ~3 minutes)
local ENV = "env LUA_PATH='./lua/?.lua;./lua/?/init.lua;;' LUA_CPATH='./build/lua5.4/?.so;;' "
local SHORT, LONG = 200, 1200

local server = dofile("bench/static_server.lua")()

-- What measure.lua (and raw_curl) run for CALLS calls in one batch.
local function total_calls(calls) return calls // 5 + 10 + calls end

local function instructions(cmd, calls)
   local p = io.popen(("%svalgrind --tool=callgrind --callgrind-out-file=/dev/null %s %d 1 2>&1"):format(ENV, cmd,
      calls))
   local out = p:read("a")
   p:close()
   local n = out:match("Collected : (%d+)")
   assert(n, cmd .. " failed:\n" .. out)
   return tonumber(n)
end

local function per_call(cmd)
   return (instructions(cmd, LONG) - instructions(cmd, SHORT)) / (total_calls(LONG) - total_calls(SHORT))
end

local counts = {}
local function measure_all()
   for _, op in ipairs({ "list2", "list20", "create" }) do
      io.stderr:write(op, "\n")
      counts["raw_curl:" .. op] = per_call("build/bench/raw_curl " .. server.base .. " " .. op)
      for _, client in ipairs({ "authlete", "curl_cjson" }) do
         counts[client .. ":" .. op] = per_call(("lua5.4 bench/clients/%s.lua %s %s"):format(client, server.base, op))
      end
   end
   for _, what in ipairs({ "prepare", "encode", "parse_list2", "decode_list2", "parse_list20", "decode_list20",
                           "parse_create", "decode_create" }) do
      counts[what] = per_call("lua5.4 bench/clients/marshal.lua " .. what)
   end
end

local ok, err = pcall(measure_all)
server.stop()
if not ok then error(err, 0) end

local function k(n) return ("%.1fk"):format(n / 1000) end
print("| op | raw_curl | cjson.decode | floor | authlete | × floor | curl_cjson | authlete ÷ curl_cjson |")
print("|---|---|---|---|---|---|---|---|")
for _, op in ipairs({ "list2", "list20", "create" }) do
   local raw, decode, mine, thin = counts["raw_curl:" .. op], counts["decode_" .. op], counts["authlete:" .. op],
      counts["curl_cjson:" .. op]
   print(("| %s | %s | %s | %s | %s | %.2f | %s | %.2f |"):format(op, k(raw), k(decode), k(raw + decode), k(mine),
      mine / (raw + decode), k(thin), mine / thin))
end
print("")
print("| marshalling | authlete.core | lua-cjson | ratio |")
print("|---|---|---|---|")
print(("| prepare(create) vs encode | %s | %s | %.2f |"):format(k(counts.prepare), k(counts.encode),
   counts.prepare / counts.encode))
for _, op in ipairs({ "list2", "list20", "create" }) do
   local p, d = counts["parse_" .. op], counts["decode_" .. op]
   print(("| parse(%s) vs decode | %s | %s | %.2f |"):format(op, k(p), k(d), p / d))
end
