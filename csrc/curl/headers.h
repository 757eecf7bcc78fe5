/*
 * headers.h - reading the header block libcurl hands over (the status line,
 * then "Name: value" lines, as received) into the table every transport
 * answers with.
 */
#ifndef AUTHLETE_HEADERS_H
#define AUTHLETE_HEADERS_H

#include <stddef.h>

#include "compat.h"

/* Push the block as a table: lower-case names, a repeated name's values
 * joined with ", ", folded lines unfolded. */
void headers_push_table(lua_State *L, const char *block, size_t len);

#endif
