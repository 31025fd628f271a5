/* The answers file: every kind of bad input gets a precise message. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "answers.h"
#include "fsutil.h"
#include "harness.h"
#include "xmem.h"

/* `base` with `from` replaced by `to` (which must occur). */
static char *
replaced(const char *base, const char *from, const char *to)
{
	const char *at = strstr(base, from);

	ck_assert_msg(at != NULL, "test bug: \"%s\" not in the answers", from);
	return xasprintf("%.*s%s%s", (int)(at - base), base, to, at + strlen(from));
}

/* The demo answers with one edit. */
static char *
edited(const char *from, const char *to)
{
	char *base = demo_answers("24.8.0", NULL), *out = replaced(base, from, to);

	free(base);
	return out;
}

static const struct bad_case {
	const char *from, *to, *expect;
} bad_cases[] = {
	{ "postgres: {host: pg.internal", "postgres: {hots: pg.internal",
	  "test.yaml:4:12: postgres.hots: unknown key (did you mean \"host\"?)" },
	{ "postgres: {host: pg.internal", "postgres: {port: abc, host: pg.internal",
	  "test.yaml:4:18: postgres.port: expected an integer, got \"abc\"" },
	{ "postgres: {host: pg.internal", "postgres: {port: 70000, host: pg.internal",
	  "postgres.port: expected an integer from 1 to 65535, got 70000" },
	{ "postgres: {host: pg.internal", "postgres: {port: [1], host: pg.internal",
	  "postgres.port: expected an integer, got a list" },
	{ "redis: {host: redis.internal", "redis: {host: \"\"",
	  "test.yaml:5:15: redis.host: must not be empty" },
	{ "redis: {host: redis.internal", "redis: {host: \"redis://r:6379\"",
	  "redis.host: expected a host name or IP address, not a URL" },
	{ "redis: {host: redis.internal", "redis: {host: \"red is\"",
	  "redis.host: expected a host name or IP address (IPv6 without [ ]), got \"red is\"" },
	{ "redis: {host: redis.internal", "redis: {host: \"[fd00::5]\"",
	  "redis.host: expected a host name or IP address (IPv6 without [ ])" },
	{ "[\"k1:9092\", \"k2:9092\", \"k3:9092\"]", "[\"k1:9092\", \"k2\"]",
	  "kafka.brokers[1]: expected HOST:PORT (such as \"node1.internal:9092\") "
	  "with a port from 1 to 65535, got \"k2\"" },
	{ "[\"k1:9092\", \"k2:9092\", \"k3:9092\"]", "[\"k1:0\"]",
	  "kafka.brokers[0]: expected HOST:PORT" },
	{ "[\"k1:9092\", \"k2:9092\", \"k3:9092\"]", "\"k1:9092\"",
	  "kafka.brokers: expected a list, got k1:9092" },
	{ "[\"k1:9092\", \"k2:9092\", \"k3:9092\"]", "[]",
	  "kafka.brokers: must list at least one entry" },
	{ "[\"mc1:11211\"]", "[\"mc1:11211\", \"[::1]:x\"]",
	  "memcached.hosts[1]: expected HOST:PORT" },
	{ "filestore:", "services: {web: {replicas: -1}}\nfilestore:",
	  "services.web.replicas: expected an integer from 0 to 1000, got -1" },
	{ "filestore:", "services: [web]\nfilestore:",
	  "services: expected a mapping, got a list" },
	{ "kind: kubernetes", "kind: nomad",
	  "target.kind: \"nomad\" is not one of kubernetes, swarm" },
	{ "postgres: {host: pg.internal", "postgres: {sslmode: requre, host: pg.internal",
	  "postgres.sslmode: \"requre\" is not one of prefer, require, "
	  "verify-ca, verify-full, disable, allow (did you mean \"require\"?)" },
	{ "password: \"pg-secret\"", "password: {vault: x}",
	  "postgres.password: expected the secret as text, {env: VARIABLE} or "
	  "{file: PATH}; quote a password that starts with {" },
	{ "password: \"pg-secret\"", "password: {evn: X}",
	  "postgres.password: unknown secret source (did you mean \"env\"?)" },
	{ "password: \"pg-secret\"", "password: {env: \"1BAD\"}",
	  "postgres.password: \"1BAD\" is not a valid environment variable name" },
	{ "password: \"pg-secret\"", "password: {env: A, file: b}",
	  "postgres.password: expected the secret as text, {env: VARIABLE} or {file: PATH}" },
	{ "url_prefix: \"https://sentry.example.com\"", "url_prefix: sentry.example.com",
	  "sentry.url_prefix: expected a URL starting with https:// or http://" },
	{ "admin_email: ops@example.com", "admin_email: ops",
	  "sentry.admin_email: expected an e-mail address such as ops@example.com, "
	  "got \"ops\"" },
	{ "admin_email: ops@example.com", "admin_email: \"o'ps@example.com\"",
	  "sentry.admin_email: expected an e-mail address" },
	{ "admin_email: ops@example.com", "admin_email: \"ops@example.com;rm\"",
	  "sentry.admin_email: expected an e-mail address" },
	{ "url_prefix: \"https://sentry.example.com\"",
	  "url_prefix: \"https://sentry.example.com/$(id)\"",
	  "sentry.url_prefix: expected a URL starting with https:// or http://, "
	  "without spaces or quotes" },
	{ "storage_class: rwx", "storage_class: Fast_RWX",
	  "target.storage_class: expected a DNS name of lower-case letters" },
	{ "namespace: sentry", "namespace: sentry, ingress_host: Sentry.Example.com",
	  "target.ingress_host: expected a DNS name" },
	{ "namespace: sentry", "namespace: sentry, ingress_host: \"10.0.0.1\"",
	  "target.ingress_host: expected a DNS name" },
	{ "shared_volume: {kind: pvc}", "shared_volume: {kind: nfs, nfs: {server: n, "
	  "path: exports/sentry}}",
	  "filestore.shared_volume.nfs.path: expected an absolute path" },
	{ "shared_volume: {kind: pvc}", "shared_volume: {kind: sshfs, sshfs: {host: n, "
	  "path: \"/srv/my data\"}}",
	  "filestore.shared_volume.sshfs.path: expected an absolute path" },
	{ "shared_volume: {kind: pvc}", "shared_volume: {kind: sshfs, sshfs: {host: n, "
	  "user: \"a;b\", path: /srv}}",
	  "filestore.shared_volume.sshfs.user: expected a login name" },
	{ "shared_volume: {kind: pvc}", "shared_volume: {kind: sshfs, sshfs: {host: n, "
	  "path: /srv, key_source: \"~/.ssh\"}}",
	  "filestore.shared_volume.sshfs.key_source: expected an absolute path" },
	{ "shared_volume: {kind: pvc}", "shared_volume: {kind: hostpath, "
	  "hostpath: {path: srv/sentry}}",
	  "test.yaml:10:83: filestore.shared_volume.hostpath.path: expected an "
	  "absolute path of letters, digits and ._/+@=,- (no spaces, no ..), got "
	  "\"srv/sentry\"" },
	{ "shared_volume: {kind: pvc}", "shared_volume: {kind: hostpath, "
	  "hostpath: {path: /srv/../etc}}",
	  "filestore.shared_volume.hostpath.path: expected an absolute path" },
	{ "shared_volume: {kind: pvc}", "shared_volume: {kind: hostpath, "
	  "hostpath: {path: /srv, server: n3}}",
	  "filestore.shared_volume.hostpath.server: unknown key" },
	{ "shared_volume: {kind: pvc}", "shared_volume: {kind: hostpath}",
	  "filestore.shared_volume.hostpath.path: required for hostpath (the "
	  "folder every node mounts)" },
	{ "schema: 1\n", "schema: 1\nregistry: \"https://r.internal\"\n",
	  "registry: expected a registry such as registry.internal:5000/sentry" },
	{ "schema: 1\n", "schema: 1\nhosts: [{name: n1, address: h1, roles: [wbe]}]\n",
	  "hosts[0].roles[0]: \"wbe\" is not one of manager, worker, snuba, "
	  "sentry, web, ingest (did you mean \"web\"?)" },
	{ "schema: 1\n", "schema: 1\nhosts: [{name: n1, address: h1, roles: [manager, worker]}]\n",
	  "hosts[0].roles: a Swarm node is a manager or a worker, not both" },
	{ "schema: 1\n", "schema: 1\nhosts: [{name: \"n 1\", address: h1}]\n",
	  "hosts[0].name: expected a host name" },
	{ "namespace: sentry", "namespace: Sentry_NS",
	  "target.namespace: expected a name of lower-case letters, digits and '-'" },
	{ "schema: 1", "schema: 2", "schema: expected an integer from 1 to 1, got 2" },
	{ "kafka: {brokers", "kafka: {security_protocol: SASL_SSL, brokers",
	  "kafka.sasl_mechanism: required with SASL_SSL" },
	{ "kafka: {brokers", "kafka: {sasl_mechanism: PLAIN, brokers",
	  "kafka.sasl_mechanism: only used with security_protocol SASL_PLAINTEXT" },
	{ "{backend: filesystem, shared_volume: {kind: pvc}}", "{backend: s3}",
	  "filestore.s3.bucket: required with the s3 backend" },
	{ "{backend: filesystem, shared_volume: {kind: pvc}}",
	  "{backend: s3, s3: {bucket: b, access_key: k}}",
	  "filestore.s3.secret_key: give both access_key and secret_key, or neither" },
	{ "shared_volume: {kind: pvc}", "shared_volume: {kind: sshfs, sshfs: {host: n3}}",
	  "filestore.shared_volume.sshfs.path: required for sshfs" },
	{ "shared_volume: {kind: pvc}", "shared_volume: {kind: nfs}",
	  "filestore.shared_volume.nfs.server: required for nfs" },
	{ "{backend: filesystem, shared_volume: {kind: pvc}}", "{backend: gcs, gcs: {bucket: b}}",
	  "filestore.gcs.credentials_file: required with the gcs backend" },
	{ "smtp: {host: smtp.internal}", "smtp: {host: smtp.internal, username: u}",
	  "smtp.password: give both username and password, or neither" },
	{ "clickhouse: {host: ch.internal}\n", "",
	  "clickhouse: missing (required)" },
	{ "clickhouse: {host: ch.internal}", "clickhouse: ~",
	  "clickhouse: empty, but a value is required" },
	{ "version: \"24.8.0\"", "version: ~",
	  "sentry.version: empty, but a value is required" },
	{ "redis: {host: redis.internal", "redis: {host: null",
	  "redis.host: empty, but a value is required" },
	{ "target: {kind: kubernetes", "target: {kind: kubernetes, kind: kubernetes",
	  "duplicate key \"kind\"" },
	{ "schema: 1\n", "schema: 1\nhosts: [{name: a, address: h1}, {name: a, address: h2}]\n",
	  "hosts[1].name: \"a\" is already the name of hosts[0]" },
	{ "memcached: {hosts", "memcached: {hosts: [a:1], hosts",
	  "duplicate key \"hosts\"" },
	{ "clickhouse: {host: ch.internal}", "clickhouse: {host: ch.internal",
	  "invalid YAML" },
};

