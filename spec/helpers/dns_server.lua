--- A DNS server for the nginx resolver specs: every A question gets one
--- answer, 127.0.0.1 (other types get no records). Runs in its own process:
---   lua5.4 spec/helpers/dns_server.lua PORT
--- It binds 127.0.0.1:PORT over UDP and answers until killed.
local socket = require("socket")

local port = assert(tonumber(arg[1]), "usage: dns_server.lua PORT")
local udp = assert(socket.udp())
assert(udp:setsockname("127.0.0.1", port))

-- The question section ends after the name's zero label and four bytes
-- of type and class.
local function question_end(q)
   local i = 13
   while true do
      local len = q:byte(i)
      if not len then return nil end
      if len == 0 then return i + 4 end
      i = i + 1 + len
   end
end

while true do
   local query, host, from_port = udp:receivefrom()
   local qend = query and #query >= 12 and question_end(query)
   if qend and qend <= #query then
      local qtype = query:byte(qend - 3) * 256 + query:byte(qend - 2)
      local answers = qtype == 1 and 1 or 0
      local reply = query:sub(1, 2) .. "\129\128\0\1\0" .. string.char(answers) .. "\0\0\0\0" .. query:sub(13, qend)
      if answers == 1 then
         -- a pointer to the question's name, A, IN, TTL 60 s, 4 bytes: 127.0.0.1
         reply = reply .. "\192\12\0\1\0\1\0\0\0\60\0\4\127\0\0\1"
      end
      udp:sendto(reply, host, from_port)
   end
end
