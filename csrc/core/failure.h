/*
 * failure.h - where a value went wrong: the field path being walked
 * ("tokenCreateRequest.scopes[2]") and the message once something fails.
 * The encoder and the decoder share it.
 */
#ifndef AUTHLETE_FAILURE_H
#define AUTHLETE_FAILURE_H

#include <stddef.h>

#define PATH_DEPTH 24

typedef struct segment {
	const char *name; /* NULL for an array index */
	size_t len;
	long long index;  /* 1-based, Lua style */
} segment;

typedef struct failure {
	segment path[PATH_DEPTH];
	int depth;        /* segments in use; deeper ones are not recorded */
	int nested;       /* levels entered, including unrecorded ones */
	int failed;
	char field[256];
	char message[256 + 512 + 8]; /* "<field>: <text>" */
} failure;

void failure_init(failure *f);

static inline void path_enter_name(failure *f, const char *name, size_t len)
{
	if (f->nested++ < PATH_DEPTH) {
		f->path[f->depth].name = name;
		f->path[f->depth].len = len;
		f->depth++;
	}
}

static inline void path_enter_index(failure *f, long long index)
{
	if (f->nested++ < PATH_DEPTH) {
		f->path[f->depth].name = NULL;
		f->path[f->depth].index = index;
		f->depth++;
	}
}

static inline void path_leave(failure *f)
{
	if (--f->nested < PATH_DEPTH)
		f->depth--;
}

/* Record a failure at the current path: message becomes "<path>: <text>".
 * Always returns -1, so callers can `return fail(...)`. */
int fail(failure *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
