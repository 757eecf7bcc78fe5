/*
 * models.c - every model of the token-management API, one row per field,
 * in the SDK's schema order (which is also the order bodies are written in).
 * Source: ../shared/api/token-management.md, sections 4, 5 and Appendix A.
 */
#include <string.h>

#include "models.h"

/* ------------------------------------------------------------------ enums */

const char *const GrantType[] = {
	"AUTHORIZATION_CODE", "IMPLICIT", "PASSWORD", "CLIENT_CREDENTIALS", "REFRESH_TOKEN",
	"CIBA", "DEVICE_CODE", "TOKEN_EXCHANGE", "JWT_BEARER", "PRE_AUTHORIZED_CODE", NULL,
};
const char *const TokenStatus[] = {"VALID", "INVALID", "ALL", NULL};
static const char *const TokenCreateResponseAction[] = {
	"INTERNAL_SERVER_ERROR", "BAD_REQUEST", "FORBIDDEN", "OK", NULL,
};
static const char *const TokenUpdateResponseAction[] = {
	"INTERNAL_SERVER_ERROR", "BAD_REQUEST", "FORBIDDEN", "NOT_FOUND", "OK", NULL,
};
static const char *const IdtokenReissueResponseAction[] = {
	"OK", "INTERNAL_SERVER_ERROR", "CALLER_ERROR", NULL,
};
static const char *const ClientType[] = {"PUBLIC", "CONFIDENTIAL", NULL};
static const char *const IdTokenAudType[] = {"array", "string", NULL};

/* ------------------------------------------------------------ row helpers */

#define ROW(n, type, elem, flags, model, allowed, enum_name) \
	{n, sizeof(n) - 1, type, elem, flags, model, allowed, enum_name}
#define STRING(n)       ROW(n, T_STRING, 0, 0, NULL, NULL, NULL)
#define STRING_REQ(n)   ROW(n, T_STRING, 0, F_REQUIRED, NULL, NULL, NULL)
#define ENUM(n, e)      ROW(n, T_STRING, 0, 0, NULL, e, #e)
#define ENUM_REQ(n, e)  ROW(n, T_STRING, 0, F_REQUIRED, NULL, e, #e)
#define INT64(n)        ROW(n, T_INT64, 0, 0, NULL, NULL, NULL)
#define INT32(n)        ROW(n, T_INT32, 0, 0, NULL, NULL, NULL)
#define BOOLEAN(n)      ROW(n, T_BOOLEAN, 0, 0, NULL, NULL, NULL)
#define JSONSTR(n)      ROW(n, T_JSONSTR, 0, 0, NULL, NULL, NULL)
#define OBJECT(n, m)    ROW(n, T_OBJECT, 0, 0, &m, NULL, NULL)
#define STRINGS(n)      ROW(n, T_ARRAY, T_STRING, 0, NULL, NULL, NULL)
#define OBJECTS(n, m)   ROW(n, T_ARRAY, T_OBJECT, 0, &m, NULL, NULL)

/* The encoder keeps one bit per field: a model of more than 64 fields does
 * not compile (negative array size) instead of misbehaving. */
