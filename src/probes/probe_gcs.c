/*
 * Google Cloud Storage: the service account's key file, and the bucket.
 *
 * The key file is checked as far as can be done without signing in: it is
 * a service account's key (not a user's gcloud login), with an email and a
 * private key that OpenSSL reads. The bucket is then asked for without
 * credentials (HEAD on the XML API), which tells whether it exists: Google
 * answers 404 for a bucket that does not, and 401 or 403 for a private one
 * that does. Whether the key may write to it is not checked from here.
 */
#include "probe_curl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "ynode.h"

#define GCS_URL		"https://storage.googleapis.com"

static const char key_fix[] = "give the JSON key of a service account: "
    "gcloud iam service-accounts keys create FILE --iam-account=ACCOUNT";

/* The file store's bucket, and the profiles' when they have their own. */
static size_t
count(const struct plan *pl)
{
	if (strcmp(pl->filestore.backend, "gcs") != 0)
		return 0;
	return pl->filestore.profiles_own ? 2 : 1;
}

static const char *
bucket_of(const struct plan *pl, size_t i)
{
	return i == 0 ? pl->filestore.gcs_bucket : pl->filestore.profiles_bucket;
}

static void
describe(const struct plan *pl, size_t i, char **endpoint, char **field)
{
	const char *bucket = bucket_of(pl, i);

	*endpoint = xasprintf("gs://%s", bucket ? bucket : "");
	*field = xstrdup(i == 0 ? "filestore.gcs.credentials_file" :
	    "filestore.gcs.profiles_bucket");
}

/* A scalar member's text, or NULL when missing, empty or not a scalar. */
static const char *
member(const struct ynode *root, const char *key)
{
	const struct ynode *n = yn_get(root, key);

	return n != NULL && n->kind == Y_SCALAR && n->text != NULL &&
	    n->text[0] != '\0' ? n->text : NULL;
}

/* Declines to ask for a passphrase: OpenSSL's default would prompt on the
 * terminal. Google's keys are never encrypted. */
static int
no_passphrase(char *buf, int size, int rwflag, void *arg)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	(void)arg;
	return -1;
}

static int
pem_key_reads(const char *pem)
{
	BIO *bio = BIO_new_mem_buf(pem, -1);
	EVP_PKEY *key = bio ? PEM_read_bio_PrivateKey(bio, NULL, no_passphrase,
	    NULL) : NULL;

	EVP_PKEY_free(key);
	BIO_free(bio);
	return key != NULL;
}

/* The members Sentry's client needs, each with a precise complaint; 0, or
 * -1 with r failed. Nothing of the private key is ever said. */
static int
check_members(const struct ynode *root, const char *path, const char **email,
    struct probe_result *r)
{
	const char *type = member(root, "type");
	const char *key = member(root, "private_key");

	*email = member(root, "client_email");
	if (type == NULL)
		probe_fail(r, PF_SETUP, key_fix, "%s has no \"type\": not a "
		    "service account key", path);
	else if (strcmp(type, "service_account") != 0)
		probe_fail(r, PF_SETUP, key_fix, "%s is of type \"%.40s\", not "
		    "\"service_account\"%s", path, type, strcmp(type,
		    "authorized_user") == 0 ? " (it is a person's gcloud login)" :
		    "");
	else if (*email == NULL)
		probe_fail(r, PF_SETUP, key_fix, "%s has no \"client_email\"",
		    path);
	else if (key == NULL)
		probe_fail(r, PF_SETUP, key_fix, "%s has no \"private_key\"",
		    path);
	else if (!pem_key_reads(key))
		probe_fail(r, PF_SETUP, key_fix, "the \"private_key\" of %s is "
		    "not a PEM private key (damaged or cut short?)", path);
	else
		return 0;
	return -1;
}

/* Parses the key file (JSON is YAML) and checks it; the root (owned by the
 * caller), or NULL with r failed. */
static struct ynode *
read_credentials(const struct probe_ctx *c, const char **email,
    struct probe_result *r)
{
	const char *path = c->pl->filestore.gcs_credentials_file;
	const char *text = plan_secret_value(c->pl,
	    c->pl->filestore.gcs_credentials_ref);
	struct ynode *root = NULL;
	struct err e = { 0 };

