/* sentry-ha-setup explain: a rule, a service, or the list of rules. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answers.h"
#include "cli.h"
#include "explain_place.h"
#include "fsutil.h"
#include "k8s.h"
#include "plan_flows.h"
#include "session.h"
#include "suggest.h"

static void
usage(const struct cli_opt *opts)
{
	printf("Usage: sentry-ha-setup explain [RULE | SERVICE] [-a FILE]\n\n"
	    "With no argument, lists the rules. With a rule id, explains it: why "
	    "it exists,\nthe fix, and the source. With a service name, shows its "
	    "role, what it talks to,\nits volumes, the rules that concern it, and "
	    "where each value that is not the\nrelease's default came from (read "
	    "from the answers file).\n\n");
	cli_print_options(opts);
}

static void
paragraph(const char *label, const char *text)
{
	struct strbuf sb = STRBUF_INIT;

	sb_wrap(&sb, "  ", text, 2, 78);
	printf("%s\n%s\n", label, sb_str(&sb));
	sb_free(&sb);
}

static void
list_rules(const struct rule_texts *c)
{
	printf("The rules of a highly available Sentry (sentry-ha-setup explain "
	    "RULE):\n\n");
	for (size_t i = 0; i < rule_count(); i++) {
		const struct rule_text *t = rule_texts_find(c, rule_id(i));

		printf("  %-38s %-8s %s\n", t->id, t->severity, t->title);
	}
}

static void
show_rule(const struct rule_text *t)
{
	printf("%s: %s\n", t->id, t->title);
	printf("severity: %s; releases: %s\n\n", t->severity, t->releases);
	paragraph("Why", t->why);
	paragraph("Fix", t->fix);
	paragraph("Source", t->source);
}

/* What a service talks to, from its image and its environment. */
static void
talks_to(const struct plan_service *s, struct strlist *out)
{
	static const struct { const char *image, *peers; } by_image[] = {
		{ "sentry", "PostgreSQL, Redis, Kafka and Memcached (sentry.conf.py)" },
		{ "snuba", "ClickHouse, Kafka and Redis" },
		{ "relay", "Kafka, Redis and web (its upstream)" },
		{ "taskbroker", "Kafka" },
		{ "vroom", "Kafka and snuba-api" },
		{ "uptime-checker", "Kafka and Redis" },
		{ "launchpad", "Kafka, taskbroker and web" },
		{ "nginx", "relay and web" },
	};

	for (size_t i = 0; i < sizeof by_image / sizeof by_image[0]; i++)
		if (plan_uses_image(s, by_image[i].image))
			sl_add(out, by_image[i].peers);
	for (size_t i = 0; i < s->nenv; i++) {
		const char *v = s->env[i].value, *host, *end;

		if (v == NULL || strncmp(v, "http://", 7) != 0)
			continue;
		host = v + 7;
		end = host + strcspn(host, ":/");
		{
			char *name = xstrndup(host, (size_t)(end - host));

			if (!sl_contains(out, name))
				sl_add(out, name);
			free(name);
		}
	}
}

static const char *
volume_kind(const struct plan_volume *v)
{
	static const char *const kinds[] = {
		[BACK_CONFIG] = "configuration files",
		[BACK_CLAIM] = "a ReadWriteMany claim shared by every replica",
		[BACK_NFS] = "an NFS export shared by every replica",
		[BACK_SSHFS] = "one host's folder over SSH, shared by every replica",
		[BACK_HOSTPATH] = "a folder every node mounts, bound in every replica",
		[BACK_PER_REPLICA] = "a claim per replica",
		[BACK_SCRATCH] = "per-pod scratch space",
		[BACK_SECRET] = "files from the Secret",
	};

	return kinds[v->backing];
}

