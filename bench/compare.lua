--- The comparison benchmark: per-call cost of this module against the floor
--- (a plain C libcurl loop), a hand-rolled LuaSocket + cjson client, and the
--- official TypeScript SDK; plus marshalling alone. Server and clients are
--- pinned to one CPU (a loopback round trip between CPUs costs ~90 µs more
--- on these machines); each client measures inside its own process after a
--- warm-up (median of batches), and the clients take turns over several rounds.
---   lua5.4 bench/compare.lua [rounds]
local ROUNDS = tonumber(arg[1]) or 5
local CPU = "taskset -c 0 "
local ENV = "env LUA_PATH='./lua/?.lua;./lua/?/init.lua;;' LUA_CPATH='./build/lua5.4/?.so;;' "

local function sh(cmd)
   local p = io.popen(cmd .. " 2>&1")
   local out = p:read("a")
   local ok = p:close()
   return out, ok
end

local server = dofile("bench/static_server.lua")()
local base, connections_per_1000 = server.base, server.connections_per_1000

-- Fewer calls per run and more rounds: these machines' speed drifts over
-- seconds, so every ratio is taken within a round, between runs made one
-- after the other, and the report gives the median over the rounds. The
-- clients compared at the 15 % level run twice per round, taking turns, and
-- keep the faster run: a slow stretch of the machine only ever adds time.
local CLIENTS = {
   { name = "raw_curl", cmd = "build/bench/raw_curl", calls = 1000, runs = 2 },
   { name = "authlete", cmd = ENV .. "lua5.4 bench/clients/authlete.lua", calls = 1000, runs = 2 },
   { name = "curl_cjson", cmd = ENV .. "lua5.4 bench/clients/curl_cjson.lua", calls = 1000, runs = 2 },
   { name = "naive", cmd = ENV .. "lua5.4 bench/clients/naive.lua", calls = 300, runs = 1 },
   { name = "sdk", cmd = "node bench/clients/sdk.mjs", calls = 300, runs = 1 },
}
local OPS = { "list2", "list20", "create" }

local function run(cmd)
   local out, ok = sh(CPU .. cmd)
   local us, rss = out:match("us=([%d.]+) rss_kib=(%d+)")
   assert(ok and us, cmd .. " failed:\n" .. out)
   return tonumber(us), tonumber(rss)
end

