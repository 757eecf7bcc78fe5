--- authlete: Authlete's token-management API for Lua.
---
---   local authlete = require("authlete")
---   local client = authlete.new{ bearer = os.getenv("AUTHLETE_BEARER"), service_id = "715948317" }
---   local res, err = client.token.management.list{ subject = "john" }
local core = require("authlete.core")
local errors = require("authlete.errors")
local options = require("authlete.options")

local authlete = {
   _VERSION = core._VERSION,
   --- Authlete's API clusters, US first (the default).
   servers = options.SERVERS,
   --- The error kinds (`err.kind`) with what each means.
   error_kinds = errors.KINDS,
}

--- A client. See the README for the options; unknown names, wrong types and
--- a bad server_url raise at once.
function authlete.new(opts)
   return require("authlete.client").new(opts)
end

--- Is v an error object returned by a client call?
authlete.is_error = errors.is

--- JSON text of a result (or any value) to send on: integers exact (a
--- 16-digit client ID stays itself, which lua-cjson's doubles do not
--- promise), and `[]` for every array a result carries, empty ones too.
--- Written in C (core.json_encode); authlete.json.null, if you use it, is null.
function authlete.json_encode(value)
   return core.json_encode(value, require("authlete.json").null)
end

--- Mark a table of your own as a JSON array, so that an empty one
--- encodes as `[]` rather than `{}`.
function authlete.json_array(t)
   return require("authlete.json").array(t)
end

return authlete
