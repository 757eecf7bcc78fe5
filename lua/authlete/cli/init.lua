--- bin/authlete-tokens: manage Authlete tokens from a shell, on top of the
--- public API (client.token.management.*).
local authlete = require("authlete")
local args = require("authlete.cli.args")
local config = require("authlete.cli.config")

local cli = {}

local COMMANDS = { "list", "create", "update", "revoke", "delete", "import" }

local GLOBAL = { config = "value", server = "value", ["base-url"] = "value", ["service-id"] = "value",
                 ["bearer-file"] = "value", ["bearer-stdin"] = "flag", help = "flag" }

-- The exit codes, for --help; the README shows the same table.
local EXIT_CODES = [[
  0    done; also a "no" at a confirmation prompt (nothing changed)
  1    Authlete or the network answered with an error (import: no row is in Authlete)
  2    usage: an unknown option, a bad value, a file that cannot be read; nothing was sent
  3    import: some rows failed, the others are in Authlete (the report names each)
  130  interrupted (Ctrl-C); an import with --checkpoint resumes where it stopped]]

local function main_usage()
   local lines = { "usage: authlete-tokens [options] COMMAND [command options]", "", "commands:" }
   for _, name in ipairs(COMMANDS) do
      lines[#lines + 1] = ("  %-8s %s"):format(name, require("authlete.cli." .. name).summary)
   end
   lines[#lines + 1] = [[

options (before or after the command):
  --config FILE       name = value lines: bearer, service_id, base_url, server
  --server us|jp|eu|br  Authlete's cluster (default: AUTHLETE_BASE_URL, else us)
  --base-url URL      the API's base URL
  --service-id ID     the service (default: AUTHLETE_SERVICE_ID)
  --bearer-file FILE  read the bearer from FILE
  --bearer-stdin      read the bearer from the first line of standard input
  --help              this text, or a command's with COMMAND --help

The bearer comes from AUTHLETE_BEARER, the config file, --bearer-file or
--bearer-stdin, never from the command line, and is never printed.

exit codes:
]] .. EXIT_CODES
   return table.concat(lines, "\n")
end

-- The command's name: the first argument that is neither an option nor a
-- global option's value. Returns it and the other arguments.
local function split(argv)
   local rest, name, i = {}, nil, 1
   while i <= #argv do
      local a = argv[i]
      local opt = a:match("^%-%-([%w-]+)$")
      if opt and GLOBAL[opt] == "value" and argv[i + 1] then
         rest[#rest + 1], rest[#rest + 2] = a, argv[i + 1]
         i = i + 1
      elseif not name and not a:match("^%-") then
         name = a
      else
         rest[#rest + 1] = a
      end
      i = i + 1
   end
   return name, rest
end

local KNOWN = {}
for _, name in ipairs(COMMANDS) do KNOWN[name] = true end

-- A bearer pasted where the command goes must not be echoed to a terminal
-- or a CI log: only a word that could be a command is shown.
local function unknown_command(name)
   if #name <= 24 and name:match("^[%a-]+$") then
      local hint = require("authlete.core").suggest(name, COMMANDS)
      args.usage("unknown command '" .. name .. "'" .. (hint and (" (did you mean '" .. hint .. "'?)") or ""))
   end
   args.usage(("unknown command (%d characters, not shown: it may be a secret)"):format(#name))
end

local function run(name, rest)
   local command = name and KNOWN[name] and require("authlete.cli." .. name)
   if name and not command then unknown_command(name) end
   local spec = {}
   for k, v in pairs(GLOBAL) do spec[k] = v end
   for k, v in pairs(command and command.options or {}) do spec[k] = v end
   local opts, positional = args.parse(rest, spec)
   local most = command and command.arguments or 0
   if #positional > most then
      -- not shown: a token typed without its option would be echoed
      args.usage(("unexpected argument (%d characters, not shown: it may be a secret)"):format(#positional[most + 1]))
   end
   if opts.help then
      io.write(command and command.usage or main_usage(), "\n")
      return 0
   end
   if not command then
      io.stderr:write(main_usage(), "\n")
      return 2
   end
   local client_options = config.client_options(opts)
   local client
   local ctx = {
      client_options = client_options,
      tm = function()
         client = client or authlete.new(client_options)
         return client.token.management
      end,
      -- An API or network failure: one readable line, exit 1.
      fail = function(err)
         io.stderr:write("authlete-tokens: ", tostring(err), "\n")
         return 1
      end,
   }
   local rc = command.run(ctx, opts, positional)
   if client then client:close() end
   return rc
end

--- Run with argv; returns the exit code.
function cli.main(argv)
   local name, rest = split(argv)
   local ok, result = pcall(run, name, rest)
   if ok then return result end
   if type(result) == "table" and result.usage then
      -- the message, and where the help is: a screen of usage would bury it
      local command = name and KNOWN[name] and name
      io.stderr:write("authlete-tokens: ", result.usage, "\n")
      if not result.file then
         io.stderr:write(("(authlete-tokens %s--help shows the options)\n"):format(command and (command .. " ") or ""))
      end
      return 2
   end
   if type(result) == "string" and result:match("interrupted!$") then -- Ctrl-C, raised by lua.c's handler
      io.stderr:write("authlete-tokens: interrupted\n")
      return 130
   end
   -- each() raises the error object while listing; anything else is a bug.
   io.stderr:write("authlete-tokens: ", tostring(result), "\n")
   return authlete.is_error(result) and 1 or 2
end

return cli
