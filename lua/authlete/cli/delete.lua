--- authlete-tokens delete: remove a token's record.
local args = require("authlete.cli.args")

return {
   summary = "delete a token (its record goes; revoke keeps it as invalid)",
   usage = [[
usage: authlete-tokens delete TOKEN_OR_HASH

A token or hash that begins with "--" goes after a lone "--".]],
   options = {},

   run = function(ctx, _, positional)
      if not positional[1] or positional[2] then args.usage("give exactly one TOKEN_OR_HASH") end
      local ok, err = ctx.tm().delete({ accessTokenIdentifier = positional[1] })
      if not ok then return ctx.fail(err) end
      io.write("deleted\n")
      return 0
   end,
}
