/*
 * An upgrade, hop by hop (upgrade.h). Each hop is planned from the
 * operator's own answers with only the release moved on, so that its
 * output is exactly what `generate` would write for that release; the
 * services the release renamed carry their answers to their successors,
 * the ones it dropped lose theirs (CHANGES.md says which).
 */
#include "upgrade.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answers_move.h"
#include "fsutil.h"
#include "runbook.h"
#include "targets.h"

static const struct plan *plan_before(const struct upgrade *u,
    const struct session *now, size_t i);

static int
plan_hop(struct upgrade_hop *h, const char *text, size_t len,
    const struct hop *hop, const struct session *now, const char *answers_path,
    const struct facts *facts, int flags, size_t index, struct err *e)
{
	int rc;

	h->dir = xasprintf("%02zu-%s-to-%s", index + 1, hop->from,
	    hop->to->release);
	h->answers = answers_moved(text, len, answers_path, hop->to, &h->carried,
	    &h->answers_kept, e);
	if (h->answers == NULL)
		return -1;
	rc = session_open_text(&h->s, now->data_dir, h->answers, answers_path,
	    flags & UPGRADE_IMAGES_ONLY ? PLAN_SECRETS_MAY_FAIL : 0, e);
	if (rc < 0)
		return err_append(e, ERR_INPUT, "the answers at Sentry %s (hop "
		    "%s) cannot be planned", hop->to->release, h->dir);
	rules_evaluate(&h->s.pl, facts, &h->f);
	return 0;
}

/* Where the deployment stands, as the first hop's first gates: databases
 * behind or ahead of the answers' release would start the chain in the
 * wrong place. */
static void
standing_gates(struct upgrade_hop *first, const struct session *now,
    const struct facts *facts)
{
	rules_reached(&now->pl, facts, REACH_STANDING, &first->f);
	findings_sort(&first->f);
}

int
upgrade_plan(struct upgrade *u, const struct session *now,
    const char *answers_path, const char *to, const struct facts *facts,
    int flags, struct err *e)
{
	struct chain c;
	char *text = NULL;
	size_t len;
	int rc;

	memset(u, 0, sizeof *u);
	u->from = xstrdup(now->pl.release);
	/* A new secret key would log every user out and break what Sentry
	 * signed: an upgrade goes on with the keys the deployment runs. */
	if ((now->k.created & KEYS_MADE_SECRET) && !(flags & UPGRADE_IMAGES_ONLY))
		return err_set(e, ERR_INPUT, "%s: no keys file beside the answers "
		    "(%s): an upgrade must keep the secret key the deployment "
		    "runs with; restore the file, or give sentry.secret_key",
		    answers_path, now->keys_path);
	rc = chain_build(&now->releases, now->pl.release, to, &c, e);
	if (rc == 0)
		rc = fs_read_file(answers_path, &text, &len, e);
	if (rc == 0) {
		u->v = xcalloc(c.n, sizeof *u->v);
		for (size_t i = 0; rc == 0 && i < c.n; i++, u->n++) {
			rc = plan_hop(&u->v[i], text, len, &c.v[i], now,
			    answers_path, facts, flags, i, e);
			if (rc == 0)
				hop_diff(plan_before(u, now, i)->profile,
				    u->v[i].s.pl.profile, &u->v[i].diff);
		}
	}
	if (rc == 0)
		standing_gates(&u->v[0], now, facts);
	free(text);
	chain_free(&c);
	return rc;
}

static void
add_file(struct outset *out, const char *dir, const char *name, char *text)
{
	char *path = xasprintf("%s/%s", dir, name);

	outset_add(out, path, text, 0644);
	free(path);
}

