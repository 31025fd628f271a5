/*
 * The upgrade's record beside the answers (upgrade_state.h): a YAML list
 * of hops, each with the time its backup was confirmed and the time it
 * was verified.
 */
#include "upgrade_state.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fsutil.h"
#include "ynode.h"

static const char *const fields[] = { "from", "to", "backup_done", "verified" };

static char **
field_of(struct hop_record *r, size_t i)
{
	char **slots[] = { &r->from, &r->to, &r->backup_done, &r->verified };

	return slots[i];
}

static int
read_hop(struct hop_record *r, const struct ynode *n, const char *path,
    struct err *e)
{
	if (n->kind != Y_MAP)
		return err_set(e, ERR_INPUT, "%s:%d: a hop must be a mapping of "
		    "from, to, backup_done and verified", path, n->line);
	for (size_t i = 0; i < n->n; i++) {
		const struct ypair *kv = &n->pairs[i];
		size_t f;

		for (f = 0; f < 4 && strcmp(fields[f], kv->key) != 0; f++)
			;
		if (f == 4 || kv->val->kind != Y_SCALAR)
			return err_set(e, ERR_INPUT, "%s:%d: %s: expected one of "
			    "from, to, backup_done, verified, each a text", path,
			    kv->line, kv->key);
		*field_of(r, f) = xstrdup(kv->val->text);
	}
	if (r->from == NULL || r->to == NULL)
		return err_set(e, ERR_INPUT, "%s:%d: a hop needs from and to",
		    path, n->line);
	return 0;
}

static int
read_hops(struct upgrade_state *s, const struct ynode *doc, struct err *e)
{
	const struct ynode *hops = doc ? yn_get(doc, "hops") : NULL;

	if (doc == NULL)
		return 0;
	if (doc->kind != Y_MAP || hops == NULL || hops->kind != Y_SEQ)
		return err_set(e, ERR_INPUT, "%s:%d: expected a mapping with a list "
		    "`hops:` (written by sentry-ha-setup upgrade)", s->path,
		    doc->line);
	s->v = xcalloc(hops->n + 1, sizeof *s->v);
	for (size_t i = 0; i < hops->n; i++, s->n++)
		if (read_hop(&s->v[i], hops->items[i], s->path, e) < 0) {
			s->n++;
			return -1;
		}
	return 0;
}

int
upgrade_state_load(struct upgrade_state *s, const char *answers_path,
    struct err *e)
{
	struct ynode *doc = NULL;
	int rc;

	memset(s, 0, sizeof *s);
	s->path = xasprintf("%s.upgrade", answers_path);
	if (!fs_exists(s->path))
		return 0;
	rc = yaml_parse_file(s->path, 0, &doc, e);
	if (rc == 0)
		rc = read_hops(s, doc, e);
	yn_free(doc);
	return rc;
}

int
upgrade_state_save(const struct upgrade_state *s, struct err *e)
{
	struct ynode *doc = yn_map(), *hops = yn_set_seq(doc, "hops");
	int rc;

	for (size_t i = 0; i < s->n; i++) {
		struct ynode *hop = yn_seq_add(hops, yn_map());

		for (size_t f = 0; f < 4; f++) {
			const char *text = *field_of(&s->v[i], f);

			if (text != NULL)
				yn_map_set(hop, fields[f], yn_quoted(text));
		}
	}
	rc = yaml_save(s->path, "# What sentry-ha-setup upgrade has recorded: "
	    "when each hop's backup was\n# confirmed (--backup-done) and when "
	    "the hop was verified (--verify).\n", doc, 0600, e);
	yn_free(doc);
	return rc;
}

struct hop_record *
upgrade_state_hop(struct upgrade_state *s, const char *from, const char *to,
    int create)
{
	struct hop_record *r;

	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->v[i].from, from) == 0 && strcmp(s->v[i].to, to) == 0)
			return &s->v[i];
	if (!create)
		return NULL;
	s->v = xrealloc(s->v, (s->n + 1) * sizeof *s->v);
	r = memset(&s->v[s->n++], 0, sizeof *r);
	r->from = xstrdup(from);
	r->to = xstrdup(to);
	return r;
}

void
upgrade_state_free(struct upgrade_state *s)
{
	for (size_t i = 0; i < s->n; i++)
		for (size_t f = 0; f < 4; f++)
			free(*field_of(&s->v[i], f));
	free(s->v);
	free(s->path);
	memset(s, 0, sizeof *s);
}

char *
upgrade_time_now(void)
{
	char text[32];
	time_t now = time(NULL);
	struct tm utc;

	gmtime_r(&now, &utc);
	strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
	return xstrdup(text);
}
