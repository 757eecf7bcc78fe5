--- authlete-tokens update: change a token's scopes, expiry or properties.
local args = require("authlete.cli.args")
local format = require("authlete.cli.format")

return {
   summary = "change a token's scopes, expiry or properties",
   usage = [[
usage: authlete-tokens update TOKEN [--hash] [--scope S …] [--expires-at TIME] [--property k=v …] [--json]

  TOKEN             the access token (or, with --hash, its hash); "-" reads it
                    from standard input, "@FILE" from a file (argv is visible to
                    every local user through ps); put one that begins with "--"
                    after a lone "--"
  --scope S         the new scopes (replacing the old ones)
  --expires-at T    +SECONDS from now, YYYY-MM-DDTHH:MM:SSZ, or epoch seconds
  --property k=v    the new properties (replacing the old ones)
  --json            the whole answer as JSON]],
   arguments = 1,
   options = { hash = "flag", scope = "list", ["expires-at"] = "value", property = "list", json = "flag" },

   run = function(ctx, opts, positional)
      if not positional[1] or positional[2] then args.usage("give exactly one TOKEN") end
      local token = args.token(positional[1], "TOKEN")
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