START_TEST(bad_answer_is_explained)
{
	const struct bad_case *c = &bad_cases[_i];
	char *yaml = edited(c->from, c->to);
	struct answers a;
	struct err e;

	err_clear(&e);
	ck_assert_int_eq(answers_parse(yaml, strlen(yaml), "test.yaml", &a, &e), -1);
	ck_assert_int_eq(e.kind, ERR_INPUT);
	ck_assert_int_eq(err_exit_status(&e), 2);
	ck_assert_contains(e.msg, c->expect);
	answers_free(&a);
	free(yaml);
}
END_TEST

/* A password that YAML reads as something else is not quoted back. */
START_TEST(secrets_are_not_echoed)
{
	static const char *const written[] = {
		"password: {S3cret}", "password: *S3cret", "password: !S3cret",
		"password: [S3cret]", "password: {S3cret: x}",
	};
	char *yaml = edited("password: \"pg-secret\"", written[_i]);
	struct answers a;
	struct err e;

	err_clear(&e);
	ck_assert_int_eq(answers_parse(yaml, strlen(yaml), "test.yaml", &a, &e), -1);
	ck_assert_int_eq(e.kind, ERR_INPUT);
	ck_assert_msg(strstr(e.msg, "S3cret") == NULL, "echoed: %s", e.msg);
	answers_free(&a);
	free(yaml);
}
END_TEST

