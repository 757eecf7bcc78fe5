--- authlete: Authlete's token-management API for Lua.
local core = require("authlete.core")

local authlete = {
   _VERSION = core._VERSION,
   --- Authlete's API clusters, US first (the default), as in Authlete's SDKs.
   servers = {
      "https://us.authlete.com",
      "https://jp.authlete.com",
      "https://eu.authlete.com",
      "https://br.authlete.com",
   },
}

return authlete
