/*
 * The parts of the Docker Registry HTTP API v2 that are pure text, for the
 * registry probe (probe_registry.c) and its unit tests: an image reference
 * split into the registry's host, the repository's name and the tag or
 * digest, and the WWW-Authenticate challenge of a registry that asks for a
 * login.
 */
#ifndef SHS_REGISTRY_REF_H
#define SHS_REGISTRY_REF_H

/* "registry.internal:5000/sentry/getsentry/sentry:26.8.0" as the API
 * addresses it. */
struct image_ref {
	char	*host;		/* "registry.internal:5000"; "docker.io" */
	char	*name;		/* "sentry/getsentry/sentry" */
	char	*reference;	/* the tag "26.8.0", or "sha256:..." */
};

/*
 * Splits `ref` as Docker does: the first part is the registry's host when
 * it has a '.' or a ':' or is "localhost" (else Docker Hub, where a name of
 * one part is under library/); a digest (@sha256:...) wins over a tag; no
 * tag is "latest". 0, or -1 when `ref` names no repository. Fills `out`
 * (owned by the caller: image_ref_free) only on success.
 */
int	image_ref_split(const char *ref, struct image_ref *out);
void	image_ref_free(struct image_ref *r);

/* A WWW-Authenticate challenge: `Bearer realm="...",service="...",
 * scope="..."` or `Basic realm="..."`. */
struct auth_challenge {
	char	*scheme;	/* "Bearer", "Basic" (as sent) */
	char	*realm;		/* NULL when not given */
	char	*service;
	char	*scope;
};

/* Parses the first challenge of `header` (its parameters' quoted strings
 * unescaped). 0, or -1 when it holds none. `out` is owned by the caller
 * (auth_challenge_free) either way. */
int	auth_challenge_parse(const char *header, struct auth_challenge *out);
void	auth_challenge_free(struct auth_challenge *c);

/* Is `host` ("127.0.0.1:5000", "[::1]:5000", "localhost") this machine's
 * loopback, where Docker allows a registry without verified TLS? */
int	registry_host_loopback(const char *host);

#endif
