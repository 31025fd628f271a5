/*
 * S3, through libcurl's SigV4 signing, with the answers' keys: a small probe
 * object is written, read back and deleted, which is what Sentry's file
 * store does with its files. Path-style URLs (ENDPOINT/BUCKET/KEY) work with
 * AWS and with every S3-compatible server (MinIO, Ceph, ...), which do not
 * all serve the virtual-host style.
 */
#include "probe_curl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>

#define PROBE_BODY	"sentry-ha-setup live check; deleted right away\n"
/* The part of the deadline kept for the DELETE, so that the probe object is
 * removed even when the PUT or the GET ran out of time. */
#define CLEANUP_SHARE	4

/* One request and what came back. */
struct s3_req {
	const char	*method;	/* PUT, GET, DELETE */
	const char	*doing;		/* "write", "read", "delete" */
	long		 status;	/* HTTP status, 0 if none */
	int		 reached;	/* the request may have reached the server */
	struct strbuf	 reply;
};

/* The S3 error codes that name what is wrong, in the operator's terms. */
static const struct {
	const char		*code;
	enum probe_failure	 failure;
	const char		*says;
	const char		*fix;
	int			 per_request;	/* says which request failed */
} s3_codes[] = {
	{ "SignatureDoesNotMatch", PF_AUTH, "the secret key does not match "
	  "the access key", "check filestore.s3.secret_key", 0 },
	{ "InvalidAccessKeyId", PF_AUTH, "the access key is unknown to the "
	  "server", "check filestore.s3.access_key", 0 },
	{ "InvalidToken", PF_AUTH, "the keys' token is not valid",
	  "check filestore.s3.access_key and secret_key", 0 },
	{ "ExpiredToken", PF_AUTH, "the keys have expired",
	  "give keys that are still valid", 0 },
	{ "NoSuchBucket", PF_MISSING, "the bucket does not exist",
	  "create the bucket, or correct its name in the answers", 0 },
	{ "AccessDenied", PF_PERMISSION, "the keys are valid, but not "
	  "allowed", "grant the keys s3:PutObject, s3:GetObject and "
	  "s3:DeleteObject on the bucket", 1 },
	{ "AllAccessDisabled", PF_PERMISSION, "all access to the bucket is "
	  "disabled", "ask the bucket's owner", 0 },
	{ "AuthorizationHeaderMalformed", PF_SETUP, "the region does not "
	  "match the bucket's", "set filestore.s3.region to the bucket's region", 0 },
	{ "PermanentRedirect", PF_SETUP, "the bucket is in another region "
	  "or at another endpoint", "set filestore.s3.region (and endpoint) "
	  "to the bucket's", 0 },
	{ "RequestTimeTooSkewed", PF_SETUP, "this machine's clock is too far "
	  "from the server's for a signature", "set this machine's clock "
	  "right (NTP)", 0 },
	{ "InvalidBucketName", PF_SETUP, "the bucket name is not valid",
	  "correct the bucket's name in the answers", 0 },
};

/* The file store's bucket, and the profiles' when they have their own. */
static size_t
count(const struct plan *pl)
{
	if (strcmp(pl->filestore.backend, "s3") != 0)
		return 0;
	return pl->filestore.profiles_own ? 2 : 1;
}

static const char *
bucket_of(const struct plan *pl, size_t i)
{
	const char *b = i == 0 ? pl->filestore.s3_bucket : pl->filestore.profiles_bucket;

	return b != NULL ? b : "";
}

static const char *
region(const struct plan *pl)
{
	return pl->filestore.s3_region;
}

/* ENDPOINT/BUCKET, without a trailing slash on the endpoint. */
static char *
bucket_url(const struct plan *pl, size_t i)
{
	const struct plan_filestore *f = &pl->filestore;
	const char *bucket = bucket_of(pl, i);

	if (f->s3_endpoint != NULL) {
		size_t n = strlen(f->s3_endpoint);

		while (n > 0 && f->s3_endpoint[n - 1] == '/')
			n--;
		return xasprintf("%.*s/%s", (int)n, f->s3_endpoint, bucket);
	}
	return xasprintf("https://s3.%s.amazonaws.com/%s", region(pl), bucket);
}

