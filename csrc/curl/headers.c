/*
 * headers.c - the response header block as a table (see headers.h).
 */
#include <ctype.h>
#include <string.h>

#include "headers.h"

/* Longer names are junk, skipped (no API header comes close). */
#define MAX_NAME 128

typedef struct line {
	const char *name, *value;
	size_t name_len, value_len;
	int folded; /* a continuation of the previous header's value (obs-fold) */
} line;

/* Read the line at *p into *out and move *p past it. 1: a header or a
 * continuation; 0: a line that is neither (the status line, the blank
 * end, junk). */
static int next_line(const char **p, const char *end, line *out)
{
	const char *s = *p;
	const char *eol = memchr(s, '\n', (size_t)(end - s));
	const char *stop = eol ? eol : end;
	*p = eol ? eol + 1 : end;
	if (stop > s && stop[-1] == '\r')
		stop--;
	out->folded = *s == ' ' || *s == '\t';
	if (out->folded) {
		out->name_len = 0;
	} else {
		const char *colon = memchr(s, ':', (size_t)(stop - s));
		out->name = s;
		out->name_len = colon ? (size_t)(colon - s) : 0;
		if (out->name_len == 0 || out->name_len > MAX_NAME)
			return 0;
		s = colon + 1;
	}
	while (s < stop && (*s == ' ' || *s == '\t'))
		s++;
	while (stop > s && (stop[-1] == ' ' || stop[-1] == '\t'))
		stop--;
	out->value = s;
	out->value_len = (size_t)(stop - s);
	return 1;
}

/* Replace each value of the table at the top that is a table of parts
 * with the parts joined. */
static void join_parts(lua_State *L)
{
	lua_pushnil(L);
	while (lua_next(L, -2)) {
		if (lua_type(L, -1) != LUA_TTABLE) {
			lua_pop(L, 1);
			continue;
		}
		luaL_Buffer b;
		int parts = lua_gettop(L);
		size_t n = lua_rawlen(L, parts);
		luaL_buffinit(L, &b);
		for (size_t i = 1; i <= n; i++) {
			lua_rawgeti(L, parts, (lua_Integer)i);
			luaL_addvalue(&b);
		}
		luaL_pushresult(&b);
		lua_remove(L, parts);
		lua_pushvalue(L, -2);
		lua_insert(L, -2);
		lua_rawset(L, -4); /* an existing key: allowed during lua_next */
	}
}

void headers_push_table(lua_State *L, const char *block, size_t len)
{
	lua_createtable(L, 0, 8);
	const char *p = block, *end = block + len;
	char name[MAX_NAME];
	size_t name_len = 0; /* of the last header, for folded lines */
	int repeats = 0;     /* any value waiting in parts (the rare case) */
	line h;
	while (p && p < end) {
		if (!next_line(&p, end, &h)) {
			name_len = 0;
			continue;
		}
		if (h.folded && !name_len)
			continue;
		if (!h.folded) {
			for (size_t i = 0; i < h.name_len; i++)
				name[i] = (char)tolower((unsigned char)h.name[i]);
			name_len = h.name_len;
		}
		lua_pushlstring(L, name, name_len);
		lua_pushvalue(L, -1);
		lua_rawget(L, -3); /* headers, name, previous */
		if (lua_isnil(L, -1)) {
			lua_pop(L, 1);
			lua_pushlstring(L, h.value, h.value_len);
			lua_rawset(L, -3);
			continue;
		}
		/* A repeat: the parts wait in a table, joined once at the end
		 * (joining as they come would copy the growing value each time). */
		repeats = 1;
		if (lua_type(L, -1) == LUA_TSTRING) {
			lua_createtable(L, 4, 0);
			lua_insert(L, -2);
			lua_rawseti(L, -2, 1);
			lua_pushvalue(L, -2);
			lua_pushvalue(L, -2);
			lua_rawset(L, -5); /* headers[name] = parts */
		}
		size_t n = lua_rawlen(L, -1);
		lua_pushstring(L, h.folded ? " " : ", ");
		lua_rawseti(L, -2, (lua_Integer)n + 1);
		lua_pushlstring(L, h.value, h.value_len);
		lua_rawseti(L, -2, (lua_Integer)n + 2);
		lua_pop(L, 2);
	}
	if (repeats)
		join_parts(L);
}
