/* Loading, cross-checking and saving the answers file. */
#include "answers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "value_formats.h"

/* One cross-field problem, placed at `path` (or at `near` if path was not
 * written in the file). */
/* Where the cross-field checks put their problems. */
struct problems {
	struct err	*e;
	struct strlist	*paths;	/* may be NULL */
};

static void cross_problem(const struct answers *a, struct problems *p,
    const char *path, const char *near, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void
cross_problem(const struct answers *a, struct problems *p, const char *path,
    const char *near, const char *fmt, ...)
{
	char where[512], what[1024];
	struct err *e = p->e;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	if (p->paths != NULL)
		sl_add(p->paths, path);
	if (srcmap_find(&a->where, path) == NULL && near != NULL)
		srcmap_where(&a->where, near, where, sizeof where);
	else
		srcmap_where(&a->where, path, where, sizeof where);
	err_append(e, ERR_INPUT, "%s%s: %s", where, path, what);
}

static int
is_sasl(const char *protocol)
{
	return protocol != NULL && strncmp(protocol, "SASL_", 5) == 0;
}

static void
check_kafka(const struct answers *a, struct problems *e)
{
	const struct ans_kafka *k = &a->kafka;

	if (is_sasl(k->security_protocol)) {
		if (k->sasl_mechanism == NULL || k->sasl_mechanism[0] == '\0')
			cross_problem(a, e, "kafka.sasl_mechanism",
			    "kafka.security_protocol", "required with %s "
			    "(PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512)",
			    k->security_protocol);
		if (k->username == NULL)
			cross_problem(a, e, "kafka.username",
			    "kafka.security_protocol", "required with %s",
			    k->security_protocol);
		if (k->password.kind == SECRET_NONE)
			cross_problem(a, e, "kafka.password",
			    "kafka.security_protocol", "required with %s",
			    k->security_protocol);
	} else if (k->sasl_mechanism != NULL && k->sasl_mechanism[0] != '\0') {
		cross_problem(a, e, "kafka.sasl_mechanism", NULL, "only used "
		    "with security_protocol SASL_PLAINTEXT or SASL_SSL (it is "
		    "%s)", k->security_protocol ? k->security_protocol :
		    "PLAINTEXT by default");
	}
}

static void
check_shared_volume(const struct answers *a, struct problems *e)
{
	const struct ans_shared_volume *v = &a->filestore.shared_volume;
	int k8s = a->target.kind == NULL || strcmp(a->target.kind, "kubernetes") == 0;

	/* A storage class is enough on Kubernetes: a claim of that class. */
	if (v->kind == NULL && k8s && a->target.storage_class != NULL &&
	    a->target.storage_class[0] != '\0')
		return;
	if (v->kind == NULL) {
		cross_problem(a, e, "filestore.shared_volume.kind",
		    "filestore.backend", "required with the filesystem backend: "
		    "web, workers and cron must all see the same files (pvc, nfs, "
		    "sshfs or hostpath, or target.storage_class on Kubernetes for "
		    "a claim of that class)");
		return;
	}
	if (strcmp(v->kind, "nfs") == 0) {
		if (v->nfs.server == NULL)
			cross_problem(a, e, "filestore.shared_volume.nfs.server",
			    "filestore.shared_volume.kind", "required for nfs");
		if (v->nfs.path == NULL)
			cross_problem(a, e, "filestore.shared_volume.nfs.path",
			    "filestore.shared_volume.kind", "required for nfs");
	}
	if (strcmp(v->kind, "sshfs") == 0) {
		if (v->sshfs.host == NULL)
			cross_problem(a, e, "filestore.shared_volume.sshfs.host",
			    "filestore.shared_volume.kind", "required for sshfs");
		if (v->sshfs.path == NULL)
			cross_problem(a, e, "filestore.shared_volume.sshfs.path",
			    "filestore.shared_volume.kind", "required for sshfs");
	}
	if (strcmp(v->kind, "hostpath") == 0 && v->hostpath.path == NULL)
		cross_problem(a, e, "filestore.shared_volume.hostpath.path",
		    "filestore.shared_volume.kind", "required for hostpath (the "
		    "folder every node mounts)");
}

static void
check_filestore(const struct answers *a, struct problems *e)
{
	const struct ans_filestore *f = &a->filestore;

	if (f->backend == NULL)
		return;
	if (strcmp(f->backend, "s3") == 0) {
		if (f->s3.bucket == NULL)
			cross_problem(a, e, "filestore.s3.bucket",
			    "filestore.backend", "required with the s3 backend");
		if ((f->s3.access_key.kind == SECRET_NONE) !=
		    (f->s3.secret_key.kind == SECRET_NONE))
			cross_problem(a, e, f->s3.access_key.kind == SECRET_NONE ?
			    "filestore.s3.access_key" : "filestore.s3.secret_key",
			    "filestore.s3", "give both access_key and secret_key, "
			    "or neither (to use the node's IAM role)");
	} else if (strcmp(f->backend, "gcs") == 0) {
		if (f->gcs.bucket == NULL)
			cross_problem(a, e, "filestore.gcs.bucket",
			    "filestore.backend", "required with the gcs backend");
		if (f->gcs.credentials_file == NULL)
			cross_problem(a, e, "filestore.gcs.credentials_file",
			    "filestore.backend", "required with the gcs backend");
	} else {
		check_shared_volume(a, e);
	}
}

/* A client certificate comes with its key, over a connection with TLS. */
static void
check_client_cert(const struct answers *a, struct problems *e,
    const char *section, const struct secret *cert, const struct secret *key,
    const char *no_tls)
{
	char field[64];

	if ((cert->kind == SECRET_NONE) == (key->kind == SECRET_NONE)) {
		if (cert->kind != SECRET_NONE && no_tls != NULL) {
			snprintf(field, sizeof field, "%s.client_cert", section);
			cross_problem(a, e, field, NULL, "a client certificate "
			    "needs TLS: %s", no_tls);
		}
		return;
	}
	snprintf(field, sizeof field, "%s.%s", section, cert->kind == SECRET_NONE ?
	    "client_cert" : "client_key");
	cross_problem(a, e, field, section, "give both client_cert and "
	    "client_key, or neither");
}

static void
check_client_certs(const struct answers *a, struct problems *e)
{
	const char *sslmode = a->postgres.sslmode, *kp = a->kafka.security_protocol;

	check_client_cert(a, e, "postgres", &a->postgres.client_cert,
	    &a->postgres.client_key, sslmode != NULL &&
	    strcmp(sslmode, "disable") == 0 ? "postgres.sslmode is disable" : NULL);
	check_client_cert(a, e, "redis", &a->redis.client_cert,
	    &a->redis.client_key, a->redis.tls == 1 ? NULL : "set redis.tls: true");
	check_client_cert(a, e, "kafka", &a->kafka.client_cert,
	    &a->kafka.client_key, kp != NULL && strstr(kp, "SSL") != NULL ? NULL :
	    "set kafka.security_protocol to SSL or SASL_SSL");
}

/* A login for a registry the answers name, with both of its halves. */
static void
check_registry_auth(const struct answers *a, struct problems *e)
{
	const struct ans_registry_auth *r = &a->registry_auth;

	if (r->username == NULL && r->password.kind == SECRET_NONE &&
	    r->ca_file == NULL && r->tls_verify == UNSET_BOOL)
		return;
	if (a->registry == NULL || a->registry[0] == '\0')
		cross_problem(a, e, "registry_auth", "registry", "needs a "
		    "registry: the images are pulled from their public "
		    "registries without one");
	else if ((r->username == NULL) != (r->password.kind == SECRET_NONE))
		cross_problem(a, e, r->username ? "registry_auth.password" :
		    "registry_auth.username", "registry_auth", "give both "
		    "username and password, or neither");
}

/* Kubernetes refuses an ipBlock whose except is not a strict part of its
 * cidr; each except goes into the blocks of the ranges that hold it, so
 * one that no range holds would be dropped without a word. */
static void
check_egress(const struct answers *a, struct problems *e)
{
	const struct strlist *x = &a->target.egress_except;

	for (size_t i = 0; i < x->n; i++) {
		int held = 0;
		char path[64];

		for (size_t j = 0; j < a->target.egress_cidrs.n; j++)
			held |= cidr_within(x->v[i], a->target.egress_cidrs.v[j]);
		if (held)
			continue;
		snprintf(path, sizeof path, "target.egress_except[%zu]", i);
		cross_problem(a, e, path, "target.egress_except", "%s is a strict "
		    "part of none of target.egress_cidrs (an except narrows a "
		    "range that is open, such as 10.0.0.0/8 within 0.0.0.0/0)",
		    x->v[i]);
	}
}

static void
check_other(const struct answers *a, struct problems *e)
{
	check_egress(a, e);
	check_client_certs(a, e);
	check_registry_auth(a, e);
	if (a->smtp.host != NULL && (a->smtp.username == NULL) !=
	    (a->smtp.password.kind == SECRET_NONE))
		cross_problem(a, e, a->smtp.username ? "smtp.password" :
		    "smtp.username", "smtp", "give both username and password, "
		    "or neither");
	for (size_t i = 0; i < a->hosts.n; i++) {
		const struct ans_host *hi = OBJ_AT(&a->hosts, sizeof *hi, i);

		if (sl_contains(&hi->roles, "manager") &&
		    sl_contains(&hi->roles, "worker")) {
			char path[64];

			snprintf(path, sizeof path, "hosts[%zu].roles", i);
			cross_problem(a, e, path, NULL, "a Swarm node is a manager "
			    "or a worker, not both");
		}
		for (size_t j = 0; j < i; j++) {
			const struct ans_host *hj = OBJ_AT(&a->hosts, sizeof *hj, j);
			char path[64];

			if (hi->name && hj->name && strcmp(hi->name, hj->name) == 0) {
				snprintf(path, sizeof path, "hosts[%zu].name", i);
				cross_problem(a, e, path, NULL, "\"%s\" is already "
				    "the name of hosts[%zu]", hi->name, j);
			}
		}
	}
}

/* answers_check_place's report: a cross-field problem at `path`. */
struct place_ctx {
	const struct answers	*a;
	struct problems		*p;
};

static void
place_problem(void *ctx, const char *path, const char *message)
{
	struct place_ctx *c = ctx;
	char near[256], *dot;

	/* A missing key is placed at its toleration, or at their list (a
	 * list's elements have no position of their own). */
	snprintf(near, sizeof near, "%s", path);
	if ((dot = strrchr(near, '.')) != NULL)
		*dot = '\0';
	if (srcmap_find(&c->a->where, near) == NULL &&
	    (dot = strrchr(near, '[')) != NULL)
		*dot = '\0';
	cross_problem(c->a, c->p, path, near, "%s", message);
}

int
answers_parse(const char *text, size_t len, const char *name,
    struct answers *a, struct err *e)
{
	return answers_parse_paths(text, len, name, a, e, NULL);
}

int
answers_parse_paths(const char *text, size_t len, const char *name,
    struct answers *a, struct err *e, struct strlist *paths)
{
	struct ynode *root = NULL;
	struct decoder d = { name, &a->where, e, paths };
	struct err problems;
	struct problems cross = { &problems, paths };
	int rc;

	memset(a, 0, sizeof *a);
	schema_init(answers_fields, a);
	a->where.file = xstrdup(name);
	if (yaml_parse(text, len, name, 0, &root, e) < 0)
		return -1;
	if (root == NULL)
		return err_set(e, ERR_INPUT, "%s: the file is empty; expected the "
		    "answers (schema: %d, sentry:, target:, ...)", name,
		    ANSWERS_SCHEMA);
	err_clear(&problems);
	d.e = &problems;
	rc = schema_decode(answers_fields, a, root, "", &d);
	yn_free(root);
	if (rc == 0) {
		check_kafka(a, &cross);
		check_filestore(a, &cross);
		check_other(a, &cross);
		answers_check_place(a, place_problem,
		    &(struct place_ctx){ a, &cross });
	}
	if (problems.kind != ERR_NONE) {
		*e = problems;
		return -1;
	}
	return 0;
}

int
answers_load(const char *path, struct answers *a, struct err *e)
{
	char *text;
	size_t len;
	int rc;

	memset(a, 0, sizeof *a);
	schema_init(answers_fields, a);
	if (fs_read_file(path, &text, &len, e) < 0)
		return -1;
	rc = answers_parse(text, len, path, a, e);
	free(text);
	return rc;
}

void
answers_free(struct answers *a)
{
	schema_free(answers_fields, a);
	srcmap_free(&a->where);
}

static int
secret_inline(const struct secret *s)
{
	return s->kind == SECRET_PLAIN;
}

int
answers_has_inline_secret(const struct answers *a)
{
	const struct secret *all[] = {
		&a->sentry.secret_key, &a->postgres.password, &a->redis.password,
		&a->kafka.password, &a->clickhouse.password, &a->smtp.password,
		&a->filestore.s3.access_key, &a->filestore.s3.secret_key,
	};

	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		if (secret_inline(all[i]))
			return 1;
	return 0;
}

int
answers_save(const struct answers *a, const char *path, struct err *e)
{
	struct ynode *doc = schema_encode(answers_fields, a);
	struct strbuf out = STRBUF_INIT;
	int rc;

	sb_add(&out, "# sentry-ha-setup answers (schema 1). Replay with:\n"
	    "#   sentry-ha-setup generate -a THIS-FILE\n");
	rc = yaml_emit(doc, 0, &out, e);
	if (rc == 0)
		rc = fs_write_atomic(path, out.s, out.len,
		    answers_has_inline_secret(a) ? 0600 : 0644, e);
	yn_free(doc);
	sb_free(&out);
	return rc;
}

const struct ans_service *
answers_service(const struct answers *a, const char *service)
{
	for (size_t i = 0; i < a->services.n; i++) {
		const struct ans_service *s = OBJ_AT(&a->services, sizeof *s, i);

		if (strcmp(s->name, service) == 0)
			return s;
	}
	return NULL;
}

long
answers_replicas(const struct answers *a, const char *service)
{
	const struct ans_service *s = answers_service(a, service);

	return s != NULL ? s->replicas : UNSET_INT;
}

/* answers_check_place's report for one value: its first problem. */
static void
first_problem(void *ctx, const char *path, const char *message)
{
	struct err *e = ctx;

	if (e->kind == ERR_NONE)
		err_set(e, ERR_INPUT, "%s: %s", path, message);
}

int
answers_check_value(const char *path, const struct ynode *value, struct err *e)
{
	struct answers *scratch = xcalloc(1, sizeof *scratch);
	int rc;

	schema_init(answers_fields, scratch);
	err_clear(e);
	rc = schema_check_at(answers_fields, scratch, path, value, NULL, e);
	/* The value alone is all the scratch answers hold: the checks across
	 * its own fields (a toleration's operator and value) apply to it. */
	if (rc == 0) {
		answers_check_place(scratch, first_problem, e);
		rc = e->kind != ERR_NONE ? -1 : 0;
	}
	schema_free(answers_fields, scratch);
	srcmap_free(&scratch->where);
	free(scratch);
	return rc;
}
