/* Shared between the plan_*.c files; not part of the core's interface. */
#ifndef SHS_PLAN_INTERNAL_H
#define SHS_PLAN_INTERNAL_H

#include <stddef.h>

#include "fsutil.h"
#include "plan.h"

/* Where the GCS credentials file is mounted in Sentry containers. */
#define GCS_CREDENTIALS_DIR	"/etc/sentry-gcs"
#define GCS_CREDENTIALS_PATH	GCS_CREDENTIALS_DIR "/credentials.json"

struct answers;

/* The steps of plan_build(), in the order it takes them (one file each). */

/* plan_resolve.c: the settings, endpoints, hosts and topics from the
 * answers with their defaults; then their secret values (after the answers'
 * services were checked, so that an error there is reported first). */
int	plan_resolve(struct plan *pl, const struct answers *a, const char *kind,
	    struct err *e);
int	plan_resolve_secrets(struct plan *pl, const struct answers *a,
	    const struct keys *k, struct err *e);
/* plan_vars.c: the ${...} and {{...}} variables, from the plan. */
void	plan_fill_vars(struct plan *pl, const struct keys *k);
/* plan_services.c: the services and migrations of the profile. */
int	plan_build_services(struct plan *pl, const struct answers *a,
	    struct err *e);
/* plan_sizing.c: pl->size from the answers (before the services), then
 * what one replica of `s` reserves and its memory limit. */
int	plan_resolve_size(struct plan *pl, const struct answers *a,
	    struct err *e);
void	plan_size_service(const struct plan *pl, const struct answers *a,
	    struct plan_service *s);
/* plan_place.c: the target's placement answers (zones, priority class),
 * then one service's nodeSelector, tolerations and priority class; and
 * what those own. */
void	plan_resolve_place(struct plan *pl, const struct answers *a);
void	plan_place_service(const struct plan *pl, const struct answers *a,
	    struct plan_service *s);
void	plan_place_free(struct plan_service *s);
/* plan_fix.c: the rules the generator always satisfies. */
void	plan_apply_fixes(struct plan *pl);
/* plan_volumes.c: the volumes, with the rendered config files. */
int	plan_build_volumes(struct plan *pl, const char *assets_dir, struct err *e);

/* plan_resolve.c: the Redis URL Relay and uptime-checker take, with the
 * password when it is not NULL; owned by the caller. */
char	*plan_redis_url(const struct plan *pl, const char *password);
/* plan_services.c: does the service run with this deployment's features? */
int	plan_enabled(const struct plan *pl, const struct prof_service *ps);

/*
 * plan_services.c, for the steps after it:
 *
 * Expands ${variable} in a profile value. A value that is exactly
 * ${secret:KEY} yields *secret_ref = KEY (owned) and *out = NULL; a secret
 * the answers do not have yields neither (the setting is left out), or,
 * for ${secret:KEY|VARIABLE}, the variable's value.
 * *source names the answer a variable came from, when the operator gave it
 * (owned, may be NULL). `where` names the value in messages.
 */
int	plan_subst(const struct plan *pl, const char *text, const char *where,
	    char **out, char **secret_ref, char **source, struct err *e);

/* An image reference moved under the answers' registry, if any (owned). */
char	*plan_image_ref(const struct plan *pl, const char *ref);
/* plan_tls.c: reads tls.ca_file and checks the client certificates. */
int	plan_resolve_tls(struct plan *pl, const struct answers *a, struct err *e);
/* The air gap's answers and GeoIP (plan_offline.c); the variables that
 * turn the offline equivalents on, once cfg.* is set. */
int	plan_resolve_offline(struct plan *pl, const struct answers *a,
	    struct err *e);
void	plan_offline_vars(struct vars *vs, const struct plan *pl);

/* Sets (or replaces) an environment variable of a service. */
void	plan_set_env(struct plan_service *s, const char *name, const char *value,
	    const char *secret_ref);
void	plan_add_mount(struct plan_service *s, const char *volume,
	    const char *path, int read_only);
/* Records that `origin` changed `field` too: an earlier rule's origin is
 * kept, both are listed ("rule:a, rule:b"). */
void	plan_add_source(struct plan_service *s, const char *field,
	    const char *origin);
/* Records what the plan did for a rule (changed), or why it did not need
 * to (!changed). */
void	plan_note(struct plan *pl, const char *rule, const char *service,
	    const char *what, int changed);

#endif
