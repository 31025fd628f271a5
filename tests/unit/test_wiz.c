/*
 * The wizard's model without a terminal: values checked as typed and saved
 * at once, screens shown by the earlier answers, problems next to their
 * fields, resuming, and the output with what it changes.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "answers.h"
#include "fsutil.h"
#include "harness.h"
#include "wiz_testing.h"
#include "wiz_run.h"
#include "wiz_upgrade.h"
#include "xmem.h"

static size_t
screen_index(const char *key)
{
	for (size_t i = 0; i < wiz_screen_count(); i++)
		if (strcmp(wiz_screen_at(i)->id, key) == 0)
			return i;
	ck_abort_msg("no screen %s", key);
	return 0;
}

/* Every required answer, as an operator would type them. */
static void
fill_all(struct wiz *w, const char *release)
{
	set_ok(w, "sentry.version", release);
	set_ok(w, "target.kind", "kubernetes");
	set_ok(w, "postgres.host", "pg.internal");
	set_ok(w, "postgres.password", "pg: p#ss");
	set_ok(w, "redis.host", "redis.internal");
	set_ok(w, "kafka.brokers", "k1:9092, k2:9092, k3:9092");
	set_ok(w, "clickhouse.host", "ch.internal");
	set_ok(w, "memcached.hosts", "mc1:11211");
	set_ok(w, "filestore.backend", "filesystem");
	set_ok(w, "filestore.shared_volume.kind", "pvc");
}

