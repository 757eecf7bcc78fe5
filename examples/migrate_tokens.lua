--- Import tokens from another authorization server, keeping their values.
---   lua5.4 examples/migrate_tokens.lua tokens.csv
--- The CSV has a header line and the columns accessToken, refreshToken,
--- clientId, subject, scopes (space-separated), expiresAt (epoch seconds or
--- empty). Rerunning it reports the tokens already imported instead of failing.
--- Reads AUTHLETE_BEARER, AUTHLETE_SERVICE_ID and AUTHLETE_BASE_URL.
local authlete = require("authlete")
local client = authlete.new{
   service_id = os.getenv("AUTHLETE_SERVICE_ID"),
   server_url = os.getenv("AUTHLETE_BASE_URL"), -- unset: Authlete's US cluster
}

local ROW = "^([^,]*),([^,]*),([^,]*),([^,]*),([^,]*),([^,]*)$"

-- The create request for one CSV row, or nil and why not.
local function request_for(line)
   local access, refresh, client_id, subject, scopes, expires = line:match(ROW)
   if not access then return nil, "not 6 comma-separated columns" end
   local req = {
      grantType = "AUTHORIZATION_CODE", accessToken = access, clientId = math.tointeger(tonumber(client_id)),
      subject = subject, scopes = {}, refreshToken = refresh ~= "" and refresh or nil,
   }
   for scope in scopes:gmatch("%S+") do req.scopes[#req.scopes + 1] = scope end
   local expires_s = tonumber(expires)
   if expires_s then req.accessTokenDuration = math.max(1, expires_s - os.time()) end
   return req
end

local path = assert(arg[1], "usage: migrate_tokens.lua tokens.csv")
local created, present, failed, line_no = 0, 0, 0, 0
for line in io.lines(path) do
   line_no = line_no + 1
   if line_no > 1 and line:find("%S") then
      local req, why = request_for(line)
      local res, err
      if req then res, err = client.token.management.create{ tokenCreateRequest = req } end
      if res then
         created = created + 1
      elseif err and err.kind == "ResultError" and (err.resultMessage or ""):lower():find("already exists") then
         -- Authlete refuses a value whose hash it already holds: imported before.
         present = present + 1
         print(("line %d: already imported"):format(line_no))
      else
         failed = failed + 1
         print(("line %d: %s"):format(line_no, err and tostring(err) or why))
      end
   end
end
print(("%d created, %d already present, %d failed"):format(created, present, failed))
os.exit(failed == 0 and 0 or 1)
