/*
 * session.c - one reusable easy handle (see session.h).
 *
 * Callbacks only append to a buffer and return a short count to abort;
 * errors become values after curl_easy_perform returns, so nothing ever
 * unwinds through libcurl.
 */
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <pthread.h>

#include "session.h"

/* CURLOPT_PREREQFUNCTION is what keeps a create from being sent twice. */
#if LIBCURL_VERSION_NUM < 0x075000
#error "authlete.curl needs libcurl 7.80.0 or later"
#endif

/* The C global state: libcurl's initialisation, and a count of the forks
 * this process descends from. A forked child's count differs from the one
 * its inherited handles were made under; telling that by getpid() instead
 * cost a system call per request. (glibc drops the handler when the module
 * is unloaded.) */
static int global_ready;
static unsigned long forks_seen;

static void on_fork_child(void)
{
	forks_seen++;
}

int session_global_init(void)
{
	if (!global_ready) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
			return -1;
		if (pthread_atfork(NULL, NULL, on_fork_child) != 0) {
			curl_global_cleanup();
			return -1;
		}
		global_ready = 1;
	}
	return 0;
}

static int bytes_add(bytes *b, const char *data, size_t n)
{
	if (b->cap - b->len < n) {
		size_t cap = b->cap ? b->cap : 4096;
		while (cap - b->len < n) {
			if (cap > ((size_t)-1) / 2)
				return -1;
			cap *= 2;
		}
		char *p = realloc(b->data, cap);
		if (!p)
			return -1;
		b->data = p;
		b->cap = cap;
	}
	memcpy(b->data + b->len, data, n);
	b->len += n;
	return 0;
}

/* Keep big buffers from one huge answer alive no longer than needed. */
static void bytes_reset(bytes *b)
{
	if (b->cap > 1024 * 1024) {
		free(b->data);
		b->data = NULL;
		b->cap = 0;
	}
	b->len = 0;
}

