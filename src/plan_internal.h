/* Shared between the plan_*.c files; not part of the core's interface. */
#ifndef SHS_PLAN_INTERNAL_H
#define SHS_PLAN_INTERNAL_H

#include <stddef.h>

#include "fsutil.h"
#include "plan.h"

/* Where the GCS credentials file is mounted in Sentry containers. */
#define GCS_CREDENTIALS_DIR	"/etc/sentry-gcs"
#define GCS_CREDENTIALS_PATH	GCS_CREDENTIALS_DIR "/credentials.json"

void	plan_fill_vars(struct plan *pl, const struct keys *k);
int	plan_fill_secrets(struct plan *pl, const struct keys *k, struct err *e);
int	plan_build_volumes(struct plan *pl, const char *assets_dir, struct err *e);
void	plan_apply_fixes(struct plan *pl);

/*
 * Expands ${variable} in a profile value. A value that is exactly
 * ${secret:KEY} yields *secret_key = KEY (owned) and *out = NULL; a secret
 * the answers do not have yields neither (the setting is left out), or,
 * for ${secret:KEY|VARIABLE}, the variable's value.
 * *source names the answer a variable came from, when the operator gave it
 * (owned, may be NULL). `where` names the value in messages.
 */
int	plan_subst(const struct plan *pl, const char *text, const char *where,
	    char **out, char **secret_key, char **source, struct err *e);

/* Sets (or replaces) an environment variable of a service. */
void	plan_set_env(struct plan_service *s, const char *name, const char *value,
	    const char *secret_key);
void	plan_add_mount(struct plan_service *s, const char *volume,
	    const char *path, int read_only);
/* Records what the plan did for a rule (changed), or why it did not need
 * to (!changed). */
void	plan_note(struct plan *pl, const char *rule, const char *service,
	    const char *what, int changed);

#endif