static void
show_volumes(const struct plan *pl, const struct plan_service *s)
{
	for (size_t i = 0; i < s->nmounts; i++) {
		const struct plan_volume *v = plan_volume(pl, s->mounts[i].volume);

		printf("  %-12s %s at %s%s: %s\n", i ? "" : "volumes",
		    s->mounts[i].volume, s->mounts[i].path,
		    s->mounts[i].read_only ? " (read-only)" : "",
		    v ? volume_kind(v) : "?");
	}
}

static void
show_sources(const struct session *ss, const struct plan_service *s)
{
	if (s->sources.n == 0) {
		printf("  %-12s every value is the release's default\n", "sources");
		return;
	}
	printf("  sources      values that are not the release's default:\n");
	for (size_t i = 0; i < s->sources.n; i++) {
		const char *src = s->sources.v[i].value;
		const struct srcpos *p = strncmp(src, "answers:", 8) == 0 ?
		    srcmap_find(&ss->pl.where, src + 8) : NULL;

		printf("    %-40s %s", s->sources.v[i].key, src);
		if (p != NULL)
			printf(" (%s:%d:%d)", ss->pl.answers_file, p->line, p->col);
		printf("\n");
	}
}

/* With NetworkPolicies: what may reach the service, what it may reach. */
static void
show_network(const struct plan *pl, const struct plan_service *s)
{
	struct strbuf sb = STRBUF_INIT;
	char *text;

	if (!pl->target.network_policy ||
	    strcmp(pl->target.kind, "kubernetes") != 0)
		return;
	text = plan_flows_explain(pl, s->name);
	sb_wrap(&sb, "  network      ", text, 15, 78);
	fputs(sb_str(&sb), stdout);
	sb_free(&sb);
	free(text);
}

/* Kubernetes only: Swarm runs the images as they are. */
static void
show_security(const struct plan *pl, const struct plan_service *s)
{
	struct strbuf sec = STRBUF_INIT;
	char *text;

	if (strcmp(pl->target.kind, "kubernetes") != 0)
		return;
	text = k8s_secure_summary(pl, s);
	sb_wrap(&sec, "  security     ", text, 15, 78);
	fputs(sb_str(&sec), stdout);
	sb_free(&sec);
	free(text);
}

static void
show_service(const struct session *ss, const struct plan_service *s,
    const struct findings *f)
{
	struct strlist peers = { 0 };
	char *cmd = sl_join(&s->args, " "), *peer_list;

	talks_to(s, &peers);
	peer_list = sl_join(&peers, "; ");
	printf("%s (Sentry %s)%s%s\n\n", s->name, ss->pl.release,
	    s->prof->description ? ": " : "",
	    s->prof->description ? s->prof->description : "");
	{
		struct strbuf role = STRBUF_INIT;
		char *text = xasprintf("%s: %s", role_names[s->role],
		    role_meanings[s->role]);

		sb_wrap(&role, "  role         ", text, 15, 78);
		fputs(sb_str(&role), stdout);
		sb_free(&role);
		free(text);
	}
	printf("  %-12s %s\n", "image", s->image);
	printf("  %-12s %s\n", "command", cmd[0] ? cmd : "(the image's default)");
	if (s->role != ROLE_JOB && s->role != ROLE_SCHEDULED)
		printf("  %-12s %ld\n", "replicas", s->replicas);
	if (s->role != ROLE_JOB && s->role != ROLE_SCHEDULED) {
		char *scale = plan_scale_text(&ss->pl, s);

		printf("  %-12s %s\n", "autoscaling", scale);
		free(scale);
	}
	if (s->prof->schedule)
		printf("  %-12s %s\n", "schedule", s->prof->schedule);
	if (s->prof->topic)
		printf("  %-12s Kafka topic %s\n", "consumes", s->prof->topic);
	if (peers.n)
		printf("  %-12s %s\n", "talks to", peer_list);
	show_network(&ss->pl, s);
	{
		struct strbuf place = STRBUF_INIT;

		explain_placement(&ss->pl, s, &place);
		fputs(sb_str(&place), stdout);
		sb_free(&place);
	}
	show_security(&ss->pl, s);
	show_volumes(&ss->pl, s);
	show_sources(ss, s);
	printf("\n  rules that concern it:\n");
	for (size_t i = 0; i < f->n; i++)
		if (f->v[i].subject && strcmp(f->v[i].subject, s->name) == 0)
			printf("    %-8s %s: %s\n", severity_names[f->v[i].severity],
			    f->v[i].rule, f->v[i].message);
	for (size_t i = 0; i < ss->pl.nfixes; i++)
		if (ss->pl.fixes[i].service &&
		    strcmp(ss->pl.fixes[i].service, s->name) == 0)
			printf("    %-8s %s: %s\n", ss->pl.fixes[i].changed ?
			    "applied" : "holds", ss->pl.fixes[i].rule,
			    ss->pl.fixes[i].what);
	free(cmd);
	free(peer_list);
	sl_free(&peers);
}

