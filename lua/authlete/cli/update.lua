--- authlete-tokens update: change a token's scopes, expiry or properties.
local args = require("authlete.cli.args")
local format = require("authlete.cli.format")

return {
   summary = "change a token's scopes, expiry or properties",
   usage = [[
usage: authlete-tokens update TOKEN [--hash] [--scope S …] [--expires-at TIME] [--property k=v …] [--json]

  TOKEN             the access token (or, with --hash, its hash); put one that
                    begins with "--" after a lone "--"
  --scope S         the new scopes (replacing the old ones)
  --expires-at T    +SECONDS from now, YYYY-MM-DDTHH:MM:SSZ, or epoch seconds
  --property k=v    the new properties (replacing the old ones)
  --json            the whole answer as JSON]],
   options = { hash = "flag", scope = "list", ["expires-at"] = "value", property = "list", json = "flag" },

   run = function(ctx, opts, positional)
      local token = positional[1]
      if not token or positional[2] then args.usage("give exactly one TOKEN") end
      local request = {
         scopes = opts.scope and args.words(opts.scope) or nil,
         accessTokenExpiresAt = opts["expires-at"] and args.time_ms(opts["expires-at"]) or nil,
         properties = opts.property and args.properties(opts.property) or nil,
      }
      if opts.hash then request.accessTokenHash = token else request.accessToken = token end
      local res, err = ctx.tm().update({ tokenUpdateRequest = request })
      if not res then return ctx.fail(err) end
      if opts.json then
         format.json_line(res)
         return 0
      end
      io.write(("updated: scopes %s, expires %s\n"):format(table.concat(res.scopes or {}, " "),
         format.time(res.accessTokenExpiresAt)))
      return 0
   end,
}
