/*
 * lcurl.c - luaopen_authlete_curl: HTTP over libcurl for plain Lua. The
 * module knows nothing about Authlete; it moves bytes. Sessions live in
 * lsession.c, multi handles in lmulti.c; this file registers them and the
 * module's small utilities.
 */
#include <errno.h>
#include <time.h>

#include "headers.h"
#include "lcurl.h"
#include "version.h"

/* ------------------------------------------------------------- utilities */

/* curl.sleep(ms): for retry backoff in plain Lua. */
static int l_sleep(lua_State *L)
{
	lua_Number ms = luaL_checknumber(L, 1);
	luaL_argcheck(L, ms == ms, 1, "sleep: NaN is not a number of milliseconds");
	if (ms <= 0)
		return 0;
	luaL_argcheck(L, ms <= MAX_OPTION, 1, "sleep: at most 2^31 - 1 ms");
	struct timespec ts = {(time_t)(ms / 1000), (long)((ms - (lua_Number)((time_t)(ms / 1000)) * 1000) * 1e6)};
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
	return 0;
}

/* curl.now_ms(): monotonic milliseconds, for deadlines. */
static int l_now_ms(lua_State *L)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	lua_pushnumber(L, (lua_Number)ts.tv_sec * 1000 + (lua_Number)ts.tv_nsec / 1e6);
	return 1;
}

/* curl.version() -> "libcurl/7.88.1 OpenSSL/3.0.x ...", for the User-Agent. */
static int l_version(lua_State *L)
{
	lua_pushstring(L, curl_version());
	return 1;
}

static const luaL_Reg functions[] = {
	{"session", l_session},
	{"multi", l_multi},
	{"sleep", l_sleep},
	{"now_ms", l_now_ms},
	{"version", l_version},
	{NULL, NULL},
};

/* Set the functions of l into the table at the top, each with the two
 * metatables (stack slots smt and mmt) and push_answer as upvalues 1-3. */
static void set_funcs(lua_State *L, const luaL_Reg *l, int smt, int mmt)
{
	lua_pushvalue(L, smt);
	lua_pushvalue(L, mmt);
	lua_pushcfunction(L, push_answer);
	luaL_setfuncs(L, l, 3);
}

/* Fill the metatable at mt: its metamethods, and __index with its methods. */
static void fill_metatable(lua_State *L, int mt, const luaL_Reg *meta, const luaL_Reg *methods, int smt, int mmt)
{
	lua_pushvalue(L, mt);
	set_funcs(L, meta, smt, mmt);
	lua_pop(L, 1);
	lua_newtable(L);
	set_funcs(L, methods, smt, mmt);
	lua_setfield(L, mt, "__index");
}

AUTHLETE_EXPORT int luaopen_authlete_curl(lua_State *L);

AUTHLETE_EXPORT int luaopen_authlete_curl(lua_State *L)
{
	/* Every function gets the two metatables as upvalues 1 and 2 (no
	 * registry names), a session's and a multi's, and push_answer as 3. */
	lua_newtable(L);               /* session mt */
	lua_newtable(L);               /* session mt, multi mt */
	lua_pushliteral(L, "authlete.curl session");
	lua_setfield(L, -3, "__name");
	lua_pushliteral(L, "authlete.curl multi");
	lua_setfield(L, -2, "__name");
	int smt = lua_gettop(L) - 1, mmt = lua_gettop(L);
	fill_metatable(L, smt, session_meta, session_methods, smt, mmt);
	fill_metatable(L, mmt, multi_meta, multi_methods, smt, mmt);

	lua_newtable(L);               /* the module */
	set_funcs(L, functions, smt, mmt);
	lua_pushliteral(L, AUTHLETE_VERSION);
	lua_setfield(L, -2, "_VERSION");
	return 1;
}
