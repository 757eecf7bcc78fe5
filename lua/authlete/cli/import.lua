--- authlete-tokens import: create tokens with given values, for a migration.
local compat = require("authlete.compat")
local authlete = require("authlete")
local core = require("authlete.core")
local curl = require("authlete.curl")
local errors = require("authlete.errors")
local Multi = require("authlete.transport.multi")
local args = require("authlete.cli.args")
local checkpoint = require("authlete.cli.checkpoint")
local format = require("authlete.cli.format")
local import_file = require("authlete.cli.import_file")

-- A time column (epoch seconds or milliseconds, or YYYY-MM-DDTHH:MM:SSZ)
-- as a lifetime in seconds from `now`, or nil and why not. A time already
-- past is refused unless the operator allowed it: then it gets the shortest
-- lifetime Authlete grants, so that a refresh token still valid comes along.
local function lifetime(name, value, now, allow_expired)
   local at = args.epoch(tostring(value), true)
   if not at then
      return nil, ("%s must be epoch seconds or milliseconds, or YYYY-MM-DDTHH:MM:SSZ, got '%s'")
         :format(name, args.shown(tostring(value)))
   end
   if at <= now and not allow_expired then
      return nil, ("%s %s is in the past (--allow-expired imports it with a 1-second lifetime)")
         :format(name, os.date("!%Y-%m-%dT%H:%M:%SZ", at))
   end
   return math.max(1, at - now)
end

-- The create request for a row's fields at time `now`, or nil and why not.
local function request_for(fields, now, allow_expired)
   local req, why = {}, nil
   for k, v in pairs(fields) do
      if not import_file.EXTRA[k] then req[k] = v end
   end
   if type(req.clientId) == "string" then req.clientId, req.clientIdentifier = nil, req.clientId end
   if type(req.grantType) == "string" then req.grantType = req.grantType:upper() end
   req.grantType = req.grantType or (req.subject and "AUTHORIZATION_CODE" or "CLIENT_CREDENTIALS")
   if fields.expiresAt ~= nil then
      req.accessTokenDuration, why = lifetime("expiresAt", fields.expiresAt, now, allow_expired)
   elseif fields.expiresIn ~= nil then
      local n = compat.tointeger(fields.expiresIn)
      if not n or n < 1 then return nil, "expiresIn must be a whole number of seconds from 1" end
      req.accessTokenDuration = n
   end
   if not why and fields.refreshTokenExpiresAt ~= nil then
      req.refreshTokenDuration, why = lifetime("refreshTokenExpiresAt", fields.refreshTokenExpiresAt, now,
         allow_expired)
   end
   if why then return nil, why end
   return req
end

-- ASSUMPTION, switchable with --present-if: Authlete documents that a
-- create is refused when it already holds the token value's hash, but not
-- with which result code. A ResultError whose resultCode is `present_if`,
-- or whose resultMessage holds it (in any case), means the row is already
-- in Authlete; by default the words of the documented rule, "already
-- exists". An empty `present_if` counts every refusal as a failure.
local PRESENT_IF = "already exists"

local function already_present(err, present_if)
   if err.kind ~= "ResultError" or present_if == "" then return false end
   if err.resultCode == present_if then return true end
   return (err.resultMessage or ""):lower():find(present_if:lower(), 1, true) ~= nil
end

-- Progress: a bar on a terminal, a plain line every tenth otherwise.
local function progress(total)
   local tty = os.execute("test -t 2") == true
   local t0, last, shown = curl.now_ms(), 0, -1
   return function(done, final)
      local now = curl.now_ms()
      local tenth = total > 0 and compat.idiv(done * 10, total) or 10
      if not final and (tty and now - last < 100 or not tty and tenth == shown) then return end
      if final and not tty and tenth == shown then return end -- the last line is out already
      last, shown = now, tenth
      local rate = done / math.max(0.001, (now - t0) / 1000)
      local eta = rate > 0 and (total - done) / rate or 0
      local pct = total > 0 and compat.idiv(done * 100, total) or 100
      if tty then
         local width = 30
         local filled = total > 0 and compat.idiv(done * width, total) or width
         io.stderr:write(("\r[%s%s] %d/%d %3d%%  %.0f/s  ETA %ds "):format(("#"):rep(filled),
            ("."):rep(width - filled), done, total, pct, rate, math.ceil(eta)))
         if final then io.stderr:write("\n") end
      else
         io.stderr:write(("import: %d/%d (%d%%), %.0f/s, ETA %ds\n"):format(done, total, pct, rate, math.ceil(eta)))
      end
   end
end

