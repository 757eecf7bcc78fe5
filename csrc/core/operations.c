/*
 * operations.c - every endpoint of the token-management API at a glance.
 * Source: ../shared/api/token-management.md, section 3 and Appendix A;
 * tokenStatus on list is a project decision (section 10).
 */
#include <string.h>

#include "operations.h"

#define END_PARAMS {.name = NULL}

static const param service_only[] = {
	{.name = "serviceId", .type = T_STRING, .required = 1},
	END_PARAMS,
};

static const param delete_path[] = {
	{.name = "serviceId", .type = T_STRING, .required = 1},
	{.name = "accessTokenIdentifier", .type = T_STRING, .required = 1},
	END_PARAMS,
};

/* Written in this order, which is also the SDK's. */
static const param list_query[] = {
	{.name = "clientIdentifier", .type = T_STRING},
	{.name = "end", .type = T_INT32},
	{.name = "start", .type = T_INT32},
	{.name = "subject", .type = T_STRING},
	{.name = "tokenStatus", .type = T_STRING, .allowed = TokenStatus, .enum_name = "TokenStatus"},
	END_PARAMS,
};

static const param no_params[] = {END_PARAMS};

/* Each row a declaration; a field left out is 0 or NULL (no body, no flag). */
const operation all_operations[] = {
	{
		.name = "list", .operation_id = "auth_token_get_list_api",
		.method = "GET", .path = "/api/{serviceId}/auth/token/get/list",
		.path_params = service_only, .query_params = list_query,
		.response_model = &TokenGetListResponse, .success = {200},
		.resend_safe = 1,
	},
	{
		.name = "create", .operation_id = "auth_token_create_api",
		.method = "POST", .path = "/api/{serviceId}/auth/token/create",
		.path_params = service_only, .query_params = no_params,
		.body_key = "tokenCreateRequest", .body_model = &TokenCreateRequest, .body_required = 1,
		.response_model = &TokenCreateResponse, .success = {200},
		.action_must_be_ok = 1,
		.resend_safe = 0, /* a second arrival mints a second token */
	},
	{
		.name = "update", .operation_id = "auth_token_update_api",
		.method = "POST", .path = "/api/{serviceId}/auth/token/update",
		.path_params = service_only, .query_params = no_params,
		.body_key = "tokenUpdateRequest", .body_model = &TokenUpdateRequest, .body_required = 1,
		.response_model = &TokenUpdateResponse, .success = {200},
		.action_must_be_ok = 1,
		.resend_safe = 1, .unsafe_flag = "accessTokenValueUpdated",
	},
	{
		.name = "delete", .operation_id = "auth_token_delete_api",
		.method = "DELETE", .path = "/api/{serviceId}/auth/token/delete/{accessTokenIdentifier}",
		.path_params = delete_path, .query_params = no_params,
		.response_model = NULL, .success = {204, 200}, /* no body */
		.resend_safe = 1,
	},
	{
		.name = "revoke", .operation_id = "auth_token_revoke_api",
		.method = "POST", .path = "/api/{serviceId}/auth/token/revoke",
		.path_params = service_only, .query_params = no_params,
		.body_key = "tokenRevokeRequest", .body_model = &TokenRevokeRequest, .body_required = 1,
		.response_model = &TokenRevokeResponse, .success = {200},
		.resend_safe = 1,
	},
	{
		.name = "reissueIdToken", .operation_id = "idtoken_reissue_api",
		.method = "POST", .path = "/api/{serviceId}/idtoken/reissue",
		.path_params = service_only, .query_params = no_params,
		.body_key = "idtokenReissueRequest", .body_model = &IdtokenReissueRequest, .body_required = 0,
		.response_model = &IdtokenReissueResponse, .success = {200},
		.resend_safe = 1,
	},
	{.name = NULL},
};

const operation *find_operation(const char *name)
{
	for (const operation *op = all_operations; op->name; op++)
		if (strcmp(op->name, name) == 0)
			return op;
	return NULL;
}
