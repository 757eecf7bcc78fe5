--- authlete-tokens import: create tokens with given values, for a migration.
local compat = require("authlete.compat")
local authlete = require("authlete")
local args = require("authlete.cli.args")
local curl = require("authlete.curl")
local json = require("authlete.json")
local Multi = require("authlete.transport.multi")

-- Rows of a CSV file (a header line naming the columns) or of JSON lines:
-- { line = n, fields = { name = value } } or { line = n, bad = reason }.
local function read_rows(path)
   local f, err = io.open(path, "r")
   if not f then args.usage("cannot read " .. args.shown(path) .. ": " .. args.shown(err)) end
   local rows, header, n = {}, nil, 0
   for line in f:lines() do
      n = n + 1
      if line:find("%S") then
         if line:match("^%s*{") then
            local obj, jerr = json.decode(line)
            if type(obj) == "table" then rows[#rows + 1] = { line = n, fields = obj }
            else rows[#rows + 1] = { line = n, bad = "not a JSON object: " .. tostring(jerr) } end
         elseif not header then
            header = {}
            for name in line:gmatch("[^,]+") do header[#header + 1] = name:match("^%s*(.-)%s*$") end
         else
            local fields, i = {}, 0
            for value in (line .. ","):gmatch("([^,]*),") do
               i = i + 1
               if header[i] and value ~= "" then fields[header[i]] = value end
            end
            if i ~= #header then rows[#rows + 1] = { line = n, bad = ("%d columns, the header has %d"):format(i, #header) }
            else rows[#rows + 1] = { line = n, fields = fields } end
         end
      end
   end
   f:close()
   return rows
end

-- The create request for a row's fields, or nil and why not.
local function request_for(f)
   if not f.accessToken or f.accessToken == "" then return nil, "no accessToken" end
   if not f.clientId or f.clientId == "" then return nil, "no clientId" end
   local id, identifier = args.client(tostring(f.clientId))
   local scopes = f.scopes
   if type(scopes) == "string" then scopes = args.words({ scopes }) end
   local req = {
      grantType = f.grantType or (f.subject and "AUTHORIZATION_CODE" or "CLIENT_CREDENTIALS"),
      clientId = id, clientIdentifier = identifier, subject = f.subject,
      accessToken = f.accessToken, refreshToken = f.refreshToken, scopes = scopes,
   }
   local expires = tonumber(f.expiresAt)
   if expires then
      if expires > 1e12 then expires = compat.idiv(expires, 1000) end -- milliseconds given
      req.accessTokenDuration = math.max(1, compat.tointeger(expires - os.time()) or 1)
   elseif tonumber(f.expiresIn) then
      req.accessTokenDuration = compat.tointeger(tonumber(f.expiresIn))
   end
   return req
end

-- Authlete refuses a token value whose hash it already holds.
local function already_present(err)
   return err.kind == "ResultError" and (err.resultMessage or ""):lower():find("already exists", 1, true) ~= nil
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

return {
   summary = "create tokens from a CSV or JSON-lines file (a migration)",
   usage = [[
usage: authlete-tokens import FILE [--concurrency N]

  FILE                CSV with a header line, or JSON lines, with the fields accessToken,
                      clientId (ID or alias), and optionally refreshToken, subject, scopes
                      (space-separated in CSV, a list in JSON), grantType, expiresAt (epoch
                      seconds) or expiresIn (seconds)
  --concurrency N     N requests at once (default 1); the results are the same

Rows whose token Authlete already holds are skipped and reported, so a rerun
finishes what an interrupted run started. Exits 1 when a row failed.]],
   arguments = 1,
   options = { concurrency = "value" },

   run = function(ctx, opts, positional)
      local path = positional[1]
      if not path or positional[2] then args.usage("give exactly one FILE") end
      local workers = args.integer("concurrency", opts.concurrency or "1", 1, 64)
      local rows = read_rows(path)
      local multi = Multi.new()
      local o = {}
      for k, v in pairs(ctx.client_options) do o[k] = v end
      o.transport = multi
      local client = authlete.new(o)
      local tm = client.token.management

      local results, next_row, done = {}, 1, 0
      local show = progress(#rows)
      local t0 = curl.now_ms()
      multi:run(function()
         while next_row <= #rows do
            local row = rows[next_row]
            next_row = next_row + 1
            local req, why = nil, row.bad
            if not why then req, why = request_for(row.fields) end
            local outcome, reason = "failed", why
            if req then
               local res, err = tm.create({ tokenCreateRequest = req })
               if res then outcome, reason = "created", nil
               elseif already_present(err) then outcome, reason = "present", nil
               else reason = tostring(err) end
            end
            results[#results + 1] = { line = row.line, outcome = outcome, reason = reason }
            done = done + 1
            show(done)
         end
      end, math.min(workers, math.max(1, #rows)))
      show(done, true)
      client:close()
      multi:close()

      table.sort(results, function(a, b) return a.line < b.line end)
      local count = { created = 0, present = 0, failed = 0 }
      for _, r in ipairs(results) do count[r.outcome] = count[r.outcome] + 1 end
      local seconds = (curl.now_ms() - t0) / 1000
      io.write(("%d row(s): %d created, %d already present, %d failed (%.1f s, %.0f/s)\n"):format(#rows,
         count.created, count.present, count.failed, seconds, #rows / math.max(seconds, 0.001)))
      for _, r in ipairs(results) do
         if r.outcome == "present" then io.write(("line %d: already present\n"):format(r.line))
         elseif r.outcome == "failed" then io.write(("line %d: %s\n"):format(r.line, r.reason)) end
      end
      return count.failed == 0 and 0 or 1
   end,
}
