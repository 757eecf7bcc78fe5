/*
 * prepare.c - core.prepare(op, request[, defaults]):
 * a Lua request -> method, path, query, body (or nil, SDKValidationError).
 *
 * Everything is validated before anything is returned, so a bad request
 * never produces a partial one. Path parameters become one percent-encoded
 * segment each: an identifier holding "/", "?", "#" or "%" can never reach
 * another endpoint, and one that would be a dot segment ("." or "..", in
 * any encoding) is refused, since every server resolves those.
 */
#include <string.h>

#include "core.h"
#include "encode.h"
#include "operations.h"
#include "suggest.h"

#define REQUEST 2
#define DEFAULTS 3

/* Limits on what a request may carry. Authlete's own limits are not
 * published; these are far above any real token request and keep a runaway
 * value (a file read by mistake, say) from being sent at all. */
#define MAX_PARAM_BYTES 4096          /* one path or query value */
#define MAX_BODY_BYTES (1024 * 1024)  /* the JSON body */

/* Unreserved characters (RFC 3986) stay; every other byte becomes %XX. */
static void percent_encode(buffer *b, const char *s, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '.' || c == '_' || c == '~') {
			buffer_addc(b, (char)c);
		} else {
			char esc[3] = {'%', hex[c >> 4], hex[c & 15]};
			buffer_add(b, esc, 3);
		}
	}
}

