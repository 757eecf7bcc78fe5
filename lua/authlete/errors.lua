--- Error objects: what a failed call returns as its second value.
---
--- Every error is a table with stable fields a program can test (`kind`,
--- `message`, `operation`, and where they apply `field`, `statusCode`,
--- `body`, `headers`, `contentType`, `resultCode`, `resultMessage`,
--- `action`, `attempts`, `reason`; `data`, a ResultError's whole decoded
--- body, fields this version does not know included), and a `__tostring` that reads well in a
--- log line or an uncaught error:
---
---   ResultError: [A109202] The client (ID = 1) does not exist. (HTTP 400, create)
local errors = {}

local Error = {}
Error.__index = Error

--- The kinds, as `err.kind` names them.
errors.KINDS = {
   SDKValidationError = "the request is not what the API accepts; nothing was sent",
   ResultError = "Authlete answered with an error (resultCode, resultMessage, action)",
   AuthleteDefaultError = "an error status or body that is not Authlete's",
   ResponseValidationError = "a success answer that does not fit the API's model",
   ConnectionError = "the connection failed: refused, unresolvable, TLS, cut short, too large",
   RequestTimeoutError = "the call's deadline passed",
   InvalidRequestError = "the request could not be formed (the bearer, say)",
   HookError = "hooks.after_response raised; the call's own result or error comes with it",
   PausedError = "Authlete asked for a pause (429 or 503 with Retry-After) that has not ended; nothing was sent",
}

-- "[A109202] /auth/token/create, The client …" -> "[A109202] The client …":
-- the API path Authlete repeats in its messages adds nothing to ours.
local function short_result_message(msg)
   return (msg:gsub("^(%[[%w]+%]) /[%w/_-]+, ", "%1 "))
end

