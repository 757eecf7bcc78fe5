-- authlete-tokens import, as an operator runs a migration: CSV as RFC 4180
-- writes it, JSON Lines, the checks made before anything is sent, expiry,
-- parallel creates, and a checkpoint that resumes an interrupted import.
-- Token values are checked through their hashes, as Authlete lists them.
local helper = require("spec.helpers.mock")
local hash = require("authlete.hash")
local json = require("authlete.json")
local Cli = require("spec.helpers.cli")

local function write(text)
   local path = os.tmpname()
   local f = assert(io.open(path, "wb"))
   f:write(text)
   f:close()
   return path
end

-- The report without its timing, which differs from run to run.
local function report(out) return (out:gsub(" %(%d+%.%d s, %d+ rows/s%)", "")) end

describe("authlete-tokens import", function()
   local mock, cli, files
   setup(function() mock, cli = Cli.start() end)
   teardown(function() Cli.stop(mock, cli) end)
   before_each(function()
      mock:reset()
      files = {}
   end)
   after_each(function() for _, p in ipairs(files) do os.remove(p) end end)

   local function file(text)
      files[#files + 1] = write(text)
      return files[#files]
   end

   local function run(argv, opts) return cli:run(argv, opts) end

   -- The tokens Authlete holds for a subject, by access-token hash.
   local function held(subject)
      local _, body = helper.api(mock, { method = "GET",
         path = "/api/{sid}/auth/token/get/list?tokenStatus=ALL&subject=" .. subject })
      local out = {}
      for _, t in ipairs(body.accessTokens or {}) do out[t.accessTokenHash] = t end
      return out
   end

   it("reads CRLF line ends, quoted commas, quotes and line breaks, and a byte-order mark", function()
      local path = file("\239\187\191accessToken,refreshToken,clientId,subject,scopes\r\n"
         .. "crlf-1,crlf-rt-1,26888344961664,ann,openid\r\n"                 -- the CR must not stay in a value
         .. '"q,1 ""x""",,26888344961664,ann,"openid\r\nprofile"\r\n'        -- a record over two lines
         .. "crlf-3,,orders-web,ann,openid\r\n")
      local code, out = run("import " .. path)
      assert.are.same({ 0, "3 rows: 3 created, 0 already present, 0 failed\n" }, { code, report(out) })
      local tokens = held("ann")
      local first = tokens[hash.token_hash("crlf-1")]
      assert.truthy(first, "crlf-1 imported with its exact value")
      assert.are.equal(hash.token_hash("crlf-rt-1"), first.refreshTokenHash)
      local second = tokens[hash.token_hash('q,1 "x"')]
      assert.truthy(second, 'the quoted value q,1 "x"')
      assert.are.same({ "openid", "profile" }, second.scopes)
      assert.are.equal(31415926535897, tokens[hash.token_hash("crlf-3")].clientId) -- an alias
   end)

   it("names each row by number and line, and refuses a token holding a control character", function()
      local path = file('accessToken,clientId,subject,scopes\n'
         .. 'ok-1,26888344961664,bo,"openid\nprofile"\n'
         .. '"cr-in-value\r",26888344961664,bo,openid\n'
         .. 'short,26888344961664\n'
         .. 'ok-2,not a number,bo,openid\n')
      local code, out = run("import " .. path)
      assert.are.equal(3, code)
      assert.are.equal("4 rows: 1 created, 0 already present, 3 failed\n"
         .. "row 2 (line 4): accessToken holds a control character (byte 13)\n"
         .. "row 3 (line 5): 2 fields, the header has 4\n"
         .. "row 4 (line 6): ResultError: [A109202] The client (ID = not a number) does not exist. (HTTP 400, create)\n",
         report(out))
   end)

   it("checks the header before sending anything", function()
      local cases = {
         { text = "accessToken,clientId,scope,expiresOn\nx,1,a,1\n",
           err = "unknown columns 'scope' (did you mean 'scopes'?), 'expiresOn' (did you mean 'expiresIn'?)" },
         { text = "refreshToken,subject\nx,y\n", err = "the header has no accessToken column and no clientId "
           .. "(or clientIdentifier) column" },
         { text = "accessToken,clientId,accessToken\nx,1,y\n", err = "the header names 'accessToken' twice" },
         { text = "accessToken,,clientId\nx,,1\n", err = "column 2 of the header has no name" },
         { text = "", err = "is empty: a CSV file starts with a header line" },
         { text = 'accessToken,clientId\n"open,1\nnext,2\n', err = "line 2: a quoted field is never closed" },
         { text = 'accessToken,clientId\n"a"b,1\n', err = "line 2: text after a closing quote" },
         { text = 'accessToken,clientId\na"b,1\n', err = "line 2: a quote inside an unquoted field" },
      }
      for _, case in ipairs(cases) do
         local code, out, err = run("import " .. file(case.text))
         assert.are.same({ 2, "" }, { code, out }, case.text)
         assert.matches(case.err, err, 1, true)
         assert.matches("^authlete%-tokens: [^\n]+\n$", err) -- one line: the options were right
      end
      assert.are.equal(0, mock:stats().api_requests)
   end)

   it("says in one line that a file is missing or unreadable", function()
      for _, target in ipairs({ "/nonexistent/tokens.csv", "/tmp" }) do
         local code, out, err = run("import " .. target)
         assert.are.same({ 2, "" }, { code, out })
         assert.matches("^authlete%-tokens: cannot read [^\n]+\n$", err) -- one line
         assert.falsy(err:find("traceback", 1, true))
      end
   end)

   it("refuses an expiry in the past per row, unless --allow-expired", function()
      local soon = os.time() + 3600
      local path = file(("accessToken,clientId,subject,expiresAt,refreshToken,refreshTokenExpiresAt\n"
         .. "exp-1,26888344961664,cy,2020-01-01T00:00:00Z,exp-rt-1,%d\n"
         .. "exp-2,26888344961664,cy,%d,,\n"
         .. "exp-3,26888344961664,cy,%d000,,\n"        -- milliseconds
         .. "exp-4,26888344961664,cy,yesterday,,\n"):format(soon + 86400, soon, soon))
      local code, out = run("import " .. path)
      assert.are.equal(3, code)
      assert.are.equal("4 rows: 2 created, 0 already present, 2 failed\n"
         .. "row 1 (line 2): expiresAt 2020-01-01T00:00:00Z is in the past (--allow-expired imports it with a "
         .. "1-second lifetime)\n"
         .. "row 4 (line 5): expiresAt must be epoch seconds or milliseconds, or YYYY-MM-DDTHH:MM:SSZ, got 'yesterday'\n",
         report(out))
      local tokens = held("cy")
      for _, name in ipairs({ "exp-2", "exp-3" }) do
         local expires = tokens[hash.token_hash(name)].accessTokenExpiresAt // 1000
         assert.is_true(math.abs(expires - soon) <= 5, name) -- the lifetime is counted when it is sent
      end
      code, out = run("import --allow-expired " .. path)
      assert.are.equal(3, code)
      assert.matches("^4 rows: 1 created, 2 already present, 1 failed\n", report(out))
      local kept = held("cy")[hash.token_hash("exp-1")]
      assert.truthy(kept, "the expired row is imported")
      assert.are.equal(hash.token_hash("exp-rt-1"), kept.refreshTokenHash) -- and its refresh token, still valid
   end)

   it("reads JSON Lines: typed values, blank and CRLF lines, a bad line is its row's failure", function()
      local lines = {
         json.encode({ accessToken = "jl-1", clientId = 26888344961664, subject = "di",
                       scopes = json.array({ "openid", "profile" }), expiresIn = 600 }),
         "",
         json.encode({ accessToken = "jl-2", clientId = "orders-web", subject = "di", grantType = "password" }) .. "\r",
         "{not json",
         "[1, 2]",
         json.encode({ accessToken = "jl-3", clientId = 26888344961664, subject = "di", scopes = "openid" }),
      }
      local code, out = run("import " .. file(table.concat(lines, "\n") .. "\n") .. " --format jsonl")
      assert.are.equal(3, code)
      out = report(out)
      assert.matches("^5 rows: 2 created, 0 already present, 3 failed\n", out)
      assert.matches("row 3 %(line 4%): not a JSON object", out)
      assert.matches("row 4 %(line 5%): not a JSON object", out)
      assert.matches("row 5 %(line 6%): SDKValidationError: [^\n]*scopes", out)
      local tokens = held("di")
      assert.are.same({ "openid", "profile" }, tokens[hash.token_hash("jl-1")].scopes)
      assert.are.equal("PASSWORD", tokens[hash.token_hash("jl-2")].grantType)
      -- an unknown field anywhere stops the file before anything is sent
      mock:reset()
      local err
      code, out, err = run("import " .. file(lines[1] .. "\n" .. '{"accessToken":"x","clientId":1,"subjct":"a"}\n')
         .. " --format jsonl")
      assert.are.same({ 2, "" }, { code, out })
      assert.matches("unknown field 'subjct' (did you mean 'subject'?)", err, 1, true)
      assert.are.equal(0, mock:stats().api_requests)
      -- a .jsonl name, or a first "{" (after a byte-order mark too), chooses JSON Lines without --format
      mock:reset()
      local named = file(lines[1] .. "\n")
      os.rename(named, named .. ".jsonl")
      files[#files] = named .. ".jsonl"
      local ncode, nout = run("import " .. files[#files])
      assert.are.same({ 0, "1 row: 1 created, 0 already present, 0 failed\n" }, { ncode, report(nout) })
      mock:reset()
      local unnamed = file("\239\187\191" .. lines[1] .. "\n") -- os.tmpname: no extension
      local ucode, uout = run("import " .. unnamed)
      assert.are.same({ 0, "1 row: 1 created, 0 already present, 0 failed\n" }, { ucode, report(uout) })
      -- a client ID given as text is digits only: "2.6888344961664e13" is an alias, not a number
      local _, eout = run("import --format jsonl " .. file('{"accessToken":"jl-e","clientId":"2.6888344961664e13","subject":"di"}\n'))
      assert.matches("client %(ID = 2%.6888344961664e13%) does not exist", eout)
   end)

   it("checks every row with --dry-run and sends nothing", function()
      local path = file("accessToken,clientId,subject,expiresAt\ndr-1,26888344961664,ed,\n"
         .. "dr-2,26888344961664,ed,2001-01-01T00:00:00Z\n")
      local code, out = run("import --dry-run " .. path)
      assert.are.equal(3, code)
      assert.are.equal("2 rows: would create 1 token (skipping any Authlete already holds), would refuse 1 row\n"
         .. "row 2 (line 3): would be refused: expiresAt 2001-01-01T00:00:00Z is in the past (--allow-expired "
         .. "imports it with a 1-second lifetime)\n", out)
      assert.are.equal(0, mock:stats().api_requests)
   end)

   it("exits 0 when every row is in Authlete, 3 when some failed, 1 when none is", function()
      local good = file("accessToken,clientId,subject\nex-1,26888344961664,fi\n")
      local bad = file("accessToken,clientId,subject\nex-2,27182818284590,fi\n")
      assert.are.equal(0, (run("import " .. good)))
      assert.are.equal(0, (run("import " .. good))) -- already present is in Authlete
      assert.are.equal(1, (run("import " .. bad)))
      local mixed = file("accessToken,clientId,subject\nex-3,26888344961664,fi\nex-4,27182818284590,fi\n")
      assert.are.equal(3, (run("import " .. mixed)))
   end)

   -- Which refusal means "already there" is an assumption (Authlete does not
   -- document the result code): --present-if names the code or the words.
   it("takes a refusal for an already present row by --present-if, by code or words, or never", function()
      local path = file("accessToken,clientId,subject\npi-1,26888344961664,fi\n")
      assert.are.equal(0, (run("import " .. path)))
      local code, out = run("import --present-if A109207 " .. path) -- the mock's code for it
      assert.are.same({ 0, "1 row: 0 created, 1 already present, 0 failed\n" },
                      { code, report(out):match("^[^\n]*\n") })
      code, out = run("import --present-if 'SAME VALUE' " .. path)
      assert.are.same({ 0, "1 row: 0 created, 1 already present, 0 failed\n" },
                      { code, report(out):match("^[^\n]*\n") })
      code, out = run("import --present-if '' " .. path)
      assert.are.equal(1, code)
      assert.matches("^1 row: 0 created, 0 already present, 1 failed\nrow 1 %(line 2%): ResultError: %[A109207%]",
                     report(out))
   end)
end)

describe("authlete-tokens import against a slow service", function()
   local mock, cli, path, rows
   setup(function()
      mock, cli = Cli.start({ latency_ms = 50 })
      -- 40 rows: a duplicate inside the file, a bad row, a client that does not exist
      local lines = { "accessToken,clientId,subject,scopes" }
      for i = 1, 36 do
         lines[#lines + 1] = ("par-%02d,%s,user%d,openid"):format(i, i % 2 == 0 and "orders-web" or "26888344961664", i)
      end
      lines[#lines + 1] = "par-07,26888344961664,dup,openid"
      lines[#lines + 1] = "only-two,26888344961664"
      lines[#lines + 1] = "par-99,27182818284590,user,openid"
      lines[#lines + 1] = "par-40,26888344961664,user40,openid"
      rows = #lines - 1
      path = write(table.concat(lines, "\n") .. "\n")
   end)
   teardown(function()
      os.remove(path)
      Cli.stop(mock, cli)
   end)
   before_each(function() mock:reset() end)

   it("gives the same report, in the file's order, at --parallel 1 and 8", function()
      local code1, seq = cli:run("import " .. path)
      local created = mock:stats().tokens
      mock:reset()
      local code8, par, err = cli:run("import --parallel 8 " .. path)
      assert.are.same({ 3, 3, 37, 37 }, { code1, code8, created, mock:stats().tokens })
      assert.are.equal(report(seq), report(par))
      assert.are.equal(("%d rows: 37 created, 1 already present, 2 failed\n"):format(rows)
         .. "row 37 (line 38): already present\n"
         .. "row 38 (line 39): 2 fields, the header has 4\n"
         .. "row 39 (line 40): ResultError: [A109202] The client (ID = 27182818284590) does not exist. (HTTP 400, "
         .. "create)\n", report(par))
      assert.matches(("import: %d/%d %%(100%%%%%%)"):format(rows - 1, rows - 1), err)
   end)

   it("resumes from its checkpoint after Ctrl-C, creating nothing twice", function()
      local ck = os.tmpname()
      os.remove(ck)
      -- Interrupt once a few rows are recorded, as an operator's Ctrl-C would.
      local script = ([[
%s bin/authlete-tokens import --checkpoint %s %s >/dev/null 2>&1 </dev/null &
pid=$!
i=0
while [ "$(cat %s 2>/dev/null | grep -c created)" -lt 3 ] && [ $i -lt 1000 ]; do sleep 0.01; i=$((i+1)); done
kill -INT $pid
wait $pid
echo "rc=$?"]]):format(cli.env, ck, path, ck)
      local p = io.popen(script)
      local first = p:read("a")
      p:close()
      assert.are.equal("rc=130\n", first)
      local sent_first = mock:stats().requests.create
      assert.is_true(sent_first >= 3 and sent_first < rows, "interrupted part way: " .. sent_first)
      local f = assert(io.open(ck))
      local recorded = select(2, f:read("a"):gsub("\n%d+ created ", ""))
      f:close()
      local code, out = cli:run(("import --checkpoint %s --parallel 4 %s"):format(ck, path))
      assert.are.equal(3, code)
      assert.matches((", %d done by an earlier run %%(checkpoint%%)"):format(recorded), out)
      -- the rows recorded were not sent again; every other row that can be
      -- sent was, once (one in flight at the interrupt comes back "present")
      assert.are.equal(sent_first + (rows - 1 - recorded), mock:stats().requests.create)
      assert.are.equal(37, mock:stats().tokens)
      -- a third run sends only what failed before
      local before = mock:stats().requests.create
      code = cli:run(("import --checkpoint %s %s"):format(ck, path))
      assert.are.equal(3, code)
      assert.are.equal(before + 1, mock:stats().requests.create) -- the unknown client's row; the bad row is never sent
      os.remove(ck)
   end)
end)
