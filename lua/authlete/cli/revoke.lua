--- authlete-tokens revoke: one token, or a user's or a client's tokens.
local args = require("authlete.cli.args")
local format = require("authlete.cli.format")

-- Is standard input a terminal (someone who can answer a question)?
local function interactive()
   return os.execute("test -t 0") == true
end

return {
   summary = "revoke a token, or every token of a user or a client",
   usage = [[
usage: authlete-tokens revoke (--token T | --refresh-token R | --subject S [--client C] | --client C)
                              [--dry-run] [--yes]

  --token T          this access token (or its hash) and its refresh token
  --refresh-token R  this refresh token (or its hash) and its access token
  --subject S        every token of this user (with --client: of this user at that client)
  --client C         every token of this client (ID or alias)
                     ("-": read T or R from standard input, "@FILE": from a file;
                     argv is visible to every local user through ps)
  --dry-run          only count what would be revoked
  --yes              do not ask; a user- or client-wide revoke asks on a terminal, and
                     is refused without --yes when standard input is not a terminal]],
   options = { token = "value", ["refresh-token"] = "value", subject = "value", client = "value",
               ["dry-run"] = "flag", yes = "flag" },

   run = function(ctx, opts)
      local request
      if opts.token then
         request = { accessTokenIdentifier = args.token(opts.token, "--token") }
      elseif opts["refresh-token"] then
         request = { refreshTokenIdentifier = args.token(opts["refresh-token"], "--refresh-token") }
      elseif opts.subject or opts.client then
         request = { subject = opts.subject, clientIdentifier = opts.client }
      else
         args.usage("say what to revoke: --token, --refresh-token, --subject or --client")
      end
      local wide = not (opts.token or opts["refresh-token"])
      if wide then
         local page, err = ctx.tm().list({ subject = opts.subject, clientIdentifier = opts.client,
                                           tokenStatus = "VALID", start = 0, ["end"] = 1 })
         if not page then return ctx.fail(err) end
         local whose = opts.subject and opts.client and ("of %s at client %s"):format(opts.subject, opts.client)
            or opts.subject and ("of " .. opts.subject) or ("of client " .. opts.client)
         local tokens = format.count(page.totalCount, "valid token")
         if opts["dry-run"] then
            io.write(("would revoke %s %s\n"):format(tokens, whose))
            return 0
         end
         io.write(("%s %s\n"):format(tokens, whose))
         if not opts.yes then
            if not interactive() then
               args.usage("refusing to revoke every token " .. whose .. " without --yes: standard input is not a terminal")
            end
            io.write(("revoke them all? [y/N] "))
            io.flush()
            local answer = io.read("l") or ""
            if not answer:match("^[yY]") then -- the user's choice, not a failure
               io.write("nothing changed\n")
               return 0
            end
         end
      elseif opts["dry-run"] then
         io.write("would revoke 1 token and its pair, if Authlete holds it\n")
         return 0
      end
      local res, err = ctx.tm().revoke({ tokenRevokeRequest = request })
      if not res then return ctx.fail(err) end
      io.write(("revoked %s\n"):format(format.count(res.count, "token")))
      return 0
   end,
}
