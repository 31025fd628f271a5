#include "keys.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "fsutil.h"
#include "schema.h"
#include "xmem.h"
#include "ynode.h"

/* The alphabet install.sh draws the Sentry secret key from. */
static const char key_alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789@#%^&*(-_=+)";

static int
random_bytes(unsigned char *buf, size_t len, struct err *e)
{
	if (RAND_bytes(buf, (int)len) != 1)
		return err_set(e, ERR_IO, "the system random number generator "
		    "failed");
	return 0;
}

static int
make_secret_key(char **out, struct err *e)
{
	const size_t n = sizeof key_alphabet - 1, len = 50;
	char *key = xmalloc(len + 1);
	size_t i = 0;

	while (i < len) {
		unsigned char b;

		if (random_bytes(&b, 1, e) < 0) {
			free(key);
			return -1;
		}
		/* Rejection sampling keeps every character equally likely. */
		if (b < 256 - 256 % n)
			key[i++] = key_alphabet[b % n];
	}
	key[len] = '\0';
	*out = key;
	return 0;
}

char *
base64url(const unsigned char *data, size_t len)
{
	static const char digits[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	for (i = 0; i + 2 < len; i += 3) {
		unsigned long v = (unsigned long)data[i] << 16 |
		    (unsigned long)data[i + 1] << 8 | data[i + 2];

		sb_addc(&sb, digits[v >> 18 & 63]);
		sb_addc(&sb, digits[v >> 12 & 63]);
		sb_addc(&sb, digits[v >> 6 & 63]);
		sb_addc(&sb, digits[v & 63]);
	}
	if (len - i == 1) {
		sb_addc(&sb, digits[data[i] >> 2]);
		sb_addc(&sb, digits[(data[i] & 3) << 4]);
	} else if (len - i == 2) {
		unsigned long v = (unsigned long)data[i] << 8 | data[i + 1];

		sb_addc(&sb, digits[v >> 10 & 63]);
		sb_addc(&sb, digits[v >> 4 & 63]);
		sb_addc(&sb, digits[(v & 15) << 2]);
	}
	return sb_take(&sb);
}

static int
make_relay_identity(struct keys *k, struct err *e)
{
	unsigned char uuid[16], seed_and_pub[64];
	size_t seed_len = 32, pub_len = 32;
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, NULL);
	EVP_PKEY *key = NULL;
	int ok;

	ok = ctx != NULL && EVP_PKEY_keygen_init(ctx) == 1 &&
	    EVP_PKEY_keygen(ctx, &key) == 1 &&
	    EVP_PKEY_get_raw_private_key(key, seed_and_pub, &seed_len) == 1 &&
	    EVP_PKEY_get_raw_public_key(key, seed_and_pub + 32, &pub_len) == 1;
	EVP_PKEY_free(key);
	EVP_PKEY_CTX_free(ctx);
	if (!ok || seed_len != 32 || pub_len != 32)
		return err_set(e, ERR_IO, "cannot generate the Relay key pair "
		    "(OpenSSL Ed25519)");
	if (random_bytes(uuid, sizeof uuid, e) < 0)
		return -1;
	uuid[6] = (unsigned char)((uuid[6] & 0x0f) | 0x40);	/* version 4 */
	uuid[8] = (unsigned char)((uuid[8] & 0x3f) | 0x80);	/* RFC 4122 */
	k->relay_id = xasprintf("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x%02x%02x%02x%02x", uuid[0], uuid[1], uuid[2], uuid[3],
	    uuid[4], uuid[5], uuid[6], uuid[7], uuid[8], uuid[9], uuid[10],
	    uuid[11], uuid[12], uuid[13], uuid[14], uuid[15]);
	/* Relay reads a secret key as the 64-byte seed+public form. */
	k->relay_secret_key = base64url(seed_and_pub, 64);
	k->relay_public_key = base64url(seed_and_pub + 32, 32);
	OPENSSL_cleanse(seed_and_pub, sizeof seed_and_pub);
	return 0;
}

char *
keys_path_for(const char *answers_path)
{
	size_t len = strlen(answers_path);

	if (len > 5 && strcmp(answers_path + len - 5, ".yaml") == 0)
		len -= 5;
	else if (len > 4 && strcmp(answers_path + len - 4, ".yml") == 0)
		len -= 4;
	return xasprintf("%.*s.keys.yaml", (int)len, answers_path);
}

