--- The bad-input catalogue: every kind of bad input the public API can be
--- handed, what it answers, and proof that nothing reached the wire.
--- spec/reliability/bad_input_spec.lua runs it; tools/bad_input_doc.lua
--- renders it as docs/bad-input.md.
local authlete = require("authlete")
local core = require("authlete.core")

local catalogue = {}

local BEARER = "catalogue-bearer"

--- A client whose transport records requests instead of sending them.
function catalogue.client(opts)
   local sent = {}
   local o = { bearer = BEARER, service_id = "715948317", server_url = "https://auth.example.org",
               transport = function(req)
                  sent[#sent + 1] = req
                  return 404, { ["content-type"] = "application/json" },
                         '{"resultCode":"A133205","resultMessage":"[A133205] not found"}'
               end }
   for k, v in pairs(opts or {}) do
      if v == false then o[k] = nil else o[k] = v end -- false: leave the option out
   end
   return authlete.new(o), sent
end

local function create(fields)
   local body = { grantType = "AUTHORIZATION_CODE", clientId = 26888344961664, subject = "john" }
   for k, v in pairs(fields) do body[k] = v end
   return { tokenCreateRequest = body }
end

local function sparse()
   local t = { "a" }
   t[3] = "c"
   return t
end

local function cycle()
   local t = {}
   t[1] = t
   return t
end

local function deep(n)
   local t = {}
   for _ = 1, n do t = { t } end
   return t
end

-- A value of the wrong type for each declared type, and how it is described.
local WRONG = {
   string = { 42, "42" }, int64 = { "7", '"7"' }, int32 = { true, "true" }, boolean = { "yes", '"yes"' },
   array = { "x", '"x"' }, object = { 5, "5" }, ["json-object-string"] = { {}, "{}" },
}

-- One row per field of every request model: a wrong type, named precisely.
local function every_field()
   local rows, models = {}, core.models()
   local nested = { Property = { "properties", "[1]" }, AuthzDetails = { "authorizationDetails", "" },
                    AuthorizationDetailsElement = { "authorizationDetails", ".elements[1]" } }
   local function valid_request(body_key, model_name)
      if model_name == "TokenCreateRequest" then return create({})[body_key] end
      if model_name == "TokenUpdateRequest" then return { accessToken = "t" } end
      if model_name == "TokenRevokeRequest" then return { subject = "john" } end
      return { accessToken = "a", refreshToken = "r" }
   end
   for _, op in ipairs(core.operations()) do
      if op.bodyModel then
         for _, f in ipairs(models[op.bodyModel].fields) do
            local wrong = WRONG[f.type]
            rows[#rows + 1] = {
               ("%s.%s = %s"):format(op.bodyKey, f.name, wrong[2]),
               function(tm)
                  local body = valid_request(op.bodyKey, op.bodyModel)
                  body[f.name] = wrong[1]
                  return tm[op.name]({ [op.bodyKey] = body })
               end,
               "SDKValidationError", op.bodyKey .. "." .. f.name, "expected",
            }
         end
      end
   end
   for model, where in pairs(nested) do
      for _, f in ipairs(models[model].fields) do
         local wrong = WRONG[f.type]
         local path = "tokenCreateRequest." .. where[1] .. where[2] .. "." .. f.name
         if model == "AuthzDetails" then path = "tokenCreateRequest.authorizationDetails." .. f.name end
         rows[#rows + 1] = {
            ("%s = %s"):format(path, wrong[2]),
            function(tm)
               local inner = { [f.name] = wrong[1] }
               if model == "AuthorizationDetailsElement" and f.name ~= "type" then inner.type = "t" end
               local value
               if model == "Property" then value = { inner }
               elseif model == "AuthzDetails" then value = inner
               else value = { elements = { inner } } end
               return tm.create(create({ [where[1]] = value }))
            end,
            "SDKValidationError", path, "expected",
         }
      end
   end
   table.sort(rows, function(a, b) return a[1] < b[1] end)
   return rows
end

--- Sections of rows: { input, call(tm) -> res, err, kind, field, message pattern }.
--- kind "sent" means the request goes out (as one well-formed request).
catalogue.sections = {
   { "The request itself", {
      { "`list(nil)`", function(tm) return tm.list(nil) end, "SDKValidationError", "", "expected table, got nil" },
      { "`list(\"john\")`", function(tm) return tm.list("john") end, "SDKValidationError", "", "expected table, got string" },
      { "unknown parameter `subjct`", function(tm) return tm.list({ subjct = "john" }) end, "SDKValidationError", "",
        "unknown field 'subjct' %(did you mean 'subject'%?%)" },
      { "unknown body key `tokenCreatRequest`", function(tm) return tm.create({ tokenCreatRequest = {} }) end,
        "SDKValidationError", "", "did you mean 'tokenCreateRequest'" },
      { "positional value `{ \"john\" }`", function(tm) return tm.list({ "john" }) end, "SDKValidationError", "",
        "non%-string key" },
      { "missing body", function(tm) return tm.create({}) end, "SDKValidationError", "tokenCreateRequest", "required" },
      { "body that is a string", function(tm) return tm.create({ tokenCreateRequest = "{}" }) end,
        "SDKValidationError", "tokenCreateRequest", "expected object, got string" },
   } },
   { "Required fields and either/or rules", {
      { "create without `grantType`", function(tm)
         return tm.create({ tokenCreateRequest = { clientId = 26888344961664, subject = "john" } }) end,
        "SDKValidationError", "tokenCreateRequest.grantType", "required" },
      { "create without a client", function(tm)
         return tm.create({ tokenCreateRequest = { grantType = "PASSWORD", subject = "s" } }) end,
        "SDKValidationError", "tokenCreateRequest", "one of clientId or clientIdentifier is required" },
      { "create with `clientIdentifier = \"\"` only", function(tm)
         return tm.create({ tokenCreateRequest = { grantType = "PASSWORD", clientIdentifier = "" } }) end,
        "SDKValidationError", "tokenCreateRequest", "one of clientId or clientIdentifier is required" },
      { "update without an identifier of the token", function(tm)
         return tm.update({ tokenUpdateRequest = { scopes = {} } }) end,
        "SDKValidationError", "tokenUpdateRequest",
        "one of accessToken, accessTokenHash, refreshToken or refreshTokenHash is required" },
      { "revoke without a criterion", function(tm) return tm.revoke({ tokenRevokeRequest = { subject = "" } }) end,
        "SDKValidationError", "tokenRevokeRequest", "one of accessTokenIdentifier, refreshTokenIdentifier" },
      { "reissue without its tokens", function(tm) return tm.reissueIdToken({ idtokenReissueRequest = {} }) end,
        "SDKValidationError", "idtokenReissueRequest.accessToken", "required" },
      { "authorization detail without `type`", function(tm)
         return tm.create(create({ authorizationDetails = { elements = { {} } } })) end,
        "SDKValidationError", "tokenCreateRequest.authorizationDetails.elements[1].type", "required" },
      { "no `serviceId` and no client default", function(tm) return tm.list({}) end,
        "SDKValidationError", "serviceId", "required", { service_id = false } },
   } },
   { "Names and enumerations", {
      { "`scope` for `scopes`", function(tm) return tm.create(create({ scope = { "openid" } })) end,
        "SDKValidationError", "tokenCreateRequest", "did you mean 'scopes'" },
      { "`ClientID` for `clientId`", function(tm) return tm.create(create({ ClientID = 1 })) end,
        "SDKValidationError", "tokenCreateRequest", "did you mean 'clientId'" },
      { "`sujbect` for `subject` (two letters swapped)", function(tm) return tm.create(create({ sujbect = "x" })) end,
        "SDKValidationError", "tokenCreateRequest", "did you mean 'subject'" },
      { "`colour` (no close name)", function(tm) return tm.create(create({ colour = "red" })) end,
        "SDKValidationError", "tokenCreateRequest", "unknown field 'colour' in TokenCreateRequest" },
      { "`grantType = \"MAGIC\"`", function(tm) return tm.create(create({ grantType = "MAGIC" })) end,
        "SDKValidationError", "tokenCreateRequest.grantType", "'MAGIC' is not a GrantType; expected one of" },
      { "`tokenStatus = \"valid\"`", function(tm) return tm.list({ tokenStatus = "valid" }) end,
        "SDKValidationError", "tokenStatus", "expected one of VALID, INVALID, ALL" },
      { "`idTokenAudType = \"list\"`", function(tm)
         return tm.reissueIdToken({ idtokenReissueRequest = { accessToken = "a", refreshToken = "r",
            idTokenAudType = "list" } }) end,
        "SDKValidationError", "idtokenReissueRequest.idTokenAudType", "expected one of array, string" },
   } },
   { "Numbers", {
      { "`clientId = 0/0` (NaN)", function(tm) return tm.create(create({ clientId = 0 / 0 })) end,
        "SDKValidationError", "tokenCreateRequest.clientId", "got NaN" },
      { "`clientId = math.huge`", function(tm) return tm.create(create({ clientId = math.huge })) end,
        "SDKValidationError", "tokenCreateRequest.clientId", "got inf" },
      { "`clientId = -math.huge`", function(tm) return tm.create(create({ clientId = -math.huge })) end,
        "SDKValidationError", "tokenCreateRequest.clientId", "got %-inf" },
      { "`clientId = 1.5`", function(tm) return tm.create(create({ clientId = 1.5 })) end,
        "SDKValidationError", "tokenCreateRequest.clientId", "got 1.5" },
      { "`clientId = 2^53 + 2` (a float)", function(tm) return tm.create(create({ clientId = 2 ^ 53 + 2 })) end,
        "SDKValidationError", "tokenCreateRequest.clientId", "beyond 2%^53" },
      { "`clientId = \"26888344961664\"`", function(tm) return tm.create(create({ clientId = "26888344961664" })) end,
        "SDKValidationError", "tokenCreateRequest.clientId", "expected integer, got string" },
      { "`end = 2147483648` (int32)", function(tm) return tm.list({ ["end"] = 2147483648 }) end,
        "SDKValidationError", "end", "out of the int32 range" },
      { "`start = \"0\"`", function(tm) return tm.list({ start = "0" }) end,
        "SDKValidationError", "start", "expected integer, got string" },
   } },
   { "Strings", {
      { "invalid UTF-8 `\"jo\\192\\128hn\"` (overlong)", function(tm) return tm.create(create({ subject = "jo\192\128hn" })) end,
        "SDKValidationError", "tokenCreateRequest.subject", "invalid UTF%-8 at byte 3" },
      { "a UTF-16 surrogate in UTF-8", function(tm) return tm.create(create({ subject = "\237\160\128" })) end,
        "SDKValidationError", "tokenCreateRequest.subject", "invalid UTF%-8 at byte 1" },
      { "a stray byte `\"\\255\"` in a path parameter", function(tm) return tm.list({ serviceId = "\255" }) end,
        "SDKValidationError", "serviceId", "invalid UTF%-8" },
      { "a 5000-byte `subject` parameter", function(tm) return tm.list({ subject = ("x"):rep(5000) }) end,
        "SDKValidationError", "subject", "5000 bytes is longer than the 4096 allowed" },
      { "a 2 MiB body", function(tm) return tm.revoke({ tokenRevokeRequest = { subject = ("x"):rep(2 ^ 21) } }) end,
        "SDKValidationError", "tokenRevokeRequest", "over the 1048576 allowed" },
      { "`jwtAtClaims = \"[1]\"` (not an object)", function(tm) return tm.create(create({ jwtAtClaims = "[1]" })) end,
        "SDKValidationError", "tokenCreateRequest.jwtAtClaims", "a string holding a JSON object" },
      { "`jwtAtClaims = '{\"a\":}'` (broken JSON)", function(tm) return tm.create(create({ jwtAtClaims = '{"a":}' })) end,
        "SDKValidationError", "tokenCreateRequest.jwtAtClaims", "a string holding a JSON object" },
      { "empty `serviceId`", function(tm) return tm.list({ serviceId = "" }) end,
        "SDKValidationError", "serviceId", "must not be empty" },
   } },
   { "Tables", {
      { "sparse array `{ \"a\", nil, \"c\" }`", function(tm) return tm.create(create({ scopes = sparse() })) end,
        "SDKValidationError", "tokenCreateRequest.scopes", "sparse table %(2 values, largest key 3%)" },
      { "mixed table `{ \"a\", x = \"b\" }`", function(tm) return tm.create(create({ scopes = { "a", x = "b" } })) end,
        "SDKValidationError", "tokenCreateRequest.scopes", "got a table with key 'x'" },
      { "array starting at 0", function(tm) return tm.create(create({ scopes = { [0] = "a" } })) end,
        "SDKValidationError", "tokenCreateRequest.scopes", "got a table with key 0" },
      { "self-referencing table", function(tm) return tm.create(create({ scopes = cycle() })) end,
        "SDKValidationError", "tokenCreateRequest.scopes[1]", "expected string, got array" },
      { "nesting 10,000 levels deep", function(tm) return tm.create(create({ properties = deep(10000) })) end,
        "SDKValidationError", "tokenCreateRequest.properties[1]", "expected object, got array" },
      { "an object where an array belongs", function(tm) return tm.create(create({ scopes = { a = 1 } })) end,
        "SDKValidationError", "tokenCreateRequest.scopes", "got a table with key 'a'" },
      { "a function value", function(tm) return tm.create(create({ acr = print })) end,
        "SDKValidationError", "tokenCreateRequest.acr", "expected string, got function" },
   } },
   { "Identifiers in the path (sent, as one percent-encoded segment)", (function()
      local rows = {}
      for _, case in ipairs({
         { "`a/b`", "a/b", "a%2Fb" }, { "`x?y=1`", "x?y=1", "x%3Fy%3D1" }, { "`#frag`", "#frag", "%23frag" },
         { "`100%`", "100%", "100%25" }, { "`../../list`", "../../list", "..%2F..%2Flist" },
         { "`a\\r\\nb`", "a\r\nb", "a%0D%0Ab" }, { "`a\\0b`", "a\0b", "a%00b" },
      }) do
         rows[#rows + 1] = { case[1], function(tm) return tm.delete({ accessTokenIdentifier = case[2] }) end,
                             "sent", "/api/715948317/auth/token/delete/" .. case[3] }
      end
      rows[#rows + 1] = { "`serviceId = \"svc 1/é\"`", function(tm) return tm.list({ serviceId = "svc 1/é" }) end,
                          "sent", "/api/svc%201%2F%C3%A9/auth/token/get/list" }
      -- Dot segments: servers and libcurl resolve them ("delete/.." would be
      -- DELETE /api/{sid}/auth/token/), in whatever encoding they come.
      for _, dots in ipairs({ ".", "..", "%2e", "%2E%2e", ".%2e", "%252e%252E" }) do
         rows[#rows + 1] = { ("`%s` (a dot segment)"):format(dots),
                             function(tm) return tm.delete({ accessTokenIdentifier = dots }) end,
                             "SDKValidationError", "accessTokenIdentifier", "would be sent as a dot segment" }
      end
      rows[#rows + 1] = { "`serviceId = \"..\"`", function(tm) return tm.list({ serviceId = ".." }) end,
                          "SDKValidationError", "serviceId", "would be sent as a dot segment" }
      rows[#rows + 1] = { "`...` (not a dot segment)", function(tm) return tm.delete({ accessTokenIdentifier = "..." }) end,
                          "sent", "/api/715948317/auth/token/delete/..." }
      return rows
   end)() },
   { "Credentials and headers", {
      { "bearer with CR LF", function(tm) return tm.list({}) end, "InvalidRequestError", nil,
        "the bearer contains CR, LF or NUL", { bearer = "tok\r\nX-Evil: 1" } },
      { "bearer with NUL", function(tm) return tm.list({}) end, "InvalidRequestError", nil,
        "the bearer contains CR, LF or NUL", { bearer = "tok\0" } },
      { "bearer function that fails", function(tm) return tm.list({}) end, "InvalidRequestError", nil,
        "the bearer function failed", { bearer = function() error("vault sealed", 0) end } },
      { "per-call header value with CR LF", function(tm)
         return tm.list({}, { headers = { ["X-Trace"] = "a\r\nX-Evil: 1" } }) end, "raises", nil,
        "header 'X%-Trace' has a value containing CR, LF or NUL" },
   } },
   { "Options (raised at authlete.new: programming errors)", {
      { "`headers = { [\"X-A\"] = \"a\\nb\" }`", nil, "raises", nil, "containing CR, LF or NUL",
        { headers = { ["X-A"] = "a\nb" } } },
      { "`server_url = \"https://user:pw@host\"`", nil, "raises", nil, "must not carry user information",
        { server_url = "https://user:pw@host" } },
      { "`server_url = \"https://host/#frag\"`", nil, "raises", nil, "must not have a query or a fragment",
        { server_url = "https://host/#frag" } },
      { "`server_url = \"ftp://host\"`", nil, "raises", nil, "must use http or https", { server_url = "ftp://host" } },
      { "`server_url = \"javascript:alert(1)\"`", nil, "raises", nil, "is not an absolute URL",
        { server_url = "javascript:alert(1)" } },
      { "`server_url = \"garbage\"`", nil, "raises", nil, "is not an absolute URL", { server_url = "garbage" } },
      { "`server_url = \"https://h x\"`", nil, "raises", nil, "spaces or control characters", { server_url = "https://h x" } },
      { "`timeout = 5` (for `timeout_ms`)", nil, "raises", nil, "did you mean 'timeout_ms'", { timeout = 5 } },
   } },
   { "Numbers no transport can take (raised: programming errors; never converted to an integer)", (function()
      local rows = {}
      for _, name in ipairs({ "timeout_ms", "connect_timeout_ms", "max_response_bytes" }) do
         for _, v in ipairs({ { "1e300", 1e300 }, { "-1e300", -1e300 }, { "math.huge", math.huge },
                              { "0/0 (NaN)", 0 / 0 }, { "2^31", 2 ^ 31 } }) do
            rows[#rows + 1] = { ("`%s = %s`"):format(name, v[1]), nil, "raises", nil,
                                name .. " must be a positive integer up to 2^31 %- 1", { [name] = v[2] } }
         end
      end
      for _, v in ipairs({ { "1e300", 1e300 }, { "-math.huge", -math.huge }, { "0/0 (NaN)", 0 / 0 } }) do
         rows[#rows + 1] = { ("per-call `timeout_ms = %s`"):format(v[1]),
                             function(tm) return tm.list({}, { timeout_ms = v[2] }) end, "raises", nil,
                             "timeout_ms must be a positive integer up to 2^31 %- 1" }
      end
      return rows
   end)() },
   { "Every field of every request model, with a wrong type", every_field() },
}

--- Run one row. Returns the outcome (an error kind, "sent" or "raises"),
--- the field (for "sent": the path that went out), the message, and the
--- requests that reached the transport.
function catalogue.run(row)
   local ok, client, sent = pcall(catalogue.client, row[6])
   if not ok then return "raises", nil, client, {} end
   local call = row[2]
   if not call then
      client:close()
      return "no error", nil, nil, sent
   end
   local called, res, err = pcall(call, client.token.management)
   client:close()
   if not called then return "raises", nil, tostring(res), sent end
   if #sent > 0 then return "sent", sent[1].url:match("^https?://[^/]+(/[^?]*)"), nil, sent end
   if res ~= nil then return "no error", nil, nil, sent end
   return err.kind, err.field, err.message, sent
end

catalogue.BEARER = BEARER

return catalogue
