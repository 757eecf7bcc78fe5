/*
 * parse.c - core.parse(op, status, content_type, body):
 * an HTTP answer -> the result table, or nil and error details.
 *
 *   success status, JSON that fits the model   -> the typed result (delete: true)
 *   success status, JSON that does not fit     -> ResponseValidationError (field named)
 *   create/update 200 whose action is not OK   -> ResultError (statusCode 200, action)
 *   4XX/5XX with Authlete's JSON error body    -> ResultError (resultCode, resultMessage, action)
 *   anything else                              -> AuthleteDefaultError
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core.h"
#include "decode.h"
#include "operations.h"

/* application/json, or any type/subtype+json, with or without parameters. */
static int is_json(const char *ct, size_t len)
{
	size_t end = 0;
	while (end < len && ct[end] != ';' && ct[end] != ' ' && ct[end] != '\t')
		end++;
	static const char aj[] = "application/json";
	if (end == sizeof aj - 1 && strncasecmp(ct, aj, end) == 0)
		return 1;
	return end > 5 && strncasecmp(ct + end - 5, "+json", 5) == 0;
}

static int is_success(const operation *op, lua_Integer status)
{
	for (int i = 0; i < 3 && op->success[i]; i++)
		if (op->success[i] == status)
			return 1;
	return 0;
}

/* The error table common to HTTP errors: kind, operation, statusCode,
 * contentType, body, message. Leaves it on the stack. */
static void push_http_error(lua_State *L, const char *kind, const operation *op, lua_Integer status,
			    const char *ct, size_t ctlen, const char *body, size_t bodylen,
			    const char *message)
{
	lua_createtable(L, 0, 8);
	set_string(L, "kind", kind);
	set_string(L, "operation", op->name);
	set_integer(L, "statusCode", (long long)status);
	if (ct)
		set_lstring(L, "contentType", ct, ctlen);
	set_lstring(L, "body", body, bodylen);
	set_string(L, "message", message);
}

/* Copy resultCode, resultMessage and action from the table at src (if they
 * are strings) into the table at the top. */
static void copy_result_fields(lua_State *L, int src)
{
	static const char *const names[] = {"resultCode", "resultMessage", "action"};
	for (int i = 0; i < 3; i++) {
		lua_pushstring(L, names[i]);
		lua_pushstring(L, names[i]);
		lua_rawget(L, src);
		if (lua_type(L, -1) == LUA_TSTRING)
			lua_rawset(L, -3);
		else
			lua_pop(L, 2);
	}
}

static int string_field(lua_State *L, int idx, const char *name)
{
	lua_pushstring(L, name);
	lua_rawget(L, idx);
	int yes = lua_type(L, -1) == LUA_TSTRING;
	lua_pop(L, 1);
	return yes;
}

static const char *field_text(lua_State *L, int idx, const char *name)
{
	lua_pushstring(L, name);
	lua_rawget(L, idx);
	const char *s = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
	lua_pop(L, 1); /* still referenced by the table, so s stays valid */
	return s;
}

static int authlete_default_error(lua_State *L, const operation *op, lua_Integer status,
				  const char *ct, size_t ctlen, const char *body, size_t bodylen,
				  int success)
{
	char message[160];
	if (success)
		snprintf(message, sizeof message, "%s answered HTTP %lld with content type %.60s, not JSON",
			 op->name, (long long)status, ct ? ct : "(none)");
	else
		snprintf(message, sizeof message, "%s answered HTTP %lld%s%.60s", op->name,
			 (long long)status, ct ? " " : "", ct ? ct : "");
	lua_pushnil(L);
	push_http_error(L, "AuthleteDefaultError", op, status, ct, ctlen, body, bodylen, message);
	return 2;
}

int core_parse(lua_State *L)
{
	const char *name = luaL_checkstring(L, 1);
	const operation *op = find_operation(name);
	if (!op)
		return luaL_argerror(L, 1, lua_pushfstring(L, "unknown operation '%s'", name));
	lua_Integer status = luaL_checkinteger(L, 2);
	size_t ctlen = 0, bodylen = 0;
	const char *ct = luaL_optlstring(L, 3, NULL, &ctlen);
	const char *body = luaL_optlstring(L, 4, "", &bodylen);
	lua_settop(L, 4);
	/* The stack from here: the four arguments, then the scratch buffer in
	 * slot 5 while decoding; once it is closed and removed, the decoded
	 * table takes that slot. */
	enum { SCRATCH = 5, RESULT = 5 };

	int success = is_success(op, status);
	if (success && !op->response_model) { /* delete: the body is ignored */
		lua_pushboolean(L, 1);
		return 1;
	}
	/* A missing Content-Type is given the benefit of the doubt. */
	int json = !ct || is_json(ct, ctlen);
	if (!json || (!success && (status < 400 || status > 599)))
		return authlete_default_error(L, op, status, ct, ctlen, body, bodylen, success);

	failure f;
	failure_init(&f);
	buffer scratch;
	buffer_open(&scratch, L, lua_upvalueindex(1)); /* at SCRATCH */
	decoder d = {L, NULL, NULL, NULL, &scratch, &f, 0, lua_upvalueindex(2), 0};
	const model *m = success ? op->response_model : &ResultError;
	int rc = decode_document(&d, m, body, bodylen);
	buffer_close(&scratch);
	lua_remove(L, SCRATCH); /* the decoded table (when rc is 0) moves to RESULT */

	if (!success) { /* 4XX/5XX: a ResultError when the body is Authlete's */
		if (rc || !string_field(L, RESULT, "resultCode") || !string_field(L, RESULT, "resultMessage"))
			return authlete_default_error(L, op, status, ct, ctlen, body, bodylen, 0);
		lua_pushnil(L);
		push_http_error(L, "ResultError", op, status, ct, ctlen, body, bodylen,
				field_text(L, RESULT, "resultMessage"));
		copy_result_fields(L, RESULT);
		lua_pushvalue(L, RESULT); /* every field the server sent, known or not */
		lua_setfield(L, -2, "data");
		return 2;
	}
	if (rc) {
		lua_pushnil(L);
		/* the whole body: the Lua layer scrubs secrets, then keeps an excerpt */
		push_http_error(L, "ResponseValidationError", op, status, ct, ctlen, body, bodylen, f.message);
		set_string(L, "field", f.field);
		return 2;
	}
	if (op->action_must_be_ok) {
		const char *action = field_text(L, RESULT, "action");
		if (action && strcmp(action, "OK") != 0) {
			const char *msg = field_text(L, RESULT, "resultMessage");
			char fallback[96];
			if (!msg) {
				snprintf(fallback, sizeof fallback, "%s answered HTTP 200 with action %.40s",
					 op->name, action);
				msg = fallback;
			}
			lua_pushnil(L);
			push_http_error(L, "ResultError", op, status, ct, ctlen, body, bodylen, msg);
			copy_result_fields(L, RESULT);
			lua_pushvalue(L, RESULT);
			lua_setfield(L, -2, "data");
			return 2;
		}
	}
	return 1;
}