static void
describe(const struct plan *pl, size_t i, char **endpoint, char **field)
{
	*endpoint = bucket_url(pl, i);
	*field = xstrdup(i == 0 ? "filestore.s3.bucket" :
	    "filestore.s3.profiles_bucket");
}

/* Sends one signed request, keeping `reserve_ms` of the deadline for what
 * comes after it. 0 when the server answered (any status), -1 with r
 * failed when it did not. */
static int
s3_send(const struct probe_ctx *c, const char *url, struct s3_req *q,
    long reserve_ms, struct probe_result *r)
{
	struct curl_slist *hdr = NULL;
	long left = probe_ms_left(c) - reserve_ms;
	char sigv4[128];
	double connect_s = 0;
	CURLcode rc;
	CURL *h = probe_curl_new(c, &q->reply, r);

	if (h == NULL)
		return -1;
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, left > 0 ? left : 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, left > 0 ? left : 1L);
	curl_easy_setopt(h, CURLOPT_URL, url);
	snprintf(sigv4, sizeof sigv4, "aws:amz:%s:s3", region(c->pl));
	curl_easy_setopt(h, CURLOPT_AWS_SIGV4, sigv4);
	curl_easy_setopt(h, CURLOPT_USERNAME, plan_secret_value(c->pl,
	    c->pl->filestore.s3_access_key_ref));
	curl_easy_setopt(h, CURLOPT_PASSWORD, plan_secret_value(c->pl,
	    c->pl->filestore.s3_secret_key_ref));
	/* libcurl 7.88 signs this header but does not add it, and S3 wants
	 * it on every request. */
	hdr = curl_slist_append(hdr, "x-amz-content-sha256: UNSIGNED-PAYLOAD");
	if (strcmp(q->method, "PUT") == 0) {
		hdr = curl_slist_append(hdr, "Content-Type: text/plain");
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, PROBE_BODY);
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)strlen(PROBE_BODY));
	}
	if (strcmp(q->method, "GET") != 0)
		curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, q->method);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
	rc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &q->status);
	curl_easy_getinfo(h, CURLINFO_CONNECT_TIME, &connect_s);
	q->reached = connect_s > 0;
	if (rc != CURLE_OK)
		probe_curl_failed(c, r, h, rc, "the S3 server");
	curl_easy_cleanup(h);
	curl_slist_free_all(hdr);
	return rc == CURLE_OK ? 0 : -1;
}

/* The <Code> of an S3 error document, or "" (at most size - 1 bytes). */
static void
error_code(const struct strbuf *reply, char *code, size_t size)
{
	const char *s = reply->s ? strstr(reply->s, "<Code>") : NULL;
	size_t n = s ? strcspn(s + 6, "<") : 0;

	if (n >= size)
		n = size - 1;
	if (n > 0)
		memcpy(code, s + 6, n);
	code[n] = '\0';
}

/* 0 when the request did what it should (2xx); -1 with r failed. The error
 * document's other fields (the key id, the string to sign) stay unsaid. */
static int
s3_judge(const struct s3_req *q, struct probe_result *r)
{
	char code[64];

	if (q->status >= 200 && q->status < 300)
		return 0;
	error_code(&q->reply, code, sizeof code);
	for (size_t i = 0; i < sizeof s3_codes / sizeof s3_codes[0]; i++)
		if (strcmp(code, s3_codes[i].code) == 0) {
			probe_fail(r, s3_codes[i].failure, s3_codes[i].fix,
			    "%s%s%s%s (HTTP %ld %s to %s)", s3_codes[i].says,
			    s3_codes[i].per_request ? " to " : "",
			    s3_codes[i].per_request ? q->doing : "",
			    s3_codes[i].per_request ? " the probe object" : "",
			    q->status, code, q->method);
			return -1;
		}
	if (code[0] != '\0')
		probe_fail(r, PF_PROTOCOL, NULL, "the server refused to %s the "
		    "probe object: HTTP %ld %s", q->doing, q->status, code);
	else
		probe_fail(r, PF_PROTOCOL, "check that filestore.s3.endpoint is "
		    "an S3 server's", "HTTP %ld to %s, without an S3 error: not "
		    "an S3 server?", q->status, q->method);
	return -1;
}