/* The first word of `text` that names a service of the plan ("it became
 * taskscheduler (...)" -> "taskscheduler"), or NULL; borrowed from the plan. */
static const char *
service_named_in(const struct plan *pl, const char *text)
{
	static const char word_chars[] = "abcdefghijklmnopqrstuvwxyz0123456789-";

	while (*text != '\0') {
		size_t len = strspn(text, word_chars);

		if (len > 0) {
			char *word = xstrndup(text, len);
			const struct plan_service *svc = plan_service(pl, word);

			free(word);
			if (svc != NULL)
				return svc->name;
		}
		text += len + (text[len] != '\0');
	}
	return NULL;
}

/* The other releases that run a service called `name`, with the verb:
 * "24.8.0 and 26.8.0 run"; owned by the caller, NULL for none. */
static char *
releases_with(const struct session *ss, const char *name)
{
	struct strlist with = { 0 };
	char *list;

	for (size_t i = 0; i < ss->releases.n; i++)
		if (&ss->releases.v[i] != ss->profile &&
		    profile_service(&ss->releases.v[i], name) != NULL)
			sl_add(&with, ss->releases.v[i].release);
	list = with.n ? sl_join(&with, ", ") : NULL;
	/* "24.8.0 and 26.8.0 run", "26.8.0 runs". */
	if (with.n > 1) {
		char *last = strrchr(list, ','), *joined;

		*last = '\0';
		joined = xasprintf("%s and%s run", list, last + 1);
		free(list);
		list = joined;
	} else if (list != NULL) {
		char *one = xasprintf("%s runs", list);

		free(list);
		list = one;
	}
	sl_free(&with);
	return list;
}

/*
 * `name` is neither a rule nor a service of this deployment. Say what the
 * operator most likely meant, most telling first: what the release's profile
 * says it became (answers carried over from an older release), that the
 * release has it but this deployment does not run it, that other releases
 * have it, or the nearest names.
 */
static int
unknown_name(const struct session *ss, const char *name, const char *answers,
    struct err *e)
{
	const struct profile *p = ss->profile;
	const struct prof_service *ps = profile_service(p, name);
	const char *became = kv_get(&p->former, name), *now;
	const char *names[256], *near[3];
	char *others;
	size_t n = 0, nnear;
	struct strbuf hint = STRBUF_INIT;

