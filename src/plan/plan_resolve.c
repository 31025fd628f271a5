/*
 * The plan's settings from the answers: the target, one endpoint per piece
 * of middleware, the file store, the hosts and the secret values. The
 * answers arrive with their defaults applied (answers_resolve), so nothing
 * here, and nothing that reads the plan, chooses a default of its own; the
 * few that depend on other answers are computed here, once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answers.h"
#include "plan_internal.h"

/* An answer's text, or NULL when it is absent or empty ("" says "none"). */
static char *
text_or_null(const char *s)
{
	return s != NULL && s[0] != '\0' ? xstrdup(s) : NULL;
}

/* Percent-encodes what may not appear in the userinfo of a URL. */
static void
url_escape(struct strbuf *sb, const char *s)
{
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr("-._~", c) != NULL)
			sb_addc(sb, (char)c);
		else
			sb_printf(sb, "%%%02X", c);
	}
}

char *
plan_redis_url(const struct plan *pl, const char *password)
{
	const struct plan_redis *r = &pl->redis;
	struct strbuf url = STRBUF_INIT;

	sb_add(&url, r->tls ? "rediss://" : "redis://");
	if (password != NULL) {
		sb_addc(&url, ':');
		url_escape(&url, password);
		sb_addc(&url, '@');
	}
	sb_printf(&url, strchr(r->host, ':') ? "[%s]:%ld/%ld" : "%s:%ld/%ld",
	    r->host, r->port, r->db);
	return sb_take(&url);
}

/* SMTP's port follows its TLS mode: submission, SMTPS or plain SMTP. */
static long
smtp_port(const struct ans_smtp *m)
{
	if (m->port != UNSET_INT)
		return m->port;
	if (strcmp(m->tls, "tls") == 0)
		return 465;
	return strcmp(m->tls, "none") == 0 ? 25 : 587;
}

static void
resolve_target(struct plan *pl, const struct answers *a, const char *kind)
{
	struct plan_target *t = &pl->target;

	t->kind = xstrdup(kind);
	t->namespace = xstrdup(a->target.namespace);
	t->stack = xstrdup(a->target.stack);
	t->deploy_dir = xstrdup(a->target.deploy_dir);
	t->storage_class = text_or_null(a->target.storage_class);
	t->ingress_host = text_or_null(a->target.ingress_host);
	t->ingress_class = text_or_null(a->target.ingress_class);
	t->ingress_tls_secret = text_or_null(a->target.ingress_tls_secret);
	for (size_t i = 0; i < a->target.ingress_annotations.n; i++)
		kv_set(&t->ingress_annotations, a->target.ingress_annotations.v[i].key,
		    a->target.ingress_annotations.v[i].value);
	t->registry = text_or_null(a->registry);
	t->network_policy = a->target.network_policy == 1;
	t->ingress_namespace = xstrdup(a->target.ingress_namespace);
	sl_copy(&t->egress_cidrs, &a->target.egress_cidrs);
	sl_copy(&t->egress_except, &a->target.egress_except);
	plan_resolve_place(pl, a);
	pl->registry.username = text_or_null(a->registry_auth.username);
	pl->registry.tls_verify = a->registry_auth.tls_verify;
	pl->features = xstrdup(a->sentry.features);
	pl->sentry.url_prefix = text_or_null(a->sentry.url_prefix);
	pl->sentry.admin_email = text_or_null(a->sentry.admin_email);
	pl->sentry.retention_days = a->sentry.retention_days;
}

static void
resolve_middleware(struct plan *pl, const struct answers *a)
{
	pl->postgres.host = xstrdup(a->postgres.host);
	pl->postgres.port = a->postgres.port;
	pl->postgres.database = xstrdup(a->postgres.database);
	pl->postgres.user = xstrdup(a->postgres.user);
	pl->postgres.sslmode = xstrdup(a->postgres.sslmode);

	pl->redis.host = xstrdup(a->redis.host);
	pl->redis.port = a->redis.port;
	pl->redis.db = a->redis.db;
	pl->redis.tls = a->redis.tls == 1;

	sl_copy(&pl->kafka.brokers, &a->kafka.brokers);
	/* Three copies survive a broker; a smaller cluster cannot hold them. */
	pl->kafka_replication = a->kafka.brokers.n < 3 ? (long)a->kafka.brokers.n : 3;
	pl->kafka.security_protocol = xstrdup(a->kafka.security_protocol);
	pl->kafka.sasl_mechanism = text_or_null(a->kafka.sasl_mechanism);
	pl->kafka.username = text_or_null(a->kafka.username);

	sl_copy(&pl->zookeeper, &a->zookeeper.hosts);
	sl_copy(&pl->memcached, &a->memcached.hosts);

	pl->clickhouse.host = xstrdup(a->clickhouse.host);
	pl->clickhouse.http_port = a->clickhouse.http_port;
	pl->clickhouse.native_port = a->clickhouse.native_port;
	pl->clickhouse.database = xstrdup(a->clickhouse.database);
	pl->clickhouse.user = xstrdup(a->clickhouse.user);
	pl->clickhouse.cluster = text_or_null(a->clickhouse.cluster);

	pl->smtp.host = text_or_null(a->smtp.host);
	pl->smtp.port = smtp_port(&a->smtp);
	pl->smtp.tls = xstrdup(a->smtp.tls);
	pl->smtp.username = text_or_null(a->smtp.username);
	pl->smtp.from = text_or_null(a->smtp.from);
}

