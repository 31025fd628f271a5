/*
 * Private CAs and client certificates (answers tls.ca_file and each
 * endpoint's client_cert/client_key), read and checked with OpenSSL before
 * anything is generated: the CA file goes into a ConfigMap, so only its
 * certificates are kept (re-encoded), and a file with anything else in it
 * (a private key, text that is not PEM) is refused rather than published.
 * The registry's CA (registry_auth.ca_file), which only the live check
 * uses, is read the same way.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <stddef.h>

#include "answers.h"
#include "fsutil.h"
#include "plan_internal.h"

/* libpq refuses a key that others may read, and Sentry reads it as root
 * (its processes run as root, hence C_FORCE_ROOT); Snuba reads the Redis
 * and Kafka keys as its own user, and neither client asks for a mode, so
 * those stay readable inside the container. */
const struct plan_client_end plan_client_ends[] = {
	{ "postgres", offsetof(struct plan, postgres.client), 0400 },
	{ "redis", offsetof(struct plan, redis.client), 0444 },
	{ "kafka", offsetof(struct plan, kafka.client), 0444 },
	{ NULL, 0, 0 }
};

const struct plan_client_cert *
plan_client(const struct plan *pl, const struct plan_client_end *end)
{
	return (const struct plan_client_cert *)(const void *)
	    ((const char *)pl + end->offset);
}

int
plan_has_client_certs(const struct plan *pl)
{
	for (const struct plan_client_end *c = plan_client_ends; c->section; c++)
		if (plan_client(pl, c)->cert_ref != NULL)
			return 1;
	return 0;
}

/* Block names that hold a certificate and nothing secret. */
static int
is_certificate_block(const char *name)
{
	return strcmp(name, PEM_STRING_X509) == 0 ||
	    strcmp(name, PEM_STRING_X509_OLD) == 0 ||
	    strcmp(name, PEM_STRING_X509_TRUSTED) == 0;
}

/* The certificates of PEM `text`, re-encoded into *out (owned); -1 with
 * `why` (static text) when a block is not a certificate or none is there. */
static int
certificates_only(const char *text, size_t len, char **out, size_t *count,
    const char **why)
{
	BIO *in = BIO_new_mem_buf(text, (int)len), *pem = BIO_new(BIO_s_mem());
	char *name = NULL, *header = NULL, *data;
	unsigned char *der = NULL;
	long der_len = 0, n;
	int rc = 0;

	*count = 0;
	*why = NULL;
	while (rc == 0 && PEM_read_bio(in, &name, &header, &der, &der_len) == 1) {
		const unsigned char *p = der;
		X509 *cert = NULL;

		if (!is_certificate_block(name))
			*why = strstr(name, "PRIVATE KEY") != NULL ? "it holds a "
			    "private key; give the CA certificates only" :
			    "it holds a PEM block that is not a certificate";
		else if ((cert = d2i_X509(NULL, &p, der_len)) == NULL)
			*why = "a certificate in it cannot be read";
		else if (PEM_write_bio_X509(pem, cert) == 1)
			(*count)++;
		rc = *why != NULL ? -1 : 0;
		X509_free(cert);
		OPENSSL_free(name);
		OPENSSL_free(header);
		OPENSSL_free(der);
		name = header = NULL;
		der = NULL;
	}
	ERR_clear_error();
	if (rc == 0 && *count == 0) {
		*why = "it holds no PEM certificate (-----BEGIN CERTIFICATE-----)";
		rc = -1;
	}
	if (rc == 0) {
		n = BIO_get_mem_data(pem, &data);
		*out = xstrndup(data, (size_t)n);
	}
	BIO_free(in);
	BIO_free(pem);
	return rc;
}

/* Reads the CA file the answer `field` gives (`given`, relative to the
 * answers) into *path (absolute) and *pem (its certificates), both owned
 * by the plan; nothing when the answer is absent. */
