/*
 * compat.h - the few differences between the Lua 5.1 and 5.2 C APIs
 * (LuaJIT 2.1, PUC Lua 5.1 and 5.2) and Lua 5.4, so that every other file
 * reads as plain 5.4 code.
 * This is the only place where LUA_VERSION_NUM is tested.
 */
#ifndef AUTHLETE_COMPAT_H
#define AUTHLETE_COMPAT_H

#include <lua.h>
#include <lauxlib.h>

/* Only luaopen_* functions leave the shared object (-fvisibility=hidden). */
#if defined(__GNUC__)
#define AUTHLETE_EXPORT __attribute__((visibility("default")))
#else
#define AUTHLETE_EXPORT
#endif

/* 2^53: the largest magnitude below which a double holds every integer.
 * Past it a float may already be rounded, and a Lua without integers
 * cannot hold an int64 exactly. */
#define AUTHLETE_EXACT_DOUBLE 9007199254740992.0
#define AUTHLETE_EXACT_DOUBLE_INT 9007199254740992LL

#if LUA_VERSION_NUM >= 503
/* Lua 5.3+ numbers can be 64-bit integers: every int64 is exact. */
#define AUTHLETE_INTEGERS 1
#else
/* Lua 5.1 / LuaJIT / 5.2: every number is a double, exact up to 2^53. */
#define AUTHLETE_INTEGERS 0
static inline int lua_isinteger(lua_State *L, int idx)
{
	(void)L;
	(void)idx;
	return 0;
}
#endif

#if LUA_VERSION_NUM == 501
#include <lualib.h>
#if !defined(LUA_JITLIBNAME)
/* PUC Lua 5.1 (LuaJIT 2.1, which names its jit library in lualib.h, has
 * this one of 5.2): register l's functions, each with the nup values on
 * the stack's top as upvalues, into the table below them. */
static inline void authlete_setfuncs(lua_State *L, const luaL_Reg *l, int nup)
{
	luaL_checkstack(L, nup, "too many upvalues");
	for (; l->name; l++) {
		for (int i = 0; i < nup; i++)
			lua_pushvalue(L, -nup);
		lua_pushcclosure(L, l->func, nup);
		lua_setfield(L, -(nup + 2), l->name);
	}
	lua_pop(L, nup);
}
#define luaL_setfuncs authlete_setfuncs
#endif
/* LuaJIT 2.1 already provides luaL_setfuncs, luaL_testudata and
 * luaL_setmetatable; these two of 5.2 are still missing. */
#ifndef luaL_newlib
#define luaL_newlib(L, l) (lua_newtable(L), luaL_setfuncs((L), (l), 0))
#endif
#define lua_rawlen(L, i) lua_objlen((L), (i))
#endif

#endif