static void
resolve_filestore(struct plan *pl, const struct answers *a)
{
	const struct ans_filestore *f = &a->filestore;
	const struct ans_shared_volume *sv = &f->shared_volume;
	struct plan_filestore *p = &pl->filestore;

	p->backend = xstrdup(f->backend);
	p->s3_bucket = xstrdup(f->s3.bucket);
	p->s3_region = xstrdup(f->s3.region);
	p->s3_endpoint = text_or_null(f->s3.endpoint);
	p->gcs_bucket = xstrdup(f->gcs.bucket);
	if (strcmp(f->backend, "s3") == 0 || strcmp(f->backend, "gcs") == 0) {
		const char *own = f->backend[0] == 's' ? f->s3.profiles_bucket :
		    f->gcs.profiles_bucket;

		p->profiles_own = own != NULL;
		p->profiles_bucket = xstrdup(own != NULL ? own :
		    f->backend[0] == 's' ? f->s3.bucket : f->gcs.bucket);
	}
	p->gcs_credentials_file = xstrdup(f->gcs.credentials_file);
	p->shared_kind = xstrdup(sv->kind);
	/* On Kubernetes target.storage_class alone stands for a claim of it. */
	if (p->shared_kind == NULL && strcmp(pl->target.kind, "kubernetes") == 0 &&
	    pl->target.storage_class != NULL && strcmp(p->backend, "filesystem") == 0)
		p->shared_kind = xstrdup("pvc");
	p->shared_size = xstrdup(sv->size);
	p->nfs_server = xstrdup(sv->nfs.server);
	p->nfs_path = xstrdup(sv->nfs.path);
	if (sv->kind != NULL && strcmp(sv->kind, "sshfs") == 0) {
		p->sshfs.host = xstrdup(sv->sshfs.host);
		p->sshfs.path = xstrdup(sv->sshfs.path);
	}
	if (sv->kind != NULL && strcmp(sv->kind, "hostpath") == 0 &&
	    sv->hostpath.path != NULL) {
		size_t len = strlen(sv->hostpath.path);

		/* One slash between the folder and each volume's name. */
		while (len > 1 && sv->hostpath.path[len - 1] == '/')
			len--;
		p->hostpath = xstrndup(sv->hostpath.path, len);
	}
	p->sshfs.port = sv->sshfs.port;
	p->sshfs.user = xstrdup(sv->sshfs.user);
	p->sshfs.uid = sv->sshfs.uid;
	p->sshfs.gid = sv->sshfs.gid;
	p->sshfs.key_source = xstrdup(sv->sshfs.key_source);
}

static void
resolve_hosts(struct plan *pl, const struct answers *a)
{
	pl->hosts = xcalloc(a->hosts.n + 1, sizeof *pl->hosts);
	for (size_t i = 0; i < a->hosts.n; i++) {
		const struct ans_host *h = OBJ_AT(&a->hosts, sizeof *h, i);
		struct plan_host *ph = &pl->hosts[pl->nhosts++];

		ph->name = xstrdup(h->name);
		ph->address = xstrdup(h->address);
		ph->port = h->port;
		ph->user = xstrdup(h->user);
		sl_copy(&ph->roles, &h->roles);
	}
}

static void
add_topic(struct plan *pl, size_t *cap, const char *name, long fixed)
{
	struct plan_topic *pt;

	for (size_t i = 0; i < pl->ntopics; i++)
		if (strcmp(pl->topics[i].name, name) == 0)
			return;
	pl->topics = xgrow(pl->topics, cap, pl->ntopics + 1, sizeof *pl->topics);
	pt = &pl->topics[pl->ntopics++];
	pt->name = xstrdup(name);
	pt->fixed = fixed != UNSET_INT;
	pt->partitions = pt->fixed ? fixed : TOPIC_PARTITIONS;
}

