/*
 * models.h - how an API model is declared: one row per JSON field.
 *
 * The encoder, the decoder, core.operations() and the docs all read these
 * rows; nothing else knows the API's field names.
 */
#ifndef AUTHLETE_MODELS_H
#define AUTHLETE_MODELS_H

#include <stddef.h>

typedef enum {
	T_STRING,  /* JSON string */
	T_INT64,   /* JSON integer, 64-bit */
	T_INT32,   /* JSON integer, 32-bit */
	T_BOOLEAN, /* true / false */
	T_OBJECT,  /* JSON object described by .model */
	T_ARRAY,   /* JSON array of .elem (and .model for arrays of objects) */
	T_JSONSTR  /* JSON string whose content is a JSON object (jwtAtClaims) */
} value_type;

enum {
	F_REQUIRED = 1 /* a request must carry it */
};

struct model;

typedef struct field {
	const char *name;
	unsigned char name_len;      /* strlen(name), filled in by the row macros */
	unsigned char type;          /* value_type */
	unsigned char elem;          /* element type of a T_ARRAY */
	unsigned char flags;         /* F_* */
	const struct model *model;   /* T_OBJECT, or T_ARRAY of T_OBJECT */
	const char *const *allowed;  /* enum values, NULL-terminated; checked in requests only */
	const char *enum_name;       /* the enum's name, for errors and docs */
} field;

typedef struct model {
	const char *name;
	const field *fields;
	size_t nfields;             /* at most 64: the encoder keeps a bit per field */
	/* At least one of these (NULL-terminated) must be present and not empty;
	 * NULL when the model has no such rule. */
	const char *const *one_of;
} model;

/* Every model, NULL-terminated, for core.operations() and the docs. */
extern const model *const all_models[];

extern const model TokenCreateRequest, TokenCreateResponse;
extern const model TokenUpdateRequest, TokenUpdateResponse;
extern const model TokenRevokeRequest, TokenRevokeResponse;
extern const model TokenGetListResponse, AccessToken, ClientLimited, TaggedValue;
extern const model Property, AuthzDetails, AuthorizationDetailsElement;
extern const model ResultError, IdtokenReissueRequest, IdtokenReissueResponse;

extern const char *const GrantType[];
extern const char *const TokenStatus[];

/* The row of `name` (of length len) in m, or NULL. */
const field *model_field(const model *m, const char *name, size_t len);

/* The same, searching from row *next on (and round), and leaving *next just
 * past the row found: a reader of fields in schema order finds each at once. */
const field *model_field_from(const model *m, const char *name, size_t len, size_t *next);

/* The name of a value type, as core.operations() reports it. */
const char *type_name(int type);

#endif