static void bytes_free(bytes *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

/* ------------------------------------------------------------- callbacks */

static size_t on_body(char *data, size_t size, size_t n, void *userdata)
{
	session *s = userdata;
	size_t len = size * n;
	/* The cap applies to the decoded body, and also stops chunked bodies,
	 * which CURLOPT_MAXFILESIZE does not. */
	if (len > s->opt.max_response_bytes - s->body.len) { /* body.len never exceeds the cap */
		s->too_large = 1;
		return 0;
	}
	return bytes_add(&s->body, data, len) ? 0 : len;
}

/* A server that sends interim (1xx) answers without end is stalling, not
 * answering; and the header bytes of all answers together are bounded, so
 * a hostile header block costs at most this much memory and work. */
#define MAX_INTERIM 16
#define MAX_HEAD_BYTES (256 * 1024)

/* The status code of a status line ("HTTP/1.1 101 ..."), or -1. */
static int status_code(const char *line, size_t len)
{
	const char *sp = memchr(line, ' ', len);
	if (!sp || (size_t)(line + len - sp) < 4)
		return -1;
	int code = 0;
	for (int i = 1; i <= 3; i++) {
		if (sp[i] < '0' || sp[i] > '9')
			return -1;
		code = code * 10 + (sp[i] - '0');
	}
	return code;
}

static size_t on_header(char *data, size_t size, size_t n, void *userdata)
{
	session *s = userdata;
	size_t len = size * n;
	if (len > 5 && memcmp(data, "HTTP/", 5) == 0) {
		/* A new status line (the real answer after interim ones): only the
		 * last answer's headers count. */
		s->head.len = 0;
		if (++s->statuses > MAX_INTERIM + 1) {
			s->broken = "the server sent more than 16 interim (1xx) answers";
			return 0;
		}
		/* libcurl would hand the rest of the stream over as a body; no
		 * request of ours asks to switch protocols. */
		if (status_code(data, len) == 101) {
			s->broken = "the server switched protocols (101), which this client never asks for";
			return 0;
		}
	}
	s->head_total += len;
	if (s->head_total > MAX_HEAD_BYTES) {
		s->broken = "the answer's header block exceeds 256 KiB";
		return 0;
	}
	return bytes_add(&s->head, data, len) ? 0 : len;
}

/* ------------------------------------------------------------ connections */

static int same_address(const conn_seen *c, const char *local_ip, long local_port, const char *peer_ip,
			long peer_port)
{
	return c->local_port == local_port && c->peer_port == peer_port && strcmp(c->peer_ip, peer_ip) == 0 &&
	       strcmp(c->local_ip, local_ip) == 0;
}

/* After a transfer: note the socket of the connection it leaves in the
 * cache under its addresses, replacing what was noted for that socket or
 * those addresses before (a socket number and an address pair each name at
 * most one open connection). */
static void remember_connection(session *s)
{
	if (s->known_connection)
		return; /* a reused connection found in the registry: noted already */
	CURL *e = s->easy;
	curl_socket_t fd = CURL_SOCKET_BAD;
	char *local_ip = NULL, *peer_ip = NULL;
	long local_port = 0, peer_port = 0;
	if (curl_easy_getinfo(e, CURLINFO_ACTIVESOCKET, &fd) != CURLE_OK || fd == CURL_SOCKET_BAD ||
	    curl_easy_getinfo(e, CURLINFO_LOCAL_IP, &local_ip) != CURLE_OK ||
	    curl_easy_getinfo(e, CURLINFO_LOCAL_PORT, &local_port) != CURLE_OK ||
	    curl_easy_getinfo(e, CURLINFO_PRIMARY_IP, &peer_ip) != CURLE_OK ||
	    curl_easy_getinfo(e, CURLINFO_PRIMARY_PORT, &peer_port) != CURLE_OK || !local_ip || !peer_ip ||
	    strlen(local_ip) >= sizeof s->own.seen[0].local_ip || strlen(peer_ip) >= sizeof s->own.seen[0].peer_ip)
		return;
	conn_registry *r = s->conns;
	conn_seen *slot = NULL;
	for (int i = 0; i < CONNS_SEEN; i++) {
		conn_seen *c = &r->seen[i];
		if (c->fd == fd || same_address(c, local_ip, local_port, peer_ip, peer_port)) {
			c->fd = CURL_SOCKET_BAD;
			c->local_port = c->peer_port = 0;
			slot = slot ? slot : c;
		}
	}
	if (!slot)
		slot = &r->seen[r->next++ % CONNS_SEEN];
	slot->fd = fd;
	slot->local_port = local_port;
	slot->peer_port = peer_port;
	strcpy(slot->local_ip, local_ip);
	strcpy(slot->peer_ip, peer_ip);
}

/* Is the connection libcurl is about to send on provably at a message
 * boundary? A new one is. A reused one is when its socket has nothing to
 * read: bytes waiting there (a server that sent more than its answer said,
 * or a second answer) would otherwise be read as this request's answer,
 * and that answer may be another caller's. libcurl 7.88 reuses such a
 * connection without looking. */
static int connection_is_clean(session *s, const char *local_ip, long local_port, const char *peer_ip,
			       long peer_port)
{
	long fresh = 0;
	if (curl_easy_getinfo(s->easy, CURLINFO_NUM_CONNECTS, &fresh) != CURLE_OK || fresh > 0)
		return 1;
	for (int i = 0; i < CONNS_SEEN; i++) {
		const conn_seen *c = &s->conns->seen[i];
		if (c->fd != CURL_SOCKET_BAD && same_address(c, local_ip, local_port, peer_ip, peer_port)) {
			struct pollfd p = {c->fd, POLLIN, 0};
			s->known_connection = poll(&p, 1, 0) == 0;
			return s->known_connection;
		}
	}
	return 0; /* never seen: nothing proves it clean */
}

/* libcurl calls this right before it sends a request: on the first
 * attempt, and again when it resends the request on a fresh connection
 * because a reused one died before answering. That resend is right for an
 * idempotent request (the server most likely closed an idle connection) and
 * wrong for one that mints a token, which the server may have processed: a
 * second attempt of such a request is aborted before anything is sent.
 * A reused connection that is not clean is refused, before anything is sent
 * on it; session_restart then runs the request on a fresh one. */
static int on_prereq(void *userdata, char *conn_primary_ip, char *conn_local_ip, int conn_primary_port,
		     int conn_local_port)
{
	session *s = userdata;
	s->attempts++;
	if (s->once && s->attempts > 1)
		return CURL_PREREQFUNC_ABORT;
	if (!connection_is_clean(s, conn_local_ip, conn_local_port, conn_primary_ip, conn_primary_port)) {
		s->unclean = 1;
		return CURL_PREREQFUNC_ABORT;
	}
	return CURL_PREREQFUNC_OK;
}

/* ---------------------------------------------------------------- handle */

void conn_registry_init(conn_registry *r)
{
	memset(r, 0, sizeof *r);
	for (int i = 0; i < CONNS_SEEN; i++)
		r->seen[i].fd = CURL_SOCKET_BAD;
}

void session_init(session *s)
{
	memset(s, 0, sizeof *s);
	s->opt.ssl_verify = 1;
	s->opt.max_response_bytes = 16 * 1024 * 1024;
	s->opt.connect_timeout_ms = 10000;
	conn_registry_init(&s->own);
	s->conns = &s->own;
}

/* Options that stay the same for every request. */
static int configure(session *s)
{
	CURL *e = s->easy;
	int bad = 0;
	bad |= curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L) != CURLE_OK;
#if LIBCURL_VERSION_NUM >= 0x075500 /* 7.85.0 */
	bad |= curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https") != CURLE_OK;
#else
	bad |= curl_easy_setopt(e, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS)) != CURLE_OK;
