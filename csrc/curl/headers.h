/*
 * headers.h - reading the header block libcurl hands over: the status line,
 * then "Name: value" lines, as received.
 *
 * A call usually needs one header of it (Content-Type), so the block can be
 * kept as one string and a value looked up when asked; the whole table is
 * built only for whoever wants it (errors, hooks, session:request).
 */
#ifndef AUTHLETE_HEADERS_H
#define AUTHLETE_HEADERS_H

#include <stddef.h>

#include "compat.h"

/* Push the block as a table: lower-case names, a repeated name's values
 * joined with ", ", folded lines unfolded. */
void headers_push_table(lua_State *L, const char *block, size_t len);

/* Push the value of header `name` (any case) as the table would hold it,
 * or nil when the block has none. */
void headers_push_value(lua_State *L, const char *block, size_t len, const char *name, size_t name_len);

#endif
