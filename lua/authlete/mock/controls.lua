--- Test controls under /__mock/ (never under /api): faults, statistics,
--- reset, the active seed, run-time settings and the request log.
local compat = require("authlete.compat")
local crypto = require("authlete.mock.crypto")
local header = require("authlete.header")
local json = require("authlete.json")
local seed_mod = require("authlete.mock.seed")

local controls = {}

local function answer(status, value)
   return { status = status, headers = { ["Content-Type"] = "application/json" },
            body = json.encode(value) }
end

local function bad(message)
   return answer(400, { error = message })
end

local OPERATIONS = { list = true, create = true, update = true, delete = true, revoke = true,
                     reissueIdToken = true }

-- Each fault field and the check its value must pass.
local FAULT_FIELDS = {
   operation = function(v) return OPERATIONS[v] ~= nil, "one of list, create, update, delete, revoke, reissueIdToken" end,
   status = function(v) return compat.mtype(v) == "integer" and v >= 100 and v <= 599, "an HTTP status" end,
   headers = function(v)
      if type(v) ~= "table" or json.is_array(v) then return false, "an object of strings" end
      for k, x in pairs(v) do
         if not header.name_ok(k) or not header.value_ok(x) then
            return false, "an object of header names and string values without CR, LF or NUL"
         end
      end
      return true
   end,
   body = function(v) return type(v) == "string" or type(v) == "table", "a string or JSON value" end,
   body_base64 = function(v)
      return type(v) == "string" and crypto.base64_decode(v) ~= nil, "base64 text (for binary bodies)"
   end,
   delay_ms = function(v) return compat.mtype(v) == "integer" and v >= 0, "a non-negative integer" end,
   drop = function(v) return v == true or v == "before" or v == "after", "true, \"before\" or \"after\"" end,
   truncate = function(v) return v == true or (compat.mtype(v) == "integer" and v >= 0), "true or a byte count" end,
   chunked = function(v) return type(v) == "boolean", "a boolean" end,
   trickle_ms = function(v) return compat.mtype(v) == "integer" and v >= 0, "a non-negative integer" end,
   close_after = function(v) return type(v) == "boolean", "a boolean" end,
   times = function(v) return compat.mtype(v) == "integer" and v >= 1, "a positive integer" end,
   interim = function(v)
      if type(v) ~= "table" or not json.is_array(v) or #v == 0 then return false, "an array of 1xx statuses" end
      for _, s in ipairs(v) do
         if compat.mtype(s) ~= "integer" or s < 100 or s > 199 then return false, "an array of 1xx statuses" end
      end
      return true
   end,
   after = function(v) return type(v) == "string", "a string (raw bytes sent after the answer)" end,
   after_delay_ms = function(v) return compat.mtype(v) == "integer" and v >= 0, "a non-negative integer" end,
}

local function check_fault(f, i)
   if type(f) ~= "table" or json.is_array(f) then return ("fault %d: expected an object"):format(i) end
   for k, v in pairs(f) do
      local rule = FAULT_FIELDS[k]
      if not rule then return ("fault %d: unknown field '%s'"):format(i, k) end
      local ok, want = rule(v)
      if not ok then return ("fault %d: '%s' must be %s"):format(i, k, want) end
   end
   if (f.body or f.body_base64) and not f.status then return ("fault %d: 'body' needs 'status'"):format(i) end
   if f.body and f.body_base64 then return ("fault %d: give 'body' or 'body_base64', not both"):format(i) end
   if f.after_delay_ms and not f.after then return ("fault %d: 'after_delay_ms' needs 'after'"):format(i) end
end