#endif
	bad |= curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L) != CURLE_OK;
	bad |= curl_easy_setopt(e, CURLOPT_ERRORBUFFER, s->errbuf) != CURLE_OK;
	bad |= curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body) != CURLE_OK;
	bad |= curl_easy_setopt(e, CURLOPT_WRITEDATA, s) != CURLE_OK;
	bad |= curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header) != CURLE_OK;
	bad |= curl_easy_setopt(e, CURLOPT_HEADERDATA, s) != CURLE_OK;
	bad |= curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "gzip") != CURLE_OK;
	bad |= curl_easy_setopt(e, CURLOPT_PREREQFUNCTION, on_prereq) != CURLE_OK;
	bad |= curl_easy_setopt(e, CURLOPT_PREREQDATA, s) != CURLE_OK;
	bad |= curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, s->opt.ssl_verify ? 1L : 0L) != CURLE_OK;
	bad |= curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, s->opt.ssl_verify ? 2L : 0L) != CURLE_OK;
	if (s->opt.ca_file)
		bad |= curl_easy_setopt(e, CURLOPT_CAINFO, s->opt.ca_file) != CURLE_OK;
	if (s->opt.ca_path)
		bad |= curl_easy_setopt(e, CURLOPT_CAPATH, s->opt.ca_path) != CURLE_OK;
	if (s->opt.proxy)
		bad |= curl_easy_setopt(e, CURLOPT_PROXY, s->opt.proxy) != CURLE_OK;
	if (s->opt.no_proxy)
		bad |= curl_easy_setopt(e, CURLOPT_NOPROXY, s->opt.no_proxy) != CURLE_OK;
	if (s->opt.user_agent)
		bad |= curl_easy_setopt(e, CURLOPT_USERAGENT, s->opt.user_agent) != CURLE_OK;
	return bad ? -1 : 0;
}

/* The handle for this process. A forked child must not touch its parent's
 * connections (closing them would write TLS alerts into the parent's
 * streams), so it leaves the inherited handle alone and makes its own. */
