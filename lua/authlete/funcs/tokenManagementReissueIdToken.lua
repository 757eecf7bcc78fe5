-- tokenManagementReissueIdToken(client, request[, call_options]) -> { ok, value | error } (see authlete.funcs)
return require("authlete.funcs").standalone("tokenManagementReissueIdToken")
