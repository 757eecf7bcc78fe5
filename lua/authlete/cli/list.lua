--- authlete-tokens list: a user's or a client's tokens.
local args = require("authlete.cli.args")
local format = require("authlete.cli.format")

local STATUS = { valid = "VALID", invalid = "INVALID", all = "ALL" }

return {
   summary = "list tokens, as a table or JSON lines",
   usage = [[
usage: authlete-tokens list [--subject S] [--client C] [--status valid|invalid|all] [--all] [--json]

  --subject S     tokens of this user
  --client C      tokens of this client (ID or alias)
  --status X      valid (default), invalid (revoked or expired) or all
  --all           every matching token, page after page (default: the first 20)
  --json          one JSON object per token instead of a table]],
   options = { subject = "value", client = "value", status = "value", all = "flag", json = "flag" },

   run = function(ctx, opts)
      local status = STATUS[opts.status or "valid"]
      if not status then args.usage("--status must be valid, invalid or all") end
      local request = { subject = opts.subject, clientIdentifier = opts.client, tokenStatus = status }
      local tokens, total
      if opts.all then
         tokens = {}
         for t in ctx.tm().each(request) do tokens[#tokens + 1] = t end -- each raises the error object
         total = #tokens
      else
         request.start, request["end"] = 0, 20
         local page, err = ctx.tm().list(request)
         if not page then return ctx.fail(err) end
         tokens, total = page.accessTokens or {}, page.totalCount
      end
      if opts.json then
         for _, t in ipairs(tokens) do format.json_line(t) end
         return 0
      end
      local rows = {}
      for i, t in ipairs(tokens) do
         rows[i] = { t.accessTokenHash or "", ("%d"):format(t.clientId or 0), t.subject or "", t.grantType or "",
                     table.concat(t.scopes or {}, " "), format.time(t.accessTokenExpiresAt) }
      end
      format.table({ "HASH", "CLIENT", "SUBJECT", "GRANT TYPE", "SCOPES", "EXPIRES" }, rows)
      if total and total > #tokens then
         io.write(("%d of %d shown; --all lists every one\n"):format(#tokens, total))
      else
         io.write(format.count(#tokens, "token"), "\n")
      end
      return 0
   end,
}
