-- Run by reentrancy_spec.lua in a process of its own:
--   <lua> reentrancy_child.lua MODE [LIST_URL BEARER]
-- MODE: core | request | perform | multi | close. Prints one line:
--   finalizers=N inside=N wrong=N
-- `inside`: finalizer runs while the outer C call was on the stack;
-- `wrong`: outer or finalizer results that differ from the expected ones.
--
-- The collector is set to run a whole cycle at every allocation (pause 1,
-- a huge step), so every allocation inside a C function calls the
-- finalizers armed in the cycle before: each one calls the module again
-- (on the very session the outer call uses) and arms a successor. A small
-- process keeps such cycles cheap; busted's heap would make them slow.
local core = require("authlete.core")
local curl = require("authlete.curl")

local mode, list_url, bearer = arg[1], arg[2], arg[3]
local newproxy = rawget(_G, "newproxy")

local runs, inside, wrong, in_outer, armed = 0, 0, 0, false, true

-- A finalizer that runs hostile() and arms its successor first (so an
-- error in hostile does not end the chain). LuaJIT and Lua 5.1 call __gc
-- of userdata only.
local function arm(hostile)
   local function fin()
      if not armed then return end -- finished: lua_close runs the rest
      arm(hostile)
      runs = runs + 1
      if in_outer then inside = inside + 1 end
      local ok = pcall(hostile)
      if not ok then wrong = wrong + 1 end
   end
   if newproxy then
      local u = newproxy(true)
      getmetatable(u).__gc = fin
   else
      setmetatable({}, { __gc = fin })
   end
end

local function run(hostile, outer, n)
   for _ = 1, 16 do arm(hostile) end
   if _VERSION == "Lua 5.1" then -- LuaJIT and PUC Lua 5.1
      collectgarbage("setpause", 1)
      collectgarbage("setstepmul", 100000)
   else
      collectgarbage("incremental", 1, 1000, 30)
   end
   collectgarbage() -- the new pause takes effect from the end of a cycle
   for i = 1, n do
      in_outer = true
      local ok = outer(i)
      in_outer = false
      if not ok then wrong = wrong + 1 end
   end
   armed = false
   print(("finalizers=%d inside=%d wrong=%d"):format(runs, inside, wrong))
end

local function pack(...) return { n = select("#", ...), ... } end

-- Two values equal all the way down.
local function same(a, b)
   if type(a) ~= "table" or type(b) ~= "table" then return a == b end
   for k, v in pairs(a) do if not same(v, b[k]) then return false end end
   for k in pairs(b) do if a[k] == nil then return false end end
   return true
end

-- A list answer with escapes in every string, so the decoder builds them
-- in its scratch buffer.
local function list_body(n, tag)
   local tokens = {}
   for i = 1, n do
      tokens[i] = ('{"accessTokenHash":"h\\u00e9%s-%d","clientId":%d,"subject":"s\\"%s\\"%d",' ..
         '"scopes":["a\\/%d","b\\n"],"accessTokenExpiresAt":%d}'):format(tag, i, 1000 + i, tag, i, i, 1700000000 + i)
   end
   return ('{"start":0,"end":%d,"totalCount":%d,"accessTokens":[%s]}'):format(n, n, table.concat(tokens, ","))
end

-- `kib` KiB of scopes: past the scratch buffer's 4 KiB (and, for the outer
-- call, past the 256 KiB it keeps between calls), so the buffer grows, and
-- allocates, in the middle of every call.
local function create_request(subject, kib)
   local scopes = { "x\"y" }
   for i = 2, kib + 1 do scopes[i] = subject .. ("-scope-"):rep(146) end
   return { serviceId = "715948317", tokenCreateRequest = { grantType = "CLIENT_CREDENTIALS", clientId = 1234,
      subject = subject, scopes = scopes, properties = { { key = "k\n", value = subject:rep(40) } } } }
end

if mode == "core" then
   -- escaped strings longer than the scratch keeps, for the same reason
   local outer_body = list_body(12, "outer" .. ("\\n"):rep(150000))
   local inner_body = list_body(5, "inner" .. ("\\t"):rep(3000))
   local outer_req, inner_req = create_request("outer", 300), create_request("inner", 8)
   local want = { prepare = pack(core.prepare("create", outer_req)),
                  parse = core.parse("list", 200, "application/json", outer_body) }
   local want_inner = { prepare = pack(core.prepare("create", inner_req)),
                        parse = core.parse("list", 200, "application/json", inner_body) }
   run(function()
      local got = { prepare = pack(core.prepare("create", inner_req)),
                    parse = core.parse("list", 200, "application/json", inner_body) }
      assert(same(got, want_inner))
   end, function()
      return same({ prepare = pack(core.prepare("create", outer_req)),
                    parse = core.parse("list", 200, "application/json", outer_body) }, want)
   end, 10)
   return
end

-- The curl modes: the answers differ by their window, so whose answer
-- arrived shows.
local AUTH = { Authorization = "Bearer " .. bearer }
local outer_url, inner_url = list_url .. "?start=0&end=5", list_url .. "?start=3&end=4"
local session, multi = curl.session(), curl.multi()

local function inner_request()
   local status, headers, body = session:request({ url = inner_url, headers = AUTH })
   assert(status == 200 and body:find('"start":3', 1, true) and headers["content-type"])
end

local function own_answer(status, ctype, body)
   return status == 200 and ctype ~= nil and body:find('"start":0', 1, true) ~= nil
end

local OUTER = {
   request = function()
      local status, headers, body = session:request({ url = outer_url, headers = AUTH })
      return own_answer(status, status and headers["content-type"], body)
   end,
   perform = function()
      local status, headers, body = session:perform("GET", outer_url, AUTH)
      return own_answer(status, status and headers["content-type"], body)
   end,
   multi = function()
      multi:start(session, "GET", outer_url, AUTH)
      local r
      repeat
         multi:poll(100)
         r = pack(session:result())
      until r.n > 0
      return own_answer(r[1], r[1] and r[2]["content-type"], r[3])
   end,
}

if mode == "close" then
   -- A finalizer closes the session the outer call is using: the outer
   -- call either finishes with its own answer or raises "closed session".
   local closed_seen = false
   run(function() session:close() end, function()
      local ok, status, headers, body = pcall(session.request, session, { url = outer_url, headers = AUTH })
      if not ok then
         closed_seen = closed_seen or tostring(status):find("closed session", 1, true) ~= nil
         return closed_seen
      end
      return own_answer(status, headers["content-type"], body)
   end, 3)
   return
end

run(function()
   -- the multi mode's transfer may be running on the session: then the
   -- session refuses (an error, not a wrong answer)
   local ok, err = pcall(inner_request)
   if not ok and not tostring(err):find("multi handle", 1, true) then error(err) end
end, OUTER[mode], 30)
