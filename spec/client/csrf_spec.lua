-- authlete.ngx.csrf: HMAC-SHA256 as RFC 4231 computes it, and tokens bound
-- to a subject and an expiry that nothing else passes.
local csrf = require("authlete.ngx.csrf")

local function hex(s) return (s:gsub(".", function(c) return ("%02x"):format(c:byte()) end)) end

describe("authlete.ngx.csrf", function()
   it("computes HMAC-SHA256 as RFC 4231 does", function()
      assert.are.equal("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
         hex(csrf.hmac(("\11"):rep(20), "Hi There")))                                    -- test case 1
      assert.are.equal("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
         hex(csrf.hmac("Jefe", "what do ya want for nothing?")))                         -- test case 2
      assert.are.equal("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
         hex(csrf.hmac(("\170"):rep(131), "Test Using Larger Than Block-Size Key - Hash Key First"))) -- 6
   end)

   local SECRET = "a secret of the operator, 32 b.."

   it("passes its own token for the same subject until it expires", function()
      local token = csrf.token(SECRET, "alice", 1000, 600)
      assert.is_true(csrf.check(SECRET, "alice", token, 1000))
      assert.is_true(csrf.check(SECRET, "alice", token, 1600))
      assert.are.same({ false, "expired" }, { csrf.check(SECRET, "alice", token, 1601) })
   end)

   it("refuses another subject's token, another secret's, an edited one, and none", function()
      local token = csrf.token(SECRET, "alice", 1000, 600)
      local cases = {
         { name = "another subject", subject = "bob", token = token, why = "forged" },
         { name = "a subject that shares a prefix", subject = "alic", token = token, why = "forged" },
         { name = "a later expiry", subject = "alice", token = token:gsub("^%d+", "9999"), why = "forged" },
         { name = "another secret", subject = "alice", token = csrf.token(SECRET .. "!", "alice", 1000, 600),
           why = "forged" },
         { name = "no token", subject = "alice", token = nil, why = "missing" },
         { name = "an empty token", subject = "alice", token = "", why = "missing" },
         { name = "not a token", subject = "alice", token = "<script>", why = "malformed" },
      }
      for _, case in ipairs(cases) do
         assert.are.same({ false, case.why }, { csrf.check(SECRET, case.subject, case.token, 1000) }, case.name)
      end
   end)

   it("wants a secret that is not trivially short", function()
      assert.has_error(function() csrf.token("short", "alice", 0, 60) end)
   end)
end)