int
keys_save(const char *path, const struct keys *k, struct err *e)
{
	struct ynode *doc = yn_map(), *relay;
	struct strbuf out = STRBUF_INIT;
	int rc;

	sb_add(&out, "# Generated once by sentry-ha-setup; keep it with the answers "
	    "file.\n# Every Sentry container must share the secret key, and "
	    "Sentry trusts\n# Relay by this identity. Do not commit it.\n");
	yn_map_set(doc, "secret_key", yn_quoted(k->secret_key));
	yn_map_set(doc, "rpc_secret", yn_quoted(k->rpc_secret));
	if (k->relay_id != NULL) {
		relay = yn_set_map(doc, "relay");
		yn_set_str(relay, "id", k->relay_id);
		yn_map_set(relay, "public_key", yn_quoted(k->relay_public_key));
		yn_map_set(relay, "secret_key", yn_quoted(k->relay_secret_key));
	}
	rc = yaml_emit(doc, 0, &out, e);
	if (rc == 0)
		rc = fs_write_atomic(path, out.s, out.len, 0600, e);
	yn_free(doc);
	OPENSSL_cleanse(out.s, out.len);
	sb_free(&out);
	return rc;
}

/* The keys file as written by keys_save(). */
struct relay_file {
	char	*id, *public_key, *secret_key;
};

struct keys_file {
	char			*secret_key, *rpc_secret;
	struct relay_file	 relay;
};

static const struct field relay_file_fields[] = {
	{ "id", FT_STR, offsetof(struct relay_file, id), NULL,
	  F_REQUIRED | F_NONEMPTY, NULL, NULL },
	{ "public_key", FT_STR, offsetof(struct relay_file, public_key), NULL,
	  F_REQUIRED | F_NONEMPTY, NULL, NULL },
	{ "secret_key", FT_STR, offsetof(struct relay_file, secret_key), NULL,
	  F_REQUIRED | F_NONEMPTY, NULL, NULL },
	{ NULL, 0, 0, NULL, 0, NULL, NULL },
};

static const struct table relay_file_table = {
	relay_file_fields, sizeof(struct relay_file)
};

static const struct field keys_file_fields[] = {
	{ "secret_key", FT_STR, offsetof(struct keys_file, secret_key), NULL,
	  F_REQUIRED | F_NONEMPTY, NULL, NULL },
	{ "rpc_secret", FT_STR, offsetof(struct keys_file, rpc_secret), NULL,
	  F_NONEMPTY, NULL, NULL },
	{ "relay", FT_MAP, offsetof(struct keys_file, relay), &relay_file_table, 0, NULL, NULL },
	{ NULL, 0, 0, NULL, 0, NULL, NULL },
};

static int
is_base64url(const char *s, size_t len)
{
	return strlen(s) == len && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789-_") == len;
}

static int
is_uuid(const char *s)
{
	if (strlen(s) != 36)
		return 0;
	for (int i = 0; i < 36; i++) {
		int dash = i == 8 || i == 13 || i == 18 || i == 23;

		if (dash ? s[i] != '-' : strchr("0123456789abcdef", s[i]) == NULL)
			return 0;
	}
	return 1;
}

/*
 * Checks what was read. The values are never quoted back: they are keys.
 * A damaged file is refused rather than regenerated, since new keys log
 * every user out and lock out every Relay of a running deployment.
 */
static int
check_keys_file(const struct keys_file *f, const char *path, struct err *e)
{
	const char *bad = NULL, *want = NULL;

	if (f->relay.id != NULL && !is_uuid(f->relay.id))
		bad = "relay.id", want = "a lower-case UUID";
	else if (f->relay.public_key != NULL &&
	    !is_base64url(f->relay.public_key, 43))
		bad = "relay.public_key", want = "43 base64url characters "
		    "(an Ed25519 public key)";
	else if (f->relay.secret_key != NULL &&
	    !is_base64url(f->relay.secret_key, 86))
		bad = "relay.secret_key", want = "86 base64url characters "
		    "(an Ed25519 key pair)";
	else if (strlen(f->secret_key) < 32)
		bad = "secret_key", want = "at least 32 characters";
	if (bad == NULL)
		return 0;
	return err_set(e, ERR_INPUT, "%s: %s: expected %s; restore the file "
	    "from a backup (a new key would log everybody out and lock Relay "
	    "out)", path, bad, want);
}

