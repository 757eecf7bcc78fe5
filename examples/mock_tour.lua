--- A tour of the token-management API over plain HTTP: create a token for
--- a user, list it, narrow its scopes, log the user out everywhere, then
--- delete the token. Runs against the bundled mock (`make demo`) or a real
--- service:
---
---   AUTHLETE_BASE_URL=https://us.authlete.com AUTHLETE_SERVICE_ID=… \
---   AUTHLETE_BEARER=… AUTHLETE_CLIENT_ID=… lua5.4 examples/mock_tour.lua
---
--- It speaks HTTP with LuaSocket and JSON with the mock's exact codec; the
--- authlete client module does all of this for you once it is built.
local http = require("socket.http")
local ltn12 = require("ltn12")
local json = require("authlete.mock.json")

local base = assert(os.getenv("AUTHLETE_BASE_URL"), "set AUTHLETE_BASE_URL")
local service_id = assert(os.getenv("AUTHLETE_SERVICE_ID"), "set AUTHLETE_SERVICE_ID")
local bearer = assert(os.getenv("AUTHLETE_BEARER"), "set AUTHLETE_BEARER")
local client_id = math.tointeger(tonumber(os.getenv("AUTHLETE_CLIENT_ID") or "26888344961664"))
local subject = os.getenv("AUTHLETE_SUBJECT") or "john"

local function call(method, path, body)
   local payload = body and json.encode(body)
   local chunks = {}
   local _, status = http.request({
      method = method,
      url = base .. "/api/" .. service_id .. path,
      headers = {
         Authorization = "Bearer " .. bearer,
         Accept = "application/json",
         ["Content-Type"] = payload and "application/json" or nil,
         ["Content-Length"] = payload and #payload or nil,
      },
      source = payload and ltn12.source.string(payload) or nil,
      sink = ltn12.sink.table(chunks),
   })
   local text = table.concat(chunks)
   if status ~= 200 and status ~= 204 then
      error(("%s %s failed: HTTP %s %s"):format(method, path, tostring(status), text), 0)
   end
   return text ~= "" and assert(json.decode(text)) or nil
end

local function show_list(title, query)
   local page = call("GET", "/auth/token/get/list?" .. query)
   print(("%s: %d token(s)"):format(title, page.totalCount))
   for _, t in ipairs(page.accessTokens) do
      print(("   - %s  client %d  %-18s  scopes: %s"):format(t.accessTokenHash, t.clientId, t.grantType,
         table.concat(t.scopes or {}, " ")))
   end
end

print("1. create a token for " .. subject)
local created = call("POST", "/auth/token/create", {
   grantType = "AUTHORIZATION_CODE", clientId = client_id, subject = subject,
   scopes = { "history.read", "timeline.read" },
})
print(("   %s\n   expires in %d s, scopes: %s"):format(created.resultMessage, created.expiresIn,
   table.concat(created.scopes, " ")))

show_list("2. " .. subject .. "'s tokens", "subject=" .. subject)

print("3. narrow the token to history.read")
local updated = call("POST", "/auth/token/update", { accessToken = created.accessToken,
                                                      scopes = json.array({ "history.read" }) })
print("   " .. updated.resultMessage .. " scopes now: " .. table.concat(updated.scopes, " "))

print("4. log " .. subject .. " out everywhere")
local revoked = call("POST", "/auth/token/revoke", { subject = subject })
print(("   %s (count = %d)"):format(revoked.resultMessage, revoked.count))
show_list("   revoked tokens", "subject=" .. subject .. "&tokenStatus=INVALID")

print("5. delete the token")
call("DELETE", "/auth/token/delete/" .. created.accessToken)
show_list("   " .. subject .. "'s tokens now", "subject=" .. subject)
