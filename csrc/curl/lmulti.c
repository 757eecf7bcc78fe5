/*
 * lmulti.c - curl.multi(): several sessions' transfers at once on one
 * libcurl multi handle: start, poll, close. A session started here answers
 * through session:result() (lsession.c).
 */
#include <string.h>

#include "lcurl.h"

/* ------------------------------------------------------------- multi */

static lmulti *check_multi(lua_State *L, int idx)
{
	lmulti *lm = check_udata(L, idx, MULTI_MT, "authlete.curl multi expected");
	if (lm->closed)
		luaL_error(L, "attempt to use a closed multi");
	return lm;
}

/* Take a session's transfer off its multi handle (finished or not), and
 * let go of the body it pinned. */
void detach(lua_State *L, lsession *ls)
{
	lmulti *lm = ls->multi;
	luaL_unref(L, LUA_REGISTRYINDEX, ls->body_ref);
	ls->body_ref = LUA_NOREF;
	if (!lm)
		return;
	curl_multi_remove_handle(lm->m, ls->s.easy);
	for (int i = 0; i < lm->nactive; i++) {
		if (lm->active[i] == ls) {
			lm->active[i] = lm->active[--lm->nactive];
			break;
		}
	}
	ls->multi = NULL;
}

/* curl.multi() -> a multi handle */
int l_multi(lua_State *L)
{
	if (session_global_init())
		return luaL_error(L, "curl_global_init failed");
	lmulti *lm = lua_newuserdata(L, sizeof *lm);
	memset(lm, 0, sizeof *lm);
	lm->closed = 1;
	lua_pushvalue(L, MULTI_MT);
	lua_setmetatable(L, -2);
	conn_registry_init(&lm->conns);
	lm->m = curl_multi_init();
	if (!lm->m)
		return luaL_error(L, "curl_multi_init failed");
	lm->closed = 0;
	return 1;
}

/* multi:start(session, method, url, headers, body, timeout_ms, connect_timeout_ms, idempotent)
 * libcurl copies the URL, the method and the header lines, but sends the
 * body from the string itself: the string is pinned in the registry until
 * the transfer is finished or taken off, whatever the caller keeps. */
static int l_multi_start(lua_State *L)
{
	lmulti *lm = check_multi(L, 1);
	lsession *ls = check_session(L, 2);
	if (ls->closed)
		return luaL_error(L, "attempt to use a closed session");
	if (ls->multi)
		return luaL_error(L, "the session already has a transfer running");
	if (lm->nactive == MULTI_MAX)
		return luaL_error(L, "too many transfers on one multi handle (%d)", MULTI_MAX);
	request r;
	positional_request(L, ls, 3, &r);
	if (ls->closed || lm->closed || ls->multi || lm->nactive == MULTI_MAX) /* changed while the arguments were read */
		return luaL_error(L, "the session or multi handle changed while the arguments were read");
	if (r.body) { /* pinned first: luaL_ref may allocate, and so run a finalizer */
		lua_pushvalue(L, 6); /* the body argument (positional_request's at + 3) */
		int ref = luaL_ref(L, LUA_REGISTRYINDEX);
		luaL_unref(L, LUA_REGISTRYINDEX, ls->body_ref); /* one left by a start that raised later */
		ls->body_ref = ref;
	}
	if (ls->closed || ls->multi) { /* a finalizer just used it */
		luaL_unref(L, LUA_REGISTRYINDEX, ls->body_ref);
		ls->body_ref = LUA_NOREF;
		return luaL_error(L, "the session changed while the body was pinned");
	}
	r.headers = build_headers(L, ls, 5);
	ls->s.conns = &lm->conns; /* connections are the multi handle's, shared by its transfers */
	CURL *e = session_start(&ls->s, &r);
	if (!e || curl_easy_setopt(e, CURLOPT_PRIVATE, ls) != CURLE_OK ||
	    curl_multi_add_handle(lm->m, e) != CURLM_OK) {
		luaL_unref(L, LUA_REGISTRYINDEX, ls->body_ref);
		ls->body_ref = LUA_NOREF;
		ls->finished = 1;
		ls->result = (outcome){FAIL_OTHER, 0, 0, "could not set up the transfer"};
		return 0;
	}
	ls->multi = lm;
	ls->finished = 0;
	lm->active[lm->nactive++] = ls;
	return 0;
}

/* multi:poll(timeout_ms) -> number of transfers still running. Drives the
 * transfers, waiting at most timeout_ms for activity; finished sessions
 * then answer session:result(). */
static int l_multi_poll(lua_State *L)
{
	lmulti *lm = check_multi(L, 1);
	lua_Integer wait = luaL_optinteger(L, 2, 1000);
	luaL_argcheck(L, wait >= 0 && wait <= (lua_Integer)MAX_OPTION, 2, "timeout must be 0 to 2^31 - 1 ms");
	int timeout = (int)wait;
	int running = 0;
	curl_multi_perform(lm->m, &running);
	if (running > 0) {
		curl_multi_poll(lm->m, NULL, 0, timeout, NULL);
		curl_multi_perform(lm->m, &running);
	}
	CURLMsg *msg;
	int left;
	while ((msg = curl_multi_info_read(lm->m, &left))) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		lsession *ls = NULL;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&ls);
		if (!ls)
			continue;
		CURLcode rc = msg->data.result;
		if (rc == CURLE_ABORTED_BY_CALLBACK && session_restart(&ls->s) == 0) {
			/* the reused connection was unclean and dropped unused: again, on a fresh one */
			curl_multi_remove_handle(lm->m, ls->s.easy);
			if (curl_multi_add_handle(lm->m, ls->s.easy) == CURLM_OK)
				continue; /* the next poll drives it */
			rc = CURLE_ABORTED_BY_CALLBACK;
		}
		/* finish first: it reads the connection, which detaching forgets */
		ls->result = session_finish(&ls->s, rc);
		detach(L, ls);
		ls->finished = 1;
	}
	lua_pushinteger(L, lm->nactive);
	return 1;
}

/* close(), __gc and __close of a multi: takes every running transfer off. */
static int l_multi_close(lua_State *L)
{
	lmulti *lm = lua_touserdata(L, 1);
	if (lm && !lm->closed) {
		lm->closed = 1;
		while (lm->nactive > 0)
			detach(L, lm->active[0]);
		curl_multi_cleanup(lm->m);
	}
	return 0;
}

const luaL_Reg multi_methods[] = {
	{"start", l_multi_start},
	{"poll", l_multi_poll},
	{"close", l_multi_close},
	{NULL, NULL},
};

const luaL_Reg multi_meta[] = {
	{"__gc", l_multi_close},
	{"__close", l_multi_close},
	{NULL, NULL},
};