/* The topics a command names: "--commit-log-topic X", "--raw-events-topic=X". */
static void
add_argument_topics(struct plan *pl, size_t *cap, const struct strlist *args)
{
	for (size_t i = 0; i < args->n; i++) {
		const char *a = args->v[i], *eq = strchr(a, '=');
		size_t len = eq != NULL ? (size_t)(eq - a) : strlen(a);

		if (strncmp(a, "--", 2) != 0 || len < 7 ||
		    strncmp(a + len - 6, "-topic", 6) != 0)
			continue;
		if (eq != NULL && eq[1] != '\0')
			add_topic(pl, cap, eq + 1, UNSET_INT);
		else if (eq == NULL && i + 1 < args->n)
			add_topic(pl, cap, args->v[++i], UNSET_INT);
	}
}

/* The profile's list, then whatever its services name that the list lacks:
 * a topic that a consumer needs is never left to be auto-created. */
static void
resolve_topics(struct plan *pl)
{
	const struct objlist *topics = &pl->profile->topics;
	const struct objlist *services = &pl->profile->services;
	size_t cap = 0;

	for (size_t i = 0; i < topics->n; i++) {
		const struct prof_topic *t = OBJ_AT(topics, sizeof *t, i);

		add_topic(pl, &cap, t->name, t->partitions);
	}
	for (size_t i = 0; i < services->n; i++) {
		const struct prof_service *s = OBJ_AT(services, sizeof *s, i);

		if (s->topic != NULL)
			add_topic(pl, &cap, s->topic, UNSET_INT);
		add_argument_topics(pl, &cap, &s->args);
	}
}

/* Every secret of the answers: its key in plan.secrets, the answer, and
 * the endpoint field that refers to it. */
