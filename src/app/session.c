#include "session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suggest.h"
#include "targets.h"


/* The profile the answers ask for, or an error naming the known ones. */
static const struct profile *
pick_profile(const struct releases *c, const struct answers *a, struct err *e)
{
	const struct profile *p = releases_find(c, a->sentry.version);
	const char *names[64];
	char where[512], known[512] = "";
	const char *close;
	size_t n = 0;

	if (p != NULL)
		return p;
	for (size_t i = 0; i < c->n && i < 63; i++) {
		names[n++] = c->v[i].release;
		snprintf(known + strlen(known), sizeof known - strlen(known),
		    "%s%s", i ? ", " : "", c->v[i].release);
	}
	names[n] = NULL;
	close = suggest(a->sentry.version, names);
	srcmap_where(&a->where, "sentry.version", where, sizeof where);
	err_set(e, ERR_INPUT, "%ssentry.version: no profile for Sentry \"%s\"%s%s%s; "
	    "known releases: %s (sentry-ha-setup profiles)", where,
	    a->sentry.version, close ? " (did you mean \"" : "", close ? close : "",
	    close ? "\"?)" : "", known);
	return NULL;
}

static int
check_target(const char *target, const struct answers *a, struct err *e)
{
	const char *t = target ? target : a->target.kind;

	if (target_find(t) != NULL)
		return 0;
	/* From the flag, a usage error; target.kind was checked with the
	 * answers. */
	return err_set(e, target ? ERR_USAGE : ERR_INPUT, "--target %s: "
	    "expected %s", t, target_names());
}

int
session_open_data(struct session *s, const char *data_dir, struct err *e)
{
	char *profiles;
	int rc;

	memset(s, 0, sizeof *s);
	s->data_dir = xstrdup(data_dir);
	s->assets_dir = xasprintf("%s/assets", data_dir);
	profiles = xasprintf("%s/profiles", data_dir);
	rc = releases_load(profiles, &s->releases, e);
	free(profiles);
	if (rc == 0) {
		rc = rule_texts_load(s->assets_dir, &s->rules, e);
		s->have_rules = 1;
	}
	return rc;
}

/* The rest of an opening, once the answers are read: the target, the
 * profile, the keys, the plan. */
static int
finish_open(struct session *s, const char *target, int plan_flags,
    const char *secrets_dir, struct err *e)
{
	int rc = check_target(target, &s->a, e);

	if (rc == 0 && (s->profile = pick_profile(&s->releases, &s->a, e)) == NULL)
		rc = -1;
	if (rc == 0)
		rc = keys_load(s->keys_path,
		    profile_service(s->profile, "relay") != NULL, &s->k, e);
	if (rc == 0) {
		struct plan_opts opts = { target ? target : s->a.target.kind,
		    s->assets_dir, plan_flags, secrets_dir };

		rc = plan_build(&s->a, s->profile, &s->k, &opts, &s->pl, e);
		s->have_plan = 1;
	}
	return rc;
}

int
session_open(struct session *s, const char *data_dir, const char *answers_path,
    const char *target, int plan_flags, struct err *e)
{
	return session_open_secrets(s, data_dir, answers_path, target,
	    plan_flags, NULL, e);
}

int
session_open_secrets(struct session *s, const char *data_dir,
    const char *answers_path, const char *target, int plan_flags,
    const char *secrets_dir, struct err *e)
{
	int rc = session_open_data(s, data_dir, e);

	s->keys_path = keys_path_for(answers_path);
	if (rc == 0) {
		rc = answers_load(answers_path, &s->a, e);
		s->have_answers = 1;
	}
	return rc == 0 ? finish_open(s, target, plan_flags, secrets_dir, e) : rc;
}

int
session_open_text(struct session *s, const char *data_dir, const char *text,
    const char *answers_path, int plan_flags, struct err *e)
{
	int rc = session_open_data(s, data_dir, e);

	s->keys_path = keys_path_for(answers_path);
	if (rc == 0) {
		rc = answers_parse(text, strlen(text), answers_path, &s->a, e);
		s->have_answers = 1;
	}
	return rc == 0 ? finish_open(s, NULL, plan_flags, NULL, e) : rc;
}

void
session_close(struct session *s)
{
	if (s->have_plan)
		plan_free(&s->pl);
	if (s->have_answers)
		answers_free(&s->a);
	if (s->have_rules)
		rule_texts_free(&s->rules);
	releases_free(&s->releases);
	keys_free(&s->k);
	free(s->keys_path);
	free(s->assets_dir);
	free(s->data_dir);
	memset(s, 0, sizeof *s);
}
