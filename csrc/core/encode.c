/*
 * encode.c - Lua table -> JSON, validated against a model (see encode.h).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "decode.h"
#include "encode.h"
#include "scan.h"
#include "suggest.h"
#include "utf8.h"

/* Integers a double holds exactly: floats beyond this are refused, because
 * they have most likely already been rounded. */

/* ------------------------------------------------------------ type names */

/* Is the table at idx a non-empty sequence-looking table (key 1 present)? */
static int looks_like_array(lua_State *L, int idx)
{
	lua_rawgeti(L, idx, 1);
	int yes = !lua_isnil(L, -1);
	lua_pop(L, 1);
	return yes;
}

const char *lua_value_kind(lua_State *L, int idx)
{
	switch (lua_type(L, idx)) {
	case LUA_TNUMBER:
		return lua_isinteger(L, idx) ? "integer" : "number";
	case LUA_TTABLE:
		return looks_like_array(L, idx) ? "array" : "table";
	default:
		return lua_typename(L, lua_type(L, idx));
	}
}

/* ---------------------------------------------------------------- scalars */

int check_integer(encoder *e, int idx, int type, long long *out)
{
	lua_State *L = e->L;
	if (lua_type(L, idx) != LUA_TNUMBER)
		return fail(e->fail, "expected integer, got %s", lua_value_kind(L, idx));
	long long v;
	if (lua_isinteger(L, idx)) {
		v = (long long)lua_tointeger(L, idx);
	} else {
		double d = (double)lua_tonumber(L, idx);
		if (d != d)
			return fail(e->fail, "expected integer, got NaN");
		if (isinf(d))
			return fail(e->fail, "expected integer, got %sinf", d < 0 ? "-" : "");
		if (d != floor(d))
			return fail(e->fail, "expected integer, got %.17g", d);
		if (fabs(d) > AUTHLETE_EXACT_DOUBLE)
			return fail(e->fail, "%.17g is beyond 2^53, where a float may already be rounded; "
				    "pass an integer", d);
		v = (long long)d;
	}
	if (type == T_INT32 && (v < -2147483648LL || v > 2147483647LL))
		return fail(e->fail, "%lld is out of the int32 range", v);
	*out = v;
	return 0;
}

static int enum_error(encoder *e, const char *const *allowed, const char *enum_name,
		      const char *s, size_t len)
{
	char list[400];
	size_t used = 0;
	list[0] = '\0';
	for (const char *const *a = allowed; *a && used < sizeof list; a++) {
		int n = snprintf(list + used, sizeof list - used, "%s%s", used ? ", " : "", *a);
		if (n < 0)
			break;
		used += (size_t)n;
	}
	int shown = len > 64 ? 64 : (int)len;
	return fail(e->fail, "'%.*s%s' is not a %s; expected one of %s", shown, s,
		    len > 64 ? "…" : "", enum_name, list);
}

int check_string(encoder *e, int idx, const char *const *allowed, const char *enum_name,
		 const char **out, size_t *outlen)
{
	lua_State *L = e->L;
	if (lua_type(L, idx) != LUA_TSTRING)
		return fail(e->fail, "expected string, got %s", lua_value_kind(L, idx));
	size_t len;
	const char *s = lua_tolstring(L, idx, &len);
	size_t bad = utf8_check((const unsigned char *)s, len);
	if (bad != len)
		return fail(e->fail, "invalid UTF-8 at byte %zu", bad + 1);
	if (allowed) {
		const char *const *a = allowed;
		while (*a && !(strlen(*a) == len && memcmp(*a, s, len) == 0))
			a++;
		if (!*a)
			return enum_error(e, allowed, enum_name, s, len);
	}
	*out = s;
	*outlen = len;
	return 0;
}

/* RFC 8259 string: escape '"', '\\' and control characters; '/' and UTF-8
 * (already checked) stay as they are. */
static void write_string(buffer *b, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const char *p = s, *end = s + len, *run = s; /* run: the pending plain bytes */
	buffer_addc(b, '"');
	for (;;) {
		p = skip_plain(p, end);
		if (p == end)
			break;
		unsigned char c = (unsigned char)*p;
		if (c >= 0x80) {
			p++;
			continue;
		}
		buffer_add(b, run, (size_t)(p - run));
		if (c == '"' || c == '\\') {
			char esc[2] = {'\\', (char)c};
			buffer_add(b, esc, 2);
		} else {
			char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
			buffer_add(b, esc, 6);
		}
		run = ++p;
	}
	buffer_add(b, run, (size_t)(end - run));
	buffer_addc(b, '"');
}

