/*
 * libcurl for the probes that speak HTTP or SMTP (ClickHouse, S3, GCS,
 * SMTP): an easy handle bounded by the probe's deadline, and the failure
 * classes of a transfer that failed.
 */
#ifndef SHS_PROBE_CURL_H
#define SHS_PROBE_CURL_H

#include <curl/curl.h>

#include "probe_internal.h"

/* A handle whose transfer ends by the deadline, without signals, writing
 * the body into `body` (which must outlive the handle). Owned by the
 * caller: curl_easy_cleanup(). NULL with r failed if curl cannot start. */
CURL	*probe_curl_new(const struct probe_ctx *c, struct strbuf *body,
	    struct probe_result *r);

/* Trusts the system's roots, the answers' tls.ca_file and the PEM
 * certificates `more` (may be NULL) on handle h; probe_curl_new() has done
 * it already for the first two. */
void	probe_curl_trust(CURL *h, const struct plan *pl, const char *more);

/*
 * Files a failed transfer (rc != CURLE_OK) under the right failure class:
 * resolve, refused, connect or reply timeout, TLS, authentication (login
 * denied), ... `what` names the server for the message ("ClickHouse").
 */
void	probe_curl_failed(const struct probe_ctx *c, struct probe_result *r,
	    CURL *h, CURLcode rc, const char *what);

#endif
