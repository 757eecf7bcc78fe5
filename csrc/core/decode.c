/*
 * decode.c - the schema-directed JSON decoder (see decode.h).
 *
 * Grammar per RFC 8259; strings must be valid UTF-8 and surrogate escapes
 * must pair up. Nesting is limited to MAX_DEPTH so hostile input cannot
 * exhaust the C stack.
 */
#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "scan.h"
#include "utf8.h"

#define MAX_DEPTH 64

static int decode_any(decoder *d);
static int decode_typed(decoder *d, int type, const field *f);
static int skip_value(decoder *d);

/* ---------------------------------------------------------------- helpers */

static size_t offset(const decoder *d)
{
	return (size_t)(d->p - d->start) + 1;
}

static int syntax(decoder *d, const char *what)
{
	if (d->p >= d->end) /* the byte after the last: where more was needed */
		return fail(d->fail, "invalid JSON at byte %zu: unexpected end of input (%s)", offset(d), what);
	return fail(d->fail, "invalid JSON at byte %zu: %s", offset(d), what);
}

static inline void skip_ws(decoder *d)
{
	while (d->p < d->end && (*d->p == ' ' || *d->p == '\n' || *d->p == '\r' || *d->p == '\t'))
		d->p++;
}

/* What the next value is, for "expected X, got Y" messages. */
static const char *next_kind(const decoder *d)
{
	if (d->p >= d->end)
		return "nothing";
	switch (*d->p) {
	case '{': return "object";
	case '[': return "array";
	case '"': return "string";
	case 't':
	case 'f': return "boolean";
	case 'n': return "null";
	}
	return (*d->p == '-' || (*d->p >= '0' && *d->p <= '9')) ? "number" : "invalid JSON";
}

static int expect_literal(decoder *d, const char *lit, size_t n)
{
	if ((size_t)(d->end - d->p) < n || memcmp(d->p, lit, n) != 0)
		return syntax(d, "unknown literal");
	d->p += n;
	return 0;
}

static int enter(decoder *d)
{
	if (++d->depth > MAX_DEPTH)
		return fail(d->fail, "invalid JSON at byte %zu: nested deeper than %d levels",
			    offset(d), MAX_DEPTH);
	if (d->L && !lua_checkstack(d->L, 4))
		return fail(d->fail, "nested too deeply");
	return 0;
}

/* ---------------------------------------------------------------- strings */

static int hex4(const char *p, unsigned long *out)
{
	unsigned long v = 0;
	for (int i = 0; i < 4; i++) {
		char c = p[i];
		v <<= 4;
		if (c >= '0' && c <= '9') v |= (unsigned long)(c - '0');
		else if (c >= 'a' && c <= 'f') v |= (unsigned long)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F') v |= (unsigned long)(c - 'A' + 10);
		else return -1;
	}
	*out = v;
	return 0;
}

/* The escape at p (just after the backslash): append its bytes to out (when
 * not NULL) and return the length of the escape, or 0 when it is invalid. */
static size_t unescape(decoder *d, const char *p, buffer *out)
{
	static const char simple_in[] = "\"\\/bfnrt";
	static const char simple_out[] = "\"\\/\b\f\n\r\t";
	if (p >= d->end)
		return 0;
	const char *hit = strchr(simple_in, *p);
	if (*p && hit) {
		if (out)
			buffer_addc(out, simple_out[hit - simple_in]);
		return 1;
	}
	if (*p != 'u' || d->end - p < 5)
		return 0;
	unsigned long cp, lo;
	if (hex4(p + 1, &cp))
		return 0;
	size_t used = 5;
	if (cp >= 0xD800 && cp <= 0xDBFF) {
		if (d->end - p < 11 || p[5] != '\\' || p[6] != 'u' || hex4(p + 7, &lo) ||
		    lo < 0xDC00 || lo > 0xDFFF)
			return 0;
		cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
		used = 11;
	} else if (cp >= 0xDC00 && cp <= 0xDFFF) {
		return 0;
	}
	if (out) {
		char tmp[4];
		buffer_add(out, tmp, utf8_encode(cp, tmp));
	}
	return used;
}

/* Read the string at d->p (which is a quote). s and len point into the input when
 * it has no escapes, else into the scratch buffer; with d->L == NULL nothing
 * is copied and *s is NULL. */