/* A fresh object name, so that parallel checks never meet. */
static int
probe_key(char *key, size_t size, struct probe_result *r)
{
	unsigned char raw[8];
	size_t n;

	if (RAND_bytes(raw, (int)sizeof raw) != 1) {
		probe_fail(r, PF_SETUP, NULL, "the random number generator "
		    "failed");
		return -1;
	}
	n = (size_t)snprintf(key, size, "sentry-ha-setup-probe-");
	for (size_t i = 0; i < sizeof raw && n + 2 < size; i++, n += 2)
		snprintf(key + n, size - n, "%02x", raw[i]);
	return 0;
}

/* PUT, then GET and compare. Returns whether the object may exist (and must
 * be deleted); *fine when both went well, else r is failed. A PUT that timed
 * out after connecting may still land, so it counts as existing. */
static int
write_read(const struct probe_ctx *c, const char *url, int *fine,
    struct probe_result *r)
{
	struct s3_req put = { "PUT", "write", 0, 0, STRBUF_INIT };
	struct s3_req get = { "GET", "read", 0, 0, STRBUF_INIT };
	long reserve = c->timeout_ms / CLEANUP_SHARE;
	size_t len = strlen(PROBE_BODY);
	int exists = 1;

	*fine = 0;
	if (s3_send(c, url, &put, reserve, r) < 0)
		exists = put.reached;
	else if (s3_judge(&put, r) < 0)
		exists = 0;
	else if (s3_send(c, url, &get, reserve, r) == 0 &&
	    s3_judge(&get, r) == 0) {
		*fine = get.reply.len == len && memcmp(get.reply.s, PROBE_BODY,
		    len) == 0;
		if (!*fine)
			probe_fail(r, PF_PROTOCOL, "check that filestore.s3."
			    "endpoint is an S3 server's", "the probe object read "
			    "back differs from what was written (%zu bytes "
			    "instead of %zu)", get.reply.len, len);
	}
	sb_free(&put.reply);
	sb_free(&get.reply);
	return exists;
}

/* Deletes the probe object; 0 when it is gone. When it may be left, says so
 * in r: after a failure the first failure stays the one reported. */
static int
remove_object(const struct probe_ctx *c, const char *url, const char *key,
    int fine, struct probe_result *r)
{
	struct s3_req del = { "DELETE", "delete", 0, 0, STRBUF_INIT };
	struct probe_result d = { 0 };
	char *detail, *fix;
	int gone = s3_send(c, url, &del, 0, &d) == 0 && s3_judge(&del, &d) == 0;

	sb_free(&del.reply);
	if (!gone) {
		if (fine)
			probe_fail(r, d.failure, d.fix, "%s", d.detail);
		/* Copies: probe_fail() frees the old text. */
		detail = xstrdup(r->detail ? r->detail : "");
		fix = r->fix ? xstrdup(r->fix) : NULL;
		probe_fail(r, r->failure, fix, "%s; the probe object %s may be "
		    "left in the bucket: delete it", detail, key);
		free(detail);
		free(fix);
	}
	free(d.detail);
	free(d.fix);
	return gone ? 0 : -1;
}

static void
run(const struct probe_ctx *c, struct probe_result *r)
{
	char key[64], *bucket, *url;
	int fine;

	if (c->pl->filestore.s3_access_key_ref == NULL ||
	    c->pl->filestore.s3_secret_key_ref == NULL) {
		probe_skip(r, "no keys in the answers: the nodes' IAM role is "
		    "used, which this machine does not have");
		return;
	}
	if (probe_key(key, sizeof key, r) < 0)
		return;
	bucket = bucket_url(c->pl, c->index);
	url = xasprintf("%s/%s", bucket, key);
	if (write_read(c, url, &fine, r) &&
	    remove_object(c, url, key, fine, r) == 0 && fine)
		probe_ok(r, "wrote, read back and deleted %s (%zu bytes) with "
		    "the answers' keys, region %s", key, strlen(PROBE_BODY),
		    region(c->pl));
	free(url);
	free(bucket);
}

const struct probe_kind probe_s3 = {
	"s3", "S3", count, describe, run
};
