/*
 * One run of a command over an answers file: the profiles, the answers, the
 * keys, the plan and the rule catalogue, loaded in that order. The CLI
 * commands (and later the wizard) share it.
 */
#ifndef SHS_SESSION_H
#define SHS_SESSION_H

#include "answers.h"
#include "err.h"
#include "keys.h"
#include "plan.h"
#include "profile.h"
#include "rule_texts.h"
#include "rules.h"

struct session {
	struct releases		 releases;
	struct answers		 a;
	struct keys		 k;
	struct plan		 pl;
	struct rule_texts	 rules;
	const struct profile	*profile;
	char			*data_dir;	/* holds profiles/ and assets/ */
	char			*assets_dir;
	char			*keys_path;
	int			 have_answers, have_plan, have_rules;
};

/*
 * Loads everything for the answers file `answers_path`, planning with
 * `plan_flags` (plan.h). `target` overrides the answers' target.kind when
 * not NULL. On failure `e` says why; session_close() is always called.
 */
int	session_open(struct session *s, const char *data_dir,
	    const char *answers_path, const char *target, int plan_flags,
	    struct err *e);
/* The same, with the {file:} secrets held to `secrets_dir` (plan.h). */
int	session_open_secrets(struct session *s, const char *data_dir,
	    const char *answers_path, const char *target, int plan_flags,
	    const char *secrets_dir, struct err *e);
/* The same over answers in memory; `answers_path` is where they belong (the
 * keys beside it, {file:} secrets relative to it). */
int	session_open_text(struct session *s, const char *data_dir,
	    const char *text, const char *answers_path, int plan_flags,
	    struct err *e);
void	session_close(struct session *s);

/* Loads the profiles and the rule catalogue only (explain without answers). */
int	session_open_data(struct session *s, const char *data_dir, struct err *e);

#endif