static int scan_string(decoder *d, const char **s, size_t *len)
{
	const char *p = d->p + 1, *run = p;
	int escaped = 0;
	buffer *out = d->L ? d->scratch : NULL;
	for (;;) {
		p = skip_plain(p, d->end);
		if (p >= d->end) {
			d->p = p;
			return syntax(d, "unterminated string");
		}
		unsigned char c = (unsigned char)*p;
		if (c == '"')
			break;
		if (c >= 0x80) {
			size_t seq = utf8_sequence((const unsigned char *)p, (size_t)(d->end - p));
			if (!seq) {
				d->p = p;
				return syntax(d, "invalid UTF-8 in string");
			}
			p += seq;
			continue;
		}
		if (c < 0x20) {
			d->p = p;
			return syntax(d, "control character in string");
		}
		/* A backslash: from here on the string is built in the scratch. */
		if (out) {
			if (!escaped)
				out->len = 0;
			buffer_add(out, run, (size_t)(p - run));
		}
		escaped = 1;
		size_t used = unescape(d, p + 1, out);
		if (!used) {
			d->p = p;
			return syntax(d, "invalid escape in string");
		}
		p += 1 + used;
		run = p;
	}
	if (escaped) {
		if (out) {
			buffer_add(out, run, (size_t)(p - run));
			*s = out->data;
			*len = out->len;
		} else {
			*s = NULL;
			*len = 0;
		}
	} else {
		*s = d->p + 1;
		*len = (size_t)(p - (d->p + 1));
	}
	d->p = p + 1;
	return 0;
}

/* ---------------------------------------------------------------- numbers */

/* Scan -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][-+]?[0-9]+)?; *integral says whether
 * it had neither fraction nor exponent. */
static int scan_number(decoder *d, const char **s, size_t *len, int *integral)
{
	const char *p = d->p;
	*integral = 1;
	if (p < d->end && *p == '-')
		p++;
	if (p >= d->end || *p < '0' || *p > '9')
		return syntax(d, "invalid number");
	if (*p == '0')
		p++;
	else
		while (p < d->end && *p >= '0' && *p <= '9')
			p++;
	if (p < d->end && *p == '.') {
		*integral = 0;
		p++;
		if (p >= d->end || *p < '0' || *p > '9')
			return syntax(d, "invalid number");
		while (p < d->end && *p >= '0' && *p <= '9')
			p++;
	}
	if (p < d->end && (*p == 'e' || *p == 'E')) {
		*integral = 0;
		p++;
		if (p < d->end && (*p == '+' || *p == '-'))
			p++;
		if (p >= d->end || *p < '0' || *p > '9')
			return syntax(d, "invalid number");
		while (p < d->end && *p >= '0' && *p <= '9')
			p++;
	}
	*s = d->p;
	*len = (size_t)(p - d->p);
	d->p = p;
	return 0;
}

/* An integer literal as int64; -1 when it does not fit. */
static int parse_int64(const char *s, size_t len, long long *out)
{
	int neg = *s == '-';
	unsigned long long v = 0, limit = neg ? 9223372036854775808ULL : 9223372036854775807ULL;
	for (size_t i = (size_t)neg; i < len; i++) {
		unsigned digit = (unsigned)(s[i] - '0');
		if (v > (limit - digit) / 10)
			return -1;
		v = v * 10 + digit;
	}
	*out = neg ? (long long)(0ULL - v) : (long long)v;
	return 0;
}

/* A number's text as the nearest double (strtod's rounding, whatever the
 * literal's length and the C locale's decimal point). Every digit counts:
 * a long literal can sit just past a rounding boundary. Copied because
 * strtod reads on past a JSON number ("0x1p3") and needs a NUL. */
static double to_double(const char *s, size_t len)
{
	char small[128];
	char *tmp = len < sizeof small ? small : malloc(len + 1);
	if (!tmp)
		return NAN; /* out of memory: the caller reports a bad number */
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	char point = localeconv()->decimal_point[0];
	if (point != '.') {
		char *dot = strchr(tmp, '.');
		if (dot)
			*dot = point;
	}
	double x = strtod(tmp, NULL);
	if (tmp != small)
		free(tmp);
	return x;
}

/* A literal written with a fraction or an exponent ("12.0", "1.2e1") as
 * the exact integer it denotes, from its decimal digits (never through a
 * double, which rounds past 2^53). 0: *out holds it; 1: it is not an
 * integer; -1: it is beyond int64. */