static int hex_value(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Would the value, sent as a path segment, be a dot segment ("." or "..")
 * once decoded, however many times a server or proxy decodes it ("%2e",
 * "%252E", ...)? libcurl and servers resolve those, so the request would
 * reach another endpoint ("delete/.." is "DELETE .../auth/token/"). */
static int is_dot_segment(const char *s, size_t len)
{
	char tmp[MAX_PARAM_BYTES];
	if (len > sizeof tmp || (!memchr(s, '.', len) && !memchr(s, '%', len)))
		return 0; /* the usual identifier: no dot can come out of it */
	memcpy(tmp, s, len);
	for (;;) {
		if ((len == 1 && tmp[0] == '.') || (len == 2 && tmp[0] == '.' && tmp[1] == '.'))
			return 1;
		size_t out = 0;
		for (size_t i = 0; i < len; i++) {
			int hi, lo;
			if (tmp[i] == '%' && i + 2 < len &&
			    (hi = hex_value(tmp[i + 1])) >= 0 && (lo = hex_value(tmp[i + 2])) >= 0) {
				tmp[out++] = (char)(hi * 16 + lo);
				i += 2;
			} else {
				tmp[out++] = tmp[i];
			}
		}
		if (out == len)
			return 0; /* nothing left to decode */
		len = out;
	}
}

/* Push request[name], or defaults[name] when the request has none. */
static void push_param(lua_State *L, const char *name)
{
	lua_pushstring(L, name);
	lua_rawget(L, REQUEST);
	if (lua_isnil(L, -1) && lua_type(L, DEFAULTS) == LUA_TTABLE) {
		lua_pop(L, 1);
		lua_pushstring(L, name);
		lua_rawget(L, DEFAULTS);
	}
}

static void add_names(const param *p, const char **names, size_t *n, size_t max)
{
	for (; p->name && *n < max; p++)
		names[(*n)++] = p->name;
}

/* Every key of the request must be a parameter or the body key. */
static int check_request_keys(encoder *e, const operation *op)
{
	lua_State *L = e->L;
	const char *names[16];
	size_t n = 0;
	add_names(op->path_params, names, &n, 14);
	add_names(op->query_params, names, &n, 14);
	if (op->body_key)
		names[n++] = op->body_key;
	names[n] = NULL;
	lua_pushnil(L);
	while (lua_next(L, REQUEST)) {
		lua_pop(L, 1);
		if (lua_type(L, -1) != LUA_TSTRING) {
			const char *kind = lua_value_kind(L, -1);
			lua_pop(L, 1);
			return fail(e->fail, "request: expected a table of named parameters, got a non-string key (%s)", kind);
		}
		size_t len;
		const char *key = lua_tolstring(L, -1, &len);
		size_t i = 0;
		while (names[i] && !(strlen(names[i]) == len && memcmp(names[i], key, len) == 0))
			i++;
		if (!names[i]) {
			const char *hint = suggest(key, len, names);
			int shown = len > 64 ? 64 : (int)len;
			if (hint)
				fail(e->fail, "unknown field '%.*s' (did you mean '%s'?)", shown, key, hint);
			else
				fail(e->fail, "unknown field '%.*s' for %s", shown, key, op->name);
			lua_pop(L, 1);
			return -1;
		}
	}
	return 0;
}

/* Validate the path or query value at the top of the stack and write it:
 * strings percent-encoded, integers in decimal. A path segment may also be
 * an integer (numeric service IDs), but never empty. */
static int write_param(encoder *e, const param *p, int path_segment)
{
	lua_State *L = e->L;
	int idx = lua_gettop(L);
	int type = lua_type(L, idx);
	if (type == LUA_TSTRING && p->type == T_STRING) {
		const char *s;
		size_t len;
		if (check_string(e, idx, p->allowed, p->enum_name, &s, &len))
			return -1;
		if (path_segment && len == 0)
			return fail(e->fail, "must not be empty");
		if (path_segment && is_dot_segment(s, len))
			return fail(e->fail, "'%.*s' would be sent as a dot segment, which resolves to another endpoint",
				    len > 32 ? 32 : (int)len, s);
		if (len > MAX_PARAM_BYTES)
			return fail(e->fail, "%zu bytes is longer than the %d allowed", len, MAX_PARAM_BYTES);
		percent_encode(e->out, s, len);
		return 0;
	}
	if (type == LUA_TNUMBER && (p->type != T_STRING || path_segment)) {
		long long v;
		if (check_integer(e, idx, p->type == T_STRING ? T_INT64 : p->type, &v))
			return -1;
		buffer_add_int(e->out, v);
		return 0;
	}
	const char *want = p->type != T_STRING ? "integer" : path_segment ? "string or integer" : "string";
	return fail(e->fail, "expected %s, got %s", want, lua_value_kind(L, idx));
}

static const param *find_param(const param *p, const char *name, size_t len)
{
	for (; p->name; p++)
		if (strlen(p->name) == len && memcmp(p->name, name, len) == 0)
			return p;
	return NULL;
}

/* Expand the path template, pushing the path. */
static int build_path(encoder *e, const operation *op)
{
	lua_State *L = e->L;
	const char *t = op->path;
	e->out->len = 0;
	while (*t) {
		const char *open = strchr(t, '{');
		if (!open) {
			buffer_adds(e->out, t);
			break;
		}
		buffer_add(e->out, t, (size_t)(open - t));
		const char *close = strchr(open, '}');
		const param *p = find_param(op->path_params, open + 1, (size_t)(close - open - 1));
		push_param(L, p->name);
		path_enter_name(e->fail, p->name, strlen(p->name));
		int rc = lua_isnil(L, -1) ? fail(e->fail, "required") : write_param(e, p, 1);
		path_leave(e->fail);
		lua_pop(L, 1);
		if (rc)
			return -1;
		t = close + 1;
	}
	lua_pushlstring(L, e->out->data, e->out->len);
	return 0;
}

/* Build the form-encoded query, pushing it (or nil when empty). */
static int build_query(encoder *e, const operation *op)
{
	lua_State *L = e->L;
	e->out->len = 0;
	for (const param *p = op->query_params; p->name; p++) {
		push_param(L, p->name);
		if (lua_isnil(L, -1)) {
			lua_pop(L, 1);
			continue;
		}
		if (e->out->len)
			buffer_addc(e->out, '&');
		percent_encode(e->out, p->name, strlen(p->name));
		buffer_addc(e->out, '=');
		path_enter_name(e->fail, p->name, strlen(p->name));
		int rc = write_param(e, p, 0);
		path_leave(e->fail);
		lua_pop(L, 1);
		if (rc)
			return -1;
	}
	if (e->out->len)
		lua_pushlstring(L, e->out->data, e->out->len);
	else
		lua_pushnil(L);
	return 0;
}

/* Encode the body, pushing it (or nil when the operation has none). */
static int build_body(encoder *e, const operation *op)
{
	lua_State *L = e->L;
	if (!op->body_key) {
		lua_pushnil(L);
		return 0;
	}
	lua_pushstring(L, op->body_key);
	lua_rawget(L, REQUEST);
	int idx = lua_gettop(L);
	path_enter_name(e->fail, op->body_key, strlen(op->body_key));
	int rc = 0;
	e->out->len = 0;
	if (lua_isnil(L, idx)) {
		if (op->body_required)
			rc = fail(e->fail, "required");
	} else {
		rc = encode_object(e, op->body_model, idx);
	}
	if (rc == 0 && e->out->len > MAX_BODY_BYTES)
		rc = fail(e->fail, "the JSON body would be %zu bytes, over the %d allowed", e->out->len, MAX_BODY_BYTES);
	path_leave(e->fail);
	if (rc)
		return -1;
	lua_pop(L, 1);
	if (op->body_required || e->out->len)
		lua_pushlstring(L, e->out->data, e->out->len);
	else
		lua_pushnil(L);
	return 0;
}

/* May this request be sent again when it may have reached the server?
 * The operation's row says (operations.h); a valid request's flag is a
 * boolean when present. */
static int resend_safe(lua_State *L, const operation *op)
{
	if (!op->resend_safe || !op->unsafe_flag)
		return op->resend_safe;
	lua_pushstring(L, op->body_key);
	lua_rawget(L, REQUEST);
	int flagged = 0;
	if (lua_type(L, -1) == LUA_TTABLE) {
		lua_pushstring(L, op->unsafe_flag);
		lua_rawget(L, -2);
		flagged = lua_toboolean(L, -1);
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
	return !flagged;
}

/* nil, { kind = "SDKValidationError", field = …, message = … } */
static int validation_error(lua_State *L, const failure *f)
{
	lua_settop(L, DEFAULTS);
	lua_pushnil(L);
	lua_createtable(L, 0, 3);
	set_string(L, "kind", "SDKValidationError");
	set_string(L, "field", f->field);
	set_string(L, "message", f->message);
	return 2;
}

int core_prepare(lua_State *L)
{
	const char *name = luaL_checkstring(L, 1);
	const operation *op = find_operation(name);
	if (!op)
		return luaL_argerror(L, 1, lua_pushfstring(L, "unknown operation '%s'", name));
	if (!lua_isnoneornil(L, DEFAULTS))
		luaL_checktype(L, DEFAULTS, LUA_TTABLE);
	lua_settop(L, DEFAULTS);

	failure f;
	failure_init(&f);
	if (lua_type(L, REQUEST) != LUA_TTABLE) {
		fail(&f, "request: expected table, got %s", lua_value_kind(L, REQUEST));
		return validation_error(L, &f);
	}
	buffer b;
	buffer_open(&b, L, lua_upvalueindex(1)); /* stack slot DEFAULTS + 1 */
	encoder e = {L, &b, &f};
	lua_pushstring(L, op->method);
	int rc = check_request_keys(&e, op) || build_path(&e, op) || build_query(&e, op) || build_body(&e, op);
	buffer_close(&b);
	if (rc)
		return validation_error(L, &f);
	lua_pushboolean(L, resend_safe(L, op));
	return 5; /* method, path, query, body, resend_safe: above the buffer */
}
