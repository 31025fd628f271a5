/*
 * The wizard's steps that run the core: a live check of one form, the
 * rules over the answers, and the output with what it changes on disk.
 */
#include "wiz_run.h"

#include <stdlib.h>
#include <string.h>

#include "answers.h"

/* Sections every plan needs, and a harmless stand-in for each: a form's
 * check only contacts its own endpoint (probe_opts.only), the others are
 * there so that the plan can be built before they are answered. */
static const struct {
	const char	*section;
	const char	*yaml;
} stand_ins[] = {
	{ "postgres", "{host: localhost}" },
	{ "redis", "{host: localhost}" },
	{ "kafka", "{brokers: [\"localhost:9092\"]}" },
	{ "clickhouse", "{host: localhost}" },
	{ "memcached", "{hosts: [\"localhost:11211\"]}" },
};

static struct ynode *
parsed(const char *yaml)
{
	struct ynode *n = NULL;
	struct err e;

	(void)yaml_parse(yaml, strlen(yaml), "stand-in", 0, &n, &e);
	return n;
}

/* The shared volume's stand-in fits the target: a claim is Kubernetes'. */
static struct ynode *
filestore_stand_in(const struct ynode *doc)
{
	const char *kind = yn_path_text(doc, "target.kind");

	return parsed(kind != NULL && strcmp(kind, "swarm") == 0 ?
	    "{backend: filesystem, shared_volume: {kind: nfs, nfs: {server: "
	    "localhost, path: /stand-in}}}" :
	    "{backend: filesystem, shared_volume: {kind: pvc}}");
}

char *
wiz_probe_answers(const struct wiz *w, size_t screen)
{
	const char *own = wiz_screen_at(screen)->id;
	struct ynode *doc, *n;
	struct strbuf out = STRBUF_INIT;
	struct err e;

	/* A stand-in for the form itself would check somebody else. */
	if (yn_get(w->doc, own) == NULL)
		return NULL;
	doc = yn_map();
	yn_set_int(doc, "schema", ANSWERS_SCHEMA);
	if ((n = yn_get(w->doc, "sentry")) != NULL)
		yn_map_set(doc, "sentry", yn_copy(n));
	n = yn_get(w->doc, "target");
	yn_map_set(doc, "target", n ? yn_copy(n) : parsed("{kind: kubernetes}"));
	for (size_t i = 0; i < sizeof stand_ins / sizeof stand_ins[0]; i++) {
		n = strcmp(own, stand_ins[i].section) == 0 ?
		    yn_get(w->doc, own) : NULL;
		yn_map_set(doc, stand_ins[i].section, n ? yn_copy(n) :
		    parsed(stand_ins[i].yaml));
	}
	n = yn_get(w->doc, own);
	if (n != NULL && yn_get(doc, own) == NULL)	/* smtp, zookeeper, ... */
		yn_map_set(doc, own, yn_copy(n));
	if (yn_get(doc, "filestore") == NULL)
		yn_map_set(doc, "filestore", filestore_stand_in(w->doc));
	/* Put, not set: the Hosts screen's own section is in already. */
	if ((n = yn_get(w->doc, "hosts")) != NULL)
		yn_map_put(doc, "hosts", yn_copy(n));
	if (yaml_emit(doc, 0, &out, &e) < 0)
		sb_add(&out, "");
	yn_free(doc);
	return sb_take(&out);
}

int
wiz_probe_run(const char *data_dir, const char *answers_text,
    const char *answers_path, const char *keys, long timeout_ms,
    int accept_new_host_keys, struct probe_results *out, struct err *e)
{
	/* On the heap: a probe that overran may read its plan after this
	 * returns, and is then left the session (below). */
	struct session *s = xcalloc(1, sizeof *s);
	struct strlist only = { 0 };
	struct probe_opts o = { .timeout_ms = timeout_ms, .only = &only,
		.accept_new_host_keys = accept_new_host_keys };
	struct facts facts;
	int rc;

	memset(out, 0, sizeof *out);
	sl_split(&only, keys, ',');
	facts_init(&facts);
	rc = session_open_text(s, data_dir, answers_text, answers_path, 0, e);
	if (rc == 0)
		rc = probe_all(&s->pl, &o, out, &facts, e);
	facts_free(&facts);
	if (!out->abandoned) {
		session_close(s);
		free(s);
	}
	sl_free(&only);
	return rc;
}

int
wiz_review(const struct wiz *w, const struct facts *facts, struct session *s,
    struct findings *f, struct err *e)
{
	memset(f, 0, sizeof *f);
	struct facts known;

	if (session_open(s, w->data_dir, w->path, NULL, PLAN_NO_SECRET_VALUES,
	    e) < 0)
		return -1;
	if (facts == NULL) {
		rules_evaluate(&s->pl, NULL, f);
		return 0;
	}
	/* A view of the facts that knows this session's releases, so that the
	 * migration rules can name the release the databases are at (the
	 * check's own session is gone). */
	known = *facts;
	known.releases = &s->releases;
	rules_evaluate(&s->pl, &known, f);
	return 0;
}
