/*
 * The conversation with a registry of the Docker Registry HTTP API v2
 * (registry_api.c), for the registry probe: GET /v2/, the login it asks
 * for (Basic, or a Bearer token from its realm), and HEAD on a manifest.
 * Every request is bounded by the probe's deadline; the password and the
 * tokens go to libcurl only, never into a result.
 */
#ifndef SHS_REGISTRY_API_H
#define SHS_REGISTRY_API_H

#include "probe_curl.h"
#include "registry_ref.h"

/* One conversation with the registry: a handle reused for every request,
 * so that they share one connection. */
struct reg {
	const struct probe_ctx	*c;
	CURL			*h;
	struct strbuf		 body;
	char			*base;		/* "https://host:port" (owned) */
	char			*host;		/* "host:port" (owned) */
	const char		*user;		/* NULL: anonymous (borrowed) */
	const char		*password;	/* borrowed from the plan */
	int			 insecure;
	int			 bearer;	/* the registry hands out tokens */
	struct kvlist		 tokens;	/* scope -> token; never shown */
	const char		*token;		/* the one sent (in tokens) */
	char			*realm;		/* the token server (owned) */
	long			 status;
};

/* GET /v2/ (again over plain HTTP for an insecure registry that does not
 * speak TLS: g->base changes). 0 with g->status, or -1 with r failed. */
int	registry_ping(struct reg *g, struct probe_result *r);
/* Logs in as the answer to GET /v2/ (g->status) asks, saying how in
 * `how`. 0, or -1 with r failed. */
int	registry_login(struct reg *g, struct strbuf *how, struct probe_result *r);
/* HEAD on an image's manifest, with the token its repository needs. 0 with
 * g->status, or -1 with r failed (no answer). */
int	registry_head_manifest(struct reg *g, const struct image_ref *ir,
	    struct probe_result *r);
/* A header of the last answer, or NULL (borrowed from the handle). */
const char *registry_header(struct reg *g, const char *name);

#endif
