--- Command-line arguments: --name value, --name=value, flags, repeatable
--- options and positional arguments, checked against a command's spec.
--- Only "--" starts an option: a token or hash may well begin with "-".
--- After a lone "--" everything is positional (a token beginning with "--").
local args = {}

--- A usage error: main() prints it with the command's help and exits 2.
function args.usage(message)
   error({ usage = message }, 0)
end

--- spec: { name = "value" | "flag" | "list" }. Returns options, positionals.
function args.parse(argv, spec)
   local opts, positional, i = {}, {}, 1
   while i <= #argv do
      local a = argv[i]
      if a == "--" then
         for j = i + 1, #argv do positional[#positional + 1] = argv[j] end
         break
      end
      local name, inline = a:match("^%-%-([%w-]+)=(.*)$")
      name = name or a:match("^%-%-([%w-]+)$")
      if name then
         local kind = spec[name]
         if not kind then args.usage("unknown option --" .. name) end
         if kind == "flag" then
            if inline then args.usage("--" .. name .. " takes no value") end
            opts[name] = true
         else
            local value = inline
            if value == nil then
               i = i + 1
               value = argv[i]
               if value == nil then args.usage("--" .. name .. " needs a value") end
            end
            if kind == "list" then
               opts[name] = opts[name] or {}
               table.insert(opts[name], value)
            else
               opts[name] = value
            end
         end
      else -- tokens and hashes may begin with "-" (base64url): only "--" starts an option
         positional[#positional + 1] = a
      end
      i = i + 1
   end
   return opts, positional
end

--- Scopes given as repeated --scope options, each possibly "a b" or "a,b".
function args.words(list)
   local out = {}
   for _, v in ipairs(list or {}) do
      for w in v:gmatch("[^%s,]+") do out[#out + 1] = w end
   end
   return out
end

--- k=v pairs (--property) as Authlete properties.
function args.properties(list)
   local out = {}
   for _, kv in ipairs(list or {}) do
      local k, v = kv:match("^([^=]+)=(.*)$")
      if not k then args.usage("--property needs key=value, got '" .. kv .. "'") end
      out[#out + 1] = { key = k, value = v }
   end
   return out
end

--- A client: an integer is a client ID, anything else an identifier (alias).
function args.client(value)
   local id = value:match("^%d+$") and math.tointeger(tonumber(value))
   if id then return id, nil end
   return nil, value
end

--- A time as epoch milliseconds: "+3600" (seconds from now),
--- "2026-12-01T10:00:00Z" (UTC), or an epoch in seconds.
function args.time_ms(value)
   local plus = value:match("^%+(%d+)$")
   if plus then return (os.time() + tonumber(plus)) * 1000 end
   local y, mo, d, h, mi, s = value:match("^(%d%d%d%d)%-(%d%d)%-(%d%d)T(%d%d):(%d%d):(%d%d)Z$")
   if y then
      local t = os.time({ year = tonumber(y), month = tonumber(mo), day = tonumber(d), hour = tonumber(h),
                          min = tonumber(mi), sec = tonumber(s) })
      local now = os.time()
      return (t + os.difftime(now, os.time(os.date("!*t", now)))) * 1000
   end
   if value:match("^%d+$") then return math.tointeger(tonumber(value)) * 1000 end
   args.usage("expected a time: +SECONDS, YYYY-MM-DDTHH:MM:SSZ or epoch seconds, got '" .. value .. "'")
end

return args
