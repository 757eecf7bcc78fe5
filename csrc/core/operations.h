/*
 * operations.h - how an API operation is declared: one row per endpoint.
 */
#ifndef AUTHLETE_OPERATIONS_H
#define AUTHLETE_OPERATIONS_H

#include "models.h"

/* A path or query parameter. */
typedef struct param {
	const char *name;
	unsigned char type;         /* T_STRING, T_INT32 or T_INT64 */
	unsigned char required;
	const char *const *allowed; /* enum values, NULL-terminated, or NULL */
	const char *enum_name;
} param;

typedef struct operation {
	const char *name;           /* the Lua method: client.token.management.<name> */
	const char *operation_id;   /* Authlete's operationID */
	const char *method;         /* GET, POST, DELETE */
	const char *path;           /* template; {name} is a path parameter */
	const param *path_params;   /* NULL-name terminated */
	const param *query_params;  /* in the order they are written; NULL-name terminated */
	const char *body_key;       /* request key that holds the body, or NULL */
	const model *body_model;
	int body_required;
	const model *response_model; /* NULL: no body (delete) */
	int success[3];             /* success statuses, 0-terminated */
	int action_must_be_ok;      /* a 200 whose action is not OK is an error */
	/* May the request be sent again when it may have reached the server
	 * (a retry, or libcurl's resend on a fresh connection)? Never for one
	 * whose second arrival does something the first did not: create mints
	 * a second token. With `unsafe_flag` it is unsafe only when that
	 * boolean of the body is true (update with accessTokenValueUpdated
	 * gives the token another new value). */
	int resend_safe;
	const char *unsafe_flag;
} operation;

/* Every operation, terminated by a row whose name is NULL. */
extern const operation all_operations[];

/* The operation called `name`, or NULL. */
const operation *find_operation(const char *name);

#endif
