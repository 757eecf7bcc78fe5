/*
 * lsession.c - curl.session(): one reusable libcurl easy handle as Lua
 * userdata, its options, and request/perform/result/close.
 *
 *   local s = curl.session{ ssl_verify = true, max_response_bytes = … }
 *   local status, headers, body = s:request{ method = "POST", url = "…", headers = {…}, body = "…" }
 *   -- or nil, kind, message, sent
 *   s:close()
 *
 * Misuse (wrong argument types, header injection, a non-http URL) raises;
 * failures of the network or the server are returned.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "headers.h"
#include "lcurl.h"

/* The userdata at idx if its metatable is the one at mt; raises otherwise. */
void *check_udata(lua_State *L, int idx, int mt, const char *expected)
{
	void *p = lua_touserdata(L, idx);
	if (!p || !lua_getmetatable(L, idx))
		luaL_argerror(L, idx, expected);
	int ok = lua_rawequal(L, -1, mt);
	lua_pop(L, 1);
	if (!ok)
		luaL_argerror(L, idx, expected);
	return p;
}

lsession *check_session(lua_State *L, int idx)
{
	return check_udata(L, idx, SESSION_MT, "authlete.curl session expected");
}

static lsession *open_session(lua_State *L)
{
	lsession *ls = check_session(L, 1);
	if (ls->closed)
		luaL_error(L, "attempt to use a closed session");
	return ls;
}

/* ------------------------------------------------------------- options */

/* t[key] as a string without NUL, malloc'd; NULL when absent. Raises otherwise. */
static char *string_option(lua_State *L, int t, const char *key)
{
	lua_getfield(L, t, key);
	char *out = NULL;
	if (!lua_isnil(L, -1)) {
		size_t len;
		const char *s = lua_type(L, -1) == LUA_TSTRING ? lua_tolstring(L, -1, &len) : NULL;
		if (!s || memchr(s, '\0', len))
			luaL_error(L, "option '%s' must be a string without NUL bytes", key);
		out = strdup(s);
		if (!out)
			luaL_error(L, "out of memory");
	}
	lua_pop(L, 1);
	return out;
}

static long long positive_option(lua_State *L, int t, const char *key, long long fallback)
{
	lua_getfield(L, t, key);
	long long v = fallback;
	if (!lua_isnil(L, -1)) {
		lua_Number n = lua_type(L, -1) == LUA_TNUMBER ? lua_tonumber(L, -1) : -1;
		/* range first: converting 1e300, inf or NaN to an integer is undefined */
		if (!(n >= 1 && n <= MAX_OPTION) || n != floor(n))
			luaL_error(L, "option '%s' must be a positive integer up to 2^31 - 1", key);
		v = (long long)n;
	}
	lua_pop(L, 1);
	return v;
}

static void check_known_keys(lua_State *L, int t, const char *const *known, const char *what)
{
	lua_pushnil(L);
	while (lua_next(L, t)) {
		lua_pop(L, 1);
		const char *k = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
		const char *const *n = known;
		while (k && *n && strcmp(*n, k) != 0)
			n++;
		if (!k || !*n)
			luaL_error(L, "unknown %s '%s'", what, k ? k : luaL_typename(L, -1));
	}
}

static const char *const SESSION_OPTIONS[] = {
	"ssl_verify", "ca_file", "ca_path", "proxy", "no_proxy", "max_response_bytes", "connect_timeout_ms",
	"user_agent", NULL,
};

/* curl.session([options]) -> session */
int l_session(lua_State *L)
{
	if (!lua_isnoneornil(L, 1))
		luaL_checktype(L, 1, LUA_TTABLE);
	else {
		lua_settop(L, 0);
		lua_newtable(L);
	}
	lua_settop(L, 1);
	check_known_keys(L, 1, SESSION_OPTIONS, "option");
	if (session_global_init())
		return luaL_error(L, "curl_global_init failed");

	lsession *ls = lua_newuserdata(L, sizeof *ls);
	memset(ls, 0, sizeof *ls);
	session_init(&ls->s);
	ls->closed = 1; /* until the options are in: __gc then has nothing to free */
	ls->body_ref = LUA_NOREF;
	lua_pushvalue(L, SESSION_MT);
	lua_setmetatable(L, -2);

	lua_getfield(L, 1, "ssl_verify");
	if (!lua_isnil(L, -1) && lua_type(L, -1) != LUA_TBOOLEAN)
		return luaL_error(L, "option 'ssl_verify' must be a boolean");
	/* Verification is on unless explicitly turned off. */
	ls->s.opt.ssl_verify = lua_isnil(L, -1) || lua_toboolean(L, -1);
	lua_pop(L, 1);
	ls->closed = 0;
	ls->s.opt.ca_file = string_option(L, 1, "ca_file");
	ls->s.opt.ca_path = string_option(L, 1, "ca_path");
	ls->s.opt.proxy = string_option(L, 1, "proxy");
	ls->s.opt.no_proxy = string_option(L, 1, "no_proxy");
	ls->s.opt.user_agent = string_option(L, 1, "user_agent");
	ls->s.opt.max_response_bytes =
		(size_t)positive_option(L, 1, "max_response_bytes", (long long)ls->s.opt.max_response_bytes);
	ls->s.opt.connect_timeout_ms = (long)positive_option(L, 1, "connect_timeout_ms", 10000);
	return 1;
}