static CURL *handle(session *s)
{
	if (s->easy && s->generation != forks_seen)
		s->easy = NULL;
	if (!s->easy) {
		s->easy = curl_easy_init();
		if (!s->easy)
			return NULL;
		s->generation = forks_seen;
		if (configure(s)) {
			curl_easy_cleanup(s->easy);
			s->easy = NULL;
			return NULL;
		}
	}
	return s->easy;
}

/* ---------------------------------------------------------------- perform */

static failure_kind classify(CURLcode rc, int too_large, int *certainly_unsent)
{
	*certainly_unsent = 0;
	if (too_large)
		return FAIL_TOO_LARGE;
	switch (rc) {
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_COULDNT_CONNECT:
		*certainly_unsent = 1;
		return FAIL_CONNECT;
	case CURLE_OPERATION_TIMEDOUT:
		return FAIL_TIMEOUT;
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
	case CURLE_SSL_CRL_BADFILE:
	case CURLE_SSL_ENGINE_INITFAILED:
	case CURLE_SSL_ENGINE_NOTFOUND:
	case CURLE_SSL_ENGINE_SETFAILED:
		*certainly_unsent = 1; /* the handshake comes before the request */
		return FAIL_TLS;
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_WEIRD_SERVER_REPLY:
	case CURLE_BAD_CONTENT_ENCODING:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
	case CURLE_HTTP3:
		return FAIL_PROTOCOL;
	case CURLE_ABORTED_BY_CALLBACK:
		return FAIL_ABORTED;
	case CURLE_URL_MALFORMAT:
	case CURLE_UNSUPPORTED_PROTOCOL:
		*certainly_unsent = 1;
		return FAIL_OTHER;
	default:
		return FAIL_OTHER;
	}
}

static int set_request(session *s, CURL *e, const request *r)
{
	int bad = 0;
	s->once = !r->idempotent; /* see on_prereq */
	s->timeout_left_ms = r->timeout_ms;
	s->restarts = 0;
	bad |= curl_easy_setopt(e, CURLOPT_URL, r->url) != CURLE_OK;
	bad |= curl_easy_setopt(e, CURLOPT_HTTPHEADER, r->headers) != CURLE_OK;
	bad |= curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, r->timeout_ms) != CURLE_OK;
	bad |= curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, r->connect_timeout_ms) != CURLE_OK;
	if (r->body) {
		/* Pinned by the caller for the transfer: no copy, and small bodies go
		 * out in one write with the headers. */
		bad |= curl_easy_setopt(e, CURLOPT_POST, 1L) != CURLE_OK;
		bad |= curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)r->body_len) != CURLE_OK;
		bad |= curl_easy_setopt(e, CURLOPT_POSTFIELDS, r->body) != CURLE_OK;
	} else {
		bad |= curl_easy_setopt(e, CURLOPT_HTTPGET, 1L) != CURLE_OK;
	}
	/* GET and POST are what the calls above select; others are named. */
	int plain = strcmp(r->method, r->body ? "POST" : "GET") == 0;
	bad |= curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, plain ? NULL : r->method) != CURLE_OK;
	bad |= curl_easy_setopt(e, CURLOPT_NOBODY, strcmp(r->method, "HEAD") == 0 ? 1L : 0L) != CURLE_OK;
	bad |= curl_easy_setopt(e, CURLOPT_FRESH_CONNECT, 0L) != CURLE_OK;
	return bad ? -1 : 0;
}

/* Forget the last answer, before a transfer. */
static void clear_answer(session *s)
{
	bytes_reset(&s->body);
	bytes_reset(&s->head);
	s->too_large = 0;
	s->broken = NULL;
	s->statuses = 0;
	s->head_total = 0;
	s->unclean = 0;
	s->known_connection = 0;
	s->attempts = 0;
	s->errbuf[0] = '\0';
}

