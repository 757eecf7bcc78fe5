/*
 * write.c - core.json_encode(value[, null[, order]]): JSON text of any Lua value
 * made of tables, strings, numbers and booleans, for results to be sent on
 * (authlete.json_encode). No model: what a result holds is written as it
 * is. What makes it more than lua-cjson's encoder:
 *   - integers are exact (Lua 5.4's 64-bit ones; on LuaJIT and Lua 5.1 a
 *     double that is integral and within 2^53 is written without exponent);
 *   - a table with core.array_mt (every array core.parse makes, and
 *     authlete.json_array's) is an array even when empty: [] not {};
 *   - object keys come out in the table's own order (sorting them would
 *     cost a fifth of the time, for a promise JSON does not make), or, with
 *     `order` ({ key = rank }), ranked keys first and the others by name:
 *     the mock answers in the order Authlete's answers read;
 *   - strings must be UTF-8 (results' are), non-finite numbers are refused,
 *     and nesting is bounded, each with a clear error.
 * `null`, when given, is the value written as JSON null (authlete.json.null).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buffer.h"
#include "core.h"
#include "utf8.h"

#define MAX_DEPTH 64

typedef struct writer {
	lua_State *L;
	buffer *b;
	int array_mt; /* pseudo-index of core.array_mt */
	int null;     /* stack index of the null sentinel, or 0 */
	int order;    /* stack index of { key = rank } (keys ranked first, in rank order,
	                 then the others by name), or 0: the table's own order */
} writer;

static void write_value(writer *w, int idx, int depth);

static void write_string(writer *w, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	if (utf8_check((const unsigned char *)s, len) != len)
		luaL_error(w->L, "cannot encode a string that is not UTF-8");
	buffer *b = w->b;
	buffer_grow_to_fit(b, len + 2);
	b->data[b->len++] = '"';
	size_t run = 0; /* bytes copied as they are, in one go */
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		buffer_add(b, s + run, i - run);
		run = i + 1;
		char esc[6] = {'\\', 0, 0, 0, 0, 0};
		size_t n = 2;
		switch (c) {
		case '"': esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		case '\b': esc[1] = 'b'; break;
		case '\f': esc[1] = 'f'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		default:
			memcpy(esc + 1, "u00", 3);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			n = 6;
		}
		buffer_add(b, esc, n);
	}
	buffer_add(b, s + run, len - run);
	buffer_addc(b, '"');
}

static void write_number(writer *w, int idx)
{
	if (lua_isinteger(w->L, idx)) {
		buffer_add_int(w->b, (long long)lua_tointeger(w->L, idx));
		return;
	}
	double d = (double)lua_tonumber(w->L, idx);
	if (d != d || isinf(d))
		luaL_error(w->L, "cannot encode a non-finite number");
	if (d == floor(d) && fabs(d) <= AUTHLETE_EXACT_DOUBLE) { /* LuaJIT's and 5.1's integers */
		buffer_add_int(w->b, (long long)d);
		return;
	}
	char text[32];
	int digits = 15, n; /* the shortest text that reads back as the same double */
	do
		n = snprintf(text, sizeof text, "%.*g", digits, d);
	while (strtod(text, NULL) != d && ++digits <= 17);
	buffer_add(w->b, text, (size_t)n);
}

/* An array: core.array_mt, or keys exactly 1..n with n > 0. */
static int is_array(writer *w, int idx, size_t *n)
{
	lua_State *L = w->L;
	*n = (size_t)lua_rawlen(L, idx);
	if (lua_getmetatable(L, idx)) {
		int marked = lua_rawequal(L, -1, w->array_mt);
		lua_pop(L, 1);
		if (marked)
			return 1;
	}
	if (*n == 0)
		return 0;
	size_t keys = 0;
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		lua_pop(L, 1);
		if (lua_type(L, -1) != LUA_TNUMBER) {
			lua_pop(L, 1);
			return 0;
		}
		keys++;
	}
	return keys == *n;
}

static void write_object(writer *w, int idx, int depth)
{
	lua_State *L = w->L;
	int first = 1;
	buffer_addc(w->b, '{');
	lua_pushnil(L);
	while (lua_next(L, idx)) { /* key at -2, value at -1 */
		if (lua_type(L, -2) != LUA_TSTRING)
			luaL_error(L, "cannot encode a table with %s keys as a JSON object (keys must be strings)",
				   luaL_typename(L, -2));
		if (!first)
			buffer_addc(w->b, ',');
		first = 0;
		size_t len;
		const char *key = lua_tolstring(L, -2, &len); /* a string: no conversion, lua_next stays valid */
		write_string(w, key, len);
		buffer_addc(w->b, ':');
		write_value(w, lua_gettop(L), depth + 1);
		lua_pop(L, 1);
	}
	buffer_addc(w->b, '}');
}