/* ------------------------------------------------------------- requests */

static int is_token_char(unsigned char c)
{
	return isalnum(c) || strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/* A header field name must be a token; a value must hold no CR, LF or NUL. */
static void check_header(lua_State *L, const char *name, size_t nlen, const char *value, size_t vlen)
{
	if (nlen == 0)
		luaL_error(L, "header name must not be empty");
	for (size_t i = 0; i < nlen; i++)
		if (!is_token_char((unsigned char)name[i]))
			luaL_error(L, "header name '%s' contains a character that is not allowed", name);
	for (size_t i = 0; i < vlen; i++)
		if (value[i] == '\r' || value[i] == '\n' || value[i] == '\0')
			luaL_error(L, "header '%s' has a value containing CR, LF or NUL", name);
}

static const char *const REQUEST_FIELDS[] = {
	"method", "url", "headers", "body", "timeout_ms", "connect_timeout_ms", "idempotent", NULL,
};

/* POST and PATCH are not idempotent unless the caller says so (RFC 9110 9.2.2). */
static int idempotent_by_default(const char *method)
{
	return strcmp(method, "POST") != 0 && strcmp(method, "PATCH") != 0;
}

/* Does the session's header list already hold exactly the lines of the
 * headers table at h? Clients send the same headers call after call, so the
 * list (and its mallocs) is reused then. */
static int same_headers(lua_State *L, int h, const struct curl_slist *list)
{
	const struct curl_slist *node = list ? list->next : NULL; /* after "Expect:" */
	if (!list)
		return 0;
	if (lua_isnil(L, h))
		return node == NULL;
	char line[1024];
	lua_pushnil(L);
	while (lua_next(L, h)) {
		size_t nl = 0, vl = 0;
		const char *n = lua_type(L, -2) == LUA_TSTRING ? lua_tolstring(L, -2, &nl) : NULL;
		const char *v = lua_type(L, -1) == LUA_TSTRING ? lua_tolstring(L, -1, &vl) : NULL;
		lua_pop(L, 1);
		if (!n || !v || !node || nl + vl + 3 > sizeof line) {
			lua_pop(L, 1);
			return 0;
		}
		memcpy(line, n, nl);
		line[nl] = ':';
		line[nl + 1] = ' ';
		memcpy(line + nl + 2, v, vl);
		line[nl + 2 + vl] = '\0';
		if (strcmp(node->data, line) != 0) {
			lua_pop(L, 1);
			return 0;
		}
		node = node->next;
	}
	return node == NULL;
}

/* Append "name: value" to *list (malloc only: no Lua allocation, so no
 * finalizer can run while the list is half built). -1 when out of memory. */
static int append_header(struct curl_slist **list, const char *n, size_t nl, const char *v, size_t vl)
{
	char small[512];
	char *line = nl + vl + 3 <= sizeof small ? small : malloc(nl + vl + 3);
	if (!line)
		return -1;
	memcpy(line, n, nl);
	line[nl] = ':';
	line[nl + 1] = ' ';
	memcpy(line + nl + 2, v, vl);
	line[nl + 2 + vl] = '\0';
	struct curl_slist *next = curl_slist_append(*list, line);
	if (line != small)
		free(line);
	if (!next)
		return -1;
	*list = next;
	return 0;
}

/* The header list for the headers table at h (or nil): every name/value
 * line plus "Expect:" (no 100-continue round trip before POST bodies).
 * Everything is validated before anything is allocated; the session owns
 * the list until the next request, so a Lua error never leaks it. */
struct curl_slist *build_headers(lua_State *L, lsession *ls, int h)
{
	if (!lua_isnil(L, h) && lua_type(L, h) != LUA_TTABLE)
		luaL_error(L, "request field 'headers' must be a table");
	if (same_headers(L, h, ls->headers))
		return ls->headers;
	if (lua_istable(L, h)) {
		lua_pushnil(L);
		while (lua_next(L, h)) {
			if (lua_type(L, -2) != LUA_TSTRING || lua_type(L, -1) != LUA_TSTRING)
				luaL_error(L, "request headers must map names to strings");
			size_t nl, vl;
			const char *n = lua_tolstring(L, -2, &nl);
			const char *v = lua_tolstring(L, -1, &vl);
			check_header(L, n, nl, v, vl);
			lua_pop(L, 1);
		}
	}
	curl_slist_free_all(ls->headers);
	ls->headers = curl_slist_append(NULL, "Expect:");
	int oom = !ls->headers;
	if (lua_istable(L, h)) {
		lua_pushnil(L);
		while (!oom && lua_next(L, h)) {
			size_t nl, vl;
			const char *n = lua_tolstring(L, -2, &nl); /* both strings: checked above */
			const char *v = lua_tolstring(L, -1, &vl);
			oom = append_header(&ls->headers, n, nl, v, vl);
			lua_pop(L, 1);
		}
		if (oom)
			lua_pop(L, 1); /* the key lua_next left */
	}
	if (oom) {
		curl_slist_free_all(ls->headers);
		ls->headers = NULL;
		luaL_error(L, "out of memory");
	}
	return ls->headers;
}

static int is_http_url(const char *url)
{
	return strncasecmp(url, "http://", 7) == 0 || strncasecmp(url, "https://", 8) == 0;
}

static const char *const KINDS[] = {
	"", "connect", "timeout", "tls", "too_large", "protocol", "aborted", "other",
};

static void check_method_url(lua_State *L, request *r, size_t url_len)
{
	for (const char *c = r->method; *c; c++)
		if (*c < 'A' || *c > 'Z')
			luaL_error(L, "request method '%s' must be upper-case letters", r->method);
	if (!is_http_url(r->url) || strlen(r->url) != url_len || strpbrk(r->url, " \r\n\t"))
		luaL_error(L, "request url must be an http:// or https:// URL without spaces or control characters");
}

/* One answer on its way into Lua, owned by the call that pushes it. */
typedef struct answer {
	bytes head, body;
	lua_Integer status;
} answer;

/* Run by lua_pcall from push_outcome: status, headers, body. */
int push_answer(lua_State *L)
{
	const answer *a = lua_touserdata(L, 1);
	lua_pushinteger(L, a->status);
	headers_push_table(L, a->head.data ? a->head.data : "", a->head.len);
	lua_pushlstring(L, a->body.data ? a->body.data : "", a->body.len);
	return 3;
}

/* A buffer an answer borrowed goes back to the session for the next
 * transfer, unless the session has one again (or was closed meanwhile). */
static void give_back(lsession *ls, bytes *mine, bytes *borrowed)
{
	if (!ls->closed && !mine->data) {
		*mine = *borrowed;
		mine->len = 0;
	} else {
		free(borrowed->data);
	}
}

/* Push a transfer's results: status, headers (a table), body, or nil, kind,
 * message, sent.
 * Pushing allocates, so a finalizer may run meanwhile and start another
 * transfer on this very session: the answer is first taken out of the
 * session (the session starts the next one in fresh buffers), and the
 * pushes run under lua_pcall so the buffers are always given back. */
int push_outcome(lua_State *L, lsession *ls, outcome out)
{
	if (out.failed != FAIL_NONE) {
		char message[CURL_ERROR_SIZE + 128]; /* it may point into the session */
		snprintf(message, sizeof message, "%s", out.message ? out.message : "transfer failed");
		lua_pushnil(L);
		lua_pushstring(L, KINDS[out.failed]);
		lua_pushstring(L, message);
		lua_pushboolean(L, out.sent);
		return 4;
	}
	answer a = {ls->s.head, ls->s.body, (lua_Integer)out.status};
	memset(&ls->s.head, 0, sizeof ls->s.head);
	memset(&ls->s.body, 0, sizeof ls->s.body);
	lua_pushvalue(L, PUSH_ANSWER);
	lua_pushlightuserdata(L, &a);
	int rc = lua_pcall(L, 1, 3, 0);
	give_back(ls, &ls->s.head, &a.head);
	give_back(ls, &ls->s.body, &a.body);
	if (rc != 0)
		return lua_error(L);
	return 3;
}

/* Perform r (headers table at index h) and push the results. */
static int perform(lua_State *L, lsession *ls, request *r, int h)
{
	if (ls->closed) /* by a metamethod or finalizer while the arguments were read */
		return luaL_error(L, "attempt to use a closed session");
	if (ls->multi)
		return luaL_error(L, "the session has a transfer running on a multi handle");
	r->headers = build_headers(L, ls, h);
	ls->s.conns = &ls->s.own; /* this handle's own connections */
	return push_outcome(L, ls, session_perform(&ls->s, r));
}

/* session:request{ method, url, headers, body, timeout_ms, connect_timeout_ms, idempotent }
 * -> status, headers, body | nil, kind, message, sent */
static int l_request(lua_State *L)
{
	lsession *ls = open_session(L);
	luaL_checktype(L, 2, LUA_TTABLE);
	lua_settop(L, 2);
	check_known_keys(L, 2, REQUEST_FIELDS, "request field");

	request r;
	lua_getfield(L, 2, "method");
	if (!lua_isnil(L, -1) && lua_type(L, -1) != LUA_TSTRING)
		return luaL_error(L, "request field 'method' must be a string");
	r.method = lua_isnil(L, -1) ? "GET" : lua_tostring(L, -1);
	lua_getfield(L, 2, "url");
	size_t url_len;
	r.url = lua_type(L, -1) == LUA_TSTRING ? lua_tolstring(L, -1, &url_len) : NULL;
	if (!r.url)
		return luaL_error(L, "request field 'url' must be a string");
	check_method_url(L, &r, url_len);
	lua_getfield(L, 2, "body");
	r.body = NULL;
	r.body_len = 0;
	if (!lua_isnil(L, -1)) {
		if (lua_type(L, -1) != LUA_TSTRING)
			return luaL_error(L, "request field 'body' must be a string");
		r.body = lua_tolstring(L, -1, &r.body_len); /* pinned: the stack holds it */
	}
	lua_getfield(L, 2, "idempotent");
	if (!lua_isnil(L, -1) && lua_type(L, -1) != LUA_TBOOLEAN)
		return luaL_error(L, "request field 'idempotent' must be a boolean");
	r.idempotent = lua_isnil(L, -1) ? idempotent_by_default(r.method) : lua_toboolean(L, -1);
	r.timeout_ms = (long)positive_option(L, 2, "timeout_ms", 30000);
	r.connect_timeout_ms = (long)positive_option(L, 2, "connect_timeout_ms", ls->s.opt.connect_timeout_ms);
	lua_getfield(L, 2, "headers");
	return perform(L, ls, &r, lua_gettop(L));
}

/* Read (method, url, headers, body, timeout_ms, connect_timeout_ms,
 * idempotent) from stack index `at` on; the headers table is at at + 2. */
void positional_request(lua_State *L, lsession *ls, int at, request *r)
{
	size_t url_len;
	r->method = luaL_checkstring(L, at);
	r->url = luaL_checklstring(L, at + 1, &url_len);
	check_method_url(L, r, url_len);
	r->body = luaL_optlstring(L, at + 3, NULL, &r->body_len);
	if (!r->body)
		r->body_len = 0;
	lua_Integer timeout = luaL_optinteger(L, at + 4, 30000);
	lua_Integer connect_timeout = luaL_optinteger(L, at + 5, ls->s.opt.connect_timeout_ms);
	luaL_argcheck(L, timeout > 0 && timeout <= (lua_Integer)MAX_OPTION && connect_timeout > 0 &&
			      connect_timeout <= (lua_Integer)MAX_OPTION,
		      at + 4, "timeouts must be positive integers up to 2^31 - 1");
	r->timeout_ms = (long)timeout;
	r->connect_timeout_ms = (long)connect_timeout;
	r->idempotent = lua_isnoneornil(L, at + 6) ? idempotent_by_default(r->method) : lua_toboolean(L, at + 6);
	lua_settop(L, at + 6);
}

/* session:perform(method, url, headers, body, timeout_ms, connect_timeout_ms, idempotent)
 * -> status, headers, body | nil, kind, message, sent:
 * request{} with positional arguments, for callers on a hot path (the
 * client's transport) that would otherwise build a table per call. */
static int l_perform(lua_State *L)
{
	lsession *ls = open_session(L);
	request r;
	positional_request(L, ls, 2, &r);
	return perform(L, ls, &r, 4);
}

/* session:result() -> the finished multi transfer's results (as perform
 * returns them), or nothing while it is still running. */
static int l_result(lua_State *L)
{
	lsession *ls = open_session(L);
	if (!ls->finished)
		return 0;
	ls->finished = 0;
	return push_outcome(L, ls, ls->result);
}

/* close(), __gc and __close: one idempotent function. */
static int l_close(lua_State *L)
{
	lsession *ls = check_session(L, 1);
	if (!ls->closed) {
		ls->closed = 1;
		detach(L, ls); /* a transfer running on a multi handle */
		curl_slist_free_all(ls->headers);
		ls->headers = NULL;
		session_close(&ls->s);
	}
	return 0;
}

static int l_tostring(lua_State *L)
{
	lsession *ls = check_session(L, 1);
	lua_pushfstring(L, "authlete.curl session (%s): %p", ls->closed ? "closed" : "open", (void *)ls);
	return 1;
}

const luaL_Reg session_methods[] = {
	{"request", l_request},
	{"perform", l_perform},
	{"result", l_result},
	{"close", l_close},
	{NULL, NULL},
};

const luaL_Reg session_meta[] = {
	{"__gc", l_close},
	{"__close", l_close},
	{"__tostring", l_tostring},
	{NULL, NULL},
};
