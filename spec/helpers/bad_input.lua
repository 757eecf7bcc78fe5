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
               input = ("%s.%s = %s"):format(op.bodyKey, f.name, wrong[2]),
               call = function(tm)
                  local body = valid_request(op.bodyKey, op.bodyModel)
                  body[f.name] = wrong[1]
                  return tm[op.name]({ [op.bodyKey] = body })
               end,
               kind = "SDKValidationError", field = op.bodyKey .. "." .. f.name, message = "expected" }
         end
      end
   end
   for model, where in pairs(nested) do
      for _, f in ipairs(models[model].fields) do
         local wrong = WRONG[f.type]
         local path = "tokenCreateRequest." .. where[1] .. where[2] .. "." .. f.name
         if model == "AuthzDetails" then path = "tokenCreateRequest.authorizationDetails." .. f.name end
         rows[#rows + 1] = {
            input = ("%s = %s"):format(path, wrong[2]),
            call = function(tm)
               local inner = { [f.name] = wrong[1] }
               if model == "AuthorizationDetailsElement" and f.name ~= "type" then inner.type = "t" end
               local value
               if model == "Property" then value = { inner }
               elseif model == "AuthzDetails" then value = inner
               else value = { elements = { inner } } end
               return tm.create(create({ [where[1]] = value }))
            end,
            kind = "SDKValidationError", field = path, message = "expected" }
      end
   end
   table.sort(rows, function(a, b) return a.input < b.input end)
   return rows
end

