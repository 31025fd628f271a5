/* libcurl handles bounded by a probe's deadline (probe_curl.h). */
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "probe_curl.h"

static size_t
to_strbuf(char *data, size_t size, size_t n, void *arg)
{
	sb_addn(arg, data, size * n);
	return size * n;
}

/* The answers' CAs (and `more`, when not NULL) on top of the roots curl
 * would use, as the containers have them: curl can be given one bundle
 * only, so it gets them all in one. */
void
probe_curl_trust(CURL *h, const struct plan *pl, const char *more)
{
	struct strbuf bundle = STRBUF_INIT;
	struct curl_blob blob;
	const char *roots = getenv("SSL_CERT_FILE");
	char *text = NULL;
	size_t len = 0;
	struct err e;

	if (roots == NULL)
		curl_easy_getinfo(h, CURLINFO_CAINFO, &roots);
	if (roots != NULL && fs_read_file(roots, &text, &len, &e) == 0) {
		sb_addn(&bundle, text, len);
		sb_addc(&bundle, '\n');
		free(text);
	}
	if (pl->tls.ca_pem != NULL)
		sb_add(&bundle, pl->tls.ca_pem);
	if (more != NULL)
		sb_add(&bundle, more);
	blob.data = bundle.s;
	blob.len = bundle.len;
	blob.flags = CURL_BLOB_COPY;
	curl_easy_setopt(h, CURLOPT_CAINFO_BLOB, &blob);
	sb_free(&bundle);
}

CURL *
probe_curl_new(const struct probe_ctx *c, struct strbuf *body,
    struct probe_result *r)
{
	CURL *h = curl_easy_init();
	long left = probe_ms_left(c);

	if (h == NULL) {
		probe_fail(r, PF_SETUP, NULL, "cannot start libcurl");
		return NULL;
	}
	/* Signals (curl's alarm-based DNS timeout) are not safe in threads. */
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, left > 0 ? left : 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, left > 0 ? left : 1L);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, to_strbuf);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, body);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "sentry-ha-setup/" SHS_VERSION);
	/* Never read a user's ~/.netrc or the environment's proxy by chance
	 * for credentials; the answers are the only source. */
	curl_easy_setopt(h, CURLOPT_NETRC, (long)CURL_NETRC_IGNORED);
	/* A private CA, named as for OpenSSL's own tools (libcurl's built-in
	 * bundle path would otherwise win over it). */
	if (getenv("SSL_CERT_FILE") != NULL)
		curl_easy_setopt(h, CURLOPT_CAINFO, getenv("SSL_CERT_FILE"));
	if (c->pl->tls.ca_pem != NULL)
		probe_curl_trust(h, c->pl, NULL);
	return h;
}

void
probe_curl_failed(const struct probe_ctx *c, struct probe_result *r, CURL *h,
    CURLcode rc, const char *what)
{
	double connect_s = 0;

	curl_easy_getinfo(h, CURLINFO_CONNECT_TIME, &connect_s);
	switch (rc) {
	case CURLE_COULDNT_RESOLVE_HOST:
		probe_fail(r, PF_RESOLVE, "check the host name, or the DNS "
		    "server this machine uses", "the name of %s does not resolve",
		    what);
		break;
	case CURLE_COULDNT_CONNECT:
		probe_fail(r, PF_REFUSED, "check the port, and that the server "
		    "listens on an address this machine reaches", "%s refused the "
		    "connection", what);
		break;
	case CURLE_OPERATION_TIMEDOUT:
		if (connect_s <= 0)
			probe_fail(r, PF_CONNECT_TIMEOUT, "check the address, and "
			    "that no firewall drops the packets", "no connection "
			    "to %s within %ld ms", what, c->timeout_ms);
		else
			probe_fail(r, PF_REPLY_TIMEOUT, "check that the port is "
			    "this server's and that it is not overloaded",
			    "connected to %s, but no reply within %ld ms", what,
			    c->timeout_ms);
		break;
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_USE_SSL_FAILED:
		probe_fail(r, PF_TLS, "check that the server offers TLS on this "
		    "port with a certificate this machine trusts", "TLS with %s "
		    "failed: %s", what, curl_easy_strerror(rc));
		break;
	case CURLE_LOGIN_DENIED:
		probe_fail(r, PF_AUTH, "check the user name and password in the "
		    "answers", "%s refused the login", what);
		break;
	case CURLE_GOT_NOTHING:
	case CURLE_RECV_ERROR:
	case CURLE_WEIRD_SERVER_REPLY:
		probe_fail(r, PF_PROTOCOL, "check that the port is this server's",
		    "%s answered, but not as expected: %s", what,
		    curl_easy_strerror(rc));
		break;
	default:
		probe_fail(r, PF_PROTOCOL, NULL, "%s: %s", what,
		    curl_easy_strerror(rc));
	}
}