/* The hop's own output under its folder, then CHANGES.md and RUNBOOK.md. */
static int
render_hop(const struct upgrade_hop *h, const struct plan *before,
    const char *to, struct outset *out, struct err *e)
{
	struct outset own = { 0 };
	struct strbuf md = STRBUF_INIT, changes = STRBUF_INIT;
	int rc = target_find(h->s.pl.target.kind)->emit(&h->s.pl, &own, e);

	for (size_t i = 0; rc == 0 && i < own.n; i++) {
		char *path;

		/* The install's runbook: the hop has its own. */
		if (strcmp(own.v[i].path, "RUNBOOK.md") == 0)
			continue;
		path = xasprintf("%s/%s", h->dir, own.v[i].path);
		outset_add(out, path, xstrdup(own.v[i].content), own.v[i].mode);
		free(path);
	}
	outset_free(&own);
	if (rc < 0)
		return -1;
	sb_printf(&changes, "# What Sentry %s changes after %s\n\n",
	    h->s.pl.release, before->release);
	hop_diff_text(&h->diff, &changes);
	if (h->carried.n > 0) {
		sb_add(&changes, "### Answers carried over\n\n");
		for (size_t i = 0; i < h->carried.n; i++)
			sb_printf(&changes, "- `%s`\n", h->carried.v[i]);
		sb_add(&changes, "\n");
	}
	runbook_upgrade(before, &h->s.pl, &h->diff, h->dir, to, &md);
	add_file(out, h->dir, "CHANGES.md", sb_take(&changes));
	add_file(out, h->dir, "RUNBOOK.md", sb_take(&md));
	return 0;
}

/* The hop before hop i: the release the answers run, for the first. */
static const struct plan *
plan_before(const struct upgrade *u, const struct session *now, size_t i)
{
	return i == 0 ? &now->pl : &u->v[i - 1].s.pl;
}

static void
gates_text(const struct upgrade_hop *h, struct strbuf *md)
{
	size_t shown = 0;

	for (size_t i = 0; i < h->f.n; i++) {
		const struct finding *f = &h->f.v[i];

		if (f->severity == SEV_INFO)
			continue;
		sb_printf(md, "  - %s `%s`: %s\n", f->severity == SEV_ERROR ?
		    "error" : "warning", f->rule, f->message);
		shown++;
	}
	if (shown == 0)
		sb_add(md, "  - no gate fails\n");
}

int
upgrade_render(const struct upgrade *u, const struct session *now,
    struct outset *out, struct err *e)
{
	struct strbuf md = STRBUF_INIT;

	sb_printf(&md, "# Upgrading Sentry %s to %s\n\nSentry refuses to skip "
	    "a hard stop, so the way is %zu hop%s, each in its own folder with "
	    "that release's complete output, what it changes (`CHANGES.md`) "
	    "and its steps (`RUNBOOK.md`). Finish and verify each hop before "
	    "the next.\n\n", u->from, u->v[u->n - 1].s.pl.release, u->n,
	    u->n == 1 ? "" : "s");
	for (size_t i = 0; i < u->n; i++) {
		const struct upgrade_hop *h = &u->v[i];

		sb_printf(&md, "%zu. [`%s/`](%s/RUNBOOK.md): Sentry %s%s; gates:\n",
		    i + 1, h->dir, h->dir, h->s.pl.release,
		    h->s.pl.profile->hard_stop ? " (hard stop)" : "");
		gates_text(h, &md);
		if (render_hop(h, plan_before(u, now, i),
		    u->v[u->n - 1].s.pl.release, out, e) < 0) {
			sb_free(&md);
			return -1;
		}
	}
	outset_add(out, "UPGRADE.md", sb_take(&md), 0644);
	return 0;
}

void
upgrade_findings(const struct upgrade *u, struct findings *out)
{
	memset(out, 0, sizeof *out);
	for (size_t i = 0; i < u->n; i++)
		for (size_t j = 0; j < u->v[i].f.n; j++) {
			const struct finding *f = &u->v[i].f.v[j];
			char *message = xasprintf("Sentry %s: %s", u->v[i].s.pl.release,
			    f->message);

			out->v = xrealloc(out->v, (out->n + 1) * sizeof *out->v);
			out->v[out->n] = *f;
			out->v[out->n].subject = f->subject ? xstrdup(f->subject) :
			    NULL;
			out->v[out->n].field = f->field ? xstrdup(f->field) : NULL;
			out->v[out->n].message = message;
			out->v[out->n].order = out->n;
			out->n++;
		}
	out->cap = out->n;
}

void
upgrade_free(struct upgrade *u)
{
	for (size_t i = 0; i < u->n; i++) {
		free(u->v[i].dir);
		free(u->v[i].answers);
		findings_free(&u->v[i].f);
		hop_diff_free(&u->v[i].diff);
		sl_free(&u->v[i].carried);
		session_close(&u->v[i].s);
	}
	free(u->v);
	free(u->from);
	memset(u, 0, sizeof *u);
}
