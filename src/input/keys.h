/*
 * Keys generated once per deployment and kept beside the answers file (in
 * NAME.keys.yaml, mode 0600) so every run produces the same output: the
 * Sentry secret key, which every Sentry container must share, and the Relay
 * identity that Sentry is told to trust.
 */
#ifndef SHS_KEYS_H
#define SHS_KEYS_H

#include "err.h"

struct keys {
	char	*secret_key;		/* 50 characters, as install.sh makes */
	char	*relay_id;		/* UUID v4 */
	char	*relay_public_key;	/* Ed25519, base64url without padding */
	char	*relay_secret_key;	/* Ed25519 seed + public key, base64url */
	char	*rpc_secret;		/* shared by taskworkers and launchpad */
	int	 created;		/* KEYS_MADE_*: what this run made that
					 * the file lacked (0: nothing to save) */
};

#define KEYS_MADE_SECRET	0x1	/* the Sentry secret key */
#define KEYS_MADE_RPC		0x2	/* the RPC secret */
#define KEYS_MADE_RELAY		0x4	/* the Relay identity */

/* The keys file that belongs to an answers file: "x.yaml" -> "x.keys.yaml".
 * Owned by the caller. */
char	*keys_path_for(const char *answers_path);

/* Reads `path` if it exists and generates in memory what is missing (the
 * relay identity only when `want_relay`); k->created tells what, and so
 * whether keys_save() must be called once the run has succeeded. A file
 * that is there but empty or damaged is refused, never regenerated. */
int	keys_load(const char *path, int want_relay, struct keys *k,
	    struct err *e);
/* Writes the keys file atomically with mode 0600, durably (the file and
 * its folder synced) before the output that depends on it. */
int	keys_save(const char *path, const struct keys *k, struct err *e);
void	keys_free(struct keys *k);

/* "the Sentry secret key and the Relay identity", for `created`; owned by
 * the caller. */
char	*keys_made_text(int created);

/* Exposed for the tests: base64url without padding; owned by the caller. */
char	*base64url(const unsigned char *data, size_t len);

#endif
