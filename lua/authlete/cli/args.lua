--- Command-line arguments: --name value, --name=value, flags, repeatable
--- options and positional arguments, checked against a command's spec.
--- Only "--" starts an option: a token or hash may well begin with "-".
--- After a lone "--" everything is positional (a token beginning with "--").
local compat = require("authlete.compat")
local utc = require("authlete.utc")
local args = {}

--- A usage error: main() prints it, and where the help is, and exits 2.
function args.usage(message)
   error({ usage = message }, 0)
end

--- A file that cannot be read, or is not what it should be: also exit 2,
--- with nothing sent, but one line alone: the options were right.
function args.bad_file(message)
   error({ usage = message, file = true }, 0)
end

--- Text a user typed, fit to be echoed in a message: control characters
--- (an escape sequence would drive the terminal) as \ddd, at most 60 bytes.
function args.shown(s)
   s = s:gsub("[%c\\]", function(c) return ("\\%03d"):format(c:byte()) end)
   return #s > 60 and (s:sub(1, 57) .. "...") or s
end

--- A whole number in [min, max] from an option's text, or a usage error
--- naming the option.
function args.integer(name, value, min, max)
   local n = value:match("^%s*[-+]?%d+%s*$") and #value:match("%d+") <= 15 and compat.tointeger(tonumber(value))
   if not n or n < min or n > max then
      args.usage(("--%s must be a whole number from %d to %d, got '%s'"):format(name, min, max, args.shown(value)))
   end
   return n
end

--- A token's value as given: "-" reads it from the first line of standard
--- input and "@FILE" from the first line of FILE, so that it need not sit
--- in argv, which every local user can read through ps.
function args.token(value, what)
   local line
   if value == "-" then
      line = io.read("l")
      if not line then args.usage(what .. ": nothing on standard input") end
   elseif value:sub(1, 1) == "@" then
      local f, err = io.open(value:sub(2), "r")
      if not f then args.bad_file(("cannot read %s from %s: %s"):format(what, args.shown(value:sub(2)), err)) end
      line = f:read("l")
      f:close()
      if not line then args.bad_file(("%s: %s is empty"):format(what, args.shown(value:sub(2)))) end
   else
      return value
   end
   line = line:match("^%s*(.-)%s*$")
   if line == "" then args.usage(what .. " is empty") end
   return line
end

--- "unknown option --x", with the nearest known one when there is one.
function args.unknown_option(name, spec)
   -- a bearer pasted after "--" is not echoed: only a word that could be an option is shown
   if #name > 24 or not name:match("^[%a-]+$") then
      return ("unknown option (%d characters, not shown: it may be a secret)"):format(#name)
   end
   local names = {}
   for k in pairs(spec) do names[#names + 1] = k end
   table.sort(names)
   local hint = require("authlete.core").suggest(name, names)
   return "unknown option --" .. args.shown(name) .. (hint and (" (did you mean --" .. hint .. "?)") or "")
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
      if not name and a:match("^%-%-.") then args.usage("unknown option " .. args.shown(a)) end
      if name then
         local kind = spec[name]
         if not kind then args.usage(args.unknown_option(name, spec)) end
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
      if not k then args.usage("--property needs key=value, got '" .. args.shown(kv) .. "'") end
      out[#out + 1] = { key = k, value = v }
   end
   return out
end

--- A client: an integer is a client ID, anything else an identifier (alias).
function args.client(value)
   local id = value:match("^%d+$") and compat.tointeger(tonumber(value))
   if id then return id, nil end
   return nil, value
end

-- Times run from 1970 to the end of 9999 (epoch seconds).
local LAST_SECOND = 253402300799

--- A time as epoch seconds: "+3600" (seconds from now),
--- "2026-12-01T10:00:00Z" (UTC), or an epoch in seconds (or, with
--- `ms_too`, in milliseconds when it is past 10^12). Returns nil for a
--- time before 1970 or after 9999, or a date that does not exist.
function args.epoch(value, ms_too)
   local seconds
   local plus = value:match("^%+(%d+)$")
   local y, mo, d, h, mi, s = value:match("^(%d%d%d%d)%-(%d%d)%-(%d%d)T(%d%d):(%d%d):(%d%d)Z$")
   if plus then
      if #plus > 12 then return nil end
      seconds = os.time() + tonumber(plus)
   elseif y then
      y, mo, d, h, mi, s = tonumber(y), tonumber(mo), tonumber(d), tonumber(h), tonumber(mi), tonumber(s)
      if y < 1970 or not utc.valid(y, mo, d, h, mi, s) then return nil end
      seconds = utc.epoch(y, mo, d, h, mi, s)
   elseif value:match("^%d+$") and #value <= (ms_too and 15 or 12) then
      seconds = tonumber(value)
      if ms_too and seconds > 1e12 then seconds = compat.idiv(seconds, 1000) end
   else
      return nil
   end
   seconds = compat.tointeger(seconds)
   if not seconds or seconds < 0 or seconds > LAST_SECOND then return nil end
   return seconds
end

--- A time option (see args.epoch) as epoch milliseconds, or a usage error.
function args.time_ms(value, name)
   local seconds = args.epoch(value)
   if not seconds then
      args.usage(("--%s expects +SECONDS, YYYY-MM-DDTHH:MM:SSZ or epoch seconds from 1970 to 9999, got '%s'")
         :format(name or "expires-at", args.shown(value)))
   end
   return seconds * 1000
end

return args