local function summary(err)
   local text = err.message or err.kind
   if err.kind == "ResultError" and err.resultMessage then
      text = short_result_message(err.resultMessage)
      if err.resultCode and not text:find(err.resultCode, 1, true) then
         text = "[" .. err.resultCode .. "] " .. text
      end
   end
   -- each fact once: a message that names the status or the operation
   -- already ("list answered HTTP 502 …") is not followed by them again
   local function new(fact) return not (" " .. text .. " "):find("[%s(]" .. fact:gsub("%p", "%%%0") .. "[%s),:]") end
   local where = {}
   if err.statusCode and new("HTTP " .. err.statusCode) then where[#where + 1] = "HTTP " .. err.statusCode end
   if err.operation and new(err.operation) then where[#where + 1] = err.operation end
   if err.attempts and err.attempts > 1 then where[#where + 1] = err.attempts .. " attempts" end
   if #where > 0 then text = text .. " (" .. table.concat(where, ", ") .. ")" end
   return err.kind .. ": " .. text
end

Error.__tostring = summary

-- The secret's characters may come back escaped: JSON writes "/" as "\/"
-- and any character as "\u00XX", a URL any byte as "%XX". The length of the
-- form of byte c at position i of s, or nil.
local function escaped_at(s, i, c)
   local b = s:byte(i)
   if b == c then return 1 end
   if b == 37 then -- %XX
      local h = s:match("^%%(%x%x)", i)
      return h and tonumber(h, 16) == c and 3 or nil
   end
   if b ~= 92 then return nil end -- a backslash
   local n = s:byte(i + 1)
   if n == c and (c == 47 or c == 34 or c == 92) then return 2 end -- \/ \" \\
   if n == 117 then -- \uXXXX
      local h = s:match("^\\u(%x%x%x%x)", i)
      return h and tonumber(h, 16) == c and 6 or nil
   end
end

-- Where secret occurs in s from init on, in any of those forms: i, j.
local function find_escaped(s, secret, init)
   local first = secret:byte(1)
   local class = "[" .. (secret:sub(1, 1):match("%w") and secret:sub(1, 1) or "%" .. secret:sub(1, 1)) .. "\\%%]"
   while true do
      local i = s:find(class, init)
      if not i then return nil end
      local j = i
      for k = 1, #secret do
         local len = escaped_at(s, j, k == 1 and first or secret:byte(k))
         if not len then j = nil break end
         j = j + len
      end
      if j then return i, j - 1 end
      init = i + 1
   end
end

-- Secrets shorter than this are replaced only where they stand alone (not
-- inside a longer word): replacing every "ab" would mangle unrelated text.
local SHORT = 16
local TOKEN_CHAR = "[%w%-%._~%+/=]"

--- value with every occurrence of secret, in any form a server or proxy
--- could echo it (as is, JSON-escaped, percent-encoded), replaced by
--- "[redacted]".
local function scrub(value, secret)
   if type(value) ~= "string" or not secret or secret == "" then return value end
   local escapes = value:find("[\\%%]") ~= nil
   local out, start, from = {}, 1, 1
   while true do
      local i, j
      if escapes then i, j = find_escaped(value, secret, from) else i, j = value:find(secret, from, true) end
      if not i then break end
      if #secret >= SHORT or not ((value:sub(i - 1, i - 1)):find(TOKEN_CHAR) or (value:sub(j + 1, j + 1)):find(TOKEN_CHAR)) then
         out[#out + 1] = value:sub(start, i - 1)
         out[#out + 1] = "[redacted]"
         start = j + 1
      end
      from = j + 1
   end
   out[#out + 1] = value:sub(start)
   return table.concat(out)
end

errors.scrub = scrub

-- The answer fields that carry a token's value. An error keeps the body it
-- came with (or its first 512 bytes), and error bodies end up in logs: a
-- create answer that failed validation must not put a live access token
-- there.
local TOKEN_FIELDS = { "accessToken", "refreshToken", "jwtAccessToken", "idToken", "responseContent" }

-- How much of the body a ResponseValidationError keeps.
local BODY_EXCERPT = 512

-- The end of the JSON string whose text starts at i: the index of its
-- closing quote, or #s + 1 when the excerpt cut it short.
local function string_end(s, i)
   while i <= #s do
      local c = s:byte(i)
      if c == 34 then return i end -- '"'
      i = i + (c == 92 and 2 or 1) -- a backslash escapes the next byte
   end
   return #s + 1
end

--- body with the values of TOKEN_FIELDS replaced by "[redacted]" (a value
--- cut short by the excerpt included).
local function redact_tokens(body)
   for _, name in ipairs(TOKEN_FIELDS) do
      local from = 1
      while true do
         local _, open = body:find('"' .. name .. '"%s*:%s*"', from)
         if not open then break end
         local close = string_end(body, open + 1)
         body = body:sub(1, open) .. "[redacted]" .. body:sub(close)
         from = open + 1
      end
   end
   return body
end

-- A copy of a decoded body with secret scrubbed from every string and the
-- values of TOKEN_FIELDS replaced, as in `body`.
local REDACTED_FIELD = {}
for _, name in ipairs(TOKEN_FIELDS) do REDACTED_FIELD[name] = true end

local function scrub_data(value, secret, depth)
   if type(value) ~= "table" then return scrub(value, secret) end
   if depth > 64 then return "[redacted]" end
   local out = setmetatable({}, getmetatable(value)) -- arrays keep core.array_mt
   for k, v in pairs(value) do
      out[k] = REDACTED_FIELD[k] and type(v) == "string" and "[redacted]" or scrub_data(v, secret, depth + 1)
   end
   return out
end

--- A copy of a headers table with secret scrubbed from every value.
function errors.scrub_headers(headers, secret)
   local out = {}
   for k, v in pairs(headers) do out[k] = scrub(v, secret) end
   return out
end

--- Make an error object from fields. `secret` (the bearer) is scrubbed from
--- every string field and header, should a server or proxy echo it back,
--- and token values from the body.
function errors.new(fields, secret)
   local err = setmetatable({}, Error)
   for k, v in pairs(fields) do err[k] = scrub(v, secret) end
   if type(fields.headers) == "table" then err.headers = errors.scrub_headers(fields.headers, secret) end
   if type(fields.data) == "table" then err.data = scrub_data(fields.data, secret, 0) end
   if type(err.body) == "string" then
      -- scrubbed whole first: a cut could leave part of an echoed secret
      if err.kind == "ResponseValidationError" and #err.body > BODY_EXCERPT then
         err.body = err.body:sub(1, BODY_EXCERPT)
      end
      err.body = redact_tokens(err.body)
   end
   err.message = err.message or summary(err)
   return err
end

--- Is v one of our error objects?
function errors.is(v)
   return getmetatable(v) == Error
end

--- The error for a transport failure (nil, kind, message, sent).
function errors.transport(kind, message, sent, fields, secret)
   local f = {}
   for k, v in pairs(fields) do f[k] = v end
   f.kind = kind == "timeout" and "RequestTimeoutError" or "ConnectionError"
   f.reason = kind
   f.sent = sent
   f.message = message
   return errors.new(f, secret)
end

return errors
