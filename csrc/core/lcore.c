/*
 * lcore.c - luaopen_authlete_core: the marshalling module.
 *
 * authlete.core does no I/O; both transports share it. This file only
 * registers the module's functions; each job lives in its own file:
 * prepare.c (request -> wire), parse.c (wire -> result), describe.c (the
 * declared tables as Lua data), models.c and operations.c (the tables).
 */
#include <string.h>

#include "buffer.h"
#include "core.h"
#include "suggest.h"
#include "version.h"

/* core.suggest(name, { candidates… }) -> the likely intended one, or nil.
 * The Lua layer's option errors use it too. */
static int l_suggest(lua_State *L)
{
	size_t len;
	const char *name = luaL_checklstring(L, 1, &len);
	luaL_checktype(L, 2, LUA_TTABLE);
	const char *names[65];
	int n = 0;
	for (int i = 1; n < 64; i++) {
		lua_rawgeti(L, 2, i);
		if (lua_type(L, -1) != LUA_TSTRING)
			break;
		names[n++] = lua_tostring(L, -1); /* anchored by the table */
		lua_pop(L, 1);
	}
	names[n] = NULL;
	const char *hint = suggest(name, len, names);
	if (hint)
		lua_pushstring(L, hint);
	else
		lua_pushnil(L);
	return 1;
}

static const luaL_Reg functions[] = {
	{"prepare", core_prepare},
	{"parse", core_parse},
	{"json_encode", core_json_encode},
	{"json_decode", core_json_decode},
	{"operations", core_operations},
	{"models", core_models},
	{"suggest", l_suggest},
	{NULL, NULL},
};

AUTHLETE_EXPORT int luaopen_authlete_core(lua_State *L);

AUTHLETE_EXPORT int luaopen_authlete_core(lua_State *L)
{
	lua_newtable(L);
	/* Upvalue 1 keeps a spare scratch buffer between calls (buffer.h: each
	 * call takes it, so a call re-entered from a finalizer never shares it).
	 * Upvalue 2 is the metatable of every array core.parse makes, so that
	 * an empty one still encodes as [] (authlete.json uses it too). */
	buffer_new_backing(L);
	lua_createtable(L, 0, 1);
	lua_pushliteral(L, "json.array");
	lua_setfield(L, -2, "__name");
	lua_pushvalue(L, -1);
	lua_setfield(L, -4, "array_mt");
	luaL_setfuncs(L, functions, 2);
	lua_pushliteral(L, AUTHLETE_VERSION);
	lua_setfield(L, -2, "_VERSION");
	lua_pushboolean(L, AUTHLETE_INTEGERS);
	lua_setfield(L, -2, "exact_int64");
	return 1;
}
