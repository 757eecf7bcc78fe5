/*
 * buffer.h - a growable byte buffer whose memory is a Lua userdata.
 *
 * If Lua raises (out of memory) in the middle of a call nothing leaks: the
 * collector owns the bytes. Each call owns its buffer: the userdata sits on
 * the call's own stack while it is used, taken from a spare slot (the
 * module's upvalue) that keeps one between calls so that calls do not
 * allocate. A call re-entered from a finalizer or metamethod while another
 * holds the spare makes its own, so no two calls ever write the same bytes.
 */
#ifndef AUTHLETE_BUFFER_H
#define AUTHLETE_BUFFER_H

#include <stddef.h>
#include <string.h>

#include "compat.h"

typedef struct buffer {
	lua_State *L;
	int slot;     /* stack index of the userdata holding the bytes */
	int spare;    /* pseudo-index of the slot that keeps one between calls */
	char *data;
	size_t len;
	size_t cap;
} buffer;

/* Push a new backing userdata for a buffer slot. */
void buffer_new_backing(lua_State *L);

/* Take the spare userdata at pseudo-index `spare` (or a new one when
 * another call holds it) onto the top of the stack, as an empty buffer. */
void buffer_open(buffer *b, lua_State *L, int spare);

/* Make room for `extra` more bytes (may raise a Lua memory error). */
void buffer_grow(buffer *b, size_t extra);

/* After a call: put the userdata back in the spare slot, unless a huge
 * request or response made it big (then the next call starts small). The
 * userdata stays on the stack, where the caller may pop it. */
void buffer_close(buffer *b);

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