START_TEST(every_problem_is_reported_at_once)
{
	char *yaml = edited("postgres: {host: pg.internal",
	    "postgres: {port: 0, sslmode: x, host: pg.internal");
	struct answers a;
	struct err e;

	ck_assert_int_eq(answers_parse(yaml, strlen(yaml), "test.yaml", &a, &e), -1);
	ck_assert_int_eq((int)e.nlines, 2);
	ck_assert_contains(e.msg, "postgres.port");
	ck_assert_contains(e.msg, "postgres.sslmode");
	answers_free(&a);
	free(yaml);
}
END_TEST

START_TEST(odd_documents_are_refused)
{
	static const struct { const char *text, *expect; } cases[] = {
		{ "", "the file is empty" },
		{ "- a\n- b\n", "(top level): expected a mapping of keys, got a list" },
		{ "just text\n", "(top level): expected a mapping of keys, got just text" },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct answers a;
		struct err e;

		ck_assert_int_eq(answers_parse(cases[i].text, strlen(cases[i].text),
		    "test.yaml", &a, &e), -1);
		ck_assert_contains(e.msg, cases[i].expect);
		answers_free(&a);
	}
}
END_TEST

START_TEST(good_answers_load)
{
	char *yaml = demo_answers("24.8.0", "services: {web: {replicas: 3}}\n");
	struct answers a;
	struct err e;

	ck_assert_int_eq(answers_parse(yaml, strlen(yaml), "test.yaml", &a, &e), 0);
	ck_assert_str_eq(a.sentry.version, "24.8.0");
	ck_assert_int_eq(a.kafka.brokers.n, 3);
	ck_assert_int_eq(a.postgres.port, UNSET_INT);
	ck_assert_int_eq(a.postgres.password.kind, SECRET_PLAIN);
	ck_assert_int_eq(answers_replicas(&a, "web"), 3);
	ck_assert_int_eq(answers_replicas(&a, "worker"), UNSET_INT);
	ck_assert_ptr_nonnull(srcmap_find(&a.where, "services.web.replicas"));
	ck_assert_int_eq(srcmap_find(&a.where, "kafka.brokers[2]")->line, 6);
	answers_free(&a);
	free(yaml);
}
END_TEST

