-- Every error kind a call can return, how it reads, and that the bearer
-- never appears in any of it.
local authlete = require("authlete")
local support = require("spec.helpers.client")
local servers = require("spec.helpers.servers")

describe("client errors", function()
   local mock, new, client
   setup(function() mock, new, client = support.start() end)
   teardown(function() support.stop(mock, client) end)
   before_each(function() mock:reset() end)

   local function call(op, request, c, opts)
      local res, err = (c or client).token.management[op](request, opts)
      assert.is_nil(res)
      assert.is_true(authlete.is_error(err))
      return err
   end

   it("SDKValidationError: names the field and sends nothing", function()
      local err = call("create", support.create_request({ scopes = { "a", 2 } }))
      assert.are.same({ "SDKValidationError", "create", "tokenCreateRequest.scopes[2]" },
         { err.kind, err.operation, err.field })
      assert.matches("^tokenCreateRequest%.scopes%[2%]: expected string, got ", err.message)
      assert.matches("^SDKValidationError: tokenCreateRequest%.scopes%[2%]: expected string", tostring(err))
      assert.are.equal(0, mock:stats().api_requests)
   end)

   it("ResultError: Authlete's error answer, action kept", function()
      local err = call("create", support.create_request({ clientId = 1 }))
      assert.are.same({ "ResultError", "create", 400, "A109202", "BAD_REQUEST" },
         { err.kind, err.operation, err.statusCode, err.resultCode, err.action })
      assert.matches("does not exist", err.resultMessage)
      assert.matches("^application/json", err.contentType)
      assert.matches("^application/json", err.headers["content-type"])
      assert.matches('"resultCode":"A109202"', err.body)
      assert.are.equal("ResultError: [A109202] The client (ID = 1) does not exist. (HTTP 400, create)", tostring(err))
   end)

   it("ResultError: keeps every field the server sent in err.data, secrets and token values redacted", function()
      mock:fault({ operation = "update", status = 400, headers = { ["Content-Type"] = "application/json" },
         body = { resultCode = "A135299", resultMessage = "[A135299] no", action = "BAD_REQUEST",
                  futureField = { nested = { 1, 2 }, echo = "Bearer " .. support.BEARER },
                  accessToken = "a-token-value-that-must-not-be-kept" } })
      local err = call("update", { tokenUpdateRequest = { accessToken = "x" } })
      assert.are.same({ "ResultError", "A135299" }, { err.kind, err.resultCode })
      assert.are.same({ 1, 2 }, err.data.futureField.nested)
      assert.are.equal("Bearer [redacted]", err.data.futureField.echo)
      assert.are.equal("[redacted]", err.data.accessToken)
      assert.are.equal("A135299", err.data.resultCode)
   end)

   it("ResultError: a create answered 200 with an error action", function()
      mock:configure({ error_style = "action" })
      local err = call("create", support.create_request({ clientId = 1 }))
      mock:configure({ error_style = "status" })
      assert.are.same({ "ResultError", 200, "BAD_REQUEST" }, { err.kind, err.statusCode, err.action })
      assert.are.equal(0, mock:stats().tokens)
   end)

   it("AuthleteDefaultError: an HTML 502 from a proxy", function()
      mock:fault({ status = 502, headers = { ["Content-Type"] = "text/html" }, body = "<html>Bad Gateway</html>" })
      local err = call("list", {})
      assert.are.same({ "AuthleteDefaultError", 502, "text/html", "<html>Bad Gateway</html>" },
         { err.kind, err.statusCode, err.contentType, err.body })
      -- each fact once: the message names the status and the operation already
      assert.are.equal("AuthleteDefaultError: list answered HTTP 502 text/html", tostring(err))
   end)

   it("ResponseValidationError: malformed JSON and wrong types in a success answer", function()
      mock:fault({ status = 200, headers = { ["Content-Type"] = "application/json" }, body = '{"start":' })
      local err = call("list", {})
      assert.are.equal("ResponseValidationError", err.kind)
      assert.matches("invalid JSON", err.message)
      mock:fault({ status = 200, headers = { ["Content-Type"] = "application/json" },
                   body = '{"accessTokens":[{"clientId":"26888344961664"}]}' })
      err = call("list", {})
      assert.are.same({ "ResponseValidationError", "accessTokens[1].clientId" }, { err.kind, err.field })
   end)

   it("keeps token values out of an error's body, even where the excerpt cuts one short", function()
      local answer = '{"resultCode":"A109001","action":"OK","accessToken":"LIVE-ACCESS-TOKEN",' ..
         '"refreshToken":"LIVE-REFRESH-TOKEN","clientId":"not a number","subject":"john"}'
      mock:fault({ status = 200, headers = { ["Content-Type"] = "application/json" }, body = answer })
      local err = call("create", support.create_request())
      assert.are.same({ "ResponseValidationError", "clientId" }, { err.kind, err.field })
      assert.is_nil(err.body:find("LIVE", 1, true))
      assert.matches('"accessToken":"[redacted]","refreshToken":"[redacted]","clientId":"not a number"', err.body, 1, true)
      -- past the 512-byte excerpt: the cut value is redacted to its end
      mock:fault({ status = 200, headers = { ["Content-Type"] = "application/json" },
                   body = '{"clientId":"x","resultMessage":"' .. ("m"):rep(440) .. '","accessToken":"LIVE-' ..
                      ("t"):rep(100) .. '"}' })
      err = call("create", support.create_request())
      assert.is_nil(err.body:find("LIVE", 1, true))
      assert.are.equal('"accessToken":"[redacted]', err.body:sub(-#'"accessToken":"[redacted]'))
      -- an ID token inside reissueIdToken's responseContent, escaped quotes and all
      mock:fault({ status = 200, headers = { ["Content-Type"] = "application/json" },
                   body = '{"action":"OK","responseContent":"{\\"id_token\\":\\"LIVE.JWT\\"}","idToken":7}' })
      err = call("reissueIdToken", { idtokenReissueRequest = { accessToken = "a", refreshToken = "r" } })
      assert.are.same({ "ResponseValidationError", "idToken" }, { err.kind, err.field })
      assert.is_nil(err.body:find("LIVE", 1, true))
      assert.matches('"responseContent":"[redacted]","idToken":7}', err.body, 1, true)
   end)

   it("ConnectionError: refused, unresolvable, dropped, truncated, too large", function()
      local refused = new({ server_url = ("http://127.0.0.1:%d"):format(servers.free_port()) })
      local err = call("list", {}, refused)
      refused:close()
      assert.are.same({ "ConnectionError", "connect", false }, { err.kind, err.reason, err.sent })
      local nowhere = new({ server_url = "http://no-such-host.invalid" })
      assert.are.equal("connect", call("list", {}, nowhere).reason)
      nowhere:close()
      -- A create on the kept-alive connection, dropped after the server
      -- made the token: an error, never a second token.
      assert(client.token.management.list({}))
      mock:fault({ operation = "create", drop = "after" })
      err = call("create", support.create_request())
      assert.are.same({ "ConnectionError", "protocol", true }, { err.kind, err.reason, err.sent })
      assert.are.same({ 1, 1 }, { mock:stats().requests.create, mock:stats().tokens })
      mock:fault({ truncate = 10 })
      assert.are.equal("protocol", call("list", {}).reason)
      local small = new({ max_response_bytes = 10 })
      assert.are.equal("too_large", call("list", {}, small).reason)
      small:close()
      assert(client.token.management.list({})) -- the same client carries on
   end)

   it("RequestTimeoutError: the deadline passes, also one byte at a time", function()
      mock:fault({ delay_ms = 3000 })
      local err = call("list", {}, nil, { timeout_ms = 200 })
      assert.are.same({ "RequestTimeoutError", "timeout" }, { err.kind, err.reason })
      mock:fault({ trickle_ms = 50 })
      err = call("list", {}, nil, { timeout_ms = 300 })
      assert.are.equal("RequestTimeoutError", err.kind)
      assert(client.token.management.list({}))
   end)

   it("InvalidRequestError: a bearer that cannot be sent", function()
      local c = new({ bearer = "a\nb" })
      local err = call("list", {}, c)
      c:close()
      assert.are.same({ "InvalidRequestError", "list" }, { err.kind, err.operation })
   end)

   it("raises a readable error through assert, on this Lua", function()
      local ok, err = pcall(function() return assert(client.token.management.create(support.create_request({ clientId = 1 }))) end)
      assert.is_false(ok)
      assert.matches("^ResultError: %[A109202%]", tostring(err))
   end)

   it("never lets the bearer reach an error, a message or a hook", function()
      local seen = {}
      local function keep(info) seen[#seen + 1] = info end
      local c = new({ hooks = { before_request = keep, after_response = keep } })
      local errs = {}
      local function collect(op, request, opts, target)
         local _, err = (target or c).token.management[op](request, opts)
         errs[#errs + 1] = err
         errs[#errs + 1] = tostring(err)
      end
      collect("create", support.create_request({ scopes = { 1 } }))
      collect("create", support.create_request({ clientId = 1 }))
      mock:fault({ status = 502, body = "proxy saw Authorization: Bearer " .. support.BEARER })
      collect("list", {})
      mock:fault({ status = 401, headers = { ["Content-Type"] = "application/json", ["X-Echo"] = support.BEARER },
                   body = { resultCode = "A001203", resultMessage = "bad token " .. support.BEARER } })
      collect("list", {})
      mock:fault({ status = 200, headers = { ["Content-Type"] = "application/json" }, body = "{" .. support.BEARER })
      collect("list", {})
      mock:fault({ truncate = 5 })
      collect("list", {})
      mock:fault({ delay_ms = 2000 })
      collect("list", {}, { timeout_ms = 100 })
      local bad = new({ bearer = support.BEARER .. "\n" })
      collect("list", {}, nil, bad)
      bad:close()
      c:close()
      assert.are.equal(16, #errs)
      for _, s in ipairs(support.strings({ errs, seen })) do
         assert.falsy(s:find(support.BEARER, 1, true), s)
      end
   end)
end)
