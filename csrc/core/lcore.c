/*
 * lcore.c - luaopen_authlete_core: the marshalling module.
 *
 * authlete.core does no I/O; both transports share it. This file only
 * registers the module's functions; each job lives in its own file:
 * prepare.c (request -> wire), parse.c (wire -> result), describe.c (the
 * declared tables as Lua data), models.c and operations.c (the tables).
 */
#include "buffer.h"
#include "core.h"
#include "version.h"

static const luaL_Reg functions[] = {
	{"prepare", core_prepare},
	{"parse", core_parse},
	{"operations", core_operations},
	{"models", core_models},
	{NULL, NULL},
};

AUTHLETE_EXPORT int luaopen_authlete_core(lua_State *L);

AUTHLETE_EXPORT int luaopen_authlete_core(lua_State *L)
{
	lua_newtable(L);
	/* One scratch buffer per module instance, shared as upvalue 1. No Lua
	 * code runs while a function uses it (raw access only), so sharing is
	 * safe across coroutines. */
	buffer_new_backing(L);
	luaL_setfuncs(L, functions, 1);
	lua_pushliteral(L, AUTHLETE_VERSION);
	lua_setfield(L, -2, "_VERSION");
	lua_pushboolean(L, AUTHLETE_INTEGERS);
	lua_setfield(L, -2, "exact_int64");
	return 1;
}
