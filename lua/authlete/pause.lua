--- Pauses Authlete asked for: after a 429 or 503 with Retry-After, no call
--- to that service starts until the pause ends. A call that starts in a
--- pause waits for its end when it retries and the end is within its
--- deadline; else it fails at once with PausedError, sending nothing. (The
--- call that was told retries by its own policy, as the SDK does.)
---
--- Where pauses live:
---   * by default in the client (one nginx worker, one script);
---   * with the `shared_dict` option, in that lua_shared_dict, so that
---     every worker of an nginx respects a pause any one of them was told.
---
--- A pause is keyed by server URL and service ID (a 429 for one service
--- says nothing of another) and lasts at most MAX_MS, whatever the header
--- says: a proxy's bogus `Retry-After: 99999999` must not stop a gateway
--- for years.
local pause = {}

pause.MAX_MS = 60 * 1000

local Local = {}
Local.__index = Local

--- Pauses in this client; now_ms is the transport's clock.
function pause.local_store(now_ms)
   return setmetatable({ ends = {}, now_ms = now_ms, any = false }, Local)
end

--- ms left of the pause for the service at server_url and path, or nil.
function Local:remaining(server_url, path)
   if not self.any then return nil end -- the usual case: nothing to look up
   local key = pause.key(server_url, path)
   local ends = self.ends[key]
   if not ends then return nil end
   local left = ends - self.now_ms()
   if left > 0 then return left end
   self.ends[key] = nil
   self.any = next(self.ends) ~= nil
   return nil
end

function Local:set(server_url, path, ms)
   local key = pause.key(server_url, path)
   local ends = self.now_ms() + math.min(ms, pause.MAX_MS)
   if (self.ends[key] or 0) < ends then self.ends[key] = ends end
   self.any = true
end

local Shared = {}
Shared.__index = Shared

--- Pauses in ngx.shared[name], with wall-clock ends every worker reads alike.
function pause.shared_store(name)
   return setmetatable({ dict = ngx.shared[name], name = name }, Shared)
end

-- Key and clock are shared by every worker: the key holds no secret and
-- the clock is the wall's.
local function wall_ms()
   ngx.update_time()
   return ngx.now() * 1000
end

function Shared:remaining(server_url, path)
   local ends = self.dict:get(pause.key(server_url, path))
   if not ends then return nil end
   local left = ends - wall_ms()
   return left > 0 and left or nil
end

function Shared:set(server_url, path, ms)
   local key = pause.key(server_url, path)
   ms = math.min(ms, pause.MAX_MS)
   local ends = wall_ms() + ms
   local current = self.dict:get(key)
   if current and current >= ends then return end
   -- The entry expires with the pause; a full dict evicts old entries.
   local ok, err = self.dict:set(key, ends, ms / 1000)
   if not ok then ngx.log(ngx.WARN, "authlete: cannot record a pause in lua_shared_dict ", self.name, ": ", err) end
end

--- The store for a client's options: cfg.shared_dict names a dict, checked
--- here so that a typo fails at authlete.new, not on the first 429.
function pause.store(cfg, now_ms)
   local name = cfg.shared_dict
   if name == nil then return pause.local_store(now_ms) end
   if type(ngx) ~= "table" or type(ngx.shared) ~= "table" then
      error("authlete.new: option 'shared_dict' works only inside nginx (it names a lua_shared_dict)", 0)
   end
   if not ngx.shared[name] then
      error(("authlete.new: option 'shared_dict': nginx.conf has no lua_shared_dict %s"):format(name), 0)
   end
   return pause.shared_store(name)
end

--- The key of the service a request goes to: its server and service ID.
function pause.key(server_url, path)
   return server_url .. (path:match("^/api/[^/]*") or "")
end

return pause
