--- authlete-tokens create: issue a token as an authorization server would.
local args = require("authlete.cli.args")
local format = require("authlete.cli.format")

return {
   summary = "create a token",
   usage = [[
usage: authlete-tokens create --client C --grant-type G [--subject S] [--scope S …]
                              [--duration SECONDS] [--property k=v …] [--json]

  --client C        the client: its ID or its alias
  --grant-type G    AUTHORIZATION_CODE, CLIENT_CREDENTIALS, PASSWORD, …
  --subject S       the user (not for CLIENT_CREDENTIALS)
  --scope S         a scope; repeat it, or give several separated by spaces or commas
  --duration N      the access token's lifetime in seconds (default: the service's)
  --property k=v    an extra property; repeat it for more
  --json            the whole answer as JSON]],
   options = { client = "value", ["grant-type"] = "value", subject = "value", scope = "list",
               duration = "value", property = "list", json = "flag" },

   run = function(ctx, opts)
      if not opts.client then args.usage("--client is required") end
      if not opts["grant-type"] then args.usage("--grant-type is required") end
      local id, identifier = args.client(opts.client)
      -- up to 100 years; 0 asks for the service's default
      local duration = opts.duration and args.integer("duration", opts.duration, 0, 3153600000)
      local scopes = args.words(opts.scope)
      local res, err = ctx.tm().create({ tokenCreateRequest = {
         grantType = opts["grant-type"]:upper(), clientId = id, clientIdentifier = identifier,
         subject = opts.subject, scopes = #scopes > 0 and scopes or nil, accessTokenDuration = duration,
         properties = opts.property and args.properties(opts.property) or nil,
      } })
      if not res then return ctx.fail(err) end
      if opts.json then
         format.json_line(res)
         return 0
      end
      io.write(("access token   %s\n"):format(res.accessToken))
      if res.refreshToken then io.write(("refresh token  %s\n"):format(res.refreshToken)) end
      io.write(("expires        %s\n"):format(format.time(res.expiresAt)))
      io.write(("scopes         %s\n"):format(table.concat(res.scopes or {}, " ")))
      return 0
   end,
}
