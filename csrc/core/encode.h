/*
 * encode.h - a Lua request table -> JSON text, validated against a model.
 *
 * Values are read with raw access only, so no Lua code (metamethods) runs
 * while the encoder holds the buffer. Every failure names the field.
 * Recursion follows the models, which nest at most four levels and never
 * refer back to themselves, so a self-referencing or deeply nested table
 * fails as a type error at a named field instead of recursing.
 */
#ifndef AUTHLETE_ENCODE_H
#define AUTHLETE_ENCODE_H

#include "buffer.h"
#include "failure.h"
#include "models.h"

typedef struct encoder {
	lua_State *L;
	buffer *out;
	failure *fail;
} encoder;

/* Write the table at stack index idx as model m. 0 on success, -1 on failure. */
int encode_object(encoder *e, const model *m, int idx);

/* Check the value at idx is an integer that fits `type` (T_INT32 / T_INT64). */
int check_integer(encoder *e, int idx, int type, long long *out);

/* Check the value at idx is a valid UTF-8 string (one of `allowed` when not NULL). */
int check_string(encoder *e, int idx, const char *const *allowed, const char *enum_name,
		 const char **s, size_t *len);

/* The name of a Lua value's type as errors show it ("integer", "float", "array"…). */
const char *lua_value_kind(lua_State *L, int idx);

#endif
