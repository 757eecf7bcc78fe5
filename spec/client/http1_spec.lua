-- authlete.http1, the one HTTP/1.1 answer reader, against a source that
-- hands out given pieces: every framing, interim answers, the limits, and
-- malformed input, whatever the pieces' boundaries.
local http1 = require("authlete.http1")

-- A source handing out `pieces` one per more(), then "closed".
local function source(pieces)
   local i = 0
   return { more = function()
      i = i + 1
      if pieces[i] then return pieces[i] end
      return nil, "closed"
   end }
end

-- Read one answer from `text`, cut into pieces of `size` bytes.
local function read(text, size, method, max)
   local pieces = {}
   for i = 1, #text, size do pieces[#pieces + 1] = text:sub(i, i + size - 1) end
   local r = http1.reader(source(pieces))
   local status, headers, version = http1.read_response_head(r)
   if not status then return nil, headers end
   local body, err, keep = http1.read_response_body(r, method or "GET", status, headers, version, max or 1e6)
   if not body then return nil, err end
   return { status = status, headers = headers, body = body, keep = keep, pending = r:pending() }
end

describe("authlete.http1", function()
   local CASES = {
      { name = "Content-Length",
        text = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-A: 1\r\n\r\nhello",
        status = 200, body = "hello", keep = true },
      { name = "chunked, with trailer fields",
        text = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;x=y\r\nde\r\n0\r\nT: 1\r\n\r\n",
        status = 200, body = "abcde", keep = true },
      { name = "a body framed by the close",
        text = "HTTP/1.0 200 OK\r\n\r\nuntil the end", status = 200, body = "until the end", keep = false },
      { name = "interim answers read past",
        text = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
           .. "HTTP/1.1 204 No Content\r\n\r\n", status = 204, body = "", keep = true },
      { name = "repeated headers joined, folded lines continued, names lower-cased",
        text = "HTTP/1.1 200 OK\r\nSet-X: a\r\nset-x: b\r\nX-Long: one\r\n  two\r\nContent-Length: 0\r\n\r\n",
        status = 200, body = "", headers = { ["set-x"] = "a, b", ["x-long"] = "one two", ["content-length"] = "0" } },
      { name = "Connection: close",
        text = "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok", status = 200, body = "ok",
        keep = false },
   }
   for _, case in ipairs(CASES) do
      it("reads " .. case.name .. ", in any pieces", function()
         for _, size in ipairs({ 1, 3, 7, 4096 }) do
            local got = assert(read(case.text, size))
            assert.are.same({ case.status, case.body }, { got.status, got.body }, case.name .. " by " .. size)
            if case.keep ~= nil then assert.are.equal(case.keep, got.keep) end
            if case.headers then assert.are.same(case.headers, got.headers) end
            assert.is_false(got.pending)
         end
      end)
   end

   it("says when bytes remain past the answer", function()
      assert.is_true(read("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\n", 4096).pending)
   end)

   it("reads a request's head as a server does: empty lines first read past, headers joined", function()
      local r = http1.reader(source({ "\r\nPOST /api/x?y=1 HTTP/1.1\r\nHost: h\r\nX-A: 1\r\nx-a:  2 \r\n\r\nbody" }))
      local method, target, version, headers = http1.read_request_head(r, 1024)
      assert.are.same({ "POST", "/api/x?y=1", "1.1", { host = "h", ["x-a"] = "1, 2" } },
         { method, target, version, headers })
      assert.are.equal("body", r:exact(4))
      for text, err in pairs({ ["GET /\r\n\r\n"] = "malformed request line",
                               ["GET / HTTP/1.1\r\nNo colon\r\n\r\n"] = "malformed header line",
                               ["GET / HTTP/1.1\r\nBad Name: x\r\n\r\n"] = "malformed header line",
                               ["GET / HTTP/1.1\r\nX: " .. ("a"):rep(100) .. "\r\n\r\n"] = "too_large" }) do
         local m, e = http1.read_request_head(http1.reader(source({ text })), 64)
         assert.is_nil(m, text)
         assert.are.equal(err, e)
      end
   end)

   it("refuses chunk data its size does not frame", function()
      local r = http1.reader(source({ "3\r\nabcd\r\n0\r\n\r\n" }))
      assert.are.same({ nil, "malformed chunk" }, { http1.read_chunked(r, 100) })
   end)

   local BAD = {
      { name = "not HTTP", text = "SSH-2.0-OpenSSH\r\n\r\n", err = "not an HTTP status line" },
      { name = "101", text = "HTTP/1.1 101 Switching Protocols\r\n\r\n", err = "switched protocols" },
      { name = "17 interim answers", text = ("HTTP/1.1 100 Continue\r\n\r\n"):rep(17), err = "more than 16 interim" },
      { name = "a header line without a colon", text = "HTTP/1.1 200 OK\r\nBroken\r\n\r\n", err = "malformed header" },
      { name = "a line past 16 KiB", text = "HTTP/1.1 200 OK\r\nX: " .. ("a"):rep(17000) .. "\r\n\r\n",
        err = "line too long" },
      { name = "a header block past 256 KiB",
        text = "HTTP/1.1 200 OK\r\n" .. ("X: " .. ("a"):rep(8000) .. "\r\n"):rep(40) .. "\r\n", err = "too large" },
      { name = "a bad chunk size", text = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        err = "malformed chunk size" },
      { name = "an unknown transfer coding", text = "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n",
        err = "unsupported transfer encoding" },
      { name = "a bad Content-Length", text = "HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n1",
        err = "malformed Content-Length" },
      { name = "a body cut short", text = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", err = "closed" },
      { name = "a body past the limit", text = "HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\nhello world",
        err = "too_large", max = 10 },
      { name = "a chunked body past the limit",
        text = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nhello \r\n5\r\nworld\r\n0\r\n\r\n",
        err = "too_large", max = 10 },
   }
   for _, case in ipairs(BAD) do
      it("refuses " .. case.name, function()
         local got, err = read(case.text, 5, "GET", case.max)
         assert.is_nil(got)
         assert.matches(case.err, err, 1, true)
      end)
   end
end)
