--- Where the command finds its service: AUTHLETE_BEARER, AUTHLETE_SERVICE_ID,
--- AUTHLETE_BASE_URL, a --config file, --server. The bearer is never taken
--- from the command line (other users see it in `ps`): the environment, the
--- config file, --bearer-file or --bearer-stdin.
local args = require("authlete.cli.args")

local config = {}

local function read_file(path, what)
   local f, err = io.open(path, "r")
   if not f then args.bad_file(("cannot read the %s: %s"):format(what, err)) end
   local text = f:read("a")
   f:close()
   return text
end

--- A config file: "name = value" lines (bearer, service_id, base_url,
--- server); # starts a comment.
local KEYS = { bearer = true, service_id = true, base_url = true, server = true }
function config.read(path)
   local out, n = {}, 0
   for line in read_file(path, "config file"):gmatch("[^\n]*") do
      n = n + 1
      line = line:gsub("^%s+", ""):gsub("%s+$", "")
      if line ~= "" and not line:match("^#") then
         local k, v = line:match("^([%w_]+)%s*=%s*(.-)$")
         if not k or not KEYS[k] then args.bad_file(("%s line %d: expected one of bearer, service_id, base_url, server = value")
            :format(path, n)) end
         -- a value in quotes loses them: bearer = "…" is a common way to write it
         local q = v:sub(1, 1)
         if (q == '"' or q == "'") and #v >= 2 and v:sub(-1) == q then v = v:sub(2, -2) end
         out[k] = v
      end
   end
   return out
end

--- authlete.new options from the global options and the environment.
function config.client_options(opts)
   local file = opts.config and config.read(opts.config) or {}
   local bearer
   if opts["bearer-stdin"] then
      bearer = io.read("l")
      if not bearer then args.usage("--bearer-stdin: nothing on standard input") end
   elseif opts["bearer-file"] then
      bearer = read_file(opts["bearer-file"], "bearer file"):match("^%s*(.-)%s*$")
   else
      bearer = file.bearer or os.getenv("AUTHLETE_BEARER")
   end
   if not bearer or bearer == "" then
      args.usage("no bearer: set AUTHLETE_BEARER, or use --config, --bearer-file or --bearer-stdin")
   end
   local service_id = opts["service-id"] or file.service_id or os.getenv("AUTHLETE_SERVICE_ID")
   if not service_id or service_id == "" then
      args.usage("no service: set AUTHLETE_SERVICE_ID, or use --service-id or --config")
   end
   local o = { bearer = bearer, service_id = service_id, user_agent = "authlete-tokens" }
   local server = opts.server or file.server
   local base = opts["base-url"] or file.base_url or os.getenv("AUTHLETE_BASE_URL")
   if server and not ({ us = true, jp = true, eu = true, br = true })[server] then
      args.usage("--server must be us, jp, eu or br")
   end
   if opts.server then o.server = server
   elseif base and base ~= "" then o.server_url = base
   elseif server then o.server = server end
   return o
end

return config
