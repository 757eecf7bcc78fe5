--- authlete-tokens delete: remove a token's record.
local args = require("authlete.cli.args")

return {
   summary = "delete a token (its record goes; revoke keeps it as invalid)",
   usage = [[
usage: authlete-tokens delete TOKEN_OR_HASH

"-" reads the token or hash from standard input, "@FILE" from a file (argv
is visible to every local user through ps). One that begins with "--" goes
after a lone "--".]],
   arguments = 1,
   options = {},

   run = function(ctx, _, positional)
      if not positional[1] or positional[2] then args.usage("give exactly one TOKEN_OR_HASH") end
      local ok, err = ctx.tm().delete({ accessTokenIdentifier = args.token(positional[1], "TOKEN_OR_HASH") })
      if not ok then return ctx.fail(err) end
      io.write("deleted\n")
      return 0
   end,
}
