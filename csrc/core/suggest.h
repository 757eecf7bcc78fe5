/*
 * suggest.h - "did you mean": the closest known name to a misspelt one.
 */
#ifndef AUTHLETE_SUGGEST_H
#define AUTHLETE_SUGGEST_H

#include <stddef.h>

/* The candidate (NULL-terminated list) closest to `name`, or NULL when none
 * is close enough to be a likely typo. */
const char *suggest(const char *name, size_t len, const char *const *candidates);

#endif
