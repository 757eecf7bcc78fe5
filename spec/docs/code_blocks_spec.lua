-- Every code block in README.md and docs/*.md is run, or compared with the
-- file it shows, so that no example can rot. The info string after the
-- fence says how (GitHub shows only its first word, the language):
--
--   lua                 run by lua5.4 against a fresh mock, must exit 0
--   sh                  run by bash -e against a fresh mock, bin/ on PATH
--   console             "$ " lines run as sh; the other lines are what they
--                       print, checked in order, other lines between them
--                       allowed (hashes, token values, times, token IDs and
--                       rates read as placeholders)
--   json                must be valid JSON
--   … file=PATH         must be PATH's text, byte for byte (a spec runs PATH)
--   … no-run=REASON     not run here, and why: installs packages, starts a
--                       service, or is another language shown for comparison
--
-- The blocks run from the checkout with the environment a user sets for a
-- real service: AUTHLETE_BEARER, AUTHLETE_SERVICE_ID and AUTHLETE_BASE_URL.
local helper = require("spec.helpers.mock")
local json = require("authlete.json")

local function read(path)
   local f = assert(io.open(path, "rb"))
   local s = f:read("a")
   f:close()
   return s
end

-- The fenced blocks of a Markdown file: { info, text, line }.
local function blocks(path)
   local out, open, n = {}, nil, 0
   for line in (read(path) .. "\n"):gmatch("([^\n]*)\n") do
      n = n + 1
      local fence, info = line:match("^(```+)(.*)$")
      if open then
         if fence and info == "" then
            out[#out + 1] = open
            open = nil
         else
            open.lines[#open.lines + 1] = line
         end
      elseif fence then
         open = { info = info, lines = {}, line = n, file = path }
      end
   end
   assert(not open, path .. ": a code block opened at line " .. (open and open.line or 0) .. " is never closed")
   for _, b in ipairs(out) do b.text = table.concat(b.lines, "\n") .. "\n" end
   return out
end

local DOCS = { "README.md" }
do
   local p = io.popen("ls docs/*.md")
   for path in p:lines() do DOCS[#DOCS + 1] = path end
   p:close()
end

-- Output lines compared with placeholders for what differs from run to run.
local function normalize(line)
   line = line:gsub("%f[%w_-][%w_-]+%f[^%w_-]", function(word)
      if #word == 43 then return "<TOKEN>" end -- token values and hashes: 43 base64url characters
   end)
   line = line:gsub("%d%d%d%d%-%d%d%-%d%d[ T]%d%d:%d%d[:%dZ]*", "<TIME>")
   line = line:gsub("%f[%d]%d%d%d%d%d%d%d%d%d%d%d%d%d%f[%D]", "<EPOCH-MS>")
   line = line:gsub("tid_[%w_-]+", "<TOKEN-ID>")
   line = line:gsub("%(%d+%.%d s, %d+ rows/s%)", "(<RATE>)")
   line = line:gsub("%d+/s, ETA %d+s", "<RATE>")
   return (line:gsub("%s+$", ""))
end


describe("code blocks in README.md and docs/", function()
   local mock, env, tmp
   setup(function()
      mock = helper.start()
      env = ("%s PATH=%s/bin:$PATH AUTHLETE_BEARER=%s AUTHLETE_SERVICE_ID=%s AUTHLETE_BASE_URL=%s"):format(
         helper.LUA_ENV, os.getenv("PWD"), helper.BEARER, mock.service_id, mock.url)
      tmp = os.tmpname()
   end)
   teardown(function()
      mock:stop()
      os.remove(tmp)
   end)

   -- Run `script` with `interpreter`; returns the exit code and the output.
   local function run(interpreter, script)
      local f = assert(io.open(tmp, "wb"))
      f:write(script)
      f:close()
      -- as a user runs them, on the normal build: the sanitizers' preload
      -- (make test-asan) is for the suite's own process, and hangs curl(1)
      local p = io.popen(("env -u LD_PRELOAD %s timeout 120 %s %s 2>&1; echo \"rc=$?\""):format(env, interpreter,
         tmp))
      local out = p:read("a")
      p:close()
      local rc = tonumber(out:match("rc=(%d+)\n$"))
      return rc, out:gsub("rc=%d+\n$", "")
   end

   local RUN = {
      lua = function(b)
         local rc, out = run("lua5.4", b.text)
         assert.are.equal(0, rc, out)
      end,
      sh = function(b)
         local rc, out = run("bash -e", b.text)
         assert.are.equal(0, rc, out)
      end,
      console = function(b)
         local script, expected = {}, {}
         local continuing = false
         for _, line in ipairs(b.lines) do
            local cmd = line:match("^%$ (.*)$")
            if cmd or continuing then
               script[#script + 1] = cmd or line
               continuing = (cmd or line):match("\\$") ~= nil
               -- each command's output on lines of its own (curl ends without a newline)
               if not continuing then script[#script + 1] = "echo" end
            else
               expected[#expected + 1] = line
            end
         end
         local rc, out = run("bash -e", table.concat(script, "\n") .. "\n")
         assert.are.equal(0, rc, out)
         -- each expected line in order; lines between them (and "…") are skipped
         local actual = {}
         for line in out:gmatch("([^\n]*)\n") do actual[#actual + 1] = normalize(line) end
         local at = 1
         for _, want in ipairs(expected) do
            if want ~= "…" and want ~= "" then
               want = normalize(want)
               local found
               for i = at, #actual do
                  if actual[i] == want then found = i break end
               end
               assert.truthy(found, ("%s line %d: %q not in the output:\n%s"):format(b.file, b.line, want, out))
               at = found + 1
            end
         end
      end,
      json = function(b)
         local value, err = json.decode(b.text)
         assert.truthy(value ~= nil, err)
      end,
   }

   for _, path in ipairs(DOCS) do
      for _, b in ipairs(blocks(path)) do
         local lang = b.info:match("^(%S*)")
         local file = b.info:match("file=(%S+)")
         local reason = b.info:match("no%-run=(.+)$")
         it(("%s line %d (%s)"):format(path, b.line, b.info), function()
            if file then
               assert.are.equal(read(file), b.text, path .. " line " .. b.line .. " differs from " .. file)
            elseif reason then
               assert.truthy(reason:find("%a%a%a"), "say why it is not run")
            else
               -- a block that would run the suite itself or change the system must say no-run
               assert.falsy(b.text:find("make test") or b.text:find("make demo") or b.text:find("apt%-get")
                  or b.text:find("systemctl"), ("%s line %d: say no-run=why"):format(path, b.line))
               assert.truthy(RUN[lang], ("%s line %d: a %q block must be run (%s), shown from a file, "
                  .. "or say no-run=why"):format(path, b.line, lang, "lua, sh, console, json"))
               mock:reset()
               RUN[lang](b)
            end
         end)
      end
   end

   it("README.md's test command is the one CI runs", function()
      local commands = read("README.md"):match("## The two commands.-```[^\n]*\n(.-)```")
      local test = commands:match("(make test)%s")
      assert.are.equal("make test", test)
      -- after the shebang, comments, `set` and `cd` to the checkout: make test, alone
      local last = read(".ci/run"):match("([^\n]+)%s*$")
      assert.are.equal("make test", last)
   end)

   it("README.md is a guide a newcomer reads to the end: at most 450 lines", function()
      local _, lines = read("README.md"):gsub("\n", "")
      assert.is_true(lines <= 450, lines .. " lines")
   end)

   it("links only to files and headings that exist", function()
      -- GitHub's anchor for a heading: lower case, punctuation dropped, spaces as "-"
      local function anchors(text)
         local out = {}
         for heading in ("\n" .. text):gmatch("\n#+ ([^\n]+)") do
            out[heading:lower():gsub("[^%w%s_-]", ""):gsub("%s", "-")] = true
         end
         return out
      end
      for _, path in ipairs(DOCS) do
         local dir = path:match("^(.*)/") or "."
         for target, anchor in read(path):gmatch("%]%(([^)#:]*)#?([^)]*)%)") do
            local file = target == "" and path or (dir .. "/" .. target)
            if not target:match("^https?$") and not file:match("//") then
               assert.truthy(io.open(file), path .. " links to " .. target)
               if anchor ~= "" then
                  assert.truthy(anchors(read(file))[anchor], path .. " links to " .. target .. "#" .. anchor)
               end
            end
         end
      end
   end)
end)

