/*
 * core.h - the Lua functions of authlete.core, one file each.
 * Every function has the module's scratch buffer as upvalue 1.
 */
#ifndef AUTHLETE_CORE_H
#define AUTHLETE_CORE_H

#include "compat.h"
#include "failure.h"

int core_prepare(lua_State *L);    /* prepare.c */
int core_parse(lua_State *L);      /* parse.c */
int core_json_encode(lua_State *L); /* write.c */
int core_json_decode(lua_State *L); /* read.c */
int core_operations(lua_State *L); /* describe.c */
int core_models(lua_State *L);     /* describe.c */

/* Set t[key] = string / integer on the table at the top of the stack. */
void set_string(lua_State *L, const char *key, const char *value);
void set_lstring(lua_State *L, const char *key, const char *value, size_t len);
void set_integer(lua_State *L, const char *key, long long value);

#endif
