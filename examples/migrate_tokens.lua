--- Import tokens from another authorization server, keeping their values.
---   lua5.4 examples/migrate_tokens.lua tokens.csv
--- The CSV has a header line and the columns accessToken, refreshToken,
--- clientId, subject, scopes (space-separated), expiresAt (epoch seconds or
--- empty). Rerunning it reports the tokens already imported instead of failing.
--- For a real migration, `authlete-tokens import` adds checks, parallel
--- creates and a resumable checkpoint; this shows the API underneath.
--- Reads AUTHLETE_BEARER, AUTHLETE_SERVICE_ID and AUTHLETE_BASE_URL.
local authlete = require("authlete")
local csv = require("authlete.cli.csv") -- RFC 4180: CRLF, quoted fields, a byte-order mark
local client = authlete.new{
   service_id = os.getenv("AUTHLETE_SERVICE_ID"),
   server_url = os.getenv("AUTHLETE_BASE_URL"), -- unset: Authlete's US cluster
}

local path = assert(arg[1], "usage: migrate_tokens.lua tokens.csv")
local f = assert(io.open(path, "rb"))
local records = assert(csv.parse(f:read("a")))
f:close()

-- The header names the columns: a record as { accessToken = …, … }.
local header = table.remove(records, 1)
local function fields_of(record)
   local out = {}
   for i, name in ipairs(header) do out[name] = record[i] ~= "" and record[i] or nil end
   return out
end

-- The create request for one row.
local function request_for(row)
   local req = {
      grantType = "AUTHORIZATION_CODE", accessToken = row.accessToken, refreshToken = row.refreshToken,
      clientId = math.tointeger(tonumber(row.clientId)), subject = row.subject, scopes = {},
   }
   for scope in (row.scopes or ""):gmatch("%S+") do req.scopes[#req.scopes + 1] = scope end
   local expires_s = tonumber(row.expiresAt)
   if expires_s then req.accessTokenDuration = math.max(1, expires_s - os.time()) end
   return req
end

local created, present, failed = 0, 0, 0
for n, record in ipairs(records) do
   local res, err = client.token.management.create{ tokenCreateRequest = request_for(fields_of(record)) }
   if res then
      created = created + 1
   elseif err.kind == "ResultError" and (err.resultMessage or ""):lower():find("already exists") then
      -- Authlete refuses a value whose hash it already holds: imported before.
      present = present + 1
      print(("row %d (line %d): already imported"):format(n, record.line))
   else
      failed = failed + 1
      print(("row %d (line %d): %s"):format(n, record.line, tostring(err)))
   end
end
print(("%d created, %d already present, %d failed"):format(created, present, failed))
os.exit(failed == 0 and 0 or 1)