/* What operators write in Helm values: "" for no password or user (the
 * ClickHouse user: the default), Swarm's worker role, Sentry's ssl; a
 * storage class is claim enough on Kubernetes. */
START_TEST(operators_words_are_accepted)
{
	static const char *const edits[][2] = {
		{ "password: \"pg-secret\"", "password: \"\"" },
		{ "smtp: {host: smtp.internal}", "smtp: {host: smtp.internal, "
		  "username: \"\", password: \"\", tls: ssl}" },
		{ "clickhouse: {host: ch.internal}",
		  "clickhouse: {host: ch.internal, user: \"\", password: \"\"}" },
		{ "filestore: {backend: filesystem, shared_volume: {kind: pvc}}",
		  "filestore: {backend: filesystem}\nhosts: [{name: n1, "
		  "address: 10.0.0.1, roles: [worker, web]}]" },
	};
	char *yaml = demo_answers("24.8.0", NULL);
	struct answers a, r;
	struct err e;

	for (size_t i = 0; i < sizeof edits / sizeof edits[0]; i++) {
		char *at = strstr(yaml, edits[i][0]), *next;

		ck_assert_msg(at != NULL, "%s", edits[i][0]);
		next = xasprintf("%.*s%s%s", (int)(at - yaml), yaml, edits[i][1],
		    at + strlen(edits[i][0]));
		free(yaml);
		yaml = next;
	}
	ck_assert_msg(answers_parse(yaml, strlen(yaml), "test.yaml", &a, &e) == 0,
	    "%s", e.msg);
	ck_assert_int_eq(a.postgres.password.kind, SECRET_NONE);
	ck_assert_int_eq(a.clickhouse.password.kind, SECRET_NONE);
	ck_assert_int_eq(a.smtp.password.kind, SECRET_NONE);
	ck_assert_ptr_null(a.smtp.username);
	ck_assert_str_eq(a.smtp.tls, "ssl");
	ck_assert_int_eq(answers_resolve(&a, &r, &e), 0);
	ck_assert_str_eq(r.clickhouse.user, "default");
	ck_assert_str_eq(r.smtp.tls, "tls");
	answers_free(&r);
	answers_free(&a);
	/* Without the storage class the filesystem needs a shared volume. */
	{
		char *at = strstr(yaml, ", storage_class: rwx");
		char *bare = xasprintf("%.*s%s", (int)(at - yaml), yaml, at + 20);

		ck_assert_int_eq(answers_parse(bare, strlen(bare), "test.yaml",
		    &a, &e), -1);
		answers_free(&a);
		ck_assert_contains(e.msg, "filestore.shared_volume.kind: required "
		    "with the filesystem backend");
		ck_assert_contains(e.msg, "or target.storage_class on Kubernetes");
		free(bare);
	}
	free(yaml);
}
END_TEST

