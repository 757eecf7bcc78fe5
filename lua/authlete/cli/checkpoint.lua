--- The checkpoint of an import: which rows are done, so that a run that
--- was interrupted (Ctrl-C, a lost connection, a killed job) can be resumed
--- without sending those rows again.
---
--- One line per row that Authlete holds ("created" or "present"), appended
--- and flushed as each answer arrives, so a kill loses at most the rows in
--- flight; those are sent again and come back "already present". A line
--- names the row's number and a tag of its access token (the first 16
--- characters of its base64url SHA-256: enough to notice that the file was
--- edited since, not enough to be Authlete's token hash). A row whose tag no
--- longer matches is sent again. A torn last line is ignored.
local args = require("authlete.cli.args")
local hash = require("authlete.hash")

local checkpoint = {}
checkpoint.__index = checkpoint

local FIRST_LINE = "# authlete-tokens import checkpoint (row, outcome, token tag); delete it to start over"

--- The tag a row's access token is recorded with.
function checkpoint.tag(access_token)
   return hash.base64url(hash.sha256(access_token)):sub(1, 16)
end

--- Open (or create) the checkpoint at `path`; a file that is not one is a
--- usage error, never overwritten.
function checkpoint.open(path)
   local done = {}
   local f = io.open(path, "rb")
   if f then
      local first = f:read("l")
      if first and first ~= FIRST_LINE then
         f:close()
         args.bad_file(("%s is not an import checkpoint; name another file"):format(args.shown(path)))
      end
      for line in f:lines() do
         local row, outcome, tag = line:match("^(%d+) (%a+) ([%w_-]+)$")
         if row and (outcome == "created" or outcome == "present") and #tag == 16 then
            done[tonumber(row)] = { outcome = outcome, tag = tag }
         end
      end
      f:close()
   end
   local out, err = io.open(path, "ab")
   if not out then args.bad_file("cannot write the checkpoint: " .. args.shown(err or path)) end
   local self = setmetatable({ file = out, done = done }, checkpoint)
   local size = out:seek("end")
   if size == 0 then
      self:write(FIRST_LINE)
   else -- a line torn by a kill is ended, so that the next one stays whole
      local r = io.open(path, "rb")
      r:seek("set", size - 1)
      if r:read(1) ~= "\n" then self:write("") end
      r:close()
   end
   return self
end

function checkpoint:write(line)
   self.file:write(line, "\n")
   self.file:flush()
end

--- Whether row `n` with this access token was done by an earlier run.
function checkpoint:holds(n, access_token)
   local d = self.done[n]
   return d ~= nil and d.tag == checkpoint.tag(access_token)
end

--- Record that row `n` is in Authlete now.
function checkpoint:record(n, outcome, access_token)
   self:write(("%d %s %s"):format(n, outcome, checkpoint.tag(access_token)))
end

function checkpoint:close()
   self.file:close()
end

return checkpoint