static int
read_keys_file(const char *path, struct keys *k, struct err *e)
{
	struct keys_file f;
	struct ynode *root = NULL;
	struct decoder d = { path, NULL, e, NULL };
	int rc;

	if (yaml_parse_file(path, 0, &root, e) < 0)
		return -1;
	if (root == NULL)
		return err_set(e, ERR_INPUT, "%s: the file is empty; expected the "
		    "keys sentry-ha-setup wrote (secret_key, rpc_secret, relay). "
		    "Restore it from a backup; removing it makes new keys, which "
		    "logs everybody out and locks Relay out", path);
	if (root->kind != Y_MAP) {
		const char *got = yn_kind_name(root->kind);

		yn_free(root);
		return err_set(e, ERR_INPUT, "%s: expected the mapping that "
		    "sentry-ha-setup writes (secret_key, rpc_secret, relay), got "
		    "%s", path, got);
	}
	memset(&f, 0, sizeof f);
	schema_init(keys_file_fields, &f);
	err_clear(e);
	rc = schema_decode(keys_file_fields, &f, root, "", &d);
	if (rc == 0)
		rc = check_keys_file(&f, path, e);
	yn_free(root);
	if (rc == 0) {
		k->secret_key = f.secret_key;
		k->rpc_secret = f.rpc_secret;
		k->relay_id = f.relay.id;
		k->relay_public_key = f.relay.public_key;
		k->relay_secret_key = f.relay.secret_key;
		return 0;
	}
	if (f.secret_key != NULL)
		OPENSSL_cleanse(f.secret_key, strlen(f.secret_key));
	if (f.relay.secret_key != NULL)
		OPENSSL_cleanse(f.relay.secret_key, strlen(f.relay.secret_key));
	schema_free(keys_file_fields, &f);
	return -1;
}

int
keys_load(const char *path, int want_relay, struct keys *k, struct err *e)
{
	memset(k, 0, sizeof *k);
	if (fs_exists(path)) {
		if (read_keys_file(path, k, e) < 0)
			return -1;
	} else if (make_secret_key(&k->secret_key, e) < 0) {
		return -1;
	} else {
		k->created |= KEYS_MADE_SECRET;
	}
	/* Files from before a key existed (or from a release without Relay)
	 * gain the missing key; the ones they hold are kept. */
	if (k->rpc_secret == NULL) {
		unsigned char raw[24];

		if (random_bytes(raw, sizeof raw, e) < 0)
			return -1;
		k->rpc_secret = base64url(raw, sizeof raw);
		k->created |= KEYS_MADE_RPC;
	}
	if (want_relay && k->relay_id == NULL) {
		if (make_relay_identity(k, e) < 0)
			return -1;
		k->created |= KEYS_MADE_RELAY;
	}
	return 0;
}

char *
keys_made_text(int created)
{
	static const struct { int bit; const char *what; } names[] = {
		{ KEYS_MADE_SECRET, "the Sentry secret key" },
		{ KEYS_MADE_RELAY, "the Relay identity" },
		{ KEYS_MADE_RPC, "the RPC secret" },
	};
	const char *said[3];
	size_t n = 0;

	for (size_t i = 0; i < 3; i++)
		if (created & names[i].bit)
			said[n++] = names[i].what;
	if (n == 3)
		return xasprintf("%s, %s and %s", said[0], said[1], said[2]);
	if (n == 2)
		return xasprintf("%s and %s", said[0], said[1]);
	return xstrdup(n == 1 ? said[0] : "nothing");
}

void
keys_free(struct keys *k)
{
	if (k->secret_key != NULL)
		OPENSSL_cleanse(k->secret_key, strlen(k->secret_key));
	if (k->relay_secret_key != NULL)
		OPENSSL_cleanse(k->relay_secret_key, strlen(k->relay_secret_key));
	free(k->secret_key);
	free(k->relay_id);
	free(k->relay_public_key);
	free(k->relay_secret_key);
	free(k->rpc_secret);
	memset(k, 0, sizeof *k);
}