static char *
tmp_path(const char *name)
{
	char *dir = xstrdup(test_tmp());
	struct err e;
	char *path;

	ck_assert_int_eq(fs_make_dirs(dir, 0755, &e), 0);
	path = xasprintf("%s/%s", dir, name);
	free(dir);
	return path;
}

START_TEST(save_round_trips_and_protects_secrets)
{
	char *yaml = demo_answers("24.8.0", "services: {web: {replicas: 3}}\n");
	char *path = tmp_path("saved.yaml");
	struct answers a, b;
	struct ynode *x, *y;
	struct strbuf sx = STRBUF_INIT, sy = STRBUF_INIT;
	struct stat st;
	struct err e;

	ck_assert_int_eq(answers_parse(yaml, strlen(yaml), "in.yaml", &a, &e), 0);
	ck_assert_int_eq(answers_save(&a, path, &e), 0);
	ck_assert_int_eq(stat(path, &st), 0);
	/* It holds inline passwords. */
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	ck_assert_int_eq(answers_load(path, &b, &e), 0);
	x = schema_encode(answers_fields, &a);
	y = schema_encode(answers_fields, &b);
	ck_assert_int_eq(yaml_emit(x, 0, &sx, &e), 0);
	ck_assert_int_eq(yaml_emit(y, 0, &sy, &e), 0);
	ck_assert_str_eq(sx.s, sy.s);
	yn_free(x);
	yn_free(y);
	sb_free(&sx);
	sb_free(&sy);
	answers_free(&a);
	answers_free(&b);
	unlink(path);
	free(path);
	free(yaml);
}
END_TEST

START_TEST(save_without_inline_secrets_is_readable)
{
	char *pg = edited("password: \"pg-secret\"", "password: {env: PGPASS}");
	char *yaml = replaced(pg, "password: \"redis-secret\"", "db: 0");
	char *path = tmp_path("saved2.yaml");
	struct answers a;
	struct stat st;
	struct err e;

	free(pg);
	ck_assert_int_eq(answers_parse(yaml, strlen(yaml), "in.yaml", &a, &e), 0);
	ck_assert_int_eq(answers_has_inline_secret(&a), 0);
	ck_assert_int_eq(answers_save(&a, path, &e), 0);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0644);
	answers_free(&a);
	unlink(path);
	free(path);
	free(yaml);
}
END_TEST

/* Invalid UTF-8: a stray byte, a truncated sequence, an overlong '/', a
 * surrogate, past U+10FFFF, and a NUL byte. */
static const char *const not_text[] = {
	"ab\xff", "ab\xc3", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80",
	"\0x",
};