/* ----------------------------------------------------------------- values */

static int encode_value(encoder *e, int type, const field *f, int idx);

/* Count a proper sequence: every key an integer 1..n with no holes. */
static int sequence_length(encoder *e, int idx, long long *n)
{
	lua_State *L = e->L;
	long long count = 0, max = 0;
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		lua_pop(L, 1); /* value; the key stays for lua_next */
		long long k;
		if (lua_type(L, -1) == LUA_TNUMBER && lua_isinteger(L, -1)) {
			k = (long long)lua_tointeger(L, -1);
		} else if (lua_type(L, -1) == LUA_TNUMBER && !AUTHLETE_INTEGERS &&
			   lua_tonumber(L, -1) == floor(lua_tonumber(L, -1)) &&
			   fabs(lua_tonumber(L, -1)) <= AUTHLETE_EXACT_DOUBLE) {
			k = (long long)lua_tonumber(L, -1); /* LuaJIT keys are doubles */
		} else {
			const char *kind = lua_value_kind(L, -1);
			if (lua_type(L, -1) == LUA_TSTRING) {
				size_t kl;
				const char *ks = lua_tolstring(L, -1, &kl);
				int shown = kl > 64 ? 64 : (int)kl;
				lua_pop(L, 1);
				return fail(e->fail, "expected array, got a table with key '%.*s'", shown, ks);
			}
			lua_pop(L, 1);
			return fail(e->fail, "expected array, got a table with a non-integer key (%s)", kind);
		}
		if (k < 1) {
			lua_pop(L, 1);
			return fail(e->fail, "expected array, got a table with key %lld", k);
		}
		count++;
		if (k > max)
			max = k;
	}
	if (count != max)
		return fail(e->fail, "expected array, got a sparse table (%lld values, largest key %lld)",
			    count, max);
	*n = count;
	return 0;
}

static int encode_array(encoder *e, const field *f, int idx)
{
	lua_State *L = e->L;
	long long n;
	if (lua_type(L, idx) != LUA_TTABLE)
		return fail(e->fail, "expected array, got %s", lua_value_kind(L, idx));
	if (sequence_length(e, idx, &n))
		return -1;
	buffer_addc(e->out, '[');
	for (long long i = 1; i <= n; i++) {
		if (i > 1)
			buffer_addc(e->out, ',');
		lua_rawgeti(L, idx, (int)i);
		path_enter_index(e->fail, i);
		int rc = encode_value(e, f->elem, f, lua_gettop(L));
		path_leave(e->fail);
		lua_pop(L, 1);
		if (rc)
			return -1;
	}
	buffer_addc(e->out, ']');
	return 0;
}

static int encode_value(encoder *e, int type, const field *f, int idx)
{
	lua_State *L = e->L;
	const char *s;
	size_t len;
	long long v;
	switch (type) {
	case T_STRING:
		if (check_string(e, idx, f->allowed, f->enum_name, &s, &len))
			return -1;
		write_string(e->out, s, len);
		return 0;
	case T_JSONSTR:
		if (check_string(e, idx, NULL, NULL, &s, &len))
			return -1;
		if (!json_is_object(s, len))
			return fail(e->fail, "expected a string holding a JSON object");
		write_string(e->out, s, len);
		return 0;
	case T_INT32:
	case T_INT64:
		if (check_integer(e, idx, type, &v))
			return -1;
		buffer_add_int(e->out, v);
		return 0;
	case T_BOOLEAN:
		if (lua_type(L, idx) != LUA_TBOOLEAN)
			return fail(e->fail, "expected boolean, got %s", lua_value_kind(L, idx));
		if (lua_toboolean(L, idx))
			buffer_add(e->out, "true", 4);
		else
			buffer_add(e->out, "false", 5);
		return 0;
	case T_OBJECT:
		return encode_object(e, f->model, idx);
	case T_ARRAY:
		return encode_array(e, f, idx);
	}
	return fail(e->fail, "internal error: unknown field type %d", type);
}

/* ---------------------------------------------------------------- objects */

