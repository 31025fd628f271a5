/* Requests and logins of the registry API (registry_api.h). */
#include "registry_api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ynode.h"

/* Every manifest kind a node may pull: a multi-platform index or list, or
 * one image's manifest (OCI or Docker's). */
#define ACCEPT	"Accept: application/vnd.oci.image.index.v1+json, " \
	"application/vnd.oci.image.manifest.v1+json, " \
	"application/vnd.docker.distribution.manifest.list.v2+json, " \
	"application/vnd.docker.distribution.manifest.v2+json"

/* Who a request is from. */
enum as { AS_NOBODY, AS_USER, AS_TOKEN };

/* Sets who the next request is from: the Basic login, the token, or
 * nobody. The password and the token go to curl only. */
static void
reg_auth(struct reg *g, enum as who)
{
	if (who == AS_TOKEN && g->token != NULL) {
		curl_easy_setopt(g->h, CURLOPT_HTTPAUTH, (long)CURLAUTH_BEARER);
		curl_easy_setopt(g->h, CURLOPT_XOAUTH2_BEARER, g->token);
		curl_easy_setopt(g->h, CURLOPT_USERNAME, NULL);
		curl_easy_setopt(g->h, CURLOPT_PASSWORD, NULL);
		return;
	}
	curl_easy_setopt(g->h, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
	curl_easy_setopt(g->h, CURLOPT_XOAUTH2_BEARER, NULL);
	curl_easy_setopt(g->h, CURLOPT_USERNAME, who == AS_USER ? g->user : NULL);
	curl_easy_setopt(g->h, CURLOPT_PASSWORD, who == AS_USER ? g->password :
	    NULL);
}

/*
 * One request within what is left of the deadline: GET, or HEAD with the
 * manifests' Accept, from `who`. 0 with g->status set, or -1 with r failed
 * when no answer came (*rc says why).
 */
static int
reg_send(struct reg *g, const char *url, int head, enum as who, CURLcode *rc,
    struct probe_result *r)
{
	struct curl_slist *hdr = head ? curl_slist_append(NULL, ACCEPT) : NULL;
	long left = probe_ms_left(g->c);

	g->body.len = 0;
	if (g->body.s != NULL)
		g->body.s[0] = '\0';
	g->status = 0;
	curl_easy_setopt(g->h, CURLOPT_URL, url);
	curl_easy_setopt(g->h, CURLOPT_TIMEOUT_MS, left > 0 ? left : 1L);
	curl_easy_setopt(g->h, CURLOPT_CONNECTTIMEOUT_MS, left > 0 ? left : 1L);
	if (head)
		curl_easy_setopt(g->h, CURLOPT_NOBODY, 1L);
	else
		curl_easy_setopt(g->h, CURLOPT_HTTPGET, 1L);
	curl_easy_setopt(g->h, CURLOPT_HTTPHEADER, hdr);
	reg_auth(g, who);
	*rc = curl_easy_perform(g->h);
	curl_easy_getinfo(g->h, CURLINFO_RESPONSE_CODE, &g->status);
	curl_easy_setopt(g->h, CURLOPT_HTTPHEADER, NULL);
	curl_slist_free_all(hdr);
	if (*rc == CURLE_OK)
		return 0;
	probe_curl_failed(g->c, r, g->h, *rc, "the registry");
	return -1;
}

const char *
registry_header(struct reg *g, const char *name)
{
	struct curl_header *hd;

	if (curl_easy_header(g->h, name, 0, CURLH_HEADER, -1, &hd) != CURLHE_OK)
		return NULL;
	return hd->value;
}

/* The token of a token server's JSON answer ("token", or OAuth2's
 * "access_token"), owned by the caller; NULL when there is none. */
static char *
token_of(const struct strbuf *body)
{
	struct ynode *root = NULL;
	const struct ynode *t = NULL;
	struct err e = { 0 };
	char *token = NULL;

	if (body->len == 0 || yaml_parse(body->s, body->len, "token", 0, &root,
	    &e) < 0 || root == NULL || root->kind != Y_MAP) {
		yn_free(root);
		return NULL;
	}
	t = yn_get(root, "token");
	if (t == NULL || t->kind != Y_SCALAR || t->text == NULL || !t->text[0])
		t = yn_get(root, "access_token");
	if (t != NULL && t->kind == Y_SCALAR && t->text != NULL && t->text[0])
		token = xstrdup(t->text);
	yn_free(root);
	return token;
}

/* The realm's URL asking for `scope` (may be NULL) of `service`. */
static char *
token_url(struct reg *g, const struct auth_challenge *ch, const char *scope)
{
	struct strbuf url = STRBUF_INIT;
	char *esc;

	sb_add(&url, ch->realm);
	if (ch->service != NULL) {
		esc = curl_easy_escape(g->h, ch->service, 0);
		sb_printf(&url, "%cservice=%s", strchr(ch->realm, '?') ? '&' :
		    '?', esc ? esc : "");
		curl_free(esc);
	}
	if (scope != NULL) {
		esc = curl_easy_escape(g->h, scope, 0);
		sb_printf(&url, "%cscope=%s", strchr(sb_str(&url), '?') ? '&' :
		    '?', esc ? esc : "");
		curl_free(esc);
	}
	return sb_take(&url);
}

/* Gets a token for the challenge's scope from its realm, with the Basic
 * login when there is one. 0, or -1 with r failed. */
static int
get_token(struct reg *g, const struct auth_challenge *ch, struct probe_result *r)
{
	char *url = token_url(g, ch, ch->scope);
	CURLcode rc;
	int sent = reg_send(g, url, 0, g->user ? AS_USER : AS_NOBODY, &rc, r);
	char *token;

	free(url);
	if (sent < 0)
		return -1;
	token = g->status == 200 ? token_of(&g->body) : NULL;
	if (token != NULL) {
		kv_set(&g->tokens, ch->scope ? ch->scope : "", token);
		g->token = kv_get(&g->tokens, ch->scope ? ch->scope : "");
		free(token);
		return 0;
	}
	if (g->status == 401 || g->status == 403)
		probe_fail(r, PF_AUTH, g->user ? "check registry_auth.username "
		    "and registry_auth.password" : "give registry_auth.username "
		    "and registry_auth.password", "the token server %s refused "
		    "%s (HTTP %ld)", ch->realm, g->user ? "the login" :
		    "an anonymous token", g->status);
	else
		probe_fail(r, PF_PROTOCOL, NULL, "the token server %s answered "
		    "HTTP %ld without a token", ch->realm, g->status);
	return -1;
}

/* The challenge of the last 401; -1 with r failed when it has none the
 * probe can answer. */
static int
read_challenge(struct reg *g, struct auth_challenge *ch, struct probe_result *r)
{
	const char *www = registry_header(g, "WWW-Authenticate");

	if (www != NULL && auth_challenge_parse(www, ch) == 0) {
		if (strcasecmp(ch->scheme, "Basic") == 0)
			return 0;
		if (strcasecmp(ch->scheme, "Bearer") == 0 && ch->realm != NULL)
			return 0;
	}
	probe_fail(r, PF_PROTOCOL, NULL, "GET /v2/ answered HTTP 401 %s",
	    www == NULL ? "without a WWW-Authenticate challenge" :
	    "with a challenge other than Basic or Bearer with a realm");
	auth_challenge_free(ch);
	return -1;
}

/* GET /v2/, again over plain HTTP for an insecure registry that does not
 * speak TLS. 0 with g->status, or -1 with r failed. */
int
registry_ping(struct reg *g, struct probe_result *r)
{
	char *url = xasprintf("%s/v2/", g->base);
	CURLcode rc;
	int sent = reg_send(g, url, 0, AS_NOBODY, &rc, r);

	free(url);
	if (sent == 0 || !g->insecure || r->failure != PF_TLS)
		return sent;
	free(g->base);
	g->base = xasprintf("http://%s", g->host);
	url = xasprintf("%s/v2/", g->base);
	sent = reg_send(g, url, 0, AS_NOBODY, &rc, r);
	free(url);
	return sent;
}

/* What a refused login says, and what to do about it. */
static void
login_refused(struct reg *g, struct probe_result *r)
{
	if (g->user != NULL)
		probe_fail(r, PF_AUTH, "check registry_auth.username and "
		    "registry_auth.password", "the registry refused the login "
		    "of %s (HTTP %ld to GET /v2/%s)", g->user, g->status,
		    g->bearer ? " with its token" : "");
	else
		probe_fail(r, PF_AUTH, "give registry_auth.username and "
		    "registry_auth.password (the nodes need the same login: "
		    "docker login, or an imagePullSecret)", "the registry asks "
		    "for a login (HTTP %ld to GET /v2/), and the answers give "
		    "none", g->status);
}

/* Logs in as the answer to GET /v2/ (g->status) asks; says how in `how`.
 * 0, or -1 with r failed. */
int
registry_login(struct reg *g, struct strbuf *how, struct probe_result *r)
{
	struct auth_challenge ch = { 0 };
	CURLcode rc;
	char *url;
	int sent;

	if (g->status == 200) {
		sb_add(how, g->user ? "no login asked for (registry_auth's is "
		    "not used)" : "no login");
		return 0;
	}
	if (g->status != 401) {
		probe_fail(r, PF_PROTOCOL, "check that registry names a Docker "
		    "registry: host[:port], then the path prefix", "GET %s/v2/ "
		    "answered HTTP %ld, not as a registry (API v2) does",
		    g->base, g->status);
		return -1;
	}
	if (read_challenge(g, &ch, r) < 0)
		return -1;
	g->bearer = strcasecmp(ch.scheme, "Bearer") == 0;
	if (g->bearer)
		g->realm = xstrdup(ch.realm);
	sent = g->bearer || g->user != NULL ? 0 : -1;
	if (sent < 0)
		login_refused(g, r);
	else if (g->bearer)
		sent = get_token(g, &ch, r);
	auth_challenge_free(&ch);
	if (sent < 0)
		return -1;
	url = xasprintf("%s/v2/", g->base);
	sent = reg_send(g, url, 0, g->bearer ? AS_TOKEN : AS_USER, &rc, r);
	free(url);
	if (sent == 0 && g->status != 200)
		login_refused(g, r);
	if (sent < 0 || g->status != 200)
		return -1;
	sb_printf(how, "logged in %s%s%s%s", g->user ? "as " : "anonymously",
	    g->user ? g->user : "", g->bearer ? " with a token from " :
	    " (Basic)", g->bearer ? g->realm : "");
	return 0;
}

/* HEAD on an image's manifest; a registry that hands out tokens per
 * repository answers 401 with the scope it wants, which gets its own
 * token, once. 0 with g->status, -1 with r failed (no answer). */
int
registry_head_manifest(struct reg *g, const struct image_ref *ir, struct probe_result *r)
{
	char *url = xasprintf("%s/v2/%s/manifests/%s", g->base, ir->name,
	    ir->reference);
	struct auth_challenge ch = { 0 };
	enum as who = g->bearer ? AS_TOKEN : g->user ? AS_USER : AS_NOBODY;
	const char *www;
	CURLcode rc;
	int sent = reg_send(g, url, 1, who, &rc, r);

	if (sent == 0 && g->status == 401 && g->bearer &&
	    (www = registry_header(g, "WWW-Authenticate")) != NULL &&
	    auth_challenge_parse(www, &ch) == 0 && ch.realm != NULL &&
	    ch.scope != NULL && kv_get(&g->tokens, ch.scope) == NULL)
		sent = get_token(g, &ch, r) < 0 ? -1 :
		    reg_send(g, url, 1, AS_TOKEN, &rc, r);
	auth_challenge_free(&ch);
	free(url);
	return sent;
}