--- Sections of rows: { input (as the catalogue shows it), call(tm) -> res, err,
--- kind, field, message (a pattern), options (the client's, when a row needs its own) }.
--- kind "sent" means the request goes out (as one well-formed request).
catalogue.sections = {
   { "The request itself", {
      { input = "`list(nil)`", call = function(tm) return tm.list(nil) end, kind = "SDKValidationError", field = "",
        message = "expected table, got nil" },
      { input = "`list(\"john\")`", call = function(tm) return tm.list("john") end, kind = "SDKValidationError",
        field = "", message = "expected table, got string" },
      { input = "unknown parameter `subjct`", call = function(tm) return tm.list({ subjct = "john" }) end,
        kind = "SDKValidationError", field = "",
        message = "unknown field 'subjct' %(did you mean 'subject'%?%)" },
      { input = "unknown body key `tokenCreatRequest`",
        call = function(tm) return tm.create({ tokenCreatRequest = {} }) end,
        kind = "SDKValidationError", field = "", message = "did you mean 'tokenCreateRequest'" },
      { input = "positional value `{ \"john\" }`", call = function(tm) return tm.list({ "john" }) end,
        kind = "SDKValidationError", field = "",
        message = "non%-string key" },
      { input = "missing body", call = function(tm) return tm.create({}) end, kind = "SDKValidationError",
        field = "tokenCreateRequest", message = "required" },
      { input = "body that is a string", call = function(tm) return tm.create({ tokenCreateRequest = "{}" }) end,
        kind = "SDKValidationError", field = "tokenCreateRequest", message = "expected object, got string" },
   } },
   { "Required fields and either/or rules", {
      { input = "create without `grantType`", call = function(tm)
         return tm.create({ tokenCreateRequest = { clientId = 26888344961664, subject = "john" } }) end,
        kind = "SDKValidationError", field = "tokenCreateRequest.grantType", message = "required" },
      { input = "create without a client", call = function(tm)
         return tm.create({ tokenCreateRequest = { grantType = "PASSWORD", subject = "s" } }) end,
        kind = "SDKValidationError", field = "tokenCreateRequest",
          message = "one of clientId or clientIdentifier is required" },
      { input = "create with `clientIdentifier = \"\"` only", call = function(tm)
         return tm.create({ tokenCreateRequest = { grantType = "PASSWORD", clientIdentifier = "" } }) end,
        kind = "SDKValidationError", field = "tokenCreateRequest",
          message = "one of clientId or clientIdentifier is required" },
      { input = "update without an identifier of the token", call = function(tm)
         return tm.update({ tokenUpdateRequest = { scopes = {} } }) end,
        kind = "SDKValidationError", field = "tokenUpdateRequest",
        message = "one of accessToken, accessTokenHash, refreshToken or refreshTokenHash is required" },
      { input = "revoke without a criterion",
        call = function(tm) return tm.revoke({ tokenRevokeRequest = { subject = "" } }) end,
        kind = "SDKValidationError", field = "tokenRevokeRequest",
          message = "one of accessTokenIdentifier, refreshTokenIdentifier" },
      { input = "reissue without its tokens",
        call = function(tm) return tm.reissueIdToken({ idtokenReissueRequest = {} }) end,
        kind = "SDKValidationError", field = "idtokenReissueRequest.accessToken", message = "required" },
      { input = "authorization detail without `type`", call = function(tm)
         return tm.create(create({ authorizationDetails = { elements = { {} } } })) end,
        kind = "SDKValidationError", field = "tokenCreateRequest.authorizationDetails.elements[1].type",
          message = "required" },
      { input = "no `serviceId` and no client default", call = function(tm) return tm.list({}) end,
        kind = "SDKValidationError", field = "serviceId", message = "required", options = { service_id = false } },
   } },
   { "Names and enumerations", {
      { input = "`scope` for `scopes`", call = function(tm) return tm.create(create({ scope = { "openid" } })) end,
        kind = "SDKValidationError", field = "tokenCreateRequest", message = "did you mean 'scopes'" },
      { input = "`ClientID` for `clientId`", call = function(tm) return tm.create(create({ ClientID = 1 })) end,
        kind = "SDKValidationError", field = "tokenCreateRequest", message = "did you mean 'clientId'" },
      { input = "`sujbect` for `subject` (two letters swapped)",
        call = function(tm) return tm.create(create({ sujbect = "x" })) end,
        kind = "SDKValidationError", field = "tokenCreateRequest", message = "did you mean 'subject'" },
      { input = "`colour` (no close name)", call = function(tm) return tm.create(create({ colour = "red" })) end,
        kind = "SDKValidationError", field = "tokenCreateRequest",
          message = "unknown field 'colour' in TokenCreateRequest" },
      { input = "`grantType = \"MAGIC\"`", call = function(tm) return tm.create(create({ grantType = "MAGIC" })) end,
        kind = "SDKValidationError", field = "tokenCreateRequest.grantType",
          message = "'MAGIC' is not a GrantType; expected one of" },
      { input = "`tokenStatus = \"valid\"`", call = function(tm) return tm.list({ tokenStatus = "valid" }) end,
        kind = "SDKValidationError", field = "tokenStatus", message = "expected one of VALID, INVALID, ALL" },
      { input = "`idTokenAudType = \"list\"`", call = function(tm)
         return tm.reissueIdToken({ idtokenReissueRequest = { accessToken = "a", refreshToken = "r",
            idTokenAudType = "list" } }) end,
        kind = "SDKValidationError", field = "idtokenReissueRequest.idTokenAudType",
          message = "expected one of array, string" },
   } },
   { "Numbers", {
      { input = "`clientId = 0/0` (NaN)", call = function(tm) return tm.create(create({ clientId = 0 / 0 })) end,
        kind = "SDKValidationError", field = "tokenCreateRequest.clientId", message = "got NaN" },
      { input = "`clientId = math.huge`", call = function(tm) return tm.create(create({ clientId = math.huge })) end,
        kind = "SDKValidationError", field = "tokenCreateRequest.clientId", message = "got inf" },
      { input = "`clientId = -math.huge`",
        call = function(tm) return tm.create(create({ clientId = -math.huge })) end,
        kind = "SDKValidationError", field = "tokenCreateRequest.clientId", message = "got %-inf" },
      { input = "`clientId = 1.5`", call = function(tm) return tm.create(create({ clientId = 1.5 })) end,
        kind = "SDKValidationError", field = "tokenCreateRequest.clientId", message = "got 1.5" },
      { input = "`clientId = 2^53 + 2` (a float)",
        call = function(tm) return tm.create(create({ clientId = 2 ^ 53 + 2 })) end,
        kind = "SDKValidationError", field = "tokenCreateRequest.clientId", message = "beyond 2%^53" },
      { input = "`clientId = \"26888344961664\"`",
        call = function(tm) return tm.create(create({ clientId = "26888344961664" })) end,
        kind = "SDKValidationError", field = "tokenCreateRequest.clientId",
          message = "expected integer, got string" },
      { input = "`end = 2147483648` (int32)", call = function(tm) return tm.list({ ["end"] = 2147483648 }) end,
        kind = "SDKValidationError", field = "end", message = "out of the int32 range" },
      { input = "`start = \"0\"`", call = function(tm) return tm.list({ start = "0" }) end,
        kind = "SDKValidationError", field = "start", message = "expected integer, got string" },
   } },
   { "Strings", {
      { input = "invalid UTF-8 `\"jo\\192\\128hn\"` (overlong)",
        call = function(tm) return tm.create(create({ subject = "jo\192\128hn" })) end,
        kind = "SDKValidationError", field = "tokenCreateRequest.subject", message = "invalid UTF%-8 at byte 3" },
      { input = "a UTF-16 surrogate in UTF-8",
        call = function(tm) return tm.create(create({ subject = "\237\160\128" })) end,
        kind = "SDKValidationError", field = "tokenCreateRequest.subject", message = "invalid UTF%-8 at byte 1" },
      { input = "a stray byte `\"\\255\"` in a path parameter",
        call = function(tm) return tm.list({ serviceId = "\255" }) end,
        kind = "SDKValidationError", field = "serviceId", message = "invalid UTF%-8" },
      { input = "a 5000-byte `subject` parameter",
        call = function(tm) return tm.list({ subject = ("x"):rep(5000) }) end,
        kind = "SDKValidationError", field = "subject", message = "5000 bytes is longer than the 4096 allowed" },
      { input = "a 2 MiB body",
        call = function(tm) return tm.revoke({ tokenRevokeRequest = { subject = ("x"):rep(2 ^ 21) } }) end,
        kind = "SDKValidationError", field = "tokenRevokeRequest", message = "over the 1048576 allowed" },
      { input = "`jwtAtClaims = \"[1]\"` (not an object)",
        call = function(tm) return tm.create(create({ jwtAtClaims = "[1]" })) end,
        kind = "SDKValidationError", field = "tokenCreateRequest.jwtAtClaims",
          message = "a string holding a JSON object" },
      { input = "`jwtAtClaims = '{\"a\":}'` (broken JSON)",
        call = function(tm) return tm.create(create({ jwtAtClaims = '{"a":}' })) end,
        kind = "SDKValidationError", field = "tokenCreateRequest.jwtAtClaims",
          message = "a string holding a JSON object" },
      { input = "empty `serviceId`", call = function(tm) return tm.list({ serviceId = "" }) end,
        kind = "SDKValidationError", field = "serviceId", message = "must not be empty" },
   } },
   { "Tables", {
      { input = "sparse array `{ \"a\", nil, \"c\" }`",
        call = function(tm) return tm.create(create({ scopes = sparse() })) end,
        kind = "SDKValidationError", field = "tokenCreateRequest.scopes",
          message = "sparse table %(2 values, largest key 3%)" },
      { input = "mixed table `{ \"a\", x = \"b\" }`",
        call = function(tm) return tm.create(create({ scopes = { "a", x = "b" } })) end,
        kind = "SDKValidationError", field = "tokenCreateRequest.scopes", message = "got a table with key 'x'" },
      { input = "array starting at 0", call = function(tm) return tm.create(create({ scopes = { [0] = "a" } })) end,
        kind = "SDKValidationError", field = "tokenCreateRequest.scopes", message = "got a table with key 0" },
      { input = "self-referencing table", call = function(tm) return tm.create(create({ scopes = cycle() })) end,
        kind = "SDKValidationError", field = "tokenCreateRequest.scopes[1]", message = "expected string, got array" },
      { input = "nesting 10,000 levels deep",
        call = function(tm) return tm.create(create({ properties = deep(10000) })) end,
        kind = "SDKValidationError", field = "tokenCreateRequest.properties[1]",
          message = "expected object, got array" },
      { input = "an object where an array belongs",
        call = function(tm) return tm.create(create({ scopes = { a = 1 } })) end,
        kind = "SDKValidationError", field = "tokenCreateRequest.scopes", message = "got a table with key 'a'" },
      { input = "a function value", call = function(tm) return tm.create(create({ acr = print })) end,
        kind = "SDKValidationError", field = "tokenCreateRequest.acr", message = "expected string, got function" },
   } },
   { "Identifiers in the path (sent, as one percent-encoded segment)", (function()
      local rows = {}
      for _, case in ipairs({
         { "`a/b`", "a/b", "a%2Fb" }, { "`x?y=1`", "x?y=1", "x%3Fy%3D1" }, { "`#frag`", "#frag", "%23frag" },
         { "`100%`", "100%", "100%25" }, { "`../../list`", "../../list", "..%2F..%2Flist" },
         { "`a\\r\\nb`", "a\r\nb", "a%0D%0Ab" }, { "`a\\0b`", "a\0b", "a%00b" },
      }) do
         rows[#rows + 1] = { input = case[1],
           call = function(tm) return tm.delete({ accessTokenIdentifier = case[2] }) end,
                             kind = "sent", field = "/api/715948317/auth/token/delete/" .. case[3] }
      end
      rows[#rows + 1] = { input = "`serviceId = \"svc 1/é\"`",
        call = function(tm) return tm.list({ serviceId = "svc 1/é" }) end,
                          kind = "sent", field = "/api/svc%201%2F%C3%A9/auth/token/get/list" }
      -- Dot segments: servers and libcurl resolve them ("delete/.." would be
      -- DELETE /api/{sid}/auth/token/), in whatever encoding they come.
      for _, dots in ipairs({ ".", "..", "%2e", "%2E%2e", ".%2e", "%252e%252E" }) do
         rows[#rows + 1] = { input = ("`%s` (a dot segment)"):format(dots),
                             call = function(tm) return tm.delete({ accessTokenIdentifier = dots }) end,
                             kind = "SDKValidationError", field = "accessTokenIdentifier",
                               message = "would be sent as a dot segment" }
      end
      rows[#rows + 1] = { input = "`serviceId = \"..\"`",
        call = function(tm) return tm.list({ serviceId = ".." }) end,
                          kind = "SDKValidationError", field = "serviceId",
                            message = "would be sent as a dot segment" }
      rows[#rows + 1] = { input = "`...` (not a dot segment)",
        call = function(tm) return tm.delete({ accessTokenIdentifier = "..." }) end,
                          kind = "sent", field = "/api/715948317/auth/token/delete/..." }
      return rows
   end)() },
   { "Credentials and headers", {
      { input = "bearer with CR LF", call = function(tm) return tm.list({}) end, kind = "InvalidRequestError",
        message = "the bearer contains CR, LF or NUL", options = { bearer = "tok\r\nX-Evil: 1" } },
      { input = "bearer with NUL", call = function(tm) return tm.list({}) end, kind = "InvalidRequestError",
        message = "the bearer contains CR, LF or NUL", options = { bearer = "tok\0" } },
      { input = "bearer function that fails", call = function(tm) return tm.list({}) end,
        kind = "InvalidRequestError",
        message = "the bearer function failed", options = { bearer = function() error("vault sealed", 0) end } },
      { input = "per-call header value with CR LF", call = function(tm)
         return tm.list({}, { headers = { ["X-Trace"] = "a\r\nX-Evil: 1" } }) end, kind = "raises",
        message = "header 'X%-Trace' has a value containing CR, LF or NUL" },
   } },
   { "Options (raised at authlete.new: programming errors)", {
      { input = "`headers = { [\"X-A\"] = \"a\\nb\" }`", kind = "raises", message = "containing CR, LF or NUL",
        options = { headers = { ["X-A"] = "a\nb" } } },
      { input = "`server_url = \"https://user:pw@host\"`", kind = "raises",
        message = "must not carry user information",
        options = { server_url = "https://user:pw@host" } },
      { input = "`server_url = \"https://host/#frag\"`", kind = "raises",
        message = "must not have a query or a fragment",
        options = { server_url = "https://host/#frag" } },
      { input = "`server_url = \"ftp://host\"`", kind = "raises", message = "must use http or https",
        options = { server_url = "ftp://host" } },
      { input = "`server_url = \"javascript:alert(1)\"`", kind = "raises", message = "is not an absolute URL",
        options = { server_url = "javascript:alert(1)" } },
      { input = "`server_url = \"garbage\"`", kind = "raises", message = "is not an absolute URL",
        options = { server_url = "garbage" } },
      { input = "`server_url = \"https://h x\"`", kind = "raises", message = "spaces or control characters",
        options = { server_url = "https://h x" } },
      { input = "`timeout = 5` (for `timeout_ms`)", kind = "raises", message = "did you mean 'timeout_ms'",
        options = { timeout = 5 } },
   } },
   { "Numbers no transport can take (raised: programming errors; never converted to an integer)", (function()
      local rows = {}
      for _, name in ipairs({ "timeout_ms", "connect_timeout_ms", "max_response_bytes" }) do
         for _, v in ipairs({ { "1e300", 1e300 }, { "-1e300", -1e300 }, { "math.huge", math.huge },
                              { "0/0 (NaN)", 0 / 0 }, { "2^31", 2 ^ 31 } }) do
            rows[#rows + 1] = { input = ("`%s = %s`"):format(name, v[1]), kind = "raises",
                                message = name .. " must be a positive integer up to 2^31 %- 1",
                                  options = { [name] = v[2] } }
         end
      end
      for _, v in ipairs({ { "1e300", 1e300 }, { "-math.huge", -math.huge }, { "0/0 (NaN)", 0 / 0 } }) do
         rows[#rows + 1] = { input = ("per-call `timeout_ms = %s`"):format(v[1]),
                             call = function(tm) return tm.list({}, { timeout_ms = v[2] }) end, kind = "raises",
                             message = "timeout_ms must be a positive integer up to 2^31 %- 1" }
      end
      return rows
   end)() },
   { "Every field of every request model, with a wrong type", every_field() },
}

--- Run one row. Returns the outcome (an error kind, "sent" or "raises"),
--- the field (for "sent": the path that went out), the message, and the
--- requests that reached the transport.
function catalogue.run(row)
   local ok, client, sent = pcall(catalogue.client, row.options)
   if not ok then return "raises", nil, client, {} end
   local call = row.call
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
