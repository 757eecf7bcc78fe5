/*
 * describe.c - core.operations() and core.models(): the declared tables as
 * Lua data, so the Lua layer builds its namespaces and docs from them
 * instead of repeating them.
 */
#include <string.h>

#include "core.h"
#include "operations.h"

void set_string(lua_State *L, const char *key, const char *value)
{
	lua_pushstring(L, value);
	lua_setfield(L, -2, key);
}

void set_lstring(lua_State *L, const char *key, const char *value, size_t len)
{
	lua_pushlstring(L, value, len);
	lua_setfield(L, -2, key);
}

void set_integer(lua_State *L, const char *key, long long value)
{
	lua_pushinteger(L, (lua_Integer)value);
	lua_setfield(L, -2, key);
}

static void set_boolean(lua_State *L, const char *key, int value)
{
	lua_pushboolean(L, value);
	lua_setfield(L, -2, key);
}

static void set_list(lua_State *L, const char *key, const char *const *values)
{
	lua_newtable(L);
	for (int i = 0; values[i]; i++) {
		lua_pushstring(L, values[i]);
		lua_rawseti(L, -2, i + 1);
	}
	lua_setfield(L, -2, key);
}

static void push_params(lua_State *L, const param *p)
{
	lua_newtable(L);
	for (int i = 0; p[i].name; i++) {
		lua_createtable(L, 0, 4);
		set_string(L, "name", p[i].name);
		set_string(L, "type", type_name(p[i].type));
		set_boolean(L, "required", p[i].required);
		if (p[i].allowed) {
			set_list(L, "enum", p[i].allowed);
			set_string(L, "enumName", p[i].enum_name);
		}
		lua_rawseti(L, -2, i + 1);
	}
}

/* core.operations() -> { { name, operationId, method, path, pathParams,
 * queryParams, bodyKey, bodyModel, bodyRequired, responseModel, success,
 * actionMustBeOk, resendSafe, unsafeFlag }, … }
 * in declared order. */
int core_operations(lua_State *L)
{
	lua_newtable(L);
	int n = 0;
	for (const operation *op = all_operations; op->name; op++) {
		lua_createtable(L, 0, 12);
		set_string(L, "name", op->name);
		set_string(L, "operationId", op->operation_id);
		set_string(L, "method", op->method);
		set_string(L, "path", op->path);
		push_params(L, op->path_params);
		lua_setfield(L, -2, "pathParams");
		push_params(L, op->query_params);
		lua_setfield(L, -2, "queryParams");
		if (op->body_key) {
			set_string(L, "bodyKey", op->body_key);
			set_string(L, "bodyModel", op->body_model->name);
			set_boolean(L, "bodyRequired", op->body_required);
		}
		if (op->response_model)
			set_string(L, "responseModel", op->response_model->name);
		lua_newtable(L);
		for (int i = 0; i < 3 && op->success[i]; i++) {
			lua_pushinteger(L, op->success[i]);
			lua_rawseti(L, -2, i + 1);
		}
		lua_setfield(L, -2, "success");
		set_boolean(L, "actionMustBeOk", op->action_must_be_ok);
		set_boolean(L, "resendSafe", op->resend_safe);
		if (op->unsafe_flag)
			set_string(L, "unsafeFlag", op->unsafe_flag);
		lua_rawseti(L, -2, ++n);
	}
	return 1;
}

/* core.models() -> { ModelName = { name, oneOf?, fields = { { name, type,
 * elem?, model?, required, enum?, enumName? }, … } }, … } */
int core_models(lua_State *L)
{
	lua_newtable(L);
	for (const model *const *mp = all_models; *mp; mp++) {
		const model *m = *mp;
		lua_createtable(L, 0, 3);
		set_string(L, "name", m->name);
		if (m->one_of)
			set_list(L, "oneOf", m->one_of);
		lua_createtable(L, (int)m->nfields, 0);
		for (size_t i = 0; i < m->nfields; i++) {
			const field *f = &m->fields[i];
			lua_createtable(L, 0, 6);
			set_string(L, "name", f->name);
			set_string(L, "type", type_name(f->type));
			if (f->type == T_ARRAY)
				set_string(L, "elem", type_name(f->elem));
			if (f->model)
				set_string(L, "model", f->model->name);
			set_boolean(L, "required", (f->flags & F_REQUIRED) != 0);
			if (f->allowed) {
				set_list(L, "enum", f->allowed);
				set_string(L, "enumName", f->enum_name);
			}
			lua_rawseti(L, -2, (int)i + 1);
		}
		lua_setfield(L, -2, "fields");
		lua_setfield(L, -2, m->name);
	}
	return 1;
}