local results = {} -- key -> { us = { [round] = µs }, rss = max, conns = max }
local function record(key, us, rss, conns)
   local r = results[key] or { us = {}, rss = 0, conns = 0 }
   r.us[#r.us + 1] = us
   r.rss = math.max(r.rss, rss)
   r.conns = math.max(r.conns, conns or 0)
   results[key] = r
end

local function median_of(t)
   table.sort(t)
   return t[(#t + 1) // 2]
end

--- The median over the rounds of value(us), us(key) giving that round's µs.
local function per_round(value)
   local t = {}
   for round = 1, ROUNDS do t[round] = value(function(key) return results[key].us[round] end) end
   return median_of(t)
end

local function median(key)
   return per_round(function(us) return us(key) end)
end

--- The rounds' median of a's µs ÷ b's.
local function ratio(a, b)
   return per_round(function(us) return us(a) / us(b) end)
end

local function marshal(what)
   local calls = what:find("list20") and 2000 or 10000
   local cmd = ("%slua5.4 bench/clients/marshal.lua %s %d 5"):format(ENV, what, calls)
   local us, rss = run(cmd)
   record("marshal:" .. what, math.min(us, (run(cmd))), rss) -- the faster of two, as the clients
end

local _, rss_small, rss_large
local function measure_all()
   for round = 1, ROUNDS do
      io.stderr:write(("round %d/%d\n"):format(round, ROUNDS))
      for _, op in ipairs(OPS) do
         local best = {} -- name -> { µs, rss, connections }
         for pass = 1, 2 do
            for _, c in ipairs(CLIENTS) do
               if pass <= c.runs then
                  connections_per_1000()
                  local us, rss = run(("%s %s %s %d 5"):format(c.cmd, base, op, c.calls))
                  local conns, b = connections_per_1000(), best[c.name]
                  best[c.name] = b and { math.min(b[1], us), math.max(b[2], rss), math.max(b[3], conns) }
                                   or { us, rss, conns }
               end
            end
         end
         for name, b in pairs(best) do record(name .. ":" .. op, b[1], b[2], b[3]) end
         marshal("decode_" .. op) -- the floor's decode, in the same stretch of time
         marshal("parse_" .. op)
         local us = function(key) return results[key].us[round] end
         io.stderr:write(("  %s: authlete %.1f µs, %.2f× floor\n"):format(op, us("authlete:" .. op),
            us("authlete:" .. op) / (us("raw_curl:" .. op) + us("marshal:decode_" .. op))))
      end
      marshal("prepare")
      marshal("encode")
   end
   -- Memory: one client, 1,000 calls against 100,000.
   _, rss_small = run(ENV .. "lua5.4 bench/clients/authlete.lua " .. base .. " list2 1000 1")
   _, rss_large = run(ENV .. "lua5.4 bench/clients/authlete.lua " .. base .. " list2 100000 1")
end

-- Whatever happens, stop nginx: an error would otherwise leave it running
-- and Lua's exit would wait for it forever (pclose).
local ok, err = pcall(measure_all)
server.stop()
if not ok then error(err, 0) end

---------------------------------------------------------------- report

local lines = {}
local function say(fmt, ...) lines[#lines + 1] = fmt:format(...) end
say("| op | client | µs per call | × raw_curl | × floor (raw_curl + cjson.decode) | connections per 1000 calls | peak RSS |")
say("|---|---|---|---|---|---|---|")
local verdicts = {}
local function verdict(what, value, met) verdicts[#verdicts + 1] = { what, value, met } end
for _, op in ipairs(OPS) do
   local raw, decode = "raw_curl:" .. op, "marshal:decode_" .. op
   local function versus_floor(key)
      return per_round(function(us) return us(key) / (us(raw) + us(decode)) end)
   end
   for _, c in ipairs(CLIENTS) do
      local key = c.name .. ":" .. op
      say("| %s | %s | %.1f | %.2f | %.2f | %.1f | %.1f MiB |", op, c.name, median(key),
         ratio(key, raw), versus_floor(key), results[key].conns, results[key].rss / 1024)
   end
   local a = "authlete:" .. op
   verdict(("authlete %s ≤ 1.15× floor"):format(op), versus_floor(a), versus_floor(a) <= 1.15)
   local in_process = ratio(a, "curl_cjson:" .. op)
   verdict(("authlete %s ≤ 1.15× the floor measured in one process (curl_cjson)"):format(op), in_process,
           in_process <= 1.15)
   verdict(("authlete %s ≥ 4× faster than naive"):format(op), ratio("naive:" .. op, a),
           ratio("naive:" .. op, a) >= 4)
   verdict(("authlete %s ≥ 8× faster than the TypeScript SDK"):format(op), ratio("sdk:" .. op, a),
           ratio("sdk:" .. op, a) >= 8)
   verdict(("authlete %s: one connection for its calls"):format(op), results[a].conns, results[a].conns <= 1)
end
say("")
say("| marshalling | µs | ratio |")
say("|---|---|---|")
local prep = ratio("marshal:prepare", "marshal:encode")
say("| core.prepare(create) vs cjson.encode | %.2f vs %.2f | %.2f |", median("marshal:prepare"),
   median("marshal:encode"), prep)
verdict("core.prepare ≤ cjson.encode", prep, prep <= 1)
for _, op in ipairs(OPS) do
   local r = ratio("marshal:parse_" .. op, "marshal:decode_" .. op)
   say("| core.parse(%s) vs cjson.decode | %.2f vs %.2f | %.2f |", op, median("marshal:parse_" .. op),
      median("marshal:decode_" .. op), r)
   if op == "list20" then verdict("core.parse of the 20-token page ≤ 1.5× cjson.decode", r, r <= 1.5) end
end
say("")
say("Peak RSS of one client: 1,000 calls %.1f MiB, 100,000 calls %.1f MiB (%+d KiB).",
   rss_small / 1024, rss_large / 1024, rss_large - rss_small)
verdict("peak RSS of 100,000 calls within 2 MiB of 1,000", (rss_large - rss_small) / 1024,
        rss_large - rss_small <= 2048)
say("")
say("| target | measured | met |")
say("|---|---|---|")
for _, v in ipairs(verdicts) do say("| %s | %.2f | %s |", v[1], v[2], v[3] and "yes" or "**no**") end
print(table.concat(lines, "\n"))
