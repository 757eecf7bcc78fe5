/*
 * fuzz_parse.c - core.parse with arbitrary bodies, for every operation,
 * status and content type. Byte 0 picks the operation, byte 1 the status
 * and content type; the rest is the body.
 */
#include "host.h"

static const char SCRIPT[] =
	"local ops = { 'list', 'create', 'update', 'delete', 'revoke', 'reissueIdToken' }\n"
	"local statuses = { 200, 204, 400, 401, 403, 404, 429, 500, 502, 503, 201, 302, 100, 599 }\n"
	"local types = { 'application/json', 'application/json;charset=UTF-8', 'text/html', false }\n"
	"local calls = 0\n"
	"function fuzz(bytes)\n"
	"  if #bytes < 2 then return end\n"
	"  local a, b = bytes:byte(1, 2)\n"
	"  local op, status = ops[a % #ops + 1], statuses[b % #statuses + 1]\n"
	"  local ct = types[(b >> 4) % #types + 1] or nil\n"
	"  local res, err = core.parse(op, status, ct, bytes:sub(3))\n"
	"  assert(res ~= nil or type(err) == 'table', 'parse returned neither a result nor an error')\n"
	"  calls = calls + 1\n"
	"  if calls % 1000 == 0 then collectgarbage() end\n"
	"end\n";

FUZZ_ENTRY(SCRIPT)
