/*
 * buffer.c - the growable byte buffer (see buffer.h for why a userdata).
 */
#include "buffer.h"

#define INITIAL_CAPACITY 4096
#define KEEP_AT_MOST (256 * 1024)

void buffer_new_backing(lua_State *L)
{
	lua_newuserdata(L, INITIAL_CAPACITY);
}

void buffer_open(buffer *b, lua_State *L, int spare)
{
	lua_pushvalue(L, spare);
	if (lua_type(L, -1) == LUA_TUSERDATA) {
		lua_pushboolean(L, 0); /* taken: a re-entered call makes its own */
		lua_replace(L, spare);
	} else {
		lua_pop(L, 1);
		buffer_new_backing(L);
	}
	b->L = L;
	b->slot = lua_gettop(L);
	b->spare = spare;
	b->data = lua_touserdata(L, b->slot);
	b->cap = lua_rawlen(L, b->slot);
	b->len = 0;
}

void buffer_grow(buffer *b, size_t extra)
{
	size_t need = b->len + extra;
	size_t cap = b->cap ? b->cap : INITIAL_CAPACITY;
	if (need < b->len)
		luaL_error(b->L, "buffer size overflow");
	while (cap < need) {
		if (cap > ((size_t)-1) / 2)
			luaL_error(b->L, "buffer size overflow");
		cap *= 2;
	}
	char *data = lua_newuserdata(b->L, cap);
	memcpy(data, b->data, b->len);
	lua_replace(b->L, b->slot); /* the old bytes become garbage */
	b->data = data;
	b->cap = cap;
}

void buffer_close(buffer *b)
{
	if (b->cap <= KEEP_AT_MOST) {
		lua_pushvalue(b->L, b->slot);
		lua_replace(b->L, b->spare);
	}
	b->len = 0;
}

void buffer_add_int(buffer *b, long long v)
{
	char tmp[24];
	char *p = tmp + sizeof tmp;
	/* Work in unsigned so that LLONG_MIN negates without overflow. */
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	buffer_add(b, p, (size_t)(tmp + sizeof tmp - p));
}