#define MODEL(m, one_of) \
	typedef char m##_has_at_most_64_fields[sizeof m##_fields / sizeof m##_fields[0] <= 64 ? 1 : -1]; \
	const model m = {#m, m##_fields, sizeof m##_fields / sizeof m##_fields[0], one_of}

/* ------------------------------------------------------- shared sub-models */

static const field Property_fields[] = {
	STRING("key"), STRING("value"), BOOLEAN("hidden"),
};
MODEL(Property, NULL);

static const field TaggedValue_fields[] = {
	STRING("tag"), STRING("value"),
};
MODEL(TaggedValue, NULL);

static const field AuthorizationDetailsElement_fields[] = {
	STRING_REQ("type"), STRINGS("locations"), STRINGS("actions"), STRINGS("dataTypes"),
	STRING("identifier"), STRINGS("privileges"), JSONSTR("otherFields"),
};
MODEL(AuthorizationDetailsElement, NULL);

static const field AuthzDetails_fields[] = {
	OBJECTS("elements", AuthorizationDetailsElement),
};
MODEL(AuthzDetails, NULL);

/* ------------------------------------------------------------------ create */

static const char *const create_client[] = {"clientId", "clientIdentifier", NULL};
static const field TokenCreateRequest_fields[] = {
	ENUM_REQ("grantType", GrantType),
	INT64("clientId"),
	STRING("subject"),
	STRINGS("scopes"),
	INT64("accessTokenDuration"),
	INT64("refreshTokenDuration"),
	OBJECTS("properties", Property),
	BOOLEAN("clientIdAliasUsed"),
	STRING("accessToken"),
	STRING("refreshToken"),
	BOOLEAN("accessTokenPersistent"),
	STRING("certificateThumbprint"),
	STRING("dpopKeyThumbprint"),
	OBJECT("authorizationDetails", AuthzDetails),
	STRINGS("resources"),
	BOOLEAN("forExternalAttachment"),
	JSONSTR("jwtAtClaims"),
	STRING("acr"),
	INT64("authTime"),
	BOOLEAN("clientEntityIdUsed"),
	STRING("clientIdentifier"),
	STRING("sessionId"),
	BOOLEAN("metadataDocumentUsed"),
};
MODEL(TokenCreateRequest, create_client);

static const field TokenCreateResponse_fields[] = {
	STRING("resultCode"),
	STRING("resultMessage"),
	ENUM("action", TokenCreateResponseAction),
	STRING("accessToken"),
	INT64("clientId"),
	INT64("expiresAt"),
	INT64("expiresIn"),
	ENUM("grantType", GrantType),
	OBJECTS("properties", Property),
	STRING("refreshToken"),
	STRINGS("scopes"),
	STRING("subject"),
	STRING("tokenType"),
	STRING("jwtAccessToken"),
	OBJECT("authorizationDetails", AuthzDetails),
	BOOLEAN("forExternalAttachment"),
	STRING("tokenId"),
	STRINGS("refreshTokenScopes"),
	STRING("clientIdentifier"),
	STRING("sessionId"),
};
MODEL(TokenCreateResponse, NULL);

/* ------------------------------------------------------------------ update */

/* The identifiers of the token to update, in the server's order of
 * precedence (authlete-java-common 4.38+ accepts the refresh ones too). */
static const char *const update_token[] = {"accessToken", "accessTokenHash", "refreshToken", "refreshTokenHash", NULL};
static const field TokenUpdateRequest_fields[] = {
	STRING("accessToken"),
	INT64("accessTokenExpiresAt"),
	STRINGS("scopes"),
	OBJECTS("properties", Property),
	BOOLEAN("accessTokenExpiresAtUpdatedOnScopeUpdate"),
	STRING("accessTokenHash"),
	BOOLEAN("accessTokenValueUpdated"),
	BOOLEAN("accessTokenPersistent"),
	STRING("certificateThumbprint"),
	STRING("dpopKeyThumbprint"),
	OBJECT("authorizationDetails", AuthzDetails),
	BOOLEAN("forExternalAttachment"),
	INT64("refreshTokenExpiresAt"),
	BOOLEAN("refreshTokenExpiresAtUpdatedOnScopeUpdate"),
	STRING("tokenId"),
	STRING("refreshToken"),
	STRING("refreshTokenHash"),
};
MODEL(TokenUpdateRequest, update_token);

static const field TokenUpdateResponse_fields[] = {
	STRING("resultCode"),
	STRING("resultMessage"),
	ENUM("action", TokenUpdateResponseAction),
	STRING("accessToken"),
	INT64("accessTokenExpiresAt"),
	OBJECTS("properties", Property),
	STRINGS("scopes"),
	OBJECT("authorizationDetails", AuthzDetails),
	STRING("tokenType"),
	BOOLEAN("forExternalAttachment"),
	STRING("tokenId"),
	INT64("refreshTokenExpiresAt"),
};
MODEL(TokenUpdateResponse, NULL);

/* ------------------------------------------------------------------ revoke */

static const char *const revoke_criteria[] = {
	"accessTokenIdentifier", "refreshTokenIdentifier", "clientIdentifier", "subject", NULL,
};
static const field TokenRevokeRequest_fields[] = {
	STRING("accessTokenIdentifier"),
	STRING("refreshTokenIdentifier"),
	STRING("clientIdentifier"),
	STRING("subject"),
};
MODEL(TokenRevokeRequest, revoke_criteria);

static const field TokenRevokeResponse_fields[] = {
	STRING("resultCode"), STRING("resultMessage"), INT32("count"),
};
MODEL(TokenRevokeResponse, NULL);

/* -------------------------------------------------------------------- list */

static const field ClientLimited_fields[] = {
	INT32("number"),
	STRING("clientName"),
	OBJECTS("clientNames", TaggedValue),
	STRING("description"),
	OBJECTS("descriptions", TaggedValue),
	INT64("clientId"),
	STRING("clientIdAlias"),
	BOOLEAN("clientIdAliasEnabled"),
	ENUM("clientType", ClientType),
};
MODEL(ClientLimited, NULL);

static const field AccessToken_fields[] = {
	STRING("accessTokenHash"),
	INT64("accessTokenExpiresAt"),
	STRING("refreshTokenHash"),
	INT64("refreshTokenExpiresAt"),
	INT64("createdAt"),
	INT64("lastRefreshedAt"),
	INT64("clientId"),
	STRING("subject"),
	ENUM("grantType", GrantType),
	STRINGS("scopes"),
	OBJECTS("properties", Property),
	STRINGS("refreshTokenScopes"),
};
MODEL(AccessToken, NULL);

static const field TokenGetListResponse_fields[] = {
	INT32("start"),
	INT32("end"),
	INT32("totalCount"),
	OBJECT("client", ClientLimited),
	STRING("subject"),
	OBJECTS("accessTokens", AccessToken),
};
MODEL(TokenGetListResponse, NULL);

/* ------------------------------------------------------- errors, reissue */

/* Authlete's error body; `action` is kept where the server sends it. */
static const field ResultError_fields[] = {
	STRING("resultCode"), STRING("resultMessage"), STRING("action"),
};
MODEL(ResultError, NULL);

static const field IdtokenReissueRequest_fields[] = {
	STRING_REQ("accessToken"),
	STRING_REQ("refreshToken"),
	STRING("sub"),
	JSONSTR("claims"),
	JSONSTR("idtHeaderParams"),
	ENUM("idTokenAudType", IdTokenAudType),
};
MODEL(IdtokenReissueRequest, NULL);

static const field IdtokenReissueResponse_fields[] = {
	STRING("resultCode"),
	STRING("resultMessage"),
	ENUM("action", IdtokenReissueResponseAction),
	STRING("responseContent"),
	STRING("idToken"),
};
MODEL(IdtokenReissueResponse, NULL);

const model *const all_models[] = {
	&TokenCreateRequest, &TokenCreateResponse, &TokenUpdateRequest, &TokenUpdateResponse,
	&TokenRevokeRequest, &TokenRevokeResponse, &TokenGetListResponse, &AccessToken,
	&ClientLimited, &TaggedValue, &Property, &AuthzDetails, &AuthorizationDetailsElement,
	&ResultError, &IdtokenReissueRequest, &IdtokenReissueResponse, NULL,
};

/* ---------------------------------------------------------------- lookups */

const field *model_field_from(const model *m, const char *name, size_t len, size_t *next)
{
	/* Lengths first: most names differ there, and it is one compare. */
	size_t start = *next < m->nfields ? *next : 0;
	for (size_t n = 0, i = start; n < m->nfields; n++, i = i + 1 < m->nfields ? i + 1 : 0) {
		const field *f = &m->fields[i];
		if (f->name_len == len && memcmp(f->name, name, len) == 0) {
			*next = i + 1;
			return f;
		}
	}
	return NULL;
}

const field *model_field(const model *m, const char *name, size_t len)
{
	size_t next = 0;
	return model_field_from(m, name, len, &next);
}

const char *type_name(int type)
{
	switch (type) {
	case T_STRING: return "string";
	case T_INT64: return "int64";
	case T_INT32: return "int32";
	case T_BOOLEAN: return "boolean";
	case T_OBJECT: return "object";
	case T_ARRAY: return "array";
	case T_JSONSTR: return "json-object-string";
	}
	return "unknown";
}
