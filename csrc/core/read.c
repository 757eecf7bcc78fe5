/*
 * read.c - core.json_decode(text[, null]): any JSON text as Lua values, the
 * generic counterpart of core.parse (which reads an answer against its
 * model) and the reverse of core.json_encode. The one JSON reader for
 * everything that has no model: the mock's request bodies, the command
 * line's JSON Lines, test helpers. What it keeps that lua-cjson does not:
 *   - integers are exact on Lua 5.4 (every int64); on LuaJIT and Lua 5.1,
 *     whose numbers are doubles, up to 2^53 (a number outside a model is
 *     the nearest double there, as in core.parse's unknown fields);
 *   - arrays carry core.array_mt, so [] and {} stay apart when written back;
 *   - `null`, when given, is the value JSON null becomes (authlete.json.null);
 *     without it a null member is absent and a null element a hole.
 * Returns the value, or nil and a message with the byte offset.
 */
#include "buffer.h"
#include "core.h"
#include "decode.h"

int core_json_decode(lua_State *L)
{
	size_t len;
	const char *text = luaL_checklstring(L, 1, &len);
	lua_settop(L, 2);
	failure f;
	failure_init(&f);
	buffer scratch;
	buffer_open(&scratch, L, lua_upvalueindex(1)); /* stack slot 3 */
	decoder d = {L, NULL, NULL, NULL, &scratch, &f, 0, lua_upvalueindex(2), lua_isnil(L, 2) ? 0 : 2};
	int rc = decode_any_document(&d, text, len);
	buffer_close(&scratch);
	if (rc) {
		lua_pushnil(L);
		lua_pushstring(L, f.message);
		return 2;
	}
	return 1;
}
