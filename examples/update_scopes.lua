--- Narrow the scopes of every valid token a user holds.
---   lua5.4 examples/update_scopes.lua subject scope …
--- Reads AUTHLETE_BEARER, AUTHLETE_SERVICE_ID and AUTHLETE_BASE_URL.
local authlete = require("authlete")
local client = authlete.new{
   service_id = os.getenv("AUTHLETE_SERVICE_ID"),
   server_url = os.getenv("AUTHLETE_BASE_URL"), -- unset: Authlete's US cluster
}

local subject = assert(arg[1], "usage: update_scopes.lua subject scope …")
local scopes = { table.unpack(arg, 2) }

-- Read the whole list first, then update: the list is a snapshot to work from.
local hashes = {}
for t in client.token.management.each{ subject = subject, tokenStatus = "VALID" } do
   hashes[#hashes + 1] = t.accessTokenHash
end
for _, hash in ipairs(hashes) do
   local res, err = client.token.management.update{
      tokenUpdateRequest = { accessTokenHash = hash, scopes = scopes },
   }
   if res then
      print(("%s  scopes now: %s"):format(hash, table.concat(res.scopes, " ")))
   else
      print(("%s  not updated: %s"):format(hash, tostring(err)))
   end
end
print(("%d token%s of %s updated"):format(#hashes, #hashes == 1 and "" or "s", subject))