START_TEST(secrets_resolve_from_env_and_file)
{
	char *path = tmp_path("pw.txt"), *value;
	struct secret env = { SECRET_ENV, "SHS_TEST_SECRET" };
	struct secret missing = { SECRET_ENV, "SHS_TEST_NOT_SET" };
	struct secret file = { SECRET_FILE, "pw.txt" };
	char *dir = fs_dirname(path);
	struct err e;

	setenv("SHS_TEST_SECRET", "from env: #&*|", 1);
	unsetenv("SHS_TEST_NOT_SET");
	ck_assert_int_eq(secret_resolve(&env, "x.password", NULL, &value, &e), 0);
	ck_assert_str_eq(value, "from env: #&*|");
	free(value);
	ck_assert_int_eq(secret_resolve(&missing, "x.password", NULL, &value, &e), -1);
	ck_assert_contains(e.msg, "x.password: the environment variable "
	    "SHS_TEST_NOT_SET is not set");
	ck_assert_int_eq(fs_write_atomic(path, "s3cr\xc3\xa9t\n", 8, 0600, &e), 0);
	ck_assert_int_eq(secret_resolve(&file, "x.password", dir, &value, &e), 0);
	ck_assert_str_eq(value, "s3cr\xc3\xa9t");
	free(value);
	/* Only the one line ending goes; inner and further ones are kept. */
	ck_assert_int_eq(fs_write_atomic(path, "a b\r\n", 5, 0600, &e), 0);
	ck_assert_int_eq(secret_resolve(&file, "x.password", dir, &value, &e), 0);
	ck_assert_str_eq(value, "a b");
	free(value);
	ck_assert_int_eq(fs_write_atomic(path, "a\nb\n\n", 5, 0600, &e), 0);
	ck_assert_int_eq(secret_resolve(&file, "x.password", dir, &value, &e), 0);
	ck_assert_str_eq(value, "a\nb\n");
	free(value);
	/* Bytes that are not UTF-8 text cannot go into YAML or JSON. */
	for (size_t i = 0; i < sizeof not_text / sizeof not_text[0]; i++) {
		ck_assert_int_eq(fs_write_atomic(path, not_text[i],
		    strlen(not_text[i]) + (not_text[i][0] == '\0'), 0600, &e), 0);
		ck_assert_msg(secret_resolve(&file, "x.password", dir, &value,
		    &e) == -1, "not_text[%zu] was accepted", i);
		ck_assert_contains(e.msg, "x.password: the file pw.txt is not "
		    "UTF-8 text");
	}
	ck_assert_int_eq(fs_write_atomic(path, "\n", 1, 0600, &e), 0);
	ck_assert_int_eq(secret_resolve(&file, "x.password", dir, &value, &e), -1);
	ck_assert_contains(e.msg, "x.password: the file pw.txt is empty");
	setenv("SHS_TEST_SECRET", "", 1);
	ck_assert_int_eq(secret_resolve(&env, "x.password", NULL, &value, &e), -1);
	ck_assert_contains(e.msg, "SHS_TEST_SECRET is empty");
	setenv("SHS_TEST_SECRET", "x\xfey", 1);
	ck_assert_int_eq(secret_resolve(&env, "x.password", NULL, &value, &e), -1);
	ck_assert_contains(e.msg, "SHS_TEST_SECRET is not valid UTF-8 text");
	unlink(path);
	ck_assert_int_eq(secret_resolve(&file, "x.password", dir, &value, &e), -1);
	ck_assert_contains(e.msg, "x.password: ");
	ck_assert_contains(e.msg, "pw.txt: cannot open");
	free(dir);
	free(path);
}
END_TEST

/* Every default of the field table is a valid answer of its own field: a
 * table edit that breaks one fails here, not in the middle of a plan. */
static void
check_defaults(const struct field *fields, const char *path)
{
	for (const struct field *f = fields; f->key != NULL; f++) {
		char *p = path[0] ? xasprintf("%s.%s", path, f->key) :
		    xstrdup(f->key);
		const struct table *t = f->aux;

		if (f->type == FT_MAP) {
			check_defaults(t->fields, p);
		} else if (f->type == FT_LIST || f->type == FT_DICT) {
			char *elem = xasprintf(f->type == FT_LIST ? "%s[0]" : "%s.x", p);

			check_defaults(t->fields, elem);
			free(elem);
		} else if (f->def != NULL) {
			struct ynode *n = yn_str(f->def);
			struct err e;

			err_clear(&e);
			ck_assert_msg(answers_check_value(p, n, &e) == 0 ||
			    strchr(p, '[') != NULL, "default of %s: %s", p, e.msg);
			ck_assert_msg(!(f->flags & F_REQUIRED), "%s is required "
			    "and has a default", p);
			yn_free(n);
		}
		free(p);
	}
}

