--- A mock server and clients pointed at it, for the client specs.
local authlete = require("authlete")
local helper = require("spec.helpers.mock")

local M = {}

--- Start a mock; returns it and a function making clients for it.
function M.setup(mock_opts)
   local mock = helper.start(mock_opts)
   local function new(opts)
      local o = { bearer = helper.BEARER, server_url = mock.url, service_id = mock.service_id }
      for k, v in pairs(opts or {}) do o[k] = v end
      for k, v in pairs(o) do
         if v == false and k ~= "ssl_verify" then o[k] = nil end -- false: leave the option out
      end
      return authlete.new(o)
   end
   return mock, new
end

--- For a describe block's setup: a mock, a function making clients for it,
--- and one client made by it.
function M.start(mock_opts)
   local mock, new = M.setup(mock_opts)
   return mock, new, new()
end

--- For its teardown: close the client, stop the mock.
function M.stop(mock, client)
   client:close()
   mock:stop()
end

--- The reference page's create request.
function M.create_request(overrides)
   local body = { grantType = "AUTHORIZATION_CODE", clientId = 26888344961664, subject = "john",
                  scopes = { "history.read", "timeline.read" } }
   for k, v in pairs(overrides or {}) do body[k] = v end
   return { tokenCreateRequest = body }
end

--- Every string reachable from v (keys and values, through tables).
function M.strings(v, out, seen)
   out, seen = out or {}, seen or {}
   if type(v) == "string" then
      out[#out + 1] = v
   elseif type(v) == "table" and not seen[v] then
      seen[v] = true
      for k, x in pairs(v) do
         M.strings(k, out, seen)
         M.strings(x, out, seen)
      end
   end
   return out
end

M.BEARER = helper.BEARER

return M
