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

typedef struct session {
	CURL *easy;                /* created on first use, by the process that uses it */
	unsigned long generation;  /* forks_seen when easy was made (session.c) */
	session_options opt;
	bytes body;                /* the last response's body */
	bytes head;                /* the last response's header lines */
	int once;                  /* this request must not be sent a second time */
	int attempts;              /* times libcurl was about to send it */
	int too_large;             /* set by the write callback */
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

/* Release the handle and buffers; safe to call twice. */
void session_close(session *s);

#endif
