/*
 * decode.h - JSON text -> Lua table typed by a model, in one pass.
 *
 * Known fields are checked against their declared type as they are read;
 * integer fields become exact Lua integers (digit for digit on Lua 5.4, up to
 * 2^53 on LuaJIT, never a rounded number); JSON null means absent; unknown
 * fields are kept as decoded; response enums are not checked.
 */
#ifndef AUTHLETE_DECODE_H
#define AUTHLETE_DECODE_H

#include "buffer.h"
#include "failure.h"
#include "models.h"

typedef struct decoder {
	lua_State *L;       /* NULL: validate only, build nothing */
	const char *start;  /* for byte offsets in messages */
	const char *p;
	const char *end;
	buffer *scratch;    /* unescaped strings, number text */
	failure *fail;
	int depth;
	int array_mt;       /* index of the metatable every array gets (0: none) */
	int null_ref;       /* index of the value JSON null becomes outside a model
	                       (0: none; a null member is then absent, a null
	                       element a hole, and a lone null an error) */
} decoder;

/* Decode text[0..len) as one JSON object of model m and push the table.
 * 0 on success, -1 on failure (nothing pushed, d->fail says why). */
int decode_document(decoder *d, const model *m, const char *text, size_t len);

/* Decode text[0..len) as any one JSON value, without a model, and push it.
 * 0 on success, -1 on failure (nothing pushed, d->fail says why). */
int decode_any_document(decoder *d, const char *text, size_t len);

/* Is s[0..len) exactly one well-formed JSON object? */
int json_is_object(const char *s, size_t len);

#endif
