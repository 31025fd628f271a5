/*
 * SMTP, through libcurl: the server Sentry sends its mail through greets us,
 * upgrades to TLS as smtp.tls says, accepts the login, and answers NOOP.
 *
 * No mail is sent. Without an upload and without recipients, libcurl's SMTP
 * "command" mode sends CURLOPT_CUSTOMREQUEST after EHLO (and STARTTLS, AUTH)
 * and nothing else: no MAIL FROM, no RCPT, no DATA (libcurl 7.88,
 * lib/smtp.c smtp_perform_command; the live test checks the mailbox stays
 * empty).
 */
#include "probe_curl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* The server's lines we keep (banner and EHLO replies); more is noise. */
#define TALK_MAX	8192
/* How much of the banner the result quotes. */
#define BANNER_MAX	100
/* What a SASL mechanism's name is made of (RFC 4422). */
#define MECH_CHARS	"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_"

/* What libcurl's conversation showed, through its debug callback. */
struct smtp_talk {
	struct strbuf	in;		/* the server's reply lines */
	char		mech[24];	/* the SASL mechanism libcurl chose */
	char		why[CURL_ERROR_SIZE];	/* libcurl's own words */
};

/* How each smtp.tls is spoken: the URL scheme and libcurl's TLS demand. */
static const struct {
	const char	*tls;
	const char	*scheme;
	long		 use_ssl;
	const char	*says;
} modes[] = {
	{ "none", "smtp", CURLUSESSL_NONE, "no TLS" },
	{ "starttls", "smtp", CURLUSESSL_ALL, "STARTTLS" },
	{ "tls", "smtps", CURLUSESSL_NONE, "TLS from the start" },
};

static size_t
count(const struct plan *pl)
{
	return pl->smtp.host != NULL;
}

static void
describe(const struct plan *pl, size_t i, char **endpoint, char **field)
{
	(void)i;
	*endpoint = probe_hostport(pl->smtp.host, pl->smtp.port);
	*field = xstrdup("smtp.host");
}

/*
 * Keeps the server's lines, and of ours only the SASL mechanism's name. The
 * rest of an AUTH line (PLAIN's initial response) and the lines after it
 * (LOGIN's) carry the credentials: they are never copied.
 */
static int
on_debug(CURL *h, curl_infotype type, char *data, size_t size, void *arg)
{
	struct smtp_talk *t = arg;

	(void)h;
	if (type == CURLINFO_HEADER_IN && t->in.len + size <= TALK_MAX) {
		sb_addn(&t->in, data, size);
	} else if (type == CURLINFO_HEADER_OUT && size > 5 &&
	    strncasecmp(data, "AUTH ", 5) == 0) {
		size_t n = 0;

		while (n + 1 < sizeof t->mech && 5 + n < size &&
		    data[5 + n] != '\0' && strchr(MECH_CHARS, data[5 + n]))
			n++;
		memcpy(t->mech, data + 5, n);
		t->mech[n] = '\0';
	}
	return 0;
}

/* The text of the first reply line with this code ("220"), up to its end
 * and at most `max` bytes; "" when there is none. Owned by the caller. */
static char *
reply_line(const struct strbuf *in, const char *code, size_t max)
{
	const char *s = in->s ? in->s : "";

	for (; *s != '\0'; s += strcspn(s, "\n"), s += *s == '\n') {
		size_t len = strcspn(s, "\r\n");

		if (len > 4 && strncmp(s, code, 3) == 0 && (s[3] == ' ' ||
		    s[3] == '-'))
			return xstrndup(s + 4, len - 4 < max ? len - 4 : max);
	}
	return xstrdup("");
}

/* This machine's name for EHLO (Sentry's smtplib sends its own too); a
 * name that does not belong in a URL path becomes "localhost". */