-- What happened, row by row in the file's order; returns the exit code:
-- 0 every row is in Authlete, 3 some are and some failed, 1 none is.
local function report(rows, results, todo, dry_run, seconds)
   local count = { created = 0, present = 0, failed = 0, earlier = 0 }
   for _, r in pairs(results) do count[r.outcome] = count[r.outcome] + 1 end
   local parts = {}
   if dry_run then
      parts[1] = "would create " .. format.count(#todo, "token") .. " (skipping any Authlete already holds)"
      if count.failed > 0 then parts[#parts + 1] = "would refuse " .. format.count(count.failed, "row") end
   else
      parts[1] = count.created .. " created"
      parts[2] = count.present .. " already present"
      parts[3] = count.failed .. " failed"
   end
   if count.earlier > 0 then parts[#parts + 1] = count.earlier .. " done by an earlier run (checkpoint)" end
   local timing = dry_run and "" or (" (%.1f s, %.0f rows/s)"):format(seconds, #todo / math.max(seconds, 0.001))
   io.write(("%s: %s%s\n"):format(format.count(#rows, "row"), table.concat(parts, ", "), timing))
   for i = 1, #rows do
      local r = results[i]
      if r and r.outcome == "present" then
         io.write(("row %d (line %d): already present\n"):format(i, r.row.line))
      elseif r and r.outcome == "failed" then
         io.write(("row %d (line %d): %s%s\n"):format(i, r.row.line, dry_run and "would be refused: " or "", r.reason))
      end
   end
   if count.failed == 0 then return 0 end
   return (count.created + count.present + count.earlier + (dry_run and #todo or 0)) > 0 and 3 or 1
end

return {
   summary = "create tokens from a CSV or JSON Lines file (a migration)",
   usage = [[
usage: authlete-tokens import FILE [--parallel N] [--checkpoint FILE] [--format csv|jsonl]
                              [--allow-expired] [--dry-run]

  FILE               CSV (RFC 4180) with a header line naming the columns, or JSON Lines
                     (one object per line). Columns: accessToken and clientId (an ID or an
                     alias) or clientIdentifier are required; any other field of
                     TokenCreateRequest may be given (scopes space-separated in CSV, a list
                     in JSON), and expiresAt (epoch seconds or milliseconds, or
                     YYYY-MM-DDTHH:MM:SSZ), expiresIn (seconds), refreshTokenExpiresAt
  --parallel N       N creates at once (1 to 64, default 1); the report is the same
  --checkpoint FILE  record each row Authlete holds; a rerun with the same FILE sends only
                     the rows that are not done (an interrupted import resumes)
  --format F         csv or jsonl (default: from the name's extension, else the content)
  --allow-expired    import a row whose expiry has passed, with a 1-second lifetime
                     (default: the row is refused)
  --dry-run          read and check every row, send nothing
  --present-if TEXT  a create refused with result code TEXT, or a message holding TEXT,
                     means the row is already in Authlete (default "already exists":
                     an assumption, Authlete does not document the code; "" = never)

The whole file is checked before anything is sent: an unknown or missing column
stops the import (exit 2). A row Authlete already holds is skipped ("already
present"), so a rerun never creates a token twice. Exit codes: 0 every row is in
Authlete, 3 some rows failed and the others are in, 1 no row is in.]],
   arguments = 1,
   options = { parallel = "value", concurrency = "value", checkpoint = "value", format = "value",
               ["allow-expired"] = "flag", ["dry-run"] = "flag", ["present-if"] = "value" },

   run = function(ctx, opts, positional)
      local path = positional[1]
      if not path or positional[2] then args.usage("give exactly one FILE") end
      local workers = args.integer(opts.parallel and "parallel" or "concurrency",
         opts.parallel or opts.concurrency or "1", 1, 64)
      local allow_expired = opts["allow-expired"] == true
      local present_if = opts["present-if"] or PRESENT_IF
      local rows = import_file.read(path, opts.format)
      local saved = opts.checkpoint and checkpoint.open(opts.checkpoint)

      local multi = Multi.new()
      local o = {}
      for k, v in pairs(ctx.client_options) do o[k] = v end
      o.transport = multi
      local client = authlete.new(o)
      local tm = client.token.management

      -- Every row is checked before the first is sent: what the core would
      -- refuse is that row's failure, named by field.
      local results, todo, now = {}, {}, os.time()
      for _, row in ipairs(rows) do
         local req, why = nil, row.bad
         if not why then req, why = request_for(row.fields, now, allow_expired) end
         if req then
            local ok, perr = core.prepare("create", { tokenCreateRequest = req }, client.defaults)
            if not ok then
               perr.operation = "create"
               why = tostring(errors.new(perr))
            end
         end
         if why then
            results[row.row] = { row = row, outcome = "failed", reason = why }
         elseif saved and saved:holds(row.row, row.fields.accessToken) then
            results[row.row] = { row = row, outcome = "earlier" }
         else
            todo[#todo + 1] = row
         end
      end

      local t0 = curl.now_ms()
      if not opts["dry-run"] and #todo > 0 then
         local show, next_row, done = progress(#todo), 1, 0
         multi:run(function()
            while next_row <= #todo do
               local row = todo[next_row]
               next_row = next_row + 1
               local req, why = request_for(row.fields, os.time(), allow_expired) -- lifetimes from now
               local outcome, reason = "failed", why
               if req then
                  local res, err = tm.create({ tokenCreateRequest = req })
                  if res then outcome, reason = "created", nil
                  elseif already_present(err, present_if) then outcome, reason = "present", nil
                  else reason = tostring(err) end
               end
               if saved and outcome ~= "failed" then saved:record(row.row, outcome, row.fields.accessToken) end
               results[row.row] = { row = row, outcome = outcome, reason = reason }
               done = done + 1
               show(done)
            end
         end, math.min(workers, #todo))
         show(done, true)
      end
      client:close()
      multi:close()
      if saved then saved:close() end
      return report(rows, results, todo, opts["dry-run"], (curl.now_ms() - t0) / 1000)
   end,
}
