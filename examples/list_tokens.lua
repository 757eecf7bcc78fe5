--- List a user's tokens, every page of them.
---   lua5.4 examples/list_tokens.lua [subject] [VALID|INVALID|ALL]
--- Reads AUTHLETE_BEARER, AUTHLETE_SERVICE_ID and AUTHLETE_BASE_URL.
local authlete = require("authlete")
local client = authlete.new{
   service_id = os.getenv("AUTHLETE_SERVICE_ID"),
   server_url = os.getenv("AUTHLETE_BASE_URL"), -- unset: Authlete's US cluster
}

local subject, status = arg[1] or "john", arg[2] or "ALL"
local n = 0
-- each() pages through the whole list, 20 tokens at a time; it raises the
-- error object should a page fail, which pcall turns back into a value.
local ok, err = pcall(function()
   for t in client.token.management.each{ subject = subject, tokenStatus = status } do
      n = n + 1
      print(("%-43s  client %-16d  %-18s  expires %s  %s"):format(t.accessTokenHash, t.clientId, t.grantType,
         t.accessTokenExpiresAt > 0 and os.date("!%Y-%m-%d %H:%M", t.accessTokenExpiresAt // 1000) or "never",
         table.concat(t.scopes or {}, " ")))
   end
end)
if not ok then
   io.stderr:write(tostring(err), "\n")
   os.exit(1)
end
local what = status == "ALL" and "" or (status:lower() .. " ") -- "2 valid tokens", "2 tokens" for ALL
print(("%d %stoken%s for %s"):format(n, what, n == 1 and "" or "s", subject))
