/*
 * lcurl.h - what the three files of luaopen_authlete_curl share: the
 * userdata of a session (lsession.c) and of a multi handle (lmulti.c), the
 * upvalues every function of the module carries (lcurl.c sets them), and
 * the few functions both kinds of userdata use.
 */
#ifndef AUTHLETE_LCURL_H
#define AUTHLETE_LCURL_H

#include "compat.h"
#include "session.h"

/* The session metatable is upvalue 1 of every function: no registry name. */
#define SESSION_MT lua_upvalueindex(1)
/* The multi metatable is upvalue 2. */
#define MULTI_MT lua_upvalueindex(2)
/* push_answer, ready to call without allocating a closure. */
#define PUSH_ANSWER lua_upvalueindex(3)

/* Sizes and times in milliseconds: 2^31 - 1 is 24 days, or 2 GiB. */
#define MAX_OPTION 2147483647.0

struct lmulti;

typedef struct lsession {
	session s;
	int closed;
	struct curl_slist *headers; /* the last request's list, freed on the next */
	struct lmulti *multi;       /* the multi handle running its transfer, or NULL */
	int finished;               /* a multi transfer ended: `outcome` holds its result */
	outcome result;
	int body_ref;               /* registry reference pinning a multi transfer's body, or LUA_NOREF */
} lsession;

/* A libcurl multi handle running several sessions' transfers at once. */
#define MULTI_MAX 256
typedef struct lmulti {
	CURLM *m;
	int closed;
	lsession *active[MULTI_MAX];
	int nactive;
	conn_registry conns; /* the connections its transfers share (session.h) */
} lmulti;

/* The userdata at idx if its metatable is the one at mt; raises otherwise. */
void *check_udata(lua_State *L, int idx, int mt, const char *expected);
lsession *check_session(lua_State *L, int idx);

/* Read (method, url, headers, body, timeout_ms, connect_timeout_ms,
 * idempotent) from stack index `at` on; the headers table is at at + 2. */
void positional_request(lua_State *L, lsession *ls, int at, request *r);

/* The session's header list for the headers table at h (or nil). */
struct curl_slist *build_headers(lua_State *L, lsession *ls, int h);

/* Push a transfer's results (see lsession.c). */
int push_outcome(lua_State *L, lsession *ls, outcome out);
int push_answer(lua_State *L);

/* Take a session's transfer off its multi handle, letting go of its body. */
void detach(lua_State *L, lsession *ls);

int l_session(lua_State *L);
int l_multi(lua_State *L);

extern const luaL_Reg session_methods[], session_meta[], multi_methods[], multi_meta[];

#endif