local function post_faults(server, req)
   local data, err = json.decode(req.body)
   if data == nil then return bad("body is not JSON: " .. err) end
   local list = json.is_array(data) and data or { data }
   for i, f in ipairs(list) do
      local msg = check_fault(f, i)
      if msg then return bad(msg) end
   end
   for _, f in ipairs(list) do
      f.times = f.times or 1
      server.faults[#server.faults + 1] = f
   end
   return answer(200, { queued = #list, pending = #server.faults })
end

local function stats(server)
   local s = server.stats
   return answer(200, {
      connections = s.connections, open_connections = s.open_connections,
      api_requests = s.api_requests, requests = s.requests, rate_limited = s.rate_limited,
      in_flight = s.in_flight, peak_in_flight = s.peak_in_flight,
      tokens = server.store:count(), faults_pending = #server.faults,
   })
end

local function post_config(server, req)
   local data, err = json.decode(req.body)
   if type(data) ~= "table" or json.is_array(data) then return bad("body must be a JSON object: " .. (err or "")) end
   for k, v in pairs(data) do
      if k == "error_style" then
         if v ~= "status" and v ~= "action" then return bad("error_style must be 'status' or 'action'") end
      elseif k == "latency_ms" or k == "rate_limit" or k == "rate_burst" then
         if compat.mtype(v) ~= "integer" or v < 0 then return bad(k .. " must be a non-negative integer") end
      elseif k == "revoke_keeps_records" or k == "revoke_counts_expired" then
         if type(v) ~= "boolean" then return bad(k .. " must be a boolean") end
      elseif k == "request_id_header" then
         if type(v) ~= "string" or v:find("[^%w-]") then return bad("request_id_header must be a header name or \"\"") end
      else
         return bad("unknown setting '" .. tostring(k) .. "'")
      end
   end
   for k, v in pairs(data) do server[k] = v end
   server:apply_assumptions()
   if data.rate_limit or data.rate_burst then server.buckets = {} end -- full buckets under the new limit
   return answer(200, { error_style = server.error_style, latency_ms = server.latency_ms,
                        rate_limit = server.rate_limit, rate_burst = server.rate_burst,
                        request_id_header = server.request_id_header,
                        revoke_keeps_records = server.revoke_keeps_records,
                        revoke_counts_expired = server.revoke_counts_expired })
end

-- POST /__mock/clients: change what a client shows of itself in a list
-- filtered by it (clientName, clientNames, description, descriptions), until
-- the next reset. Tests of pages that show client names set them here.
local NAME_FIELDS = { clientName = true, clientNames = true, description = true, descriptions = true }
local function post_client(server, req)
   local data, err = json.decode(req.body)
   if type(data) ~= "table" or json.is_array(data) then return bad("body must be a JSON object: " .. (err or "")) end
   local client = compat.mtype(data.clientId) == "integer" and server.store:client(data.clientId)
   if not client then return bad("clientId must name a client of the seed") end
   for k in pairs(data) do
      if k ~= "clientId" and not NAME_FIELDS[k] then return bad("unknown field '" .. tostring(k) .. "'") end
   end
   local ok, why = pcall(seed_mod.check_names, data, "body")
   if not ok then return bad((why:gsub("^seed: ", ""))) end
   for k in pairs(NAME_FIELDS) do
      if data[k] == json.null then client[k] = nil elseif data[k] ~= nil then client[k] = data[k] end
   end
   return answer(200, { clientId = client.clientId, clientName = client.clientName, clientNames = client.clientNames,
                        description = client.description, descriptions = client.descriptions })
end

-- path -> method -> handler(server, req)
local ROUTES = {
   ["/__mock/faults"] = {
      POST = post_faults,
      GET = function(server) return answer(200, json.array(server.faults)) end,
      DELETE = function(server) server.faults = {} return answer(200, { pending = 0 }) end,
   },
   ["/__mock/stats"] = { GET = stats },
   ["/__mock/reset"] = { POST = function(server) server:reset() return answer(200, { reset = true }) end },
   ["/__mock/seed"] = { GET = function(server) return answer(200, seed_mod.public(server.store.seed)) end },
   ["/__mock/config"] = { POST = post_config },
   ["/__mock/clients"] = { POST = post_client },
   ["/__mock/requests"] = { GET = function(server) return answer(200, json.array(server.request_log)) end },
}

function controls.handle(server, req)
   local methods = ROUTES[req.path]
   if not methods then return answer(404, { error = "no such control: " .. req.path }) end
   local fn = methods[req.method]
   if not fn then return answer(405, { error = "method not allowed" }) end
   return fn(server, req)
end

return controls