	if (text == NULL) {
		probe_fail(r, PF_SETUP, "check filestore.gcs.credentials_file",
		    "%s could not be read", path);
		return NULL;
	}
	/* The parser's messages give a position and a reason, never the
	 * text that stands there. */
	if (yaml_parse(text, strlen(text), path, 0, &root, &e) < 0) {
		const char *yaml = strstr(e.msg, "invalid YAML: ");
		int at = yaml ? (int)(yaml - e.msg) : (int)strlen(e.msg);

		/* JSON is read as YAML; the operator knows it as JSON. */
		probe_fail(r, PF_SETUP, key_fix, "the key file is not JSON: "
		    "%.*s%s", at, e.msg, yaml ? yaml + 14 : "");
		return NULL;
	}
	if (root == NULL || root->kind != Y_MAP) {
		probe_fail(r, PF_SETUP, key_fix, "%s is not a JSON object, as "
		    "a service account key is", path);
		yn_free(root);
		return NULL;
	}
	if (check_members(root, path, email, r) < 0) {
		yn_free(root);
		return NULL;
	}
	return root;
}

/*
 * Where the bucket is asked for: Google, or the emulator that
 * STORAGE_EMULATOR_HOST names, as Google's own client libraries do (a host
 * without a scheme is plain HTTP, as those emulators are). Owned by the
 * caller.
 */
static char *
storage_base(void)
{
	const char *emu = getenv("STORAGE_EMULATOR_HOST");
	size_t n;

	if (emu == NULL || emu[0] == '\0')
		return xstrdup(GCS_URL);
	n = strlen(emu);
	while (n > 0 && emu[n - 1] == '/')
		n--;
	return xasprintf("%s%.*s", strstr(emu, "://") ? "" : "http://",
	    (int)n, emu);
}

/* What the anonymous answer says about the bucket. */
static void
judge_bucket(long status, const char *bucket, const char *email,
    const char *where, struct probe_result *r)
{
	if (status == 404)
		probe_fail(r, PF_MISSING, "create the bucket, or correct "
		    "its name in the answers", "the bucket %s does not exist (HTTP "
		    "404 from %s)", bucket, where);
	else if (status == 401 || status == 403)
		probe_ok(r, "service account %s, its key readable; the bucket "
		    "%s exists (HTTP %ld to an anonymous request; what the "
		    "account may do in it is not checked from here)", email,
		    bucket, status);
	else if (status == 200)
		probe_ok(r, "service account %s, its key readable; the bucket "
		    "%s exists, and anyone may list it (HTTP 200 to an "
		    "anonymous request)", email, bucket);
	else if (status == 400)
		probe_fail(r, PF_SETUP, "correct the bucket's name in the answers", "%s "
		    "rejects the bucket name %s (HTTP 400)", where, bucket);
	else
		probe_fail(r, PF_PROTOCOL, NULL, "%s answered HTTP %ld for the "
		    "bucket %s, not as Cloud Storage does", where, status, bucket);
}

static void
run(const struct probe_ctx *c, struct probe_result *r)
{
	const char *bucket = bucket_of(c->pl, c->index), *email = NULL;
	struct strbuf body = STRBUF_INIT;
	struct ynode *root = read_credentials(c, &email, r);
	char *base, *url;
	long status = 0;
	CURL *h;
	CURLcode rc;

	if (root == NULL)
		return;
	base = storage_base();
	url = xasprintf("%s/%s", base, bucket ? bucket : "");
	h = probe_curl_new(c, &body, r);
	if (h != NULL) {
		curl_easy_setopt(h, CURLOPT_URL, url);
		curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
		rc = curl_easy_perform(h);
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
		if (rc != CURLE_OK)
			probe_curl_failed(c, r, h, rc, base);
		else
			judge_bucket(status, bucket, email, base, r);
		curl_easy_cleanup(h);
	}
	sb_free(&body);
	free(url);
	free(base);
	yn_free(root);
}

const struct probe_kind probe_gcs = {
	"gcs", "GCS", count, describe, run
};
