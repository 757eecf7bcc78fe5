/*
 * lcore.c - luaopen_authlete_core: the marshalling module.
 *
 * authlete.core does no I/O; both transports share it. This file only
 * registers the module's functions; each job lives in its own file.
 */
#include "compat.h"
#include "version.h"

AUTHLETE_EXPORT int luaopen_authlete_core(lua_State *L);

AUTHLETE_EXPORT int luaopen_authlete_core(lua_State *L)
{
	lua_newtable(L);
	lua_pushliteral(L, AUTHLETE_VERSION);
	lua_setfield(L, -2, "_VERSION");
	return 1;
}
