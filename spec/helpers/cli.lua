-- bin/authlete-tokens run as a subprocess against a mock, the way an
-- operator runs it. Every output is kept, so that a spec's teardown can
-- search them all for the bearer.
local helper = require("spec.helpers.mock")

local cli = {}
cli.__index = cli

function cli.quote(s) return "'" .. tostring(s):gsub("'", "'\\''") .. "'" end

local function slurp(path)
   local f = io.open(path)
   local s = f and f:read("a") or ""
   if f then f:close() end
   os.remove(path)
   return s
end

--- A runner for `mock`, configured through the environment a user sets.
function cli.new(mock)
   return setmetatable({
      env = ("AUTHLETE_BEARER=%s AUTHLETE_SERVICE_ID=%s AUTHLETE_BASE_URL=%s"):format(
         helper.BEARER, mock.service_id, mock.url),
      outputs = {},
   }, cli)
end

--- Run the command with `argv` (shell words); returns the exit code, stdout
--- and stderr. opts: env (replaces the runner's), stdin (text), tty (text
--- typed at a pseudo-terminal, through script(1); stderr joins stdout).
function cli:run(argv, opts)
   opts = opts or {}
   local env = opts.env or self.env
   local out, err = os.tmpname(), os.tmpname()
   local cmd = ("%s bin/authlete-tokens %s > %s 2> %s"):format(env, argv, out, err)
   if opts.stdin then cmd = ("printf %%s %s | %s"):format(cli.quote(opts.stdin), cmd) end
   if opts.tty then
      cmd = ("printf %%s %s | script -qec %s /dev/null > %s 2>&1"):format(cli.quote(opts.tty),
         cli.quote(("%s bin/authlete-tokens %s"):format(env, argv)), out)
   end
   -- Exactly once: with the given input, or with none at all.
   local _, _, code = os.execute((opts.stdin or opts.tty) and cmd or (cmd .. " < /dev/null"))
   local o, e = slurp(out), slurp(err)
   self.outputs[#self.outputs + 1] = o .. e
   return code, o, e
end

--- For a describe block's setup: a mock (options as helper.start) and a
--- runner for it.
function cli.start(mock_opts)
   local mock = helper.start(mock_opts)
   return mock, cli.new(mock)
end

--- For its teardown: stop the mock; no output may have held the bearer.
function cli.stop(mock, runner)
   mock:stop()
   -- the output itself is not shown: it holds the bearer
   if runner:leaked() then error("the bearer reached a command's output", 2) end
end

--- Whether any output so far holds the bearer.
function cli:leaked()
   for _, out in ipairs(self.outputs) do
      if out:find(helper.BEARER, 1, true) then return out end
   end
end

return cli
