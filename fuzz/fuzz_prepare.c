/*
 * fuzz_prepare.c - core.prepare with arbitrary Lua values. The input drives
 * a small stack machine that builds tables from the API's own vocabulary
 * (field names, enum values) and from hostile values (NaN, huge integers,
 * invalid UTF-8, cycles, holes), then calls core.prepare on the result.
 */
#include "host.h"

static const char SCRIPT[] =
	"local words = {}\n"
	"for name, m in pairs(core.models()) do\n"
	"  for _, f in ipairs(m.fields) do\n"
	"    words[#words + 1] = f.name\n"
	"    for _, e in ipairs(f.enum or {}) do words[#words + 1] = e end\n"
	"  end\n"
	"end\n"
	"local ops = {}\n"
	"for _, op in ipairs(core.operations()) do\n"
	"  ops[#ops + 1] = op.name\n"
	"  if op.bodyKey then words[#words + 1] = op.bodyKey end\n"
	"  for _, p in ipairs(op.pathParams) do words[#words + 1] = p.name end\n"
	"  for _, p in ipairs(op.queryParams) do words[#words + 1] = p.name end\n"
	"end\n"
	"local specials = { 0/0, math.huge, -math.huge, math.maxinteger, math.mininteger, 2^53, 2^63, -0.0, 1.5 }\n"
	"local function build(bytes)\n"
	"  local stack, pos = { {} }, 1\n"
	"  local function byte() pos = pos + 1; return bytes:byte(pos - 1) or 0 end\n"
	"  while pos <= #bytes and #stack < 64 do\n"
	"    local c = byte() % 12\n"
	"    if c == 0 then stack[#stack + 1] = words[byte() % #words + 1]\n"
	"    elseif c == 1 then stack[#stack + 1] = byte() - 100\n"
	"    elseif c == 2 then stack[#stack + 1] = specials[byte() % #specials + 1]\n"
	"    elseif c == 3 then local n = byte() % 16; stack[#stack + 1] = bytes:sub(pos, pos + n - 1); pos = pos + n\n"
	"    elseif c == 4 then stack[#stack + 1] = {}\n"
	"    elseif c == 5 then stack[#stack + 1] = byte() % 2 == 0\n"
	"    elseif c == 6 and #stack >= 3 then\n"
	"      local v, k, t = table.remove(stack), table.remove(stack), stack[#stack]\n"
	"      if type(t) == 'table' and k == k and k ~= nil then rawset(t, k, v) end\n"
	"    elseif c == 7 and #stack >= 2 then\n"
	"      local v, t = table.remove(stack), stack[#stack]\n"
	"      if type(t) == 'table' then rawset(t, #t + 1 + byte() % 3, v) end\n"
	"    elseif c == 8 and #stack >= 1 then stack[#stack + 1] = stack[#stack - byte() % #stack]\n"
	"    elseif c == 9 then stack[#stack + 1] = ('x'):rep(byte() * 64)\n"
	"    elseif c == 10 then stack[#stack + 1] = string.char(0xC0 + byte() % 64, byte())\n"
	"    elseif c == 11 and #stack > 1 then table.remove(stack)\n"
	"    end\n"
	"  end\n"
	"  return stack[1]\n"
	"end\n"
	"function fuzz(bytes)\n"
	"  if #bytes < 1 then return end\n"
	"  local op = ops[bytes:byte(1) % #ops + 1]\n"
	"  local request = build(bytes:sub(2))\n"
	"  local defaults = bytes:byte(1) >= 128 and { serviceId = '715948317' } or nil\n"
	"  local method, path, query, body = core.prepare(op, request, defaults)\n"
	"  if method then\n"
	"    assert(type(path) == 'string' and path:sub(1, 5) == '/api/', 'bad path')\n"
	"    assert(not path:find('[^%w%-%._~%%/]'), 'path holds an unencoded character: ' .. path)\n"
	"    assert(query == nil or not query:find('[^%w%-%._~%%=&]'), 'query holds an unencoded character')\n"
	"    assert(body == nil or body:sub(1, 1) == '{', 'body is not an object')\n"
	"  else\n"
	"    assert(type(path) == 'table' and path.kind == 'SDKValidationError', 'no error object')\n"
	"  end\n"
	"end\n";

static lua_State *L;

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	if (!L)
		L = host_state(SCRIPT);
	host_run(L, data, size);
	return 0;
}
