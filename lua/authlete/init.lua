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

---------------------------------------------------------------- the default client

-- One per Lua state (so one per nginx worker): made on first use from the
-- options authlete.configure was given, else from the environment alone.
local default_client, default_options

--- Set the default client's options (as authlete.new's, checked now). A
--- default client made before is replaced; closing it is safe, since a
--- closed client's connections go back or close and calls already under
--- way hold their own transport. Returns the new client.
function authlete.configure(opts)
   local fresh = authlete.new(opts)
   local old = default_client
   default_client, default_options = fresh, opts
   if old then old:close() end
   return fresh
end

--- The default client: authlete.token.management.* call it.
function authlete.default_client()
   if not default_client then default_client = authlete.new(default_options) end
   return default_client
end

--- require("authlete").token.management.list{ serviceId = … }, as the
--- design names it: the default client's operations.
authlete.token = { management = require("authlete.client").namespace(authlete.default_client,
                                                                        "authlete.token.management") }

---------------------------------------------------------------- helpers

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