/* A key of an object written in order: its text and its rank (0: none). */
typedef struct ordered_key {
	const char *s;
	size_t len;
	lua_Number rank;
} ordered_key;

static int compare_keys(const void *pa, const void *pb)
{
	const ordered_key *a = pa, *b = pb;
	if (a->rank != b->rank) { /* ranked keys first, by rank */
		if (a->rank == 0)
			return 1;
		if (b->rank == 0)
			return -1;
		return a->rank < b->rank ? -1 : 1;
	}
	size_t n = a->len < b->len ? a->len : b->len;
	int c = memcmp(a->s, b->s, n);
	return c ? c : (a->len > b->len) - (a->len < b->len);
}

/* The object at idx with its keys in w->order's order. The key texts stay
 * valid while written: the table, which is not changed, anchors them. */
static void write_ordered_object(writer *w, int idx, int depth)
{
	lua_State *L = w->L;
	size_t n = 0;
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		if (lua_type(L, -2) != LUA_TSTRING)
			luaL_error(L, "cannot encode a table with %s keys as a JSON object (keys must be strings)",
				   luaL_typename(L, -2));
		n++;
		lua_pop(L, 1);
	}
	/* a userdata, so that an error while writing leaves nothing to free */
	ordered_key *keys = lua_newuserdata(L, (n ? n : 1) * sizeof *keys);
	size_t i = 0;
	lua_pushnil(L);
	while (lua_next(L, idx) && i < n) {
		keys[i].s = lua_tolstring(L, -2, &keys[i].len);
		lua_pushvalue(L, -2);
		lua_rawget(L, w->order);
		keys[i].rank = lua_type(L, -1) == LUA_TNUMBER ? lua_tonumber(L, -1) : 0;
		lua_pop(L, 2);
		i++;
	}
	qsort(keys, i, sizeof *keys, compare_keys);
	buffer_addc(w->b, '{');
	for (size_t k = 0; k < i; k++) {
		if (k)
			buffer_addc(w->b, ',');
		write_string(w, keys[k].s, keys[k].len);
		buffer_addc(w->b, ':');
		lua_pushlstring(L, keys[k].s, keys[k].len);
		lua_rawget(L, idx);
		write_value(w, lua_gettop(L), depth + 1);
		lua_pop(L, 1);
	}
	buffer_addc(w->b, '}');
	lua_pop(L, 1); /* the keys */
}

static void write_value(writer *w, int idx, int depth)
{
	lua_State *L = w->L;
	if (depth > MAX_DEPTH)
		luaL_error(L, "cannot encode a value nested more than %d deep", MAX_DEPTH);
	if (w->null && lua_rawequal(L, idx, w->null)) {
		buffer_add(w->b, "null", 4);
		return;
	}
	switch (lua_type(L, idx)) {
	case LUA_TSTRING: {
		size_t len;
		const char *s = lua_tolstring(L, idx, &len);
		write_string(w, s, len);
		return;
	}
	case LUA_TNUMBER:
		write_number(w, idx);
		return;
	case LUA_TBOOLEAN:
		if (lua_toboolean(L, idx))
			buffer_add(w->b, "true", 4);
		else
			buffer_add(w->b, "false", 5);
		return;
	case LUA_TTABLE:
		break;
	default:
		luaL_error(L, "cannot encode a %s", luaL_typename(L, idx));
		return;
	}
	luaL_checkstack(L, 8, "nested too deeply");
	size_t n;
	if (!is_array(w, idx, &n)) {
		if (w->order)
			write_ordered_object(w, idx, depth);
		else
			write_object(w, idx, depth);
		return;
	}
	buffer_addc(w->b, '[');
	for (size_t i = 1; i <= n; i++) {
		if (i > 1)
			buffer_addc(w->b, ',');
		lua_rawgeti(L, idx, (lua_Integer)i);
		if (lua_isnil(L, -1))
			buffer_add(w->b, "null", 4);
		else
			write_value(w, lua_gettop(L), depth + 1);
		lua_pop(L, 1);
	}
	buffer_addc(w->b, ']');
}

int core_json_encode(lua_State *L)
{
	luaL_checkany(L, 1);
	lua_settop(L, 3);
	if (!lua_isnil(L, 3))
		luaL_checktype(L, 3, LUA_TTABLE);
	buffer b;
	buffer_open(&b, L, lua_upvalueindex(1)); /* stack slot 4 */
	writer w = {L, &b, lua_upvalueindex(2), lua_isnil(L, 2) ? 0 : 2, lua_isnil(L, 3) ? 0 : 3};
	write_value(&w, 1, 0);
	/* Pushed while the buffer is still this call's: a finalizer run by
	 * the allocation that re-enters core makes a buffer of its own. */
	lua_pushlstring(L, b.data ? b.data : "", b.len);
	buffer_close(&b);
	return 1;
}
