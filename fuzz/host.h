/*
 * host.h - a Lua 5.4 state with authlete.core loaded, for the fuzz harnesses.
 * Any Lua error escaping the core is a bug (the core returns nil, err for
 * bad data and raises only on misuse, which the harnesses never commit),
 * so it aborts and libFuzzer records the input.
 */
#ifndef AUTHLETE_FUZZ_HOST_H
#define AUTHLETE_FUZZ_HOST_H

#include <stdio.h>
#include <stdlib.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

int luaopen_authlete_core(lua_State *L);

static lua_State *host_state(const char *script)
{
	lua_State *L = luaL_newstate();
	luaL_openlibs(L);
	luaL_requiref(L, "authlete.core", luaopen_authlete_core, 0);
	lua_setglobal(L, "core");
	if (luaL_dostring(L, script) != LUA_OK) {
		fprintf(stderr, "fuzz host script: %s\n", lua_tostring(L, -1));
		abort();
	}
	return L;
}

/* Call global `fuzz(bytes)`; abort if it raises. */
static void host_run(lua_State *L, const unsigned char *data, size_t size)
{
	lua_getglobal(L, "fuzz");
	lua_pushlstring(L, (const char *)data, size);
	if (lua_pcall(L, 1, 0, 0) != LUA_OK) {
		fprintf(stderr, "authlete.core raised: %s\n", lua_tostring(L, -1));
		abort();
	}
	lua_settop(L, 0);
}

/* The libFuzzer entry point of a harness whose Lua side is `script`. */
#define FUZZ_ENTRY(script)                                                          \
	int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);         \
	int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)          \
	{                                                                           \
		static lua_State *L;                                                \
		if (!L)                                                             \
			L = host_state(script);                                     \
		host_run(L, data, size);                                            \
		return 0;                                                           \
	}

#endif