static int
resolve_ca(struct plan *pl, const char *given, const char *field, char **path,
    char **pem, size_t *ncerts, struct err *e)
{
	const char *why;
	char *base, *file, *text;
	size_t len;
	int rc;

	if (given == NULL)
		return 0;
	base = fs_dirname(pl->answers_file);
	file = given[0] == '/' ? xstrdup(given) : xasprintf("%s/%s", base, given);
	free(base);
	if (pl->secrets_dir != NULL && !fs_is_within(file, pl->secrets_dir)) {
		rc = err_set(e, ERR_INPUT, "%s: %s is outside %s, the folder "
		    "--secrets-from allows", field, given, pl->secrets_dir);
		free(file);
		return rc;
	}
	if (fs_read_file(file, &text, &len, e) < 0) {
		free(file);
		return -1;
	}
	rc = certificates_only(text, len, pem, ncerts, &why);
	free(text);
	if (rc < 0) {
		err_set(e, ERR_INPUT, "%s: %s: %s", field, given, why);
		free(file);
		return -1;
	}
	*path = file;
	return 0;
}

/* A client certificate (a chain is fine) and the key that belongs to it. */
static int
check_client_pair(const struct plan *pl, const struct plan_client_cert *c,
    const char *section, struct err *e)
{
	const char *cert_pem, *key_pem;
	BIO *b;
	X509 *cert;
	EVP_PKEY *key;
	int rc = 0;

	if (c->cert_ref == NULL)
		return 0;
	cert_pem = kv_get(&pl->secrets, c->cert_ref);
	key_pem = kv_get(&pl->secrets, c->key_ref);
	/* Not read: a check without secret values, or one of the pair could
	 * not be read (plan.unresolved says so). */
	if (cert_pem == NULL || key_pem == NULL || cert_pem[0] == '\0' ||
	    key_pem[0] == '\0')
		return 0;
	b = BIO_new_mem_buf(cert_pem, -1);
	cert = PEM_read_bio_X509(b, NULL, NULL, NULL);
	BIO_free(b);
	b = BIO_new_mem_buf(key_pem, -1);
	/* No passphrase callback: an encrypted key fails here. */
	key = PEM_read_bio_PrivateKey(b, NULL, NULL, (void *)"");
	BIO_free(b);
	if (cert == NULL)
		rc = err_set(e, ERR_INPUT, "%s.client_cert: expected a PEM "
		    "certificate (-----BEGIN CERTIFICATE-----)", section);
	else if (key == NULL)
		rc = err_set(e, ERR_INPUT, "%s.client_key: expected a PEM private "
		    "key without a passphrase", section);
	else if (X509_check_private_key(cert, key) != 1)
		rc = err_set(e, ERR_INPUT, "%s.client_key: does not belong to "
		    "the certificate of %s.client_cert", section, section);
	ERR_clear_error();
	X509_free(cert);
	EVP_PKEY_free(key);
	return rc;
}

int
plan_resolve_tls(struct plan *pl, const struct answers *a, struct err *e)
{
	size_t n;

	if (resolve_ca(pl, a->tls.ca_file, "tls.ca_file", &pl->tls.ca_file,
	    &pl->tls.ca_pem, &pl->tls.ncerts, e) < 0 ||
	    resolve_ca(pl, a->registry_auth.ca_file, "registry_auth.ca_file",
	    &pl->registry.ca_file, &pl->registry.ca_pem, &n, e) < 0)
		return -1;
	for (const struct plan_client_end *c = plan_client_ends; c->section; c++)
		if (check_client_pair(pl, plan_client(pl, c), c->section, e) < 0)
			return -1;
	if (pl->tls.ca_pem != NULL)
		pl->tls.helper_image = plan_image_ref(pl,
		    kv_get(&pl->profile->images, "sentry"));
	return 0;
}

const char *
plan_client_file(const struct plan_client_cert *c, const char *section,
    int key, char *buf, size_t size)
{
	if (c->cert_ref == NULL)
		return "";
	snprintf(buf, size, "%s/%s.%s", TLS_CLIENT_DIR, section, key ? "key" : "crt");
	return buf;
}