CURL *session_start(session *s, const request *r)
{
	clear_answer(s);
	CURL *e = handle(s);
	if (!e || set_request(s, e, r))
		return NULL;
	return e;
}

/* Reused connections found unclean, in a row, before a request gives up. */
#define MAX_RESTARTS 2

int session_restart(session *s)
{
	curl_off_t spent_us = 0;
	curl_easy_getinfo(s->easy, CURLINFO_TOTAL_TIME_T, &spent_us);
	s->timeout_left_ms -= (long)(spent_us / 1000);
	if (!s->unclean || s->restarts >= MAX_RESTARTS || s->timeout_left_ms < 1)
		return -1;
	s->restarts++;
	clear_answer(s);
	if (curl_easy_setopt(s->easy, CURLOPT_FRESH_CONNECT, 1L) != CURLE_OK ||
	    curl_easy_setopt(s->easy, CURLOPT_TIMEOUT_MS, s->timeout_left_ms) != CURLE_OK)
		return -1;
	return 0;
}

outcome session_finish(session *s, CURLcode rc)
{
	outcome out = {FAIL_NONE, 0, 0, NULL};
	curl_easy_getinfo(s->easy, CURLINFO_RESPONSE_CODE, &out.status);
	if (rc == CURLE_OK && !s->too_large) {
		remember_connection(s);
		return out;
	}
	/* libcurl 7.88 reports a header line over its 100 KiB limit as out of
	 * memory; once an answer has begun, that is the answer's fault. */
	if (rc == CURLE_OUT_OF_MEMORY && s->statuses > 0 && !s->broken)
		s->broken = "a header line of the answer exceeds 100 KiB";
	if (s->broken || s->unclean) {
		/* A broken answer came after the request went out; an unclean
		 * connection was refused before anything was sent on it. */
		out.failed = FAIL_PROTOCOL;
		out.sent = !s->unclean;
		out.message = s->broken ? s->broken
					: "every reused connection held bytes no request asked for; none was used";
		return out;
	}

	int unsent;
	int refused_resend = rc == CURLE_ABORTED_BY_CALLBACK && s->once && s->attempts > 1;
	out.failed = refused_resend ? FAIL_PROTOCOL : classify(rc, s->too_large, &unsent);
	if (refused_resend)
		unsent = 0;
	if (unsent) {
		out.sent = 0;
	} else {
		/* The request size is counted once the request went out; before
		 * that (a connect timeout, say) nothing can have reached the server. */
		long request_size = 0;
		curl_easy_getinfo(s->easy, CURLINFO_REQUEST_SIZE, &request_size);
		out.sent = request_size > 0;
	}
	out.message = s->too_large ? "the response exceeds max_response_bytes"
		      : refused_resend
			? "the connection closed before an answer; the request may have reached the server and is not sent again"
		      : s->errbuf[0] ? s->errbuf : curl_easy_strerror(rc);
	return out;
}

outcome session_perform(session *s, const request *r)
{
	if (!session_start(s, r)) {
		outcome out = {FAIL_OTHER, 0, 0, "could not set up the transfer"};
		return out;
	}
	CURLcode rc = curl_easy_perform(s->easy);
	while (rc == CURLE_ABORTED_BY_CALLBACK && session_restart(s) == 0)
		rc = curl_easy_perform(s->easy);
	return session_finish(s, rc);
}

void session_close(session *s)
{
	if (s->easy && s->generation == forks_seen)
		curl_easy_cleanup(s->easy);
	s->easy = NULL;
	free(s->opt.ca_file);
	free(s->opt.ca_path);
	free(s->opt.proxy);
	free(s->opt.no_proxy);
	free(s->opt.user_agent);
	s->opt.ca_file = s->opt.ca_path = s->opt.proxy = s->opt.no_proxy = s->opt.user_agent = NULL;
	bytes_free(&s->body);
	bytes_free(&s->head);
}
