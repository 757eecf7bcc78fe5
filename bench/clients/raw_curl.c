/*
 * raw_curl.c - the floor: one reused libcurl handle sending the same
 * requests and headers as the module, not parsing the body.
 *   raw_curl BASE_URL OP CALLS BATCHES   (OP: list2, list20, create)
 * Prints "us=<median µs per call> rss_kib=<peak RSS>".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

static size_t discard(char *p, size_t size, size_t n, void *ud)
{
	(void)p;
	(void)ud;
	return size * n;
}

static double now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static long peak_rss_kib(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long kib = 0;
	while (f && fgets(line, sizeof line, f))
		if (sscanf(line, "VmHWM: %ld kB", &kib) == 1)
			break;
	if (f)
		fclose(f);
	return kib;
}

int main(int argc, char **argv)
{
	if (argc < 5) {
		fprintf(stderr, "usage: raw_curl BASE_URL OP CALLS BATCHES\n");
		return 2;
	}
	const char *op = argv[2];
	int calls = atoi(argv[3]), batches = atoi(argv[4]);
	const char *path = strcmp(op, "list2") == 0 ? "/api/2/auth/token/get/list"
			   : strcmp(op, "list20") == 0 ? "/api/20/auth/token/get/list"
						       : "/api/1/auth/token/create";
	char url[512];
	snprintf(url, sizeof url, "%s%s", argv[1], path);
	static const char body[] = "{\"grantType\":\"AUTHORIZATION_CODE\",\"clientId\":26888344961664,"
				   "\"subject\":\"john\",\"scopes\":[\"history.read\",\"timeline.read\"]}";
	int post = strcmp(op, "create") == 0;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	CURL *h = curl_easy_init();
	struct curl_slist *hdr = NULL;
	hdr = curl_slist_append(hdr, "Accept: application/json");
	hdr = curl_slist_append(hdr, "Authorization: Bearer bench-bearer");
	hdr = curl_slist_append(hdr, "User-Agent: raw-curl");
	hdr = curl_slist_append(hdr, "Expect:");
	if (post)
		hdr = curl_slist_append(hdr, "Content-Type: application/json");
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	/* The module offers gzip (Accept-Encoding), so the floor does too: the
	 * same request, and libcurl's decoding set up for every transfer. */
	curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "gzip");
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
	if (post) {
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	}
	for (int i = 0; i < calls / 5 + 10; i++) /* warm-up */
		curl_easy_perform(h);
	double *per_call = calloc((size_t)batches, sizeof *per_call);
	for (int b = 0; b < batches; b++) {
		double t0 = now_us();
		for (int i = 0; i < calls; i++) {
			if (curl_easy_perform(h) != CURLE_OK) {
				fprintf(stderr, "raw_curl: transfer failed\n");
				return 1;
			}
		}
		per_call[b] = (now_us() - t0) / calls;
	}
	qsort(per_call, (size_t)batches, sizeof *per_call, cmp);
	printf("us=%.2f rss_kib=%ld\n", per_call[batches / 2], peak_rss_kib());
	curl_slist_free_all(hdr);
	curl_easy_cleanup(h);
	free(per_call);
	return 0;
}
