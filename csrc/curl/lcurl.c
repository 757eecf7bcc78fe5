/*
 * lcurl.c - luaopen_authlete_curl: HTTP over libcurl for plain Lua.
 *
 * The module knows nothing about Authlete; it moves bytes.
 */
#include <curl/curl.h>

#include "compat.h"
#include "version.h"

/* curl.version() -> "libcurl/7.88.1 OpenSSL/3.0.x ...", for the User-Agent. */
static int l_version(lua_State *L)
{
	lua_pushstring(L, curl_version());
	return 1;
}

static const luaL_Reg functions[] = {
	{"version", l_version},
	{NULL, NULL},
};

AUTHLETE_EXPORT int luaopen_authlete_curl(lua_State *L);

AUTHLETE_EXPORT int luaopen_authlete_curl(lua_State *L)
{
	luaL_newlib(L, functions);
	lua_pushliteral(L, AUTHLETE_VERSION);
	lua_setfield(L, -2, "_VERSION");
	return 1;
}
