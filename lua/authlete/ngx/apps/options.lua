--- The connected-apps page's options (authlete.ngx.connected_apps.new):
--- checked all at once, each mistake named by its field, and returned with
--- the defaults filled in. Needs ngx.shared (names_dict), so it runs in
--- nginx, or in a spec that stands one in.
local options = require("authlete.options")

local page_options = {}

local DEFAULTS = {
   title = "Connected apps",
   names_ttl = 3600,   -- seconds a client's names stay in names_dict
   csrf_ttl = 3600,    -- seconds a page's forms stay valid
   max_grants = 500,   -- tokens read per view at most (25 list calls of 20)
   name_lookups = 4,   -- names of new applications looked up at once
}

-- A wrong option: connected_apps.new raises this at its caller.
local function fail(field, message)
   error(("connected_apps.new: %s %s"):format(field, message), 0)
end

local function check_subject(source)
   if type(source) == "function" then return end
   if type(source) ~= "table" then
      fail("subject", "must be { header = name }, { var = name } or a function, got " .. type(source))
   end
   local n = (source.header ~= nil and 1 or 0) + (source.var ~= nil and 1 or 0)
   if n ~= 1 then fail("subject", "must name exactly one source: header or var") end
   local name = source.header or source.var
   if type(name) ~= "string" or not name:match("^[%w_-]+$") then
      fail(source.header and "subject.header" or "subject.var", "must be a name (letters, digits, _ and -)")
   end
end

-- names: client ID (digits) -> a name, or a table of language tag -> name.
local function check_names(names)
   if names == nil then return end
   if type(names) ~= "table" then fail("names", "must be a table of client ID -> name") end
   for id, name in pairs(names) do
      if type(id) ~= "string" or not id:match("^%d+$") then
         fail("names", ("keys must be client IDs as strings of digits, got %s"):format(tostring(id)))
      end
      if type(name) == "table" then
         for tag, v in pairs(name) do
            if type(tag) ~= "string" or type(v) ~= "string" then
               fail(("names[%q]"):format(id), "must map language tags to strings")
            end
         end
      elseif type(name) ~= "string" then
         fail(("names[%q]"):format(id), "must be a string or a table of language tag -> string")
      end
   end
end

local function positive(opts, field)
   local v = opts[field]
   if v == nil then return DEFAULTS[field] end
   if type(v) ~= "number" or v <= 0 or v ~= math.floor(v) then fail(field, "must be a positive whole number") end
   return v
end

local KNOWN = { subject = true, csrf_secret = true, names_dict = true, names_ttl = true, names = true, title = true,
                client_options = true, csrf_ttl = true, max_grants = true, name_lookups = true,
                introspection_cache = true }

--- The page's settings from its options, or an error naming the wrong one:
---   subject             where the signed-in user's ID comes from (required)
---   csrf_secret         signs the forms' CSRF tokens (required, 16+ bytes)
---   names_dict          lua_shared_dict caching clients' names (required)
---   names_ttl           seconds a name stays cached (3600)
---   names               the operator's names: client ID -> name or
---                       { [tag] = name }, before Authlete's
---   title               the page's heading ("Connected apps")
---   client_options      authlete.new's options (nil: the environment);
---                       each worker makes its client on first use
---   csrf_ttl            seconds a page's forms stay valid (3600)
---   max_grants          tokens read per view at most (500)
---   name_lookups        names of new applications looked up at once (4)
---   introspection_cache an authlete.ngx.introspection_cache: revoking
---                       through it also evicts the cached introspections
function page_options.check(opts)
   if type(opts) ~= "table" then error("connected_apps.new: options must be a table", 0) end
   for k in pairs(opts) do
      if not KNOWN[k] then fail(tostring(k), "is not an option") end
   end
   check_subject(opts.subject)
   if type(opts.csrf_secret) ~= "string" or #opts.csrf_secret < 16 then
      fail("csrf_secret", "must be a string of 16 bytes or more (openssl rand -hex 32 makes one)")
   end
   if type(opts.names_dict) ~= "string" or not ngx.shared[opts.names_dict] then
      fail("names_dict", ("must name a lua_shared_dict, got %s"):format(tostring(opts.names_dict)))
   end
   check_names(opts.names)
   if opts.title ~= nil and type(opts.title) ~= "string" then fail("title", "must be a string") end
   if opts.client_options ~= nil and type(opts.client_options) ~= "table" then
      fail("client_options", "must be a table of authlete.new options")
   end
   -- checked now, though each worker makes its client on first use: a
   -- misspelt option stops nginx at start, not every request after it
   local ok, err = pcall(options.client, opts.client_options)
   if not ok then fail("client_options", "are wrong: " .. tostring(err)) end
   local cache = opts.introspection_cache
   if cache ~= nil and (type(cache) ~= "table" or type(cache.revoke) ~= "function") then
      fail("introspection_cache", "must be an authlete.ngx.introspection_cache")
   end
   return {
      subject_source = opts.subject, secret = opts.csrf_secret, names_dict = ngx.shared[opts.names_dict],
      names_ttl = positive(opts, "names_ttl"), names = opts.names or {}, title = opts.title or DEFAULTS.title,
      client_options = opts.client_options, csrf_ttl = positive(opts, "csrf_ttl"),
      max_grants = positive(opts, "max_grants"), name_lookups = positive(opts, "name_lookups"),
      introspection_cache = cache,
   }
end

return page_options
