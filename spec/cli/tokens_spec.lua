-- bin/authlete-tokens, run as a subprocess against the mock, the way an
-- operator runs it. Every output is kept and searched for the bearer.
local helper = require("spec.helpers.mock")
local json = require("authlete.json")

local outputs = {}

local function sh_quote(s) return "'" .. tostring(s):gsub("'", "'\\''") .. "'" end

describe("authlete-tokens", function()
   local mock, env
   setup(function()
      mock = helper.start()
      env = ("AUTHLETE_BEARER=%s AUTHLETE_SERVICE_ID=%s AUTHLETE_BASE_URL=%s"):format(
         helper.BEARER, mock.service_id, mock.url)
   end)
   teardown(function()
      mock:stop()
      for _, out in ipairs(outputs) do assert.falsy(out:find(helper.BEARER, 1, true), out) end
   end)
   before_each(function() mock:reset() end)

   -- Run the command; returns exit code, stdout, stderr.
   local function run(argv, opts)
      opts = opts or {}
      local out, err = os.tmpname(), os.tmpname()
      local cmd = ("%s bin/authlete-tokens %s > %s 2> %s"):format(opts.env or env, argv, out, err)
      if opts.stdin then cmd = ("printf %%s %s | %s"):format(sh_quote(opts.stdin), cmd) end
      if opts.tty then -- a pseudo-terminal, answered through script(1)
         cmd = ("printf %%s %s | script -qec %s /dev/null > %s 2>&1"):format(sh_quote(opts.tty),
            sh_quote(("%s bin/authlete-tokens %s"):format(opts.env or env, argv)), out)
      end
      -- Exactly once: with the given input, or with none at all.
      local _, _, code = os.execute((opts.stdin or opts.tty) and cmd or (cmd .. " < /dev/null"))
      local function slurp(p)
         local f = io.open(p)
         local s = f and f:read("a") or ""
         if f then f:close() end
         os.remove(p)
         return s
      end
      local o, e = slurp(out), slurp(err)
      outputs[#outputs + 1] = o .. e
      return code, o, e
   end

   local function create(subject, client)
      local code = run(("create --client %s --grant-type authorization_code --subject %s --scope openid")
         :format(client or "26888344961664", subject))
      assert.are.equal(0, code)
   end

   it("has help for itself and for every command", function()
      local code, out = run("--help")
      assert.are.equal(0, code)
      for _, c in ipairs({ "list", "create", "update", "revoke", "delete", "import" }) do
         assert.matches("\n  " .. c .. " ", out)
         local ccode, cout = run(c .. " --help")
         assert.are.equal(0, ccode)
         assert.matches("^usage: authlete%-tokens " .. c, cout)
      end
   end)

   it("exits 2 on usage errors, with the command's help", function()
      for _, argv in ipairs({ "", "frobnicate", "list --bogus", "list --status maybe", "create --grant-type password",
                              "create --client 1", "update", "delete", "revoke", "import",
                              "import /nonexistent.csv", "list --bearer " .. helper.BEARER }) do
         local code, _, err = run(argv)
         assert.are.equal(2, code, argv)
         assert.truthy(#err > 0)
      end
      local code, _, err = run("list", { env = "AUTHLETE_BEARER= AUTHLETE_SERVICE_ID=1" })
      assert.are.equal(2, code)
      assert.matches("no bearer: set AUTHLETE_BEARER", err)
      code, _, err = run("lsit")
      assert.are.equal(2, code)
      assert.matches("unknown command 'lsit' (did you mean 'list'?)", err, 1, true)
      -- a bearer typed where the command goes is not echoed (teardown searches every output)
      code, _, err = run(helper.BEARER .. " list")
      assert.are.equal(2, code)
      assert.matches("unknown command (20 characters, not shown: it may be a secret)", err, 1, true)
   end)

   it("range-checks every number, with a clear message and exit 2", function()
      for _, argv in ipairs({ "update T --expires-at 99999999999999999999", "update T --expires-at 9223372036854775807",
                              "update T --expires-at +99999999999999999", "update T --expires-at 2023-02-29T00:00:00Z",
                              "update T --expires-at -5", "create --client 1 --grant-type password --duration 1e300",
                              "create --client 1 --grant-type password --duration -1",
                              "create --client 1 --grant-type password --duration 99999999999999999999",
                              "import x.csv --concurrency 0", "import x.csv --concurrency 1e9" }) do
         local code, out, err = run(argv)
         assert.are.equal(2, code, argv)
         assert.are.equal("", out, argv)
         assert.matches("^authlete%-tokens: %-%-[%w-]+ ", err, 1, argv)
         assert.falsy(err:find("stack traceback", 1, true), argv)
      end
      assert.are.equal(0, mock:stats().api_requests)
   end)

   it("takes token values from standard input or a file, keeping them out of argv", function()
      local _, out = run("create --client 26888344961664 --grant-type authorization_code --subject stdin --json")
      local token = json.decode(out).accessToken
      local code, uout = run("update - --scope profile", { stdin = token .. "\n" })
      assert.are.equal(0, code)
      assert.matches("scopes profile", uout)
      local path = os.tmpname()
      local f = assert(io.open(path, "w"))
      f:write(token, "\n")
      f:close()
      assert.are.equal(0, (run("revoke --token @" .. path)))
      assert.are.equal(0, (run("delete @" .. path)))
      os.remove(path)
      assert.are.equal(0, mock:stats().tokens)
      local ecode, _, err = run("delete -")
      assert.are.equal(2, ecode)
      assert.matches("nothing on standard input", err)
   end)

   it("echoes no control characters a user typed", function()
      for _, argv in ipairs({ "list '--bo\27[2Jgus'", "create --client 1 --grant-type password --property 'k\27[31m'",
                              "update T --expires-at '\27]0;owned\7'", "import '/no/such\27[2J.csv'" }) do
         local code, _, err = run(argv)
         assert.are.equal(2, code, argv)
         assert.falsy(err:find("[\27\7]"), err)
      end
   end)

   it("creates tokens and says what it made", function()
      local code, out = run("create --client orders-web --grant-type password --subject john "
         .. "--scope 'orders.read orders.write' --duration 600 --property tenant=acme")
      assert.are.equal(0, code)
      assert.matches("access token   [%w_-]+\nrefresh token  [%w_-]+\nexpires        %d%d%d%d%-%d%d%-%d%d %d%d:%d%d\n"
         .. "scopes         orders%.read orders%.write\n", out)
      code, out = run("create --client 26888344961664 --grant-type client_credentials --json")
      assert.are.equal(0, code)
      local res = json.decode(out)
      assert.are.same({ "OK", 26888344961664 }, { res.action, res.clientId })
      assert.is_true(json.is_array(res.scopes))
   end)

   it("lists as a table, as JSON lines, a page or --all", function()
      for i = 1, 22 do create("john", i % 2 == 0 and "orders-web" or nil) end
      local code, out = run("list --subject john")
      assert.are.equal(0, code)
      assert.matches("^HASH +CLIENT +SUBJECT +GRANT TYPE +SCOPES +EXPIRES\n", out)
      assert.matches("20 of 22 shown; %-%-all lists every one\n$", out)
      code, out = run("list --subject john --all")
      assert.are.equal(0, code)
      assert.matches("\n22 token%(s%)\n$", out)
      code, out = run("list --client orders-web --json")
      assert.are.equal(0, code)
      local n = 0
      for line in out:gmatch("[^\n]+") do
         n = n + 1
         assert.are.equal(31415926535897, json.decode(line).clientId)
      end
      assert.are.equal(11, n)
      code, out = run("list --subject john --status invalid")
      assert.are.same({ 0, "HASH  CLIENT  SUBJECT  GRANT TYPE  SCOPES  EXPIRES\n0 token(s)\n" }, { code, out })
   end)

   it("updates by value or hash, deletes, and revokes one token", function()
      local _, out = run("create --client 26888344961664 --grant-type password --subject ann --json")
      local token = json.decode(out)
      local code
      -- Tokens are base64url and may begin with "-" (or even "--": hence the "--").
      code, out = run(("update --scope openid --expires-at +3600 -- %s"):format(token.accessToken))
      assert.are.equal(0, code)
      assert.matches("^updated: scopes openid, expires %d", out)
      local _, listed = run("list --subject ann --json")
      local hash = json.decode(listed).accessTokenHash
      code, out = run(("update --hash --scope profile --expires-at 2030-01-01T00:00:00Z -- %s"):format(hash))
      assert.are.equal(0, code)
      assert.matches("scopes profile, expires 20[23]", out)
      code, out = run(("revoke --token %s"):format(token.accessToken))
      assert.are.same({ 0, "revoked 1 token(s)\n" }, { code, out })
      code, out = run(("delete -- %s"):format(hash))
      assert.are.same({ 0, "deleted\n" }, { code, out })
      local err
      code, _, err = run("delete -no-such-token")
      assert.are.equal(1, code)
      assert.matches("^authlete%-tokens: ResultError: %[A133205%]", err)
   end)

   it("counts before a user-wide revoke, and asks on a terminal", function()
      for _ = 1, 3 do create("bob") end
      local code, out = run("revoke --subject bob --dry-run")
      assert.are.same({ 0, "3 valid token(s) of bob\n" }, { code, out })
      local err
      code, out, err = run("revoke --subject bob")  -- no terminal, no --yes
      assert.are.equal(2, code)
      assert.are.equal("3 valid token(s) of bob\n", out)
      assert.matches("without %-%-yes", err)
      code, out = run("revoke --subject bob", { tty = "n\n" })
      assert.are.equal(1, code)
      assert.matches("revoke them all%? %[y/N%]", out)
      assert.matches("nothing revoked", out)
      assert.are.equal(3, mock:stats().tokens)
      local still
      code, still = run("list --subject bob")
      assert.are.equal(0, code)
      assert.matches("3 token%(s%)", still)
      code, out = run("revoke --subject bob", { tty = "y\n" })
      assert.are.equal(0, code)
      assert.matches("revoked 3 token%(s%)", out)
      code, out = run("revoke --client 26888344961664 --yes")
      assert.are.equal(0, code)
      assert.matches("revoked 0 token%(s%)", out)
   end)

   it("imports a file, reports duplicates and bad rows, and a rerun skips what is there", function()
      local path = os.tmpname()
      local f = io.open(path, "w")
      f:write("accessToken,refreshToken,clientId,subject,scopes,expiresAt\n")
      for i = 1, 30 do f:write(("imp-%02d,imp-rt-%02d,%s,user%d,openid profile,\n"):format(i, i,
         i % 2 == 0 and "orders-web" or "26888344961664", i % 4)) end
      f:write("imp-01,,26888344961664,dup,openid,\n")          -- a duplicate inside the file
      f:write("only,two\n")                                    -- a bad row
      f:write("imp-99,,27182818284590,user,openid,\n")         -- an unknown client
      f:close()
      local code, out, err = run("import " .. path)
      assert.are.equal(1, code)
      assert.matches("^33 row%(s%): 30 created, 1 already present, 2 failed", out)
      assert.matches("line 32: already present", out)
      assert.matches("line 33: 2 columns, the header has 6", out)
      assert.matches("line 34: ResultError: %[A109202%]", out)
      assert.matches("import: 33/33 %(100%%%)", err)
      code, out = run("import " .. path)
      assert.are.equal(1, code)
      assert.matches("^33 row%(s%): 0 created, 31 already present, 2 failed", out)
      assert.are.equal(30, mock:stats().tokens)
      os.remove(path)
   end)

   it("imports JSON lines with the same results at any concurrency", function()
      local path = os.tmpname()
      local f = io.open(path, "w")
      for i = 1, 40 do
         f:write(json.encode({ accessToken = "jl-" .. i, clientId = i % 3 == 0 and 1 or 26888344961664,
                               subject = "u" .. i, scopes = json.array({ "openid" }) }), "\n")
      end
      f:write("{not json\n")
      f:close()
      local function results(output) return (output:gsub("%(%d+%.%d s, %d+/s%)", "")) end
      local code1, seq = run("import " .. path)
      local tokens_seq = mock:stats().tokens
      mock:reset()
      local code8, par = run("import " .. path .. " --concurrency 8")
      assert.are.same({ 1, 1 }, { code1, code8 })
      assert.are.equal(results(seq), results(par))
      assert.matches("^41 row%(s%): 27 created, 0 already present, 14 failed", seq)
      assert.are.same({ 27, 27 }, { tokens_seq, mock:stats().tokens })
      os.remove(path)
   end)

   it("reads its service from a config file, a bearer file or standard input", function()
      local conf = os.tmpname()
      local f = io.open(conf, "w")
      f:write(("# ops config\nbearer = %s\nservice_id = %s\nbase_url = %s\n"):format(helper.BEARER,
         mock.service_id, mock.url))
      f:close()
      local bare = "AUTHLETE_BEARER= AUTHLETE_SERVICE_ID= AUTHLETE_BASE_URL="
      assert.are.equal(0, (run("--config " .. conf .. " list", { env = bare })))
      local bearer_file = os.tmpname()
      f = io.open(bearer_file, "w")
      f:write(helper.BEARER .. "\n")
      f:close()
      local partial = ("AUTHLETE_BEARER= AUTHLETE_SERVICE_ID=%s AUTHLETE_BASE_URL=%s"):format(mock.service_id, mock.url)
      assert.are.equal(0, (run("list --bearer-file " .. bearer_file, { env = partial })))
      assert.are.equal(0, (run("list --bearer-stdin", { env = partial, stdin = helper.BEARER .. "\n" })))
      local code, _, err = run("list --service-id 1")
      assert.are.equal(1, code)
      assert.matches("HTTP 403", err)
      os.remove(conf)
      os.remove(bearer_file)
   end)
end)
