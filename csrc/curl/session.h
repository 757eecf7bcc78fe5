/*
 * session.h - one reusable libcurl easy handle: keep-alive, timeouts, TLS,
 * a response-size cap. Knows nothing about Lua or about Authlete.
 */
#ifndef AUTHLETE_SESSION_H
#define AUTHLETE_SESSION_H

#include <stddef.h>

#include <curl/curl.h>

/* A growable byte buffer in malloc'd memory (the write callback must not
 * raise a Lua error, so it cannot use Lua's allocator's error path). */
typedef struct bytes {
	char *data;
	size_t len;
	size_t cap;
} bytes;

typedef struct session_options {
	int ssl_verify;            /* verify the peer and the host name */
	char *ca_file;             /* malloc'd or NULL */
	char *ca_path;
	char *proxy;
	char *no_proxy;            /* NULL: libcurl reads no_proxy / NO_PROXY */
	char *user_agent;
	size_t max_response_bytes; /* decoded body */
	long connect_timeout_ms;
} session_options;

typedef struct request {
	const char *method;        /* GET, POST, DELETE, … */
	const char *url;
	struct curl_slist *headers;
	const char *body;          /* NULL: none; pinned by the caller until perform returns */
	size_t body_len;
	int idempotent;            /* may libcurl send it again on a fresh connection? */
	long timeout_ms;           /* whole transfer */
	long connect_timeout_ms;
} request;

/* How a transfer failed, for the caller's error kinds. */
typedef enum {
	FAIL_NONE,
	FAIL_CONNECT,   /* resolve or connect failed */
	FAIL_TIMEOUT,
	FAIL_TLS,
	FAIL_TOO_LARGE,
	FAIL_PROTOCOL,  /* the answer broke HTTP: nothing, truncated, reset */
	FAIL_ABORTED,
	FAIL_OTHER
} failure_kind;

/* Connections seen at the end of a transfer, by their addresses: libcurl
 * names a reused connection only by its addresses when it is about to send
 * on it (CURLOPT_PREREQFUNCTION), and only we can then look at its socket. */
#define CONNS_SEEN 32
typedef struct conn_seen {
	curl_socket_t fd;
	long local_port, peer_port;
	char local_ip[48], peer_ip[48]; /* INET6_ADDRSTRLEN fits */
} conn_seen;

typedef struct conn_registry {
	conn_seen seen[CONNS_SEEN];
	unsigned next; /* the ring's next slot */
} conn_registry;

/* An empty registry (no socket noted). */
void conn_registry_init(conn_registry *r);

typedef struct session {
	CURL *easy;                /* created on first use, by the process that uses it */
	unsigned long generation;  /* forks_seen when easy was made (session.c) */
	session_options opt;
	bytes body;                /* the last response's body */
	bytes head;                /* the last response's header lines */
	int once;                  /* this request must not be sent a second time */
	int attempts;              /* times libcurl was about to send it */
	int too_large;             /* set by the write callback */
	const char *broken;        /* set by the header callback: why the answer breaks HTTP */
	int statuses;              /* status lines read: the interim (1xx) answers and the real one */
	size_t head_total;         /* header bytes of every one of them */
	int unclean;               /* the reused connection held unread bytes: dropped unused */
	int known_connection;      /* the transfer reuses a clean connection the registry knows */
	int restarts;              /* times the request went again after that (session_restart) */
	long timeout_left_ms;      /* of the request's timeout_ms, after those restarts */
	conn_registry own;         /* connections this session's own transfers used */
	conn_registry *conns;      /* where transfers are recorded: &own, or a multi handle's */
	char errbuf[CURL_ERROR_SIZE];
} session;

typedef struct outcome {
	failure_kind failed;
	int sent;                  /* may any byte of the request have reached the server? */
	long status;
	const char *message;       /* libcurl's error text, or NULL */
} outcome;

/* Process-wide curl_global_init, once. 0 on success. */
int session_global_init(void);

void session_init(session *s);

/* Perform one request; the response is in s->body and s->head. */
outcome session_perform(session *s, const request *r);

/* The two halves of session_perform, for a multi handle driving several
 * sessions at once: start sets the transfer up and returns the easy handle
 * (NULL on failure); finish turns libcurl's result into an outcome. */
CURL *session_start(session *s, const request *r);
outcome session_finish(session *s, CURLcode rc);

/* After a transfer that failed: when it failed only because the reused
 * connection held bytes nobody asked for (nothing was sent on it), set the
 * same request up again on a fresh connection, with what is left of its
 * timeout, and return 0; otherwise -1 (session_finish reports the failure). */
int session_restart(session *s);

/* Release the handle and buffers; safe to call twice. */
void session_close(session *s);

#endif