START_TEST(values_are_checked_and_saved_as_typed)
{
	char *dir = fresh_dir("wiz-values"), *text, *state;
	struct wiz w;
	struct stat st;
	size_t len;
	struct err e;

	open_in(&w, dir);
	ck_assert_int_eq(w.resumed, 0);
	set_ok(&w, "postgres.port", " 5433 ");
	set_bad(&w, "postgres.port", "70000", "postgres.port: expected an "
	    "integer from 1 to 65535, got 70000");
	set_ok(&w, "kafka.brokers", "k1:9092,  k2:9092");
	set_bad(&w, "kafka.brokers", "k1:9092, k2", "kafka.brokers[1]: "
	    "expected HOST:PORT");
	set_ok(&w, "postgres.password", "env:PGPW");
	set_ok(&w, "redis.password", "s3:cr#t");
	set_bad(&w, "target.namespace", "Bad_NS", "target.namespace: expected a "
	    "name of lower-case letters");
	set_bad(&w, "sentry.version", "9.9.9", "no profile for Sentry \"9.9.9\"");
	set_bad(&w, "postgres.sslmode", "requre", "did you mean \"require\"?");
	set_ok(&w, "redis.tls", "true");
	assert_value(&w, "kafka.brokers", "k1:9092, k2:9092");
	assert_value(&w, "postgres.password", "env:PGPW");
	/* Saved at once: 0600 (passwords), numbers as numbers. */
	ck_assert_int_eq(stat(w.path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	ck_assert_int_eq(fs_read_file(w.path, &text, &len, &e), 0);
	ck_assert_contains(text, "port: 5433\n");
	ck_assert_contains(text, "password:\n    env: PGPW\n");
	ck_assert_contains(text, "password: \"s3:cr#t\"");
	ck_assert_contains(text, "tls: true\n");
	ck_assert_contains(text, "- \"k2:9092\"");
	/* An emptied field is removed. */
	set_ok(&w, "postgres.port", "");
	assert_value(&w, "postgres.port", "");
	state = xasprintf("%s.wizard", w.path);
	ck_assert(fs_exists(state));
	free(state);
	free(text);
	wiz_close(&w);
	free(dir);
}
END_TEST

START_TEST(a_killed_session_resumes_where_it_was)
{
	static const char hand[] = "# mine\nsentry: {version: \"24.8.0\"}\n"
	    "redis: {port: 6380}\n";
	char *dir = fresh_dir("wiz-resume"), *path, *text;
	struct wiz w;
	size_t len;
	struct err e;

	open_in(&w, dir);
	set_ok(&w, "sentry.version", "24.8.0");
	w.screen = screen_index("redis");
	set_ok(&w, "redis.host", "redis.internal");
	/* No close: the process is gone. */
	path = xstrdup(w.path);
	wiz_close(&w);
	ck_assert_int_eq(wiz_open(&w, test_root(), path, &e), 0);
	ck_assert_int_eq(w.resumed, 1);
	ck_assert_int_eq(w.foreign, 0);
	ck_assert_uint_eq(w.screen, screen_index("redis"));
	assert_value(&w, "redis.host", "redis.internal");
	wiz_close(&w);
	/* A file written by hand stays as it is until an answer changes;
	 * then it is copied first, and its plain numbers stay numbers. */
	ck_assert_int_eq(fs_write_atomic(path, hand, strlen(hand), 0600, &e),
	    0);
	ck_assert_int_eq(wiz_open(&w, test_root(), path, &e), 0);
	ck_assert_int_eq(w.foreign, 1);
	ck_assert_int_eq(wiz_save(&w, &e), 0);	/* a screen reached */
	ck_assert_ptr_null(w.backup);
	ck_assert_int_eq(fs_read_file(path, &text, &len, &e), 0);
	ck_assert_str_eq(text, hand);
	free(text);
	set_ok(&w, "redis.host", "redis.internal");
	ck_assert_ptr_nonnull(w.backup);
	ck_assert_int_eq(fs_read_file(w.backup, &text, &len, &e), 0);
	ck_assert_contains(text, "# mine");
	free(text);
	ck_assert_int_eq(fs_read_file(path, &text, &len, &e), 0);
	ck_assert_contains(text, "port: 6380\n");
	ck_assert_contains(text, "host: redis.internal\n");
	free(text);
	wiz_close(&w);
	/* Saved with the marker: opening again makes no new copy. */
	ck_assert_int_eq(wiz_open(&w, test_root(), path, &e), 0);
	ck_assert_int_eq(w.foreign, 0);
	ck_assert_ptr_null(w.backup);
	set_ok(&w, "redis.host", "redis2.internal");
	wiz_close(&w);
	free(path);
	path = xasprintf("%s/sentry-ha.yaml.bak.2", dir);
	ck_assert(!fs_exists(path));
	free(path);
	free(dir);
}
END_TEST

/* Cycling a choice there and back loses nothing: the answers it hid wait
 * in NAME.wizard (0600), also across a restart. */
START_TEST(hidden_answers_come_back)
{
	char *dir = fresh_dir("wiz-stash"), *path, *text;
	struct wiz w;
	struct stat st;
	size_t len;
	struct err e;

	open_in(&w, dir);
	set_ok(&w, "sentry.version", "24.8.0");
	set_ok(&w, "target.kind", "kubernetes");
	set_ok(&w, "target.storage_class", "nfs-rwx");
	set_ok(&w, "target.ingress_host", "sentry.example.org");
	set_ok(&w, "filestore.shared_volume.kind", "nfs");
	set_ok(&w, "filestore.shared_volume.nfs.server", "nas.internal");
	set_ok(&w, "filestore.shared_volume.nfs.path", "/export/sentry");
	set_ok(&w, "target.kind", "swarm");
	/* Out of the answers file (invalid there), not lost. */
	ck_assert_int_eq(fs_read_file(w.path, &text, &len, &e), 0);
	ck_assert_ptr_null(strstr(text, "nfs-rwx"));
	free(text);
	ck_assert_int_eq(fs_read_file(w.state_path, &text, &len, &e), 0);
	ck_assert_contains(text, "nfs-rwx");
	free(text);
	ck_assert_int_eq(stat(w.state_path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	path = xstrdup(w.path);
	wiz_close(&w);
	ck_assert_int_eq(wiz_open(&w, test_root(), path, &e), 0);
	set_ok(&w, "target.kind", "kubernetes");
	assert_value(&w, "target.storage_class", "nfs-rwx");
	assert_value(&w, "target.ingress_host", "sentry.example.org");
	text = wiz_take_notice(&w);
	ck_assert_ptr_nonnull(text);
	ck_assert_contains(text, "back as they were");
	free(text);
	set_ok(&w, "filestore.shared_volume.kind", "pvc");
	assert_value(&w, "filestore.shared_volume.nfs.server", "");
	set_ok(&w, "filestore.shared_volume.kind", "nfs");
	assert_value(&w, "filestore.shared_volume.nfs.server", "nas.internal");
	assert_value(&w, "filestore.shared_volume.nfs.path", "/export/sentry");
	wiz_close(&w);
	free(path);
	free(dir);
}
END_TEST

/* A release without a service: a renamed one hands its replicas to its
 * successor, the others wait; going back brings them back. */
START_TEST(services_follow_the_release)
{
	char *dir = fresh_dir("wiz-carry"), *notice;
	struct wiz w;

	open_in(&w, dir);
	set_ok(&w, "sentry.version", "24.8.0");
	set_ok(&w, "services.worker.replicas", "3");
	set_ok(&w, "services.cron.replicas", "1");
	set_ok(&w, "services.ingest-replay-recordings.replicas", "2");
	free(wiz_take_notice(&w));
	set_ok(&w, "sentry.version", "26.8.0");
	assert_value(&w, "services.taskworker.replicas", "3");
	assert_value(&w, "services.taskscheduler.replicas", "1");
	assert_value(&w, "services.worker.replicas", "");
	notice = wiz_take_notice(&w);
	ck_assert_ptr_nonnull(notice);
	ck_assert_contains(notice, "Sentry 26.8.0 has no worker: its answer "
	    "went to taskworker");
	free(notice);
	set_ok(&w, "sentry.version", "24.8.0");
	assert_value(&w, "services.worker.replicas", "3");
	assert_value(&w, "services.cron.replicas", "1");
	assert_value(&w, "services.taskworker.replicas", "");
	wiz_close(&w);
	free(dir);
}
END_TEST

/* A field still being typed when the session is cut is kept beside the
 * answers (not in them: it is not valid yet). */
START_TEST(a_half_typed_field_survives)
{
	char *dir = fresh_dir("wiz-typed"), *path;
	struct wiz w;
	struct err e;

	open_in(&w, dir);
	ck_assert_int_eq(wiz_keep_typed(&w, "postgres.port", "543299", &e), 0);
	path = xstrdup(w.path);
	wiz_close(&w);
	ck_assert_int_eq(wiz_open(&w, test_root(), path, &e), 0);
	ck_assert_str_eq(w.typed_path, "postgres.port");
	ck_assert_str_eq(w.typed_text, "543299");
	assert_value(&w, "postgres.port", "");
	ck_assert_int_eq(wiz_keep_typed(&w, NULL, NULL, &e), 0);
	wiz_close(&w);
	ck_assert_int_eq(wiz_open(&w, test_root(), path, &e), 0);
	ck_assert_ptr_null(w.typed_path);
	wiz_close(&w);
	free(path);
	free(dir);
}
END_TEST

static const struct wiz_field *
field_of(const struct wiz_screen *s, const char *path)
{
	for (size_t i = 0; i < s->nfields; i++)
		if (strcmp(s->fields[i].path, path) == 0)
			return &s->fields[i];
	ck_abort_msg("screen %s has no field %s", s->id, path);
	return NULL;
}

START_TEST(screens_follow_the_answers)
{
	char *dir = fresh_dir("wiz-screens");
	const struct wiz_screen *kafka = wiz_screen_at(screen_index("kafka"));
	const struct wiz_screen *fs = wiz_screen_at(screen_index("filestore"));
	struct strlist kinds = { 0 };
	struct wiz w;
	size_t zk = screen_index("zookeeper");

	open_in(&w, dir);
	set_ok(&w, "sentry.version", "26.8.0");
	ck_assert(!wiz_screen_shown(&w, zk));
	ck_assert_uint_eq(wiz_next(&w, zk - 1), zk + 1);
	set_ok(&w, "sentry.version", "10.1.0");
	ck_assert(wiz_screen_shown(&w, zk));
	ck_assert_uint_eq(wiz_next(&w, zk - 1), zk);
	ck_assert_uint_eq(wiz_prev(&w, zk + 1), zk);
	/* SASL fields only with a SASL protocol. */
	ck_assert(!wiz_field_shown(&w, &kafka->fields[2]));
	set_ok(&w, "kafka.security_protocol", "SASL_SSL");
	ck_assert(wiz_field_shown(&w, &kafka->fields[2]));
	set_ok(&w, "kafka.sasl_mechanism", "PLAIN");
	/* Leaving SASL takes the mechanism with it (else invalid, unseen). */
	set_ok(&w, "kafka.security_protocol", "SSL");
	assert_value(&w, "kafka.sasl_mechanism", "");
	/* A claim on Kubernetes, sshfs on Swarm. */
	wiz_field_choices(&w, field_of(fs, "filestore.shared_volume.kind"), &kinds);
	ck_assert(sl_contains(&kinds, "pvc") && !sl_contains(&kinds, "sshfs"));
	ck_assert(!sl_contains(&kinds, "hostpath"));
	sl_free(&kinds);
	set_ok(&w, "target.kind", "swarm");
	wiz_field_choices(&w, field_of(fs, "filestore.shared_volume.kind"), &kinds);
	ck_assert(sl_contains(&kinds, "sshfs") && !sl_contains(&kinds, "pvc"));
	ck_assert(sl_contains(&kinds, "hostpath"));
	sl_free(&kinds);
	ck_assert_str_ne(wiz_help(&w, "screen kafka"), "");
	ck_assert_str_ne(wiz_help(&w, "field kafka.brokers"), "");
	wiz_close(&w);
	free(dir);
}
END_TEST

/* A form's field holds what the answer's definition says: every path is an
 * answer, and its choices and shown default are the field table's, in the
 * table's order (no second list to drift from the validator). */
START_TEST(fields_come_from_the_answer_table)
{
	char *dir = fresh_dir("wiz-table");
	char *path = xasprintf("%s/sentry-ha.yaml", dir);
	struct strlist choices = { 0 };
	struct err e;
	struct wiz w;

	ck_assert_int_eq(wiz_open(&w, test_root(), path, &e), 0);
	for (size_t i = 0; i < wiz_screen_count(); i++) {
		const struct wiz_screen *s = wiz_screen_at(i);

		for (size_t j = 0; j < s->nfields; j++) {
			const struct wiz_field *f = &s->fields[j];
			const struct field *a = answers_field(f->path);

			ck_assert_msg(a != NULL, "%s is no answer", f->path);
			if (a->type != FT_ENUM || f->choices_fn != NULL)
				continue;
			wiz_field_choices(&w, f, &choices);
			for (size_t k = 0, n = 0; ((const char *const *)a->aux)[k]; k++)
				if (((const char *const *)a->aux)[k][0] != '\0')
					ck_assert_str_eq(choices.v[n++],
					    ((const char *const *)a->aux)[k]);
			sl_free(&choices);
		}
	}
	for (size_t i = 0; i < wiz_screen_count(); i++) {
		const struct wiz_screen *s = wiz_screen_at(i);

		for (size_t j = 0; j < s->nfields; j++) {
			if (strcmp(s->fields[j].path, "postgres.sslmode") == 0) {
				ck_assert_str_eq(wiz_field_hint(&s->fields[j]), "prefer");
				ck_assert_int_eq(wiz_field_kind(&s->fields[j]), WF_CHOICE);
			}
			if (strcmp(s->fields[j].path, "postgres.port") == 0)
				ck_assert_int_eq(wiz_field_kind(&s->fields[j]), WF_NUMBER);
			if (strcmp(s->fields[j].path, "kafka.sasl_mechanism") == 0) {
				wiz_field_choices(&w, &s->fields[j], &choices);
				ck_assert(!sl_contains(&choices, ""));
				sl_free(&choices);
			}
		}
	}
	ck_assert_int_eq(wiz_path_kind("services.web.replicas"), WF_NUMBER);
	wiz_close(&w);
	free(path);
	free(dir);
}
END_TEST

START_TEST(problems_sit_next_to_their_field)
{
	char *dir = fresh_dir("wiz-problems");
	struct wiz_problems p;
	struct wiz w;

	open_in(&w, dir);
	set_ok(&w, "sentry.version", "24.8.0");
	set_ok(&w, "kafka.security_protocol", "SASL_SSL");
	/* A whole section missing marks what it requires, not the fields
	 * that have a default (port, sslmode) or may be left out. */
	wiz_screen_problems(&w, screen_index("postgres"), &p);
	ck_assert_uint_ge(p.n, 1);
	ck_assert_str_eq(p.v[0].path, "postgres.host");
	ck_assert_str_eq(p.v[0].message, "missing (required)");
	for (size_t i = 0; i < p.n; i++) {
		ck_assert_str_ne(p.v[i].path, "postgres.port");
		ck_assert_str_ne(p.v[i].path, "postgres.sslmode");
		ck_assert_str_ne(p.v[i].path, "postgres.password");
	}
	wiz_problems_free(&p);
	set_ok(&w, "postgres.host", "pg.internal");
	wiz_screen_problems(&w, screen_index("postgres"), &p);
	ck_assert_uint_eq(p.n, 0);
	wiz_problems_free(&p);
	wiz_close(&w);
	free(dir);
}
END_TEST

START_TEST(a_form_is_checked_on_its_own)
{
	char *dir = fresh_dir("wiz-probe"), *text;
	struct session s;
	struct wiz w;
	struct err e;

	open_in(&w, dir);
	set_ok(&w, "sentry.version", "24.8.0");
	set_ok(&w, "redis.host", "redis.internal");
	set_ok(&w, "redis.port", "6380");
	/* A form not answered at all has nothing to test. */
	ck_assert_ptr_null(wiz_probe_answers(&w, screen_index("postgres")));
	text = wiz_probe_answers(&w, screen_index("redis"));
	ck_assert_contains(text, "port: 6380");
	ck_assert_msg(session_open_text(&s, test_root(), text, w.path, 0, &e) == 0,
	    "%s\n%s", e.msg, text);
	ck_assert_str_eq(s.a.redis.host, "redis.internal");
	ck_assert_str_eq(s.a.postgres.host, "localhost");
	session_close(&s);
	free(text);
	wiz_close(&w);
	free(dir);
}
END_TEST

/* The Hosts screen edits hosts: one field of one element at a time: a new
 * host begins with its first field, each field is checked by the answers'
 * table, problems name the element, and removing the last one leaves no
 * empty list behind. */
START_TEST(hosts_are_edited_one_field_at_a_time)
{
	char *dir = fresh_dir("wiz-hosts"), *text;
	size_t hosts = screen_index("hosts");
	struct wiz_problems p;
	struct session s;
	struct err e;
	struct wiz w;

	open_in(&w, dir);
	fill_all(&w, "24.8.0");
	ck_assert(!wiz_screen_shown(&w, hosts));
	set_ok(&w, "target.kind", "swarm");
	ck_assert(wiz_screen_shown(&w, hosts));
	ck_assert_str_ne(wiz_help(&w, "screen hosts"), "");
	for (size_t i = 0; i < wiz_screen_at(hosts)->nfields; i++) {
		char *topic = xasprintf("field %s",
		    wiz_screen_at(hosts)->fields[i].path);

		ck_assert_msg(wiz_help(&w, topic)[0] != '\0', "no help: %s", topic);
		free(topic);
	}
	ck_assert_uint_eq(wiz_list_count(&w, "hosts"), 0);
	/* Nothing to test before the first host. */
	ck_assert_ptr_null(wiz_probe_answers(&w, hosts));
	set_ok(&w, "hosts[0].name", "node1");
	ck_assert_uint_eq(wiz_list_count(&w, "hosts"), 1);
	set_ok(&w, "hosts[0].address", "10.0.0.11");
	set_ok(&w, "hosts[0].port", "2222");
	set_ok(&w, "hosts[0].roles", "manager, sentry");
	assert_value(&w, "hosts[0].roles", "manager, sentry");
	set_bad(&w, "hosts[0].port", "70000", "hosts[0].port");
	set_bad(&w, "hosts[0].roles", "manager, boss", "boss");
	/* Only the element just past the end can begin. */
	set_bad(&w, "hosts[2].name", "node3", "shorter");
	set_ok(&w, "hosts[1].name", "node2");
	wiz_screen_problems(&w, hosts, &p);
	ck_assert_uint_eq(p.n, 1);
	ck_assert_str_eq(p.v[0].path, "hosts[1].address");
	ck_assert_str_eq(p.v[0].message, "missing (required)");
	wiz_problems_free(&p);
	set_ok(&w, "hosts[1].address", "10.0.0.12");
	wiz_screen_problems(&w, hosts, &p);
	ck_assert_uint_eq(p.n, 0);
	wiz_problems_free(&p);
	/* The Test's answers hold the hosts once (a key twice is refused). */
	text = wiz_probe_answers(&w, hosts);
	ck_assert_msg(session_open_text(&s, test_root(), text, w.path, 0, &e) == 0,
	    "%s\n%s", e.msg, text);
	ck_assert_uint_eq(s.pl.nhosts, 2);
	ck_assert_int_eq(s.pl.hosts[0].port, 2222);
	ck_assert_int_eq(s.pl.hosts[1].port, 22);
	session_close(&s);
	free(text);
	ck_assert_int_eq(wiz_list_remove(&w, "hosts", 0, &e), 0);
	ck_assert_uint_eq(wiz_list_count(&w, "hosts"), 1);
	assert_value(&w, "hosts[0].name", "node2");
	ck_assert_int_eq(wiz_list_remove(&w, "hosts", 1, &e), -1);
	/* Saved at once: a new session reads the same. */
	wiz_close(&w);
	open_in(&w, dir);
	assert_value(&w, "hosts[0].address", "10.0.0.12");
	ck_assert_int_eq(wiz_list_remove(&w, "hosts", 0, &e), 0);
	ck_assert_ptr_null(yn_get(w.doc, "hosts"));
	wiz_close(&w);
	free(dir);
}
END_TEST

/* A changed file's diff names the old host and the new one, marked, and
 * a file of secrets is refused. */
static void
assert_diff(const struct wiz_output *o, size_t i)
{
	const struct outfile *f = outset_find(&o->out, o->v[i].path);
	struct strlist lines = { 0 };
	const char *old_host = "pg.internal", *new_host = "pg2.internal";
	struct err e;
	int minus = 0, plus = 0;

	err_clear(&e);
	if ((f->mode & 077) == 0) {
		ck_assert_int_eq(wiz_change_diff(o, i, &lines, &e), -1);
		ck_assert_contains(e.msg, "holds secrets");
		ck_assert_uint_eq(lines.n, 0);
		return;
	}
	ck_assert_msg(wiz_change_diff(o, i, &lines, &e) == 0, "%s", e.msg);
	/* A file that names the host shows the old and the new one; the
	 * others (a job renamed by the config's hash) show a change. */
	if (strstr(f->content, "pg2.internal") == NULL) {
		old_host = "";
		new_host = "";
	}
	for (size_t k = 0; k < lines.n; k++) {
		minus |= lines.v[k][0] == '-' && strstr(lines.v[k], old_host);
		plus |= lines.v[k][0] == '+' && strstr(lines.v[k], new_host);
		ck_assert_msg(strchr(" -+@", lines.v[k][0]) != NULL, "%s",
		    lines.v[k]);
	}
	ck_assert_msg(minus && plus, "%s: no -%s/+%s line", o->v[i].path,
	    old_host, new_host);
	ck_assert_uint_lt(lines.n, 40);	/* the change and its context */
	sl_free(&lines);
}

START_TEST(the_output_says_what_it_changes)
{
	char *dir = fresh_dir("wiz-output"), *out = xasprintf("%s/out", dir);
	struct wiz_output o;
	struct wiz w;
	struct err e;
	size_t same = 0, changed = 0;

	open_in(&w, dir);
	fill_all(&w, "24.8.0");
	ck_assert_msg(wiz_prepare_output(&w, out, &o, &e) == 0, "%s", e.msg);
	ck_assert_uint_gt(o.n, 20);
	for (size_t i = 0; i < o.n; i++)
		ck_assert_int_eq(o.v[i].kind, WC_NEW);
	ck_assert_int_eq(wiz_write_output(&o, &e), 0);
	wiz_output_free(&o);
	set_ok(&w, "postgres.host", "pg2.internal");
	ck_assert_int_eq(wiz_prepare_output(&w, out, &o, &e), 0);
	for (size_t i = 0; i < o.n; i++) {
		same += o.v[i].kind == WC_SAME;
		if (o.v[i].kind == WC_CHANGED) {
			changed++;
			ck_assert_uint_ge(o.v[i].added, 1);
			ck_assert_uint_ge(o.v[i].removed, 1);
			assert_diff(&o, i);
		}
	}
	ck_assert_uint_ge(changed, 1);
	ck_assert_uint_gt(same, 10);
	ck_assert_int_eq(o.foreign, 0);
	wiz_output_free(&o);
	ck_assert_int_eq(wiz_prepare_output(&w, dir, &o, &e), 0);
	ck_assert_int_eq(o.foreign, 1);	/* the answers' own folder */
	wiz_output_free(&o);
	wiz_close(&w);
	free(out);
	free(dir);
}
END_TEST

/* The output function refuses by itself while a rule reports an error,
 * whatever a screen allowed: the same gate as generate's. */
START_TEST(errors_block_writing_in_the_core)
{
	char *dir = fresh_dir("wiz-gate"), *out = xasprintf("%s/out", dir);
	struct wiz_output o;
	struct wiz w;
	struct err e;

	open_in(&w, dir);
	fill_all(&w, "24.8.0");
	set_ok(&w, "services.cron.replicas", "0");
	err_clear(&e);
	ck_assert_msg(wiz_prepare_output(&w, out, &o, &e) == 0, "%s", e.msg);
	ck_assert_uint_gt(findings_count(&o.f, SEV_ERROR), 0);
	ck_assert_int_eq(wiz_write_output(&o, &e), -1);
	ck_assert_int_eq(e.kind, ERR_FINDINGS);
	ck_assert_int_eq(err_exit_status(&e), 1);
	ck_assert_contains(e.msg, "nothing written");
	ck_assert(!fs_exists(out));
	wiz_output_free(&o);
	wiz_close(&w);
	free(out);
	free(dir);
}
END_TEST

/* What a finished hop to `release` leaves in the databases. */
static void
hop_done(struct facts *f, const struct wiz *w, const char *release)
{
	static const char *const boundaries[] = { "0200_release_indices",
	    "0484_break_org_member_user_fk", "0642_index_together_release",
	    "0904_onboarding_task_project_id_idx" };
	const struct profile *p = releases_find(&w->releases, release);

	facts_init(f);
	f->releases = &w->releases;
	f->sentry_history = f->snuba_history = TABLE_READ;
	for (size_t i = 0; i < 4; i++)
		sl_add(&f->sentry_boundaries, boundaries[i]);
	for (size_t i = 0; i < p->snuba_migrations.n; i++)
		kv_add(&f->snuba_completed, p->snuba_migrations.v[i].key,
		    p->snuba_migrations.v[i].value);
}

/* The Upgrade path over the wizard's answers: refused without the keys,
 * the chain to the newest release or a chosen one, the hop folders, the
 * backup before the verification, and a verified hop moving the answers
 * on, which the wizard then reads. */
START_TEST(the_upgrade_path_moves_the_answers)
{
	char *dir = fresh_dir("wiz-upgrade"), *out = xasprintf("%s/out", dir);
	char *hops = xasprintf("%s/up", dir), *bak = NULL, *path;
	struct wiz_upgrade up;
	struct wiz_output o;
	struct findings f;
	struct facts facts;
	struct wiz w;
	struct err e;

	open_in(&w, dir);
	fill_all(&w, "24.8.0");
	wiz_upgrade_plan(&w, NULL, NULL, &up);
	ck_assert_int_eq(up.planned, 0);
	ck_assert_contains(up.error, "no keys file beside the answers");
	wiz_upgrade_free(&up);
	ck_assert_msg(wiz_prepare_output(&w, out, &o, &e) == 0, "%s", e.msg);
	ck_assert_int_eq(wiz_write_output(&o, &e), 0);
	wiz_output_free(&o);

	wiz_upgrade_plan(&w, NULL, NULL, &up);
	ck_assert_msg(up.planned, "%s", up.error);
	ck_assert_uint_eq(up.targets.n, 4);
	ck_assert_str_eq(up.targets.v[up.target], "26.8.0");
	ck_assert_uint_eq(up.u.n, 4);
	wiz_upgrade_free(&up);
	wiz_upgrade_plan(&w, "25.5.1", NULL, &up);
	ck_assert_uint_eq(up.u.n, 1);
	ck_assert_str_eq(up.u.v[0].dir, "01-24.8.0-to-25.5.1");
	ck_assert_msg(wiz_upgrade_write(&up, hops, &e) == 0, "%s", e.msg);
	path = xasprintf("%s/01-24.8.0-to-25.5.1/RUNBOOK.md", hops);
	ck_assert(fs_exists(path));
	free(path);

	hop_done(&facts, &w, "25.5.1");
	ck_assert_int_eq(wiz_upgrade_verify(&w, &up, &facts, &f, &bak, &e), -1);
	ck_assert_contains(e.msg, "its backup is not confirmed");
	findings_free(&f);
	ck_assert_int_eq(wiz_upgrade_backup_done(&up, &e), 0);
	ck_assert_int_eq(upgrade_hop_state(&up.u, &up.st, 0), HOP_BACKED_UP);
	facts.snuba_history = TABLE_UNKNOWN;
	ck_assert_int_eq(wiz_upgrade_verify(&w, &up, &facts, &f, &bak, &e), -1);
	ck_assert_contains(e.msg, "is not done: nothing recorded");
	ck_assert_uint_eq(findings_count(&f, SEV_ERROR), 1);
	findings_free(&f);
	assert_value(&w, "sentry.version", "24.8.0");
	facts.snuba_history = TABLE_READ;
	ck_assert_msg(wiz_upgrade_verify(&w, &up, &facts, &f, &bak, &e) == 0, "%s",
	    e.msg);
	ck_assert_uint_eq(findings_count(&f, SEV_ERROR), 0);
	findings_free(&f);
	/* The wizard reads the moved answers; the file before is kept. */
	assert_value(&w, "sentry.version", "25.5.1");
	ck_assert_contains(bak, "sentry-ha.yaml.bak");
	wiz_upgrade_free(&up);
	wiz_upgrade_plan(&w, NULL, NULL, &up);
	ck_assert_msg(up.planned, "%s", up.error);
	ck_assert_str_eq(up.u.v[0].dir, "01-25.5.1-to-26.5.1");
	ck_assert_ptr_nonnull(upgrade_state_hop(&up.st, "24.8.0", "25.5.1",
	    0)->verified);
	wiz_upgrade_free(&up);
	facts_free(&facts);
	wiz_close(&w);
	free(bak);
	free(hops);
	free(out);
	free(dir);
}
END_TEST

Suite *
suite_wiz(void)
{
	Suite *s = suite_create("wizard");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, values_are_checked_and_saved_as_typed);
	tcase_add_test(tc, a_killed_session_resumes_where_it_was);
	tcase_add_test(tc, hidden_answers_come_back);
	tcase_add_test(tc, services_follow_the_release);
	tcase_add_test(tc, a_half_typed_field_survives);
	tcase_add_test(tc, screens_follow_the_answers);
	tcase_add_test(tc, problems_sit_next_to_their_field);
	tcase_add_test(tc, fields_come_from_the_answer_table);
	tcase_add_test(tc, a_form_is_checked_on_its_own);
	tcase_add_test(tc, hosts_are_edited_one_field_at_a_time);
	tcase_add_test(tc, the_output_says_what_it_changes);
	tcase_add_test(tc, errors_block_writing_in_the_core);
	tcase_add_test(tc, the_upgrade_path_moves_the_answers);
	suite_add_tcase(s, tc);
	return s;
}
