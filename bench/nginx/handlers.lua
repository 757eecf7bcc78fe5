--- The handlers `make bench-nginx` compares inside one nginx worker: this
--- module's client over cosockets, and what users write without it (a
--- subrequest to an internal proxy_pass location, then lua-cjson).
local authlete = require("authlete")
local cjson = require("cjson")
local fixtures = require("bench.fixtures")

local handlers = {}
local client

--- init_by_lua: the client every request of the worker shares.
function handlers.configure(base)
   client = authlete.new({ bearer = fixtures.BEARER, server_url = base })
end

local CREATE = { serviceId = "1", tokenCreateRequest = cjson.decode(fixtures.create_request) }
CREATE.tokenCreateRequest.clientId = 26888344961664 -- exact (cjson reads it as a double that holds it)

local function answer(status, body)
   ngx.status = status
   ngx.header.content_type = "application/json"
   ngx.print(body)
end

--- /ours/list, /ours/create: the result, written back out as JSON.
function handlers.ours(op)
   local res, err
   if op == "create" then
      res, err = client.token.management.create(CREATE)
   else
      res, err = client.token.management.list({ serviceId = "2" })
   end
   if not res then return answer(502, cjson.encode({ error = err.kind })) end
   answer(200, authlete.json_encode(res))
end

--- /capture/list, /capture/create: ngx.location.capture + cjson, both ways.
function handlers.capture(op)
   local r
   if op == "create" then
      r = ngx.location.capture("/internal/create", { method = ngx.HTTP_POST,
         body = cjson.encode(CREATE.tokenCreateRequest) })
   else
      r = ngx.location.capture("/internal/list")
   end
   if r.status ~= 200 then return answer(502, '{"error":"upstream"}') end
   answer(200, cjson.encode(cjson.decode(r.body)))
end

return handlers