static int unknown_field(encoder *e, const model *m, const char *name, size_t len)
{
	const char *names[64];
	size_t n = 0;
	for (size_t i = 0; i < m->nfields && n < 63; i++)
		names[n++] = m->fields[i].name;
	names[n] = NULL;
	const char *hint = suggest(name, len, names);
	int shown = len > 64 ? 64 : (int)len;
	if (hint)
		return fail(e->fail, "unknown field '%.*s' (did you mean '%s'?)", shown, name, hint);
	return fail(e->fail, "unknown field '%.*s' in %s", shown, name, m->name);
}

/* Every key must be a field of m. The values of the fields found are left
 * on the stack, in the order the table gives them, and at[i] is where field
 * i's value is (0: absent): the writer then visits only those (a create
 * request uses 4 of 23 fields) and looks nothing up twice. */
static int check_keys(encoder *e, const model *m, int idx, int at[64])
{
	lua_State *L = e->L;
	memset(at, 0, sizeof(int) * m->nfields);
	if (!lua_checkstack(L, (int)m->nfields + 4))
		return fail(e->fail, "nested too deeply");
	size_t next = 0;
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		if (lua_type(L, -2) != LUA_TSTRING) {
			const char *kind = lua_value_kind(L, -2);
			return fail(e->fail, "expected object, got a table with a non-string key (%s)", kind);
		}
		size_t len;
		const char *name = lua_tolstring(L, -2, &len);
		const field *f = model_field_from(m, name, len, &next);
		if (!f)
			return unknown_field(e, m, name, len);
		lua_insert(L, -2); /* the value stays, below the key lua_next needs */
		at[f - m->fields] = lua_gettop(L) - 1;
	}
	return 0;
}

/* Is the value at idx "given" for an either/or rule: present and not ""? */
static int given(lua_State *L, int idx)
{
	if (lua_isnil(L, idx))
		return 0;
	if (lua_type(L, idx) == LUA_TSTRING)
		return lua_rawlen(L, idx) > 0;
	return 1;
}

static int check_one_of(encoder *e, const model *m, int idx)
{
	lua_State *L = e->L;
	char names[256];
	size_t used = 0;
	for (const char *const *n = m->one_of; *n; n++) {
		lua_pushstring(L, *n);
		lua_rawget(L, idx);
		int ok = given(L, -1);
		lua_pop(L, 1);
		if (ok)
			return 0;
		int w = snprintf(names + used, sizeof names - used, "%s%s", used ? (n[1] ? ", " : " or ") : "", *n);
		if (w > 0 && (size_t)w < sizeof names - used)
			used += (size_t)w;
	}
	return fail(e->fail, "one of %s is required", names);
}

/* Write "name": — field names are plain ASCII identifiers, no escaping. */
static void write_key(buffer *b, const field *f)
{
	const char *name = f->name;
	size_t len = f->name_len;
	buffer_grow_to_fit(b, len + 3);
	b->data[b->len++] = '"';
	memcpy(b->data + b->len, name, len);
	b->len += len;
	b->data[b->len++] = '"';
	b->data[b->len++] = ':';
}

int encode_object(encoder *e, const model *m, int idx)
{
	lua_State *L = e->L;
	int at[64];
	if (lua_type(L, idx) != LUA_TTABLE || looks_like_array(L, idx))
		return fail(e->fail, "expected object, got %s", lua_value_kind(L, idx));
	int top = lua_gettop(L);
	int rc = check_keys(e, m, idx, at);
	if (rc == 0 && m->one_of)
		rc = check_one_of(e, m, idx);
	if (rc == 0)
		buffer_addc(e->out, '{');
	int first = 1;
	for (size_t i = 0; rc == 0 && i < m->nfields; i++) {
		const field *f = &m->fields[i];
		if (!at[i]) {
			if (!(f->flags & F_REQUIRED))
				continue;
			path_enter_name(e->fail, f->name, f->name_len);
			rc = fail(e->fail, "required");
			break;
		}
		if (!first)
			buffer_addc(e->out, ',');
		first = 0;
		write_key(e->out, f);
		path_enter_name(e->fail, f->name, f->name_len);
		rc = encode_value(e, f->type, f, at[i]);
		path_leave(e->fail);
	}
	lua_settop(L, top);
	if (rc)
		return -1;
	buffer_addc(e->out, '}');
	return 0;
}