static int decimal_to_int64(const char *s, size_t len, long long *out)
{
	const char *p = s, *end = s + len;
	int neg = *p == '-';
	p += neg;
	const char *int_digits = p;
	while (p < end && *p >= '0' && *p <= '9')
		p++;
	size_t int_len = (size_t)(p - int_digits), frac_len = 0;
	const char *frac = p;
	if (p < end && *p == '.') {
		frac = ++p;
		while (p < end && *p >= '0' && *p <= '9')
			p++;
		frac_len = (size_t)(p - frac);
	}
	long exp10 = 0; /* capped: past a million digits nothing fits anyway */
	if (p < end && (*p == 'e' || *p == 'E')) {
		p++;
		int eneg = p < end && *p == '-';
		if (p < end && (*p == '-' || *p == '+'))
			p++;
		for (; p < end; p++)
			if (exp10 < 1000000)
				exp10 = exp10 * 10 + (*p - '0');
		if (eneg)
			exp10 = -exp10;
	}
	/* The digits of both parts as one run: the value is that run times
	 * 10^(exp10 - frac_len). */
	size_t total = int_len + frac_len, first = 0, last;
	#define DIGIT(k) ((k) < int_len ? int_digits[k] : frac[(k) - int_len])
	while (first < total && DIGIT(first) == '0')
		first++;
	if (first == total) {
		*out = 0;
		return 0;
	}
	last = total - 1;
	while (DIGIT(last) == '0')
		last--;
	exp10 += (long)(total - 1 - last) - (long)frac_len; /* trailing zeros become the exponent's */
	if (exp10 < 0)
		return 1; /* the last significant digit is a fraction digit */
	if (last - first + 1 + (size_t)exp10 > 19)
		return -1;
	unsigned long long v = 0, limit = neg ? 9223372036854775808ULL : 9223372036854775807ULL;
	for (size_t k = first; k <= last; k++) {
		unsigned digit = (unsigned)(DIGIT(k) - '0');
		if (v > (limit - digit) / 10)
			return -1;
		v = v * 10 + digit;
	}
	#undef DIGIT
	for (long i = 0; i < exp10; i++) {
		if (v > limit / 10)
			return -1;
		v *= 10;
	}
	*out = neg ? (long long)(0ULL - v) : (long long)v;
	return 0;
}

/* An integer field: exact or a failure, never a rounded value. */
static int decode_integer(decoder *d)
{
	const char *s;
	size_t len;
	int integral;
	if (scan_number(d, &s, &len, &integral))
		return -1;
	long long v;
	int rc = integral ? parse_int64(s, len, &v) : decimal_to_int64(s, len, &v);
	if (rc > 0)
		return fail(d->fail, "expected integer, got %.*s", (int)(len > 40 ? 40 : len), s);
	if (rc < 0)
		return fail(d->fail, "%.*s is out of the int64 range", (int)(len > 40 ? 40 : len), s);
#if !AUTHLETE_INTEGERS
	if (v > AUTHLETE_EXACT_DOUBLE_INT || v < -AUTHLETE_EXACT_DOUBLE_INT)
		return fail(d->fail, "%lld is beyond 2^53, which this Lua's numbers cannot hold exactly", v);
#endif
	if (d->L)
		lua_pushinteger(d->L, (lua_Integer)v);
	return 0;
}

/* A number outside any declared field: an integer when written as one and
 * it fits, a float otherwise. */
static int decode_any_number(decoder *d)
{
	const char *s;
	size_t len;
	int integral;
	if (scan_number(d, &s, &len, &integral))
		return -1;
	if (!d->L)
		return 0;
	long long v;
	if (integral && parse_int64(s, len, &v) == 0)
		lua_pushinteger(d->L, (lua_Integer)v);
	else
		lua_pushnumber(d->L, (lua_Number)to_double(s, len));
	return 0;
}

/* ------------------------------------------------- objects and arrays */

static int wrong_type(decoder *d, const char *want)
{
	if (d->p >= d->end)
		return syntax(d, "expected a value");
	return fail(d->fail, "expected %s, got %s", want, next_kind(d));
}

/* After a member or an element: ',' to go on (1), the closing byte to end
 * (0), anything else is an error (-1). */
static int next_item(decoder *d, char close, const char *expected)
{
	skip_ws(d);
	if (d->p < d->end && *d->p == ',') {
		d->p++;
		return 1;
	}
	if (d->p < d->end && *d->p == close) {
		d->p++;
		d->depth--;
		return 0;
	}
	return syntax(d, expected);
}

/* A field's name as a key. Lua 5.4 finds a C string in its cache by
 * address, without hashing; LuaJIT and 5.1 hash every string pushed, and
 * then knowing the length saves a strlen. */
static inline void push_field_name(lua_State *L, const field *f)
{
#if LUA_VERSION_NUM >= 504
	lua_pushstring(L, f->name);
#else
	lua_pushlstring(L, f->name, f->name_len);
#endif
}

