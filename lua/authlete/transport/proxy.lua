--- Which proxy a request to a host goes through, for the transports that
--- do their own HTTP (the cosocket one). The rules are libcurl's, so that
--- `proxy`, `no_proxy` and the environment mean the same on every
--- transport:
---
---   * the `proxy` option, else the environment: https_proxy or HTTPS_PROXY
---     for https, http_proxy for http (libcurl ignores HTTP_PROXY: under
---     CGI it is a request header), then all_proxy or ALL_PROXY;
---   * `no_proxy` (else no_proxy or NO_PROXY) lists hosts reached directly:
---     "*" for all; a name matches itself and its subdomains (a leading dot
---     is ignored); an address matches itself, or an IPv4 range a.b.c.d/n;
---   * credentials in the proxy URL (http://user:secret@proxy:3128,
---     percent-encoded) go out as Proxy-Authorization: Basic.
local hash = require("authlete.hash")

local proxy = {}

local floor = math.floor

local function env(...)
   for i = 1, select("#", ...) do
      local v = os.getenv((select(i, ...)))
      if v and v ~= "" then return v end
   end
   return nil
end

local function unescape(s)
   return (s:gsub("%%(%x%x)", function(h) return string.char(tonumber(h, 16)) end))
end


--- A proxy URL's parts: { url (without credentials), connect_host, port,
--- authority, authorization (the Proxy-Authorization value, or nil) }; nil
--- and why for a URL that is none. A URL without a scheme is http://, as
--- for libcurl; only http proxies are spoken.
function proxy.parse(url)
   local scheme, rest = url:match("^(%a[%w+.-]*)://(.*)$")
   if not scheme then scheme, rest = "http", url end
   if scheme:lower() ~= "http" then return nil, "only http:// proxies are supported, got " .. scheme .. "://" end
   local authority = rest:match("^[^/?#]*")
   local userinfo, hostport = authority:match("^(.*)@(.-)$")
   hostport = hostport or authority
   local host, port = hostport:match("^(%[[^%]]+%]):?(%d*)$")
   if not host then host, port = hostport:match("^([^:]+):?(%d*)$") end
   if not host or host == "" then return nil, "no host in the proxy URL" end
   local n = port ~= "" and tonumber(port) or 1080 -- libcurl's default proxy port
   local authorization
   if userinfo then
      local user, secret = userinfo:match("^([^:]*):?(.*)$")
      authorization = "Basic " .. hash.base64(unescape(user) .. ":" .. unescape(secret))
   end
   return { url = "http://" .. host .. ":" .. n, connect_host = host:gsub("^%[(.*)%]$", "%1"), port = n,
            authority = host .. ":" .. n, authorization = authorization }
end

local function ipv4(s)
   local a, b, c, d = s:match("^(%d+)%.(%d+)%.(%d+)%.(%d+)$")
   if not a then return nil end
   a, b, c, d = tonumber(a), tonumber(b), tonumber(c), tonumber(d)
   if a > 255 or b > 255 or c > 255 or d > 255 then return nil end
   return ((a * 256 + b) * 256 + c) * 256 + d
end

-- Does one no_proxy entry cover host (lower case, no brackets)?
local function covers(entry, host)
   if entry == "*" then return true end
   local net, bits = entry:match("^([%d.]+)/(%d+)$")
   if net then
      local h, n = ipv4(host), ipv4(net)
      bits = tonumber(bits)
      if not h or not n or bits > 32 then return false end
      local size = 2 ^ (32 - bits)
      return floor(h / size) == floor(n / size)
   end
   entry = entry:gsub("^%[(.*)%]$", "%1"):gsub("^%.", "")
   return host == entry or (host:sub(-#entry - 1) == "." .. entry)
end

--- Is host reached directly, by the no_proxy list?
function proxy.bypass(list, host)
   if not list then return false end
   host = host:lower():gsub("^%[(.*)%]$", "%1")
   for entry in list:gmatch("[^,%s]+") do
      if covers(entry:lower(), host) then return true end
   end
   return false
end

--- A client's proxies: { http = parsed or nil, https = parsed or nil,
--- no_proxy = list or nil }, from its `proxy` and `no_proxy` options (nil:
--- the environment's, read once here); or nil and why, naming the source.
function proxy.for_client(configured, no_proxy)
   local out = { no_proxy = no_proxy or env("no_proxy", "NO_PROXY") }
   local all = env("all_proxy", "ALL_PROXY")
   for scheme, url in pairs({ http = configured or env("http_proxy") or all,
                              https = configured or env("https_proxy", "HTTPS_PROXY") or all }) do
      if url ~= "" then
         local parsed, err = proxy.parse(url)
         if not parsed then
            return nil, (configured and "option 'proxy': " or ("the environment's %s proxy: "):format(scheme)) .. err
         end
         out[scheme] = parsed
      end
   end
   return out
end

--- The proxy for a request to scheme://host, or nil: directly.
function proxy.choose(proxies, scheme, host)
   local via = proxies[scheme]
   if via and proxy.bypass(proxies.no_proxy, host) then return nil end
   return via
end

return proxy
