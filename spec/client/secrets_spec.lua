-- The bearer never reaches an error, a message or a hook, whatever a
-- server or proxy echoes: as is, JSON-escaped, percent-encoded, past the
-- body excerpt's cut, in a header; and a short bearer does not mangle
-- unrelated text.
local authlete = require("authlete")

local SECRET = "sk/live+Ab3=Zz09xYq/7w"

-- Every form an echo may take.
local function forms(secret)
   local json_slash = secret:gsub("/", "\\/")
   local unicode = secret:gsub(".", function(c) return ("\\u%04x"):format(c:byte()) end)
   local mixed = secret:gsub("[A-Z]", function(c) return ("\\u%04X"):format(c:byte()) end)
   local percent = secret:gsub("[^%w]", function(c) return ("%%%02X"):format(c:byte()) end)
   return { secret, json_slash, unicode, mixed, percent }
end

-- A client whose transport answers every request with (status, headers, body).
local function client_answering(bearer, status, headers, body, hooks)
   return authlete.new({ bearer = bearer, service_id = "715948317", server_url = "https://auth.example.org",
      hooks = hooks, transport = function() return status, headers, body end })
end

-- Everything of an error a program could print or log.
local function printable(err)
   local parts = { tostring(err) }
   for _, v in pairs(err) do
      if type(v) == "string" then parts[#parts + 1] = v end
   end
   for k, v in pairs(err.headers or {}) do parts[#parts + 1] = k .. ": " .. v end
   return table.concat(parts, "\n")
end

local function assert_no_secret(text, secret)
   for _, form in ipairs(forms(secret)) do
      assert.falsy(text:find(form, 1, true), "found " .. form .. " in:\n" .. text)
   end
end

describe("secrets in answers", function()
   for i, form in ipairs(forms(SECRET)) do
      it(("scrubs an echo of the bearer, form %d, in every error field and header"):format(i), function()
         -- a success status whose body does not fit: a ResponseValidationError,
         -- with the echo straddling the 512-byte excerpt and again past it
         local body = '{"start":"' .. ("x"):rep(500) .. form .. '","echo":"' .. form .. '"}'
         local headers = { ["content-type"] = "application/json",
                           ["www-authenticate"] = 'Bearer error="invalid_token", token="' .. form .. '"' }
         local seen = {}
         local c = client_answering(" " .. SECRET .. "\t", 200, headers, body, {
            after_response = function(info) seen[#seen + 1] = info end })
         local res, err = c.token.management.list({})
         assert.is_nil(res)
         assert.are.equal("ResponseValidationError", err.kind)
         assert.is_true(#err.body <= 512)
         assert_no_secret(printable(err), SECRET)
         for k, v in pairs(seen[1].headers) do assert_no_secret(k .. v, SECRET) end

         -- an error answer (kept whole) from a proxy
         c = client_answering(SECRET, 502, { ["content-type"] = "text/html" },
                              "<html>token " .. form .. " refused</html>")
         res, err = c.token.management.list({})
         assert.is_nil(res)
         assert.are.equal("AuthleteDefaultError", err.kind)
         assert.matches("refused", err.body)
         assert_no_secret(printable(err), SECRET)
      end)
   end

   it("sends a bearer given with spaces or its own prefix as exactly 'Bearer <token>'", function()
      for _, given in ipairs({ " " .. SECRET .. " ", "Bearer " .. SECRET, "bearer   " .. SECRET .. "\t" }) do
         local sent
         local c = authlete.new({ bearer = given, service_id = "1", server_url = "https://auth.example.org",
            transport = function(req)
               sent = req.headers.Authorization
               return 502, {}, "echo: " .. SECRET
            end })
         local _, err = c.token.management.list({})
         assert.are.equal("Bearer " .. SECRET, sent)
         assert_no_secret(printable(err), SECRET)
      end
   end)

   it("a short bearer is scrubbed where it stands alone, and leaves words that contain it", function()
      local c = client_answering("ok", 502, { ["content-type"] = "text/plain" }, "token ok broken: ok")
      local _, err = c.token.management.list({})
      assert.are.equal("token [redacted] broken: [redacted]", err.body)
   end)

   it("keeps a failing bearer function's text out of the message", function()
      local c = authlete.new({ service_id = "1", server_url = "https://auth.example.org",
         bearer = function() error("refresh failed for " .. SECRET, 0) end,
         transport = function() error("nothing may be sent") end })
      local _, err = c.token.management.list({})
      assert.are.equal("InvalidRequestError", err.kind)
      assert_no_secret(tostring(err) .. err.message, SECRET)
      assert.matches("refresh failed", err.cause)
   end)
end)
