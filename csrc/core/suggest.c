/*
 * suggest.c - edit distance between a misspelt name and known ones.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "suggest.h"

#define MAX_NAME 64

static int same_char(char x, char y)
{
	return tolower((unsigned char)x) == tolower((unsigned char)y);
}

/* Edit distance counting a swap of neighbours as one edit ("lsit" for
 * "list": the commonest typo), case-insensitive (a wrong case is a likely
 * typo too). Rows i-2, i-1 and i of the usual table. */
static size_t distance(const char *a, size_t la, const char *b, size_t lb)
{
	size_t rows[3][MAX_NAME + 1];
	size_t *before = rows[0], *prev = rows[1], *cur = rows[2];
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t best = prev[j - 1] + (same_char(a[i - 1], b[j - 1]) ? 0 : 1);
			if (prev[j] + 1 < best)
				best = prev[j] + 1;
			if (cur[j - 1] + 1 < best)
				best = cur[j - 1] + 1;
			if (i > 1 && j > 1 && same_char(a[i - 1], b[j - 2]) && same_char(a[i - 2], b[j - 1]) &&
			    before[j - 2] + 1 < best)
				best = before[j - 2] + 1;
			cur[j] = best;
		}
		size_t *t = before;
		before = prev;
		prev = cur;
		cur = t;
	}
	return prev[lb];
}

const char *suggest(const char *name, size_t len, const char *const *candidates)
{
	if (len == 0 || len > MAX_NAME)
		return NULL;
	const char *best = NULL;
	size_t best_d = (size_t)-1, best_raw = (size_t)-1;
	for (; *candidates; candidates++) {
		size_t lc = strlen(*candidates);
		if (lc > MAX_NAME)
			continue;
		size_t raw = distance(name, len, *candidates, lc), d = raw;
		/* "timeout" for "timeout_ms": one name starting the other is a typo too. */
		size_t shorter = len < lc ? len : lc;
		if (shorter >= 4 && strncasecmp(name, *candidates, shorter) == 0 && d > 1)
			d = 1;
		/* Ties go to the nearer spelling: "server_ur" is server_url, not server. */
		if (d < best_d || (d == best_d && raw < best_raw)) {
			best_d = d;
			best_raw = raw;
			best = *candidates;
		}
	}
	/* A third of the name may be wrong, and at least one character. */
	size_t limit = len / 3 > 0 ? len / 3 : 1;
	return best_d <= limit ? best : NULL;
}
