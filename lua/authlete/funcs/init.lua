--- The standalone functions of Authlete's reference page, one module each,
--- named as there:
---
---   local tokenManagementList = require("authlete.funcs.tokenManagementList")
---   local res = tokenManagementList(client, { serviceId = "…" })
---   if res.ok then print(res.value.totalCount) else print(res.error) end
---
--- fn(client, request[, call_options]) returns { ok = true, value = result }
--- or { ok = false, error = err } (and `hook_error` when an after_response
--- hook raised), never raising for an API or transport failure. It is the
--- very call client.token.management.<op> makes: one implementation, two
--- doors. `client` is an authlete.new{…} client, or the module itself
--- (require("authlete")) for the default client.
local Client = require("authlete.client")

local funcs = {}

--- The reference page's names, and the operations they call.
funcs.OPERATIONS = {
   tokenManagementList = "list", tokenManagementCreate = "create", tokenManagementUpdate = "update",
   tokenManagementDelete = "delete", tokenManagementRevoke = "revoke",
   tokenManagementReissueIdToken = "reissueIdToken",
}

--- The standalone function named `name`.
function funcs.standalone(name)
   local op = assert(funcs.OPERATIONS[name], name)
   return function(client, request, call_opts)
      if client == package.loaded.authlete then client = client.default_client() end
      if getmetatable(client) ~= Client then
         error(("%s(client, request): client must be an authlete client (authlete.new{…}) or the authlete "
            .. "module, got %s"):format(name, type(client)), 2)
      end
      local value, err, hook_error = client:call(op, request, call_opts)
      if value == nil then return { ok = false, error = err, hook_error = hook_error } end
      return { ok = true, value = value, hook_error = hook_error }
   end
end

return funcs