	if (became != NULL) {
		now = service_named_in(&ss->pl, became);
		err_set(e, ERR_USAGE, "explain: Sentry %s has no service \"%s\": %s",
		    p->release, name, became);
		if (now != NULL)
			err_append(e, ERR_USAGE, "see: sentry-ha-setup explain %s -a "
			    "%s", now, answers);
		return -1;
	}
	if (ps != NULL && ps->when != NULL)
		return err_set(e, ERR_USAGE, "explain: this deployment does not run "
		    "\"%s\": it runs only with %s: in %s", name, ps->when,
		    ss->pl.answers_file);
	if (ps != NULL)
		return err_set(e, ERR_USAGE, "explain: this deployment does not run "
		    "\"%s\": it runs only with sentry.features: %s (this "
		    "deployment is %s)", name, ps->features, ss->pl.features);
	for (size_t i = 0; i < ss->pl.nservices && n < 255; i++)
		names[n++] = ss->pl.services[i].name;
	for (size_t i = 0; i < rule_count() && n < 255; i++)
		names[n++] = rule_id(i);
	names[n] = NULL;
	nnear = suggest_nearest(name, names, near, sizeof near / sizeof near[0]);
	for (size_t i = 0; i < nnear; i++)
		sb_printf(&hint, "%s\"%s\"", i == 0 ? " (did you mean " :
		    i + 1 == nnear ? " or " : ", ", near[i]);
	if (nnear > 0)
		sb_add(&hint, "?)");
	if ((others = releases_with(ss, name)) != NULL)
		sb_printf(&hint, "; Sentry %s a service \"%s\"", others, name);
	err_set(e, ERR_USAGE, "explain: \"%s\" is neither a rule nor a service of "
	    "Sentry %s%s (sentry-ha-setup explain lists the rules)", name,
	    p->release, sb_str(&hint));
	free(others);
	sb_free(&hint);
	return -1;
}

static int
explain_service(const char *name, const char *answers, struct err *e)
{
	struct session s;
	struct findings f = { 0 };
	const struct plan_service *svc;
	char *data = cli_data_dir();
	int rc;

	rc = session_open(&s, data, answers, NULL, PLAN_NO_SECRET_VALUES, e);
	if (rc < 0)
		cli_hint_answers(answers, data, e);
	if (rc == 0 && (svc = plan_service(&s.pl, name)) == NULL) {
		rc = unknown_name(&s, name, answers, e);
	} else if (rc == 0) {
		rules_evaluate(&s.pl, NULL, &f);
		show_service(&s, svc, &f);
	}
	findings_free(&f);
	session_close(&s);
	free(data);
	return rc;
}

/*
 * --names, hidden (for the shell's completion): every name explain takes,
 * one a line: the rule ids, then the services of the deployment the
 * answers describe, none when they cannot be read (no error: a completion
 * prints nothing on the command line). Reads no secret.
 */
static void
list_names(const char *data, const char *answers)
{
	struct session s;
	struct err e;

	for (size_t i = 0; i < rule_count(); i++)
		printf("%s\n", rule_id(i));
	err_clear(&e);
	if (session_open(&s, data, answers, NULL, PLAN_NO_SECRET_VALUES, &e) == 0)
		for (size_t i = 0; i < s.pl.nservices; i++)
			printf("%s\n", s.pl.services[i].name);
	session_close(&s);
}

int
cmd_explain(int argc, char **argv)
{
	const char *answers = ANSWERS_DEFAULT_PATH;
	int names = 0;
	const struct cli_opt opts[] = {
		{ "answers", 'a', "FILE", &answers, NULL,
		  "for a service (default: ./sentry-ha.yaml)" },
		{ "names", 0, NULL, NULL, &names, NULL },
		{ NULL, 0, NULL, NULL, NULL, NULL }
	};
	struct session s;
	const struct rule_text *t;
	struct err e;
	int first, rc;
	char *data;

	if ((rc = cli_begin("explain", argc, argv, opts, 1, usage, &first)) >= 0)
		return rc;
	err_clear(&e);
	data = cli_data_dir();
	if (names) {
		list_names(data, answers);
		free(data);
		return EXIT_OK;
	}
	rc = session_open_data(&s, data, &e);
	if (rc == 0 && first == argc)
		list_rules(&s.rules);
	else if (rc == 0 && (t = rule_texts_find(&s.rules, argv[first])) != NULL)
		show_rule(t);
	else if (rc == 0)
		rc = explain_service(argv[first], answers, &e);
	session_close(&s);
	free(data);
	return rc < 0 ? cli_fail("explain", &e) : EXIT_OK;
}
