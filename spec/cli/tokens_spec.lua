-- bin/authlete-tokens, run as a subprocess against the mock, the way an
-- operator runs it. Every output is searched for the bearer. The import
-- command has its own file (import_spec.lua).
local helper = require("spec.helpers.mock")
local json = require("authlete.json")

local Cli = require("spec.helpers.cli")

describe("authlete-tokens", function()
   local mock, cli
   setup(function() mock, cli = Cli.start() end)
   teardown(function() Cli.stop(mock, cli) end)
   before_each(function() mock:reset() end)

   local function run(argv, opts) return cli:run(argv, opts) end

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

   it("documents its exit codes in --help and the README alike", function()
      local _, out = run("--help")
      local help = {}
      for code, text in out:match("\nexit codes:\n(.*)$"):gmatch("  (%d+) +([^\n]+)") do
         help[#help + 1] = code .. " " .. text
      end
      local f = assert(io.open("README.md"))
      local readme = {}
      for code, text in f:read("a"):gmatch("\n| (%d+) | ([^\n]-) |") do readme[#readme + 1] = code .. " " .. text end
      f:close()
      assert.are.same({ "0", "1", "2", "3", "130" }, (function()
         local codes = {}
         for i, line in ipairs(help) do codes[i] = line:match("^%d+") end
         return codes
      end)())
      assert.are.same(help, readme)
      -- 0, 1 and 2 are checked by the specs here; 3 and 130 by import_spec.lua
   end)

   it("exits 2 on usage errors, with one line on where the help is", function()
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
      code, _, err = run("list --subjet alice")
      assert.are.same({ 2, "authlete-tokens: unknown option --subjet (did you mean --subject?)\n"
         .. "(authlete-tokens list --help shows the options)\n" }, { code, err })
      code, _, err = run("import x.csv --paralel 8")
      assert.are.equal(2, code)
      assert.matches("unknown option --paralel (did you mean --parallel?)", err, 1, true)
      -- a bearer pasted after "--" is not echoed either
      code, _, err = run("list --" .. helper.BEARER)
      assert.are.equal(2, code)
      assert.matches("unknown option %(%d+ characters, not shown: it may be a secret%)", err)
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
                              "import x.csv --parallel 0", "import x.csv --parallel 1e9",
                              "import x.csv --concurrency 0" }) do
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
      assert.matches("\n22 tokens\n$", out)
      code, out = run("list --client orders-web --json")
      assert.are.equal(0, code)
      local n = 0
      for line in out:gmatch("[^\n]+") do
         n = n + 1
         assert.are.equal(31415926535897, json.decode(line).clientId)
      end
      assert.are.equal(11, n)
      code, out = run("list --subject john --status invalid")
      assert.are.same({ 0, "HASH  CLIENT  SUBJECT  GRANT TYPE  SCOPES  EXPIRES\n0 tokens\n" }, { code, out })
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
      assert.are.same({ 0, "revoked 1 token\n" }, { code, out })
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
      assert.are.same({ 0, "would revoke 3 valid tokens of bob\n" }, { code, out })
      local err
      code, out, err = run("revoke --subject bob")  -- no terminal, no --yes
      assert.are.equal(2, code)
      assert.are.equal("3 valid tokens of bob\n", out)
      assert.matches("without %-%-yes", err)
      code, out = run("revoke --subject bob", { tty = "n\n" })
      assert.are.equal(0, code) -- the user's choice, not a failure
      assert.matches("revoke them all%? %[y/N%]", out)
      assert.matches("nothing changed", out)
      assert.are.equal(3, mock:stats().tokens)
      local still
      code, still = run("list --subject bob")
      assert.are.equal(0, code)
      assert.matches("\n3 tokens\n", still)
      code, out = run("revoke --subject bob", { tty = "y\n" })
      assert.are.equal(0, code)
      assert.matches("revoked 3 tokens", out)
      code, out = run("revoke --client 26888344961664 --yes")
      assert.are.equal(0, code)
      assert.matches("revoked 0 tokens", out)
   end)

   it("reads its service from a config file, a bearer file or standard input", function()
      local conf = os.tmpname()
      local f = io.open(conf, "w")
      -- values may be quoted, and the quotes are not part of them
      f:write(("# ops config\nbearer = \"%s\"\nservice_id = '%s'\nbase_url = %s\n"):format(helper.BEARER,
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
      local _, times = err:gsub("HTTP 403", "")
      assert.are.equal(1, times) -- each fact once
      os.remove(conf)
      os.remove(bearer_file)
   end)
end)