/* The object at d->p (a '{'). With a model, known members are decoded as
 * their fields; other members, and every member without a model, as any
 * value. A null member stays absent. */
static int decode_object(decoder *d, const model *m)
{
	lua_State *L = d->L;
	if (enter(d))
		return -1;
	d->p++; /* '{' */
	if (L)
		lua_createtable(L, 0, m ? (int)(m->nfields < 16 ? m->nfields : 16) : 0);
	skip_ws(d);
	if (d->p < d->end && *d->p == '}') {
		d->p++;
		d->depth--;
		return 0;
	}
	int more;
	size_t next_field = 0; /* servers write fields in schema order: look there first */
	do {
		skip_ws(d);
		if (d->p >= d->end || *d->p != '"')
			return syntax(d, "expected a string key");
		const char *k;
		size_t kl;
		if (scan_string(d, &k, &kl))
			return -1;
		const field *f = m ? model_field_from(m, k, kl, &next_field) : NULL;
		skip_ws(d);
		if (d->p >= d->end || *d->p != ':')
			return syntax(d, "expected ':'");
		d->p++;
		skip_ws(d);
		if (d->p < d->end && *d->p == 'n') {
			if (expect_literal(d, "null", 4))
				return -1;
			if (L && !f && d->null_ref) { /* kept as the caller's null */
				lua_pushlstring(L, k, kl);
				lua_pushvalue(L, d->null_ref);
				lua_rawset(L, -3);
			}
		} else {
			/* k may live in the scratch, which the value may reuse: push it first. */
			if (L && f)
				push_field_name(L, f);
			else if (L)
				lua_pushlstring(L, k, kl);
			int rc;
			if (f) {
				path_enter_name(d->fail, f->name, f->name_len);
				rc = decode_typed(d, f->type, f);
				path_leave(d->fail);
			} else {
				rc = decode_any(d);
			}
			if (rc)
				return -1;
			if (L)
				lua_rawset(L, -3);
		}
		more = next_item(d, '}', "expected ',' or '}'");
		if (more < 0)
			return -1;
	} while (more);
	return 0;
}

/* Elements wait on the Lua stack, at most this many at a time, so that the
 * array's table is made at its final size instead of growing 1, 2, 4, ... */
#define ARRAY_CHUNK 32

/* Move the `pending` elements on top of the stack into the array, as
 * elements last - pending + 1 .. last; make the table first if *t is 0. */
static void flush_elements(lua_State *L, int *t, int pending, int last, int array_mt)
{
	if (!*t) {
		lua_createtable(L, pending, 0);
		if (array_mt) {
			lua_pushvalue(L, array_mt);
			lua_setmetatable(L, -2);
		}
		lua_insert(L, -(pending + 1));
		*t = lua_gettop(L) - pending;
	}
	for (int i = last; i > last - pending; i--)
		lua_rawseti(L, *t, i);
}

/* The array at d->p (a '['). With a field, elements are decoded as its
 * element type and null is an error; without, as any value, and null keeps
 * its place as a hole. */
static int decode_array(decoder *d, const field *f)
{
	lua_State *L = d->L;
	if (enter(d))
		return -1;
	d->p++; /* '[' */
	skip_ws(d);
	if (d->p < d->end && *d->p == ']') {
		d->p++;
		d->depth--;
		if (L) {
			lua_newtable(L);
			if (d->array_mt) {
				lua_pushvalue(L, d->array_mt);
				lua_setmetatable(L, -2);
			}
		}
		return 0;
	}
	if (L && !lua_checkstack(L, ARRAY_CHUNK + 2)) /* the pending elements, the table, its metatable */
		return fail(d->fail, "nested too deeply");
	int more, i = 0, t = 0, pending = 0;
	do {
		i++;
		skip_ws(d);
		int rc;
		if (!f && d->p < d->end && *d->p == 'n') {
			if (expect_literal(d, "null", 4))
				return -1;
			if (L && d->null_ref)
				lua_pushvalue(L, d->null_ref); /* the caller's null keeps its place */
			else if (L)
				lua_pushnil(L); /* a hole: rawseti of nil adds nothing */
		} else {
			if (f) {
				path_enter_index(d->fail, i);
				rc = decode_typed(d, f->elem, f);
				path_leave(d->fail);
			} else {
				rc = decode_any(d);
			}
			if (rc)
				return -1;
		}
		if (L && ++pending == ARRAY_CHUNK) {
			flush_elements(L, &t, pending, i, d->array_mt);
			pending = 0;
		}
		more = next_item(d, ']', "expected ',' or ']'");
		if (more < 0)
			return -1;
	} while (more);
	if (L)
		flush_elements(L, &t, pending, i, d->array_mt);
	return 0;
}

