/*
 * buffer.h - a growable byte buffer whose memory is a Lua userdata.
 *
 * The userdata lives in a fixed slot (the module's upvalue), so the buffer is
 * reused across calls without allocating, and if Lua raises (out of memory)
 * in the middle of a call nothing leaks: the collector owns the bytes.
 */
#ifndef AUTHLETE_BUFFER_H
#define AUTHLETE_BUFFER_H

#include <stddef.h>
#include <string.h>

#include "compat.h"

typedef struct buffer {
	lua_State *L;
	int slot;     /* pseudo-index of the userdata holding the bytes */
	char *data;
	size_t len;
	size_t cap;
} buffer;

/* Push a new backing userdata for a buffer slot. */
void buffer_new_backing(lua_State *L);

/* Use the userdata at `slot` as an empty buffer. */
void buffer_open(buffer *b, lua_State *L, int slot);

/* Make room for `extra` more bytes (may raise a Lua memory error). */
void buffer_grow(buffer *b, size_t extra);

/* After a call: give back memory a huge request or response made it take. */
void buffer_trim(buffer *b);

/* Make sure n more bytes fit, for callers that then write b->data directly. */
static inline void buffer_grow_to_fit(buffer *b, size_t n)
{
	if (b->cap - b->len < n)
		buffer_grow(b, n);
}

static inline void buffer_add(buffer *b, const char *s, size_t n)
{
	if (b->cap - b->len < n)
		buffer_grow(b, n);
	memcpy(b->data + b->len, s, n);
	b->len += n;
}

static inline void buffer_addc(buffer *b, char c)
{
	if (b->len == b->cap)
		buffer_grow(b, 1);
	b->data[b->len++] = c;
}

static inline void buffer_adds(buffer *b, const char *s)
{
	buffer_add(b, s, strlen(s));
}

/* Append a decimal integer. */
void buffer_add_int(buffer *b, long long v);

#endif