static const struct {
	const char	*key;
	size_t		 answer;	/* offset of a struct secret in answers */
	const char	*field;
	size_t		 ref;		/* offset of a char * in the plan */
} answer_secrets[] = {
#define SECRET(key, ans, ref) \
	{ key, offsetof(struct answers, ans), #ans, offsetof(struct plan, ref) }
	SECRET("postgres-password", postgres.password, postgres.password_ref),
	SECRET("redis-password", redis.password, redis.password_ref),
	SECRET("kafka-password", kafka.password, kafka.password_ref),
	SECRET("clickhouse-password", clickhouse.password, clickhouse.password_ref),
	SECRET("smtp-password", smtp.password, smtp.password_ref),
	SECRET("s3-access-key", filestore.s3.access_key, filestore.s3_access_key_ref),
	SECRET("s3-secret-key", filestore.s3.secret_key, filestore.s3_secret_key_ref),
	SECRET("postgres-client-cert", postgres.client_cert, postgres.client.cert_ref),
	SECRET("postgres-client-key", postgres.client_key, postgres.client.key_ref),
	SECRET("redis-client-cert", redis.client_cert, redis.client.cert_ref),
	SECRET("redis-client-key", redis.client_key, redis.client.key_ref),
	SECRET("kafka-client-cert", kafka.client_cert, kafka.client.cert_ref),
	SECRET("kafka-client-key", kafka.client_key, kafka.client.key_ref),
	SECRET("geoip-license-key", geoip.license_key, geoip.license_key_ref),
	SECRET(REGISTRY_PASSWORD_REF, registry_auth.password, registry.password_ref),
#undef SECRET
};

/* Answers from elsewhere (a pull request in CI) may not read files outside
 * the folder the operator allowed: no /etc/shadow in a generated Secret. */
static int
outside_secrets_dir(const struct plan *pl, const struct secret *s,
    const char *field, const char *base_dir, struct err *e)
{
	char *path = s->value[0] == '/' ? xstrdup(s->value) :
	    xasprintf("%s/%s", base_dir, s->value);
	int inside = fs_is_within(path, pl->secrets_dir);

	free(path);
	if (inside)
		return 0;
	err_set(e, ERR_INPUT, "%s: {file: %s} is outside %s, the folder "
	    "--secrets-from allows", field, s->value, pl->secrets_dir);
	return 1;
}

/* What makes a secret of each kind readable, for plan.unresolved; "%s" is
 * the variable or the path. */
static const char *const unresolved_fixes[] = {
	[SECRET_NONE] = "give %s a value",
	[SECRET_PLAIN] = "correct the secret %s",
	[SECRET_ENV] = "export %s=... (the secret) in the shell that runs "
	    "sentry-ha-setup, then run it again",
	[SECRET_FILE] = "write the secret into %s (relative to the answers' "
	    "folder), or point the answer at the file that holds it",
};

/* Notes a secret that `why` says cannot be read (PLAN_SECRETS_MAY_FAIL). */
static void
note_unresolved(struct plan *pl, const struct secret *s, const char *field,
    const struct err *why)
{
	struct plan_unresolved *u;

	pl->unresolved = xrealloc(pl->unresolved, (pl->nunresolved + 1) *
	    sizeof *pl->unresolved);
	u = &pl->unresolved[pl->nunresolved++];
	u->field = xstrdup(field);
	u->why = xstrdup(why->msg);
	u->fix = xasprintf(unresolved_fixes[s->kind], s->kind == SECRET_NONE ||
	    s->kind == SECRET_PLAIN ? field : s->value);
}

/* One secret of the answers, resolved into pl->secrets under `key`. */
static int
add_answer_secret(struct plan *pl, const char *key, const struct secret *s,
    const char *field, const char *base_dir, struct err *e)
{
	struct err unread;
	char *value;

	if (pl->flags & PLAN_NO_SECRET_VALUES) {
		kv_add(&pl->secrets, key, "");
		return 0;
	}
	if (s->kind == SECRET_FILE && pl->secrets_dir != NULL &&
	    outside_secrets_dir(pl, s, field, base_dir, e))
		return -1;
	err_clear(&unread);
	if (secret_resolve(s, field, base_dir, &value, &unread) < 0 &&
	    !(pl->flags & PLAN_SECRETS_MAY_FAIL)) {
		*e = unread;
		return -1;
	}
	if (value == NULL) {
		note_unresolved(pl, s, field, &unread);
		kv_add(&pl->secrets, key, "");
		return 0;
	}
	kv_add(&pl->secrets, key, value);
	free(value);
	return 0;
}

int
plan_resolve_secrets(struct plan *pl, const struct answers *a,
    const struct keys *k, struct err *e)
{
	char *base = fs_dirname(pl->answers_file);
	int rc = 0;

	if (a->sentry.secret_key.kind != SECRET_NONE)
		rc = add_answer_secret(pl, "secret-key", &a->sentry.secret_key,
		    "sentry.secret_key", base, e);
	else
		kv_add(&pl->secrets, "secret-key", k->secret_key);
	for (size_t i = 0; rc == 0 && i < sizeof answer_secrets /
	    sizeof answer_secrets[0]; i++) {
		const struct secret *s = (const struct secret *)(const void *)
		    ((const char *)a + answer_secrets[i].answer);

		if (s->kind == SECRET_NONE)
			continue;
		rc = add_answer_secret(pl, answer_secrets[i].key, s,
		    answer_secrets[i].field, base, e);
		*(char **)(void *)((char *)pl + answer_secrets[i].ref) =
		    xstrdup(answer_secrets[i].key);
	}
	if (rc == 0 && a->filestore.gcs.credentials_file != NULL) {
		struct secret file = { SECRET_FILE, a->filestore.gcs.credentials_file };

		rc = add_answer_secret(pl, "gcs-credentials", &file,
		    "filestore.gcs.credentials_file", base, e);
		pl->filestore.gcs_credentials_ref = xstrdup("gcs-credentials");
	}
	if (rc == 0 && pl->redis.password_ref != NULL) {
		char *url = plan_redis_url(pl, kv_get(&pl->secrets,
		    "redis-password"));

		kv_add(&pl->secrets, "redis-url", url);
		free(url);
	}
	if (rc == 0)
		kv_add(&pl->secrets, "rpc-secret", k->rpc_secret);
	free(base);
	return rc;
}

static int
check_stack(const struct plan *pl, const struct answers *a, const char *kind,
    struct err *e)
{
	char where[512];

	if (strcmp(kind, "swarm") != 0 || a->target.stack == NULL ||
	    strlen(a->target.stack) <= SWARM_STACK_MAX)
		return 0;
	return err_set(e, ERR_INPUT, "%starget.stack: \"%s\" is %zu characters; "
	    "on Swarm at most %d, so that every service's name (STACK-GROUP_"
	    "SERVICE) stays within Swarm's 63", plan_where(pl, "target.stack",
	    where, sizeof where), a->target.stack, strlen(a->target.stack),
	    SWARM_STACK_MAX);
}

int
plan_resolve(struct plan *pl, const struct answers *given, const char *kind,
    struct err *e)
{
	struct answers a;
	int rc;

	pl->answers_file = xstrdup(given->where.file);
	srcmap_copy(&pl->where, &given->where);
	answers_set_paths(given, &pl->answered);
	rc = answers_resolve(given, &a, e);
	if (rc == 0)
		rc = check_stack(pl, &a, kind, e);
	if (rc == 0) {
		resolve_target(pl, &a, kind);
		resolve_middleware(pl, &a);
		resolve_filestore(pl, &a);
		resolve_hosts(pl, &a);
		resolve_topics(pl);
		rc = plan_resolve_offline(pl, &a, e);
	}
	answers_free(&a);
	return rc;
}
