/*
 * failure.c - formatting a failure's field path and message.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "failure.h"

void failure_init(failure *f)
{
	f->depth = 0;
	f->nested = 0;
	f->failed = 0;
	f->field[0] = '\0';
	f->message[0] = '\0';
}

static void format_path(const failure *f, char *out, size_t size)
{
	size_t used = 0;
	out[0] = '\0';
	for (int i = 0; i < f->depth && used < size; i++) {
		const segment *s = &f->path[i];
		int n;
		if (s->name) {
			int len = s->len > 128 ? 128 : (int)s->len;
			n = snprintf(out + used, size - used, "%s%.*s", used ? "." : "", len, s->name);
		} else {
			n = snprintf(out + used, size - used, "[%lld]", s->index);
		}
		if (n < 0)
			break;
		used += (size_t)n;
	}
	if (f->nested > f->depth && used + 4 < size)
		strcat(out, "...");
}

int fail(failure *f, const char *fmt, ...)
{
	if (f->failed)
		return -1; /* keep the first, innermost failure */
	f->failed = 1;
	format_path(f, f->field, sizeof f->field);
	char text[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	if (f->field[0])
		snprintf(f->message, sizeof f->message, "%s: %s", f->field, text);
	else
		snprintf(f->message, sizeof f->message, "%s", text);
	return -1;
}