static void
ehlo_name(char *buf, size_t size)
{
	/* gethostname() need not terminate a name it cut short. */
	buf[size - 1] = '\0';
	if (gethostname(buf, size - 1) != 0 || buf[0] == '\0' ||
	    buf[strspn(buf, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789.-")] != '\0')
		snprintf(buf, size, "localhost");
}

/* A handle for this server, set up as the answers say; NULL with r failed. */
static CURL *
smtp_handle(const struct probe_ctx *c, struct strbuf *body,
    struct smtp_talk *t, size_t mode, struct probe_result *r)
{
	const struct plan_smtp *m = &c->pl->smtp;
	char host[256], *where = probe_hostport(m->host, m->port), *url;
	CURL *h = probe_curl_new(c, body, r);

	if (h == NULL) {
		free(where);
		return NULL;
	}
	/* libcurl sends the URL's path as the EHLO name. */
	ehlo_name(host, sizeof host);
	url = xasprintf("%s://%s/%s", modes[mode].scheme, where, host);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_USE_SSL, modes[mode].use_ssl);
	if (m->username != NULL) {
		const char *pw = plan_secret_value(c->pl, m->password_ref);

		curl_easy_setopt(h, CURLOPT_USERNAME, m->username);
		curl_easy_setopt(h, CURLOPT_PASSWORD, pw ? pw : "");
	}
	curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, "NOOP");
	/* Says which certificate check failed ("self-signed certificate"). */
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, t->why);
	/* The debug callback is how libcurl shows the conversation; with it
	 * set, nothing goes to stderr. */
	curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, on_debug);
	curl_easy_setopt(h, CURLOPT_DEBUGDATA, t);
	curl_easy_setopt(h, CURLOPT_VERBOSE, 1L);
	free(url);
	free(where);
	return h;
}

static size_t
tls_mode(const char *tls)
{
	for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++)
		if (strcmp(tls, modes[i].tls) == 0)
			return i;
	return 1;	/* not reached: the answers allow only these */
}

/* What a transfer that went through tells: who answered, and the login. */
static void
judge(const struct probe_ctx *c, const struct smtp_talk *t, size_t mode,
    struct probe_result *r)
{
	const char *user = c->pl->smtp.username;
	char *banner = reply_line(&t->in, "220", BANNER_MAX);
	char *ehlo = reply_line(&t->in, "250", 200);

	ehlo[strcspn(ehlo, " ")] = '\0';
	if (user != NULL && t->mech[0] == '\0')
		probe_fail(r, PF_AUTH, mode == 0 ? "many servers offer AUTH only "
		    "after STARTTLS: set smtp.tls: starttls" : "enable AUTH on "
		    "the server, or remove smtp.username and smtp.password",
		    "the server offered no AUTH on this connection (%s), so "
		    "Sentry could not log in as %s; banner: %s", modes[mode].says,
		    user, banner);
	else if (user != NULL)
		probe_ok(r, "%s; EHLO answered by %s; %s; logged in as %s with "
		    "AUTH %s; NOOP accepted, no mail sent", banner, ehlo,
		    modes[mode].says, user, t->mech);
	else
		probe_ok(r, "%s; EHLO answered by %s; %s; no login (no "
		    "smtp.username); NOOP accepted, no mail sent", banner, ehlo,
		    modes[mode].says);
	free(banner);
	free(ehlo);
}

static void
run(const struct probe_ctx *c, struct probe_result *r)
{
	struct strbuf body = STRBUF_INIT;
	struct smtp_talk t = { .in = STRBUF_INIT };
	size_t mode = tls_mode(c->pl->smtp.tls);
	CURL *h = smtp_handle(c, &body, &t, mode, r);
	CURLcode rc;

	if (h == NULL)
		return;
	rc = curl_easy_perform(h);
	if (rc == CURLE_USE_SSL_FAILED)
		probe_fail(r, PF_TLS, "set smtp.tls to what the server offers "
		    "(none or tls), or enable STARTTLS on it", "the server does "
		    "not offer STARTTLS, which smtp.tls: starttls requires");
	else if (rc == CURLE_PEER_FAILED_VERIFICATION)
		probe_fail(r, PF_TLS, "give the server a certificate from a CA "
		    "in this machine's trust store (and Sentry's), or add its CA "
		    "there", "the server's certificate is not trusted here: %s",
		    t.why[0] ? t.why : curl_easy_strerror(rc));
	else if (rc == CURLE_SSL_CONNECT_ERROR && mode == 2)
		probe_fail(r, PF_TLS, "check that this port speaks TLS from the "
		    "start (usually 465); for port 587 use smtp.tls: starttls",
		    "TLS with the SMTP server failed: %s", curl_easy_strerror(rc));
	else if (rc != CURLE_OK)
		probe_curl_failed(c, r, h, rc, "the SMTP server");
	else if (t.in.len == 0 || strncmp(t.in.s, "220", 3) != 0)
		probe_fail(r, PF_PROTOCOL, "check that this port is an SMTP "
		    "server's", "it did not greet as an SMTP server does");
	else
		judge(c, &t, mode, r);
	/* QUIT is sent here, on the way out. */
	curl_easy_cleanup(h);
	sb_free(&body);
	sb_free(&t.in);
}

const struct probe_kind probe_smtp = {
	"smtp", "SMTP", count, describe, run
};
