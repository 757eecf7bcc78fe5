/*
 * operations.c - every endpoint of the token-management API at a glance.
 * Source: ../shared/api/token-management.md, section 3 and Appendix A;
 * tokenStatus on list is a project decision (section 10).
 */
#include <string.h>

#include "operations.h"

#define END_PARAMS {NULL, 0, 0, NULL, NULL}

static const param service_only[] = {
	{"serviceId", T_STRING, 1, NULL, NULL},
	END_PARAMS,
};

static const param delete_path[] = {
	{"serviceId", T_STRING, 1, NULL, NULL},
	{"accessTokenIdentifier", T_STRING, 1, NULL, NULL},
	END_PARAMS,
};

/* Written in this order, which is also the SDK's. */
static const param list_query[] = {
	{"clientIdentifier", T_STRING, 0, NULL, NULL},
	{"end", T_INT32, 0, NULL, NULL},
	{"start", T_INT32, 0, NULL, NULL},
	{"subject", T_STRING, 0, NULL, NULL},
	{"tokenStatus", T_STRING, 0, TokenStatus, "TokenStatus"},
	END_PARAMS,
};

static const param no_params[] = {END_PARAMS};

const operation all_operations[] = {
	{"list", "auth_token_get_list_api", "GET", "/api/{serviceId}/auth/token/get/list",
	 service_only, list_query, NULL, NULL, 0, &TokenGetListResponse, {200}, 0, 1, NULL},
	{"create", "auth_token_create_api", "POST", "/api/{serviceId}/auth/token/create",
	 service_only, no_params, "tokenCreateRequest", &TokenCreateRequest, 1,
	 &TokenCreateResponse, {200}, 1, 0, NULL},
	{"update", "auth_token_update_api", "POST", "/api/{serviceId}/auth/token/update",
	 service_only, no_params, "tokenUpdateRequest", &TokenUpdateRequest, 1,
	 &TokenUpdateResponse, {200}, 1, 1, "accessTokenValueUpdated"},
	{"delete", "auth_token_delete_api", "DELETE",
	 "/api/{serviceId}/auth/token/delete/{accessTokenIdentifier}",
	 delete_path, no_params, NULL, NULL, 0, NULL, {204, 200}, 0, 1, NULL},
	{"revoke", "auth_token_revoke_api", "POST", "/api/{serviceId}/auth/token/revoke",
	 service_only, no_params, "tokenRevokeRequest", &TokenRevokeRequest, 1,
	 &TokenRevokeResponse, {200}, 0, 1, NULL},
	{"reissueIdToken", "idtoken_reissue_api", "POST", "/api/{serviceId}/idtoken/reissue",
	 service_only, no_params, "idtokenReissueRequest", &IdtokenReissueRequest, 0,
	 &IdtokenReissueResponse, {200}, 0, 1, NULL},
	{NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL, {0}, 0, 0, NULL},
};

const operation *find_operation(const char *name)
{
	for (const operation *op = all_operations; op->name; op++)
		if (strcmp(op->name, name) == 0)
			return op;
	return NULL;
}
