/*
 * suggest.c - edit distance between a misspelt field name and known ones.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "suggest.h"

#define MAX_NAME 64

/* Levenshtein distance, case-insensitive (a wrong case is a likely typo). */
static size_t distance(const char *a, size_t la, const char *b, size_t lb)
{
	size_t row[MAX_NAME + 1];
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			int same = tolower((unsigned char)a[i - 1]) == tolower((unsigned char)b[j - 1]);
			size_t best = diag + (same ? 0 : 1);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

const char *suggest(const char *name, size_t len, const char *const *candidates)
{
	if (len == 0 || len > MAX_NAME)
		return NULL;
	const char *best = NULL;
	size_t best_d = (size_t)-1;
	for (; *candidates; candidates++) {
		size_t lc = strlen(*candidates);
		if (lc > MAX_NAME)
			continue;
		size_t d = distance(name, len, *candidates, lc);
		/* "timeout" for "timeout_ms": one name starting the other is a typo too. */
		size_t shorter = len < lc ? len : lc;
		if (shorter >= 4 && strncasecmp(name, *candidates, shorter) == 0 && d > 1)
			d = 1;
		if (d < best_d) {
			best_d = d;
			best = *candidates;
		}
	}
	/* A third of the name may be wrong, and at least one character. */
	size_t limit = len / 3 > 0 ? len / 3 : 1;
	return best_d <= limit ? best : NULL;
}