START_TEST(defaults_are_valid_answers)
{
	check_defaults(answers_fields, "");
	ck_assert_str_eq(answers_field("postgres.port")->def, "5432");
	ck_assert_str_eq(answers_field("services.web.replicas")->key, "replicas");
	ck_assert_str_eq(answers_field("hosts[2].port")->def, "22");
	ck_assert_ptr_null(answers_field("postgres.nope"));
	ck_assert_ptr_null(answers_field("postgres.port.deeper"));
}
END_TEST

/* The copy the plan is built from: what was left out has its default, what
 * was given is kept, and positions stay with the original. */
START_TEST(resolve_fills_defaults_once)
{
	static const char text[] = "schema: 1\nsentry: {version: \"24.8.0\"}\n"
	    "target: {kind: swarm}\npostgres: {host: pg, port: 6432}\n"
	    "redis: {host: r}\nkafka: {brokers: [\"k:9092\"]}\n"
	    "clickhouse: {host: ch}\nmemcached: {hosts: [\"m:11211\"]}\n"
	    "smtp: {host: mail, tls: tls}\nfilestore: {backend: s3, s3: {bucket: b}}\n"
	    "hosts: [{name: n1, address: 10.0.0.1}]\n";
	struct answers a, r;
	struct err e;

	err_clear(&e);
	ck_assert_msg(answers_parse(text, strlen(text), "t.yaml", &a, &e) == 0,
	    "%s", e.msg);
	ck_assert_int_eq(answers_resolve(&a, &r, &e), 0);
	ck_assert_int_eq(r.postgres.port, 6432);
	ck_assert_str_eq(r.postgres.database, "sentry");
	ck_assert_str_eq(r.postgres.sslmode, "prefer");
	ck_assert_int_eq(r.redis.port, 6379);
	ck_assert_int_eq(r.redis.tls, 0);
	ck_assert_str_eq(r.target.stack, "sentry");
	ck_assert_str_eq(r.sentry.features, "feature-complete");
	ck_assert_int_eq(r.sentry.retention_days, 90);
	ck_assert_str_eq(r.filestore.s3.region, "us-east-1");
	/* smtp.port depends on smtp.tls: the plan decides it, not the table. */
	ck_assert_int_eq(r.smtp.port, UNSET_INT);
	ck_assert_int_eq(((struct ans_host *)r.hosts.v)->port, 22);
	ck_assert_str_eq(((struct ans_host *)r.hosts.v)->user, "root");
	ck_assert_int_eq((int)r.where.n, 0);
	/* The original is untouched. */
	ck_assert_int_eq(a.redis.port, UNSET_INT);
	ck_assert_ptr_nonnull(srcmap_find(&a.where, "postgres.port"));
	answers_free(&r);
	answers_free(&a);
}
END_TEST

Suite *
suite_answers(void)
{
	Suite *s = suite_create("answers");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, bad_answer_is_explained, 0,
	    (int)(sizeof bad_cases / sizeof bad_cases[0]));
	tcase_add_loop_test(tc, secrets_are_not_echoed, 0, 5);
	tcase_add_test(tc, every_problem_is_reported_at_once);
	tcase_add_test(tc, odd_documents_are_refused);
	tcase_add_test(tc, good_answers_load);
	tcase_add_test(tc, save_round_trips_and_protects_secrets);
	tcase_add_test(tc, save_without_inline_secrets_is_readable);
	tcase_add_test(tc, secrets_resolve_from_env_and_file);
	tcase_add_test(tc, defaults_are_valid_answers);
	tcase_add_test(tc, resolve_fills_defaults_once);
	tcase_add_test(tc, operators_words_are_accepted);
	suite_add_tcase(s, tc);
	return s;
}
