--- The mock's seeded service, and loading a replacement from a JSON file.
local compat = require("authlete.compat")
local json = require("authlete.json")

local seed = {}

--- The built-in seed. Client IDs cover the cases clients get wrong: the
--- 14-digit ID of Authlete's reference examples, a 14-digit ID with an alias,
--- a 16-digit ID just under 2^53, and one above 2^53 that a double cannot hold.
function seed.default()
   return {
      serviceId = "715948317206",
      serviceName = "Mock Service",
      bearer = "mock-service-access-token",
      accessTokenDuration = 3600,      -- seconds
      refreshTokenDuration = 86400,    -- seconds
      supportedScopes = { "openid", "profile", "email", "history.read", "timeline.read",
                          "orders.read", "orders.write" },
      clients = {
         { number = 1, clientId = 26888344961664, clientName = "Timeline App",
           clientType = "CONFIDENTIAL" },
         { number = 4711, clientId = 31415926535897, clientIdAlias = "orders-web",
           clientIdAliasEnabled = true, clientName = "Orders Web", clientType = "CONFIDENTIAL" },
         { number = 3, clientId = 5921531358155430, clientName = "Mobile App",
           clientType = "PUBLIC" },
         { number = 4, clientId = 9007199254740993, clientName = "Precision Probe",
           clientType = "CONFIDENTIAL" },
      },
      tokens = {},
   }
end

local function check(cond, msg)
   if not cond then error("seed: " .. msg, 0) end
end

local function is_int(v) return compat.mtype(v) == "integer" end

--- Check what a client shows of itself in a list filtered by it: clientName
--- and description (strings), clientNames and descriptions (their
--- localised forms: arrays of { tag = "ja", value = "…" }). Raises naming
--- the field; `where` says whose ("clients[2]").
function seed.check_names(c, where)
   for _, k in ipairs({ "clientName", "description" }) do
      check(c[k] == nil or type(c[k]) == "string", ("%s.%s must be a string"):format(where, k))
   end
   for _, k in ipairs({ "clientNames", "descriptions" }) do
      local list = c[k]
      check(list == nil or (type(list) == "table" and json.is_array(list)), ("%s.%s must be an array"):format(where, k))
      for i, tv in ipairs(list or {}) do
         check(type(tv) == "table" and type(tv.tag) == "string" and type(tv.value) == "string",
               ("%s.%s[%d] must be an object with a string tag and value"):format(where, k, i))
      end
   end
end

--- Check a seed table; raises "seed: …" naming what is wrong.
function seed.validate(s)
   check(type(s) == "table", "must be a JSON object")
   check(type(s.serviceId) == "string" and s.serviceId ~= "", "serviceId must be a non-empty string")
   check(type(s.bearer) == "string" and s.bearer ~= "", "bearer must be a non-empty string")
   check(is_int(s.accessTokenDuration) and s.accessTokenDuration > 0, "accessTokenDuration must be a positive integer")
   check(is_int(s.refreshTokenDuration) and s.refreshTokenDuration > 0, "refreshTokenDuration must be a positive integer")
   check(type(s.supportedScopes) == "table", "supportedScopes must be an array")
   for i, scope in ipairs(s.supportedScopes) do
      check(type(scope) == "string", ("supportedScopes[%d] must be a string"):format(i))
   end
   check(type(s.clients) == "table" and #s.clients > 0, "clients must be a non-empty array")
   for i, c in ipairs(s.clients) do
      local where = ("clients[%d]"):format(i)
      check(type(c) == "table", where .. " must be an object")
      check(is_int(c.clientId) and c.clientId > 0, where .. ".clientId must be a positive integer")
      check(c.clientIdAlias == nil or type(c.clientIdAlias) == "string", where .. ".clientIdAlias must be a string")
      check(c.clientType == nil or c.clientType == "PUBLIC" or c.clientType == "CONFIDENTIAL",
            where .. ".clientType must be PUBLIC or CONFIDENTIAL")
      seed.check_names(c, where)
   end
   check(s.tokens == nil or type(s.tokens) == "table", "tokens must be an array")
   for i, t in ipairs(s.tokens or {}) do
      local where = ("tokens[%d]"):format(i)
      check(type(t) == "table", where .. " must be an object")
      check(type(t.accessToken) == "string" and t.accessToken ~= "", where .. ".accessToken must be a string")
      check(is_int(t.clientId), where .. ".clientId must be an integer")
   end
   return s
end

--- Read a seed from a JSON file. Missing keys take the built-in values.
function seed.load(path)
   local f, err = io.open(path, "rb")
   if not f then error("seed: " .. err, 0) end
   local text = f:read("a")
   f:close()
   local data, derr = json.decode(text)
   if not data then error("seed: " .. path .. ": " .. derr, 0) end
   check(type(data) == "table" and not json.is_array(data), "must be a JSON object")
   local s = seed.default()
   for k, v in pairs(data) do
      if v ~= json.null then s[k] = v end
   end
   return seed.validate(s)
end

--- What GET /__mock/seed shows: everything but the bearer.
function seed.public(s)
   local out = {}
   for k, v in pairs(s) do
      if k ~= "bearer" and k ~= "tokens" then out[k] = v end
   end
   out.clients = json.array(out.clients)
   out.supportedScopes = json.array(out.supportedScopes)
   return out
end

return seed