/* ------------------------------------------------------------ any value */

/* Any JSON value except null (callers handle null, which means absent). */
static int decode_any(decoder *d)
{
	skip_ws(d);
	if (d->p >= d->end)
		return syntax(d, "expected a value");
	const char *s;
	size_t len;
	switch (*d->p) {
	case '{':
		return decode_object(d, NULL);
	case '[':
		return decode_array(d, NULL);
	case '"':
		if (scan_string(d, &s, &len))
			return -1;
		if (d->L)
			lua_pushlstring(d->L, s, len);
		return 0;
	case 't':
		if (expect_literal(d, "true", 4))
			return -1;
		if (d->L)
			lua_pushboolean(d->L, 1);
		return 0;
	case 'f':
		if (expect_literal(d, "false", 5))
			return -1;
		if (d->L)
			lua_pushboolean(d->L, 0);
		return 0;
	case 'n':
		if (!d->null_ref)
			return syntax(d, "null is only allowed as an object member");
		if (expect_literal(d, "null", 4))
			return -1;
		if (d->L)
			lua_pushvalue(d->L, d->null_ref);
		return 0;
	}
	return decode_any_number(d);
}

/* Syntax check only (used with d->L == NULL). */
static int skip_value(decoder *d)
{
	skip_ws(d);
	if (d->p < d->end && *d->p == 'n')
		return expect_literal(d, "null", 4);
	return decode_any(d);
}

/* ---------------------------------------------------------- typed values */

static int decode_typed(decoder *d, int type, const field *f)
{
	const char *s;
	size_t len;
	char c = d->p < d->end ? *d->p : '\0';
	switch (type) {
	case T_STRING:
	case T_JSONSTR:
		if (c != '"')
			return wrong_type(d, "string");
		if (scan_string(d, &s, &len))
			return -1;
		lua_pushlstring(d->L, s, len);
		return 0;
	case T_INT64:
	case T_INT32:
		if (c != '-' && !(c >= '0' && c <= '9'))
			return wrong_type(d, "integer");
		return decode_integer(d);
	case T_BOOLEAN:
		if (c == 't') {
			if (expect_literal(d, "true", 4))
				return -1;
			lua_pushboolean(d->L, 1);
			return 0;
		}
		if (c == 'f') {
			if (expect_literal(d, "false", 5))
				return -1;
			lua_pushboolean(d->L, 0);
			return 0;
		}
		return wrong_type(d, "boolean");
	case T_OBJECT:
		if (c != '{')
			return wrong_type(d, "object");
		return decode_object(d, f->model);
	case T_ARRAY:
		if (c != '[')
			return wrong_type(d, "array");
		return decode_array(d, f);
	}
	return fail(d->fail, "internal error: unknown field type %d", type);
}

/* ------------------------------------------------------------- documents */

/* text[0..len) as one whole JSON text: an object of model m, or (any) any
 * value without a model. Nothing is pushed on failure. */
static int decode_text(decoder *d, const model *m, const char *text, size_t len, int any)
{
	int top = lua_gettop(d->L);
	d->start = d->p = text;
	d->end = text + len;
	d->depth = 0;
	skip_ws(d);
	if (d->p >= d->end) {
		if (any)
			syntax(d, "empty text where a JSON value was expected");
		else
			fail(d->fail, "empty body where a JSON object was expected");
	} else if (!any && *d->p != '{') {
		fail(d->fail, "expected a JSON object, got %s", next_kind(d));
	} else if ((any ? decode_any(d) : decode_object(d, m)) == 0) {
		skip_ws(d);
		if (d->p == d->end)
			return 0;
		syntax(d, any ? "trailing characters after the JSON value" : "trailing characters after the JSON object");
	}
	lua_settop(d->L, top);
	return -1;
}

int decode_document(decoder *d, const model *m, const char *text, size_t len)
{
	return decode_text(d, m, text, len, 0);
}

int decode_any_document(decoder *d, const char *text, size_t len)
{
	return decode_text(d, NULL, text, len, 1);
}

int json_is_object(const char *s, size_t len)
{
	failure f;
	failure_init(&f);
	decoder d = {NULL, s, s, s + len, NULL, &f, 0, 0, 0};
	skip_ws(&d);
	if (d.p >= d.end || *d.p != '{')
		return 0;
	if (skip_value(&d))
		return 0;
	skip_ws(&d);
	return d.p == d.end;
}
