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

#include "runbook.h"
#include "targets.h"

/* The answers at `p`'s release: sentry.version moved on, and services the
 * release lacks carried to their successor or left out (noted). */
static char *
answers_at(const struct ynode *doc, const struct profile *p,
    struct strlist *notes, struct err *e)
{
	struct ynode *copy = yn_copy(doc), *sentry = yn_get(copy, "sentry");
	struct ynode *services = yn_get(copy, "services");
	struct strbuf text = STRBUF_INIT;

	if (sentry == NULL || sentry->kind != Y_MAP)
		sentry = yn_set_map(copy, "sentry");
	yn_map_put(sentry, "version", yn_quoted(p->release));
	for (size_t i = services && services->kind == Y_MAP ? services->n : 0;
	    i-- > 0;) {
		const char *name = services->pairs[i].key, *to;
		enum carry c = profile_carry(p, services, name, &to);
		char *note;

		if (c == CARRY_KEEP)
			continue;
		if (c == CARRY_MOVE) {
			yn_map_put(services, to, yn_copy(services->pairs[i].val));
			note = xasprintf("services.%s -> services.%s", name, to);
		} else {
			note = xasprintf("services.%s: left out (Sentry %s has no "
			    "such service)", name, p->release);
		}
		sl_add_owned(notes, note);
		yn_map_del(services, name);
	}
	if (yaml_emit(copy, 0, &text, e) < 0) {
		yn_free(copy);
		sb_free(&text);
		return NULL;
	}
	yn_free(copy);
	return sb_take(&text);
}

static const struct plan *plan_before(const struct upgrade *u,
    const struct session *now, size_t i);

static int
plan_hop(struct upgrade_hop *h, const struct ynode *doc, const struct hop *hop,
    const struct session *now, const char *answers_path,
    const struct facts *facts, size_t index, struct err *e)
{
	char *text = answers_at(doc, hop->to, &h->carried, e);
	int rc;

	h->dir = xasprintf("%02zu-%s-to-%s", index + 1, hop->from,
	    hop->to->release);
	if (text == NULL)
		return -1;
	rc = session_open_text(&h->s, now->data_dir, text, answers_path, 0, e);
	free(text);
	if (rc < 0)
		return err_append(e, ERR_INPUT, "the answers at Sentry %s (hop "
		    "%s) cannot be planned", hop->to->release, h->dir);
	rules_evaluate(&h->s.pl, facts, &h->f);
	return 0;
}

int
upgrade_plan(struct upgrade *u, const struct session *now,
    const char *answers_path, const char *to, const struct facts *facts,
    struct err *e)
{
	struct chain c;
	struct ynode *doc = NULL;
	int rc;

	memset(u, 0, sizeof *u);
	u->from = xstrdup(now->pl.release);
	/* A new secret key would log every user out and break what Sentry
	 * signed: an upgrade goes on with the keys the deployment runs. */
	if (now->k.created & KEYS_MADE_SECRET)
		return err_set(e, ERR_INPUT, "%s: no keys file beside the answers "
		    "(%s): an upgrade must keep the secret key the deployment "
		    "runs with; restore the file, or give sentry.secret_key",
		    answers_path, now->keys_path);
	rc = chain_build(&now->releases, now->pl.release, to, &c, e);
	if (rc == 0)
		rc = yaml_parse_file(answers_path, 0, &doc, e);
	if (rc == 0) {
		u->v = xcalloc(c.n, sizeof *u->v);
		for (size_t i = 0; rc == 0 && i < c.n; i++, u->n++) {
			rc = plan_hop(&u->v[i], doc, &c.v[i], now, answers_path,
			    facts, i, e);
			if (rc == 0)
				hop_diff(plan_before(u, now, i)->profile,
				    u->v[i].s.pl.profile, &u->v[i].diff);
		}
	}
	yn_free(doc);
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
    struct outset *out, struct err *e)
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
	runbook_upgrade(before, &h->s.pl, &h->diff, h->dir, &md);
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
		if (render_hop(h, plan_before(u, now, i), out, e) < 0) {
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
		findings_free(&u->v[i].f);
		hop_diff_free(&u->v[i].diff);
		sl_free(&u->v[i].carried);
		session_close(&u->v[i].s);
	}
	free(u->v);
	free(u->from);
	memset(u, 0, sizeof *u);
}
