/*
 * The wizard's screens and fields, as tables: the order an operator decides
 * in, which fields apply given the earlier answers, and the live check each
 * form can run. Help texts are data (assets/help/wizard.yaml).
 */
#include "wiz.h"

#include <string.h>

static int
is(const struct wiz *w, const char *path, const char *value)
{
	const char *have = yn_path_text(w->doc, path);

	return have != NULL && strcmp(have, value) == 0;
}

static int on_kubernetes(const struct wiz *w) { return !is(w, "target.kind", "swarm"); }
static int on_swarm(const struct wiz *w) { return is(w, "target.kind", "swarm"); }
static int sasl(const struct wiz *w)
{
	const char *p = yn_path_text(w->doc, "kafka.security_protocol");

	return p != NULL && strncmp(p, "SASL_", 5) == 0;
}
static int s3(const struct wiz *w) { return is(w, "filestore.backend", "s3"); }
static int gcs(const struct wiz *w) { return is(w, "filestore.backend", "gcs"); }
static int pvc(const struct wiz *w)
{
	return on_kubernetes(w) && is(w, "filestore.shared_volume.kind", "pvc");
}
static int nfs(const struct wiz *w) { return is(w, "filestore.shared_volume.kind", "nfs"); }
static int sshfs(const struct wiz *w) { return is(w, "filestore.shared_volume.kind", "sshfs"); }

static int
needs_zookeeper(const struct wiz *w)
{
	const struct profile *p = wiz_profile(w);

	return p != NULL && p->requires.zookeeper == 1;
}

static void
releases(const struct wiz *w, struct strlist *out)
{
	for (size_t i = 0; i < w->cat.n; i++)
		sl_add(out, w->cat.v[i].release);
}

/* A claim is Kubernetes'; sshfs is a Docker volume plugin. */
static void
volume_kinds(const struct wiz *w, struct strlist *out)
{
	if (on_swarm(w)) {
		sl_add(out, "nfs");
		sl_add(out, "sshfs");
	} else {
		sl_add(out, "pvc");
		sl_add(out, "nfs");
	}
}

static const char *const features[] = { "feature-complete", "errors-only", NULL };
static const char *const targets[] = { "kubernetes", "swarm", NULL };
static const char *const sslmodes[] = { "prefer", "require", "verify-ca",
	"verify-full", "disable", "allow", NULL };
static const char *const booleans[] = { "false", "true", NULL };
static const char *const protocols[] = { "PLAINTEXT", "SSL", "SASL_PLAINTEXT",
	"SASL_SSL", NULL };
static const char *const mechanisms[] = { "PLAIN", "SCRAM-SHA-256",
	"SCRAM-SHA-512", NULL };
static const char *const smtp_tls[] = { "starttls", "tls", "none", NULL };
static const char *const backends[] = { "filesystem", "s3", "gcs", NULL };

#define F(path, label, kind, shown, choices, fn, shown_default) \
	{ path, label, kind, shown, choices, fn, shown_default }

static const struct wiz_field release_fields[] = {
	F("sentry.version", "Sentry release", WF_CHOICE, NULL, NULL, releases, NULL),
	F("sentry.features", "Features", WF_CHOICE, NULL, features, NULL, "feature-complete"),
	F("target.kind", "Orchestrator", WF_CHOICE, NULL, targets, NULL, NULL),
	F("target.namespace", "Namespace", WF_TEXT, on_kubernetes, NULL, NULL, "sentry"),
	F("target.storage_class", "RWX storage class", WF_TEXT, on_kubernetes, NULL, NULL, "the default"),
	F("target.ingress_host", "Ingress host", WF_TEXT, on_kubernetes, NULL, NULL, "none"),
	F("target.stack", "Stack name", WF_TEXT, on_swarm, NULL, NULL, "sentry"),
	F("registry", "Registry prefix", WF_TEXT, NULL, NULL, NULL, "none: public images"),
	F("sentry.url_prefix", "Public URL", WF_TEXT, NULL, NULL, NULL, "https://sentry.example.com"),
	F("sentry.admin_email", "Admin e-mail", WF_TEXT, NULL, NULL, NULL, NULL),
};

static const struct wiz_field postgres_fields[] = {
	F("postgres.host", "Host", WF_TEXT, NULL, NULL, NULL, NULL),
	F("postgres.port", "Port", WF_NUMBER, NULL, NULL, NULL, "5432"),
	F("postgres.database", "Database", WF_TEXT, NULL, NULL, NULL, "sentry"),
	F("postgres.user", "User", WF_TEXT, NULL, NULL, NULL, "sentry"),
	F("postgres.password", "Password", WF_SECRET, NULL, NULL, NULL, "none"),
	F("postgres.sslmode", "TLS (sslmode)", WF_CHOICE, NULL, sslmodes, NULL, "prefer"),
};

static const struct wiz_field redis_fields[] = {
	F("redis.host", "Host", WF_TEXT, NULL, NULL, NULL, NULL),
	F("redis.port", "Port", WF_NUMBER, NULL, NULL, NULL, "6379"),
	F("redis.password", "Password", WF_SECRET, NULL, NULL, NULL, "none"),
	F("redis.db", "DB index", WF_NUMBER, NULL, NULL, NULL, "0"),
	F("redis.tls", "TLS", WF_CHOICE, NULL, booleans, NULL, "false"),
};

static const struct wiz_field kafka_fields[] = {
	F("kafka.brokers", "Brokers", WF_LIST, NULL, NULL, NULL, "host:9092, ..."),
	F("kafka.security_protocol", "Security", WF_CHOICE, NULL, protocols, NULL, "PLAINTEXT"),
	F("kafka.sasl_mechanism", "SASL mechanism", WF_CHOICE, sasl, mechanisms, NULL, NULL),
	F("kafka.username", "SASL user", WF_TEXT, sasl, NULL, NULL, NULL),
	F("kafka.password", "SASL password", WF_SECRET, sasl, NULL, NULL, NULL),
};

static const struct wiz_field zookeeper_fields[] = {
	F("zookeeper.hosts", "Hosts", WF_LIST, NULL, NULL, NULL, "host:2181, ..."),
};

static const struct wiz_field clickhouse_fields[] = {
	F("clickhouse.host", "Host", WF_TEXT, NULL, NULL, NULL, NULL),
	F("clickhouse.http_port", "HTTP port", WF_NUMBER, NULL, NULL, NULL, "8123"),
	F("clickhouse.native_port", "Native port", WF_NUMBER, NULL, NULL, NULL, "9000"),
	F("clickhouse.database", "Database", WF_TEXT, NULL, NULL, NULL, "default"),
	F("clickhouse.user", "User", WF_TEXT, NULL, NULL, NULL, "default"),
	F("clickhouse.password", "Password", WF_SECRET, NULL, NULL, NULL, "none"),
};

static const struct wiz_field memcached_fields[] = {
	F("memcached.hosts", "Hosts", WF_LIST, NULL, NULL, NULL, "host:11211, ..."),
};

static const struct wiz_field smtp_fields[] = {
	F("smtp.host", "Host", WF_TEXT, NULL, NULL, NULL, "none: no mail"),
	F("smtp.port", "Port", WF_NUMBER, NULL, NULL, NULL, "587"),
	F("smtp.tls", "TLS", WF_CHOICE, NULL, smtp_tls, NULL, "starttls"),
	F("smtp.username", "User", WF_TEXT, NULL, NULL, NULL, "none"),
	F("smtp.password", "Password", WF_SECRET, NULL, NULL, NULL, "none"),
	F("smtp.from", "From", WF_TEXT, NULL, NULL, NULL, NULL),
};

static const struct wiz_field filestore_fields[] = {
	F("filestore.backend", "File store", WF_CHOICE, NULL, backends, NULL, NULL),
	F("filestore.s3.bucket", "S3 bucket", WF_TEXT, s3, NULL, NULL, NULL),
	F("filestore.s3.region", "S3 region", WF_TEXT, s3, NULL, NULL, "us-east-1"),
	F("filestore.s3.endpoint", "S3 endpoint", WF_TEXT, s3, NULL, NULL, "AWS"),
	F("filestore.s3.access_key", "S3 access key", WF_SECRET, s3, NULL, NULL, "IAM role"),
	F("filestore.s3.secret_key", "S3 secret key", WF_SECRET, s3, NULL, NULL, "IAM role"),
	F("filestore.gcs.bucket", "GCS bucket", WF_TEXT, gcs, NULL, NULL, NULL),
	F("filestore.gcs.credentials_file", "GCS key file", WF_TEXT, gcs, NULL, NULL, NULL),
	F("filestore.shared_volume.kind", "Shared volume", WF_CHOICE, NULL, NULL, volume_kinds, NULL),
	F("filestore.shared_volume.size", "Volume size", WF_TEXT, pvc, NULL, NULL, "100Gi"),
	F("filestore.shared_volume.nfs.server", "NFS server", WF_TEXT, nfs, NULL, NULL, NULL),
	F("filestore.shared_volume.nfs.path", "NFS export", WF_TEXT, nfs, NULL, NULL, NULL),
	F("filestore.shared_volume.sshfs.host", "SSHFS host", WF_TEXT, sshfs, NULL, NULL, NULL),
	F("filestore.shared_volume.sshfs.port", "SSHFS port", WF_NUMBER, sshfs, NULL, NULL, "22"),
	F("filestore.shared_volume.sshfs.user", "SSHFS user", WF_TEXT, sshfs, NULL, NULL, "root"),
	F("filestore.shared_volume.sshfs.path", "SSHFS folder", WF_TEXT, sshfs, NULL, NULL, NULL),
};

#define FIELDS(a)	a, sizeof a / sizeof a[0]

static const struct wiz_screen screens[] = {
	{ "welcome", "Welcome", WS_WELCOME, NULL, 0, NULL, NULL },
	{ "release", "Release and target", WS_FORM, FIELDS(release_fields), NULL, NULL },
	{ "postgres", "PostgreSQL", WS_FORM, FIELDS(postgres_fields), "postgres", NULL },
	{ "redis", "Redis", WS_FORM, FIELDS(redis_fields), "redis", NULL },
	{ "kafka", "Kafka", WS_FORM, FIELDS(kafka_fields), "kafka", NULL },
	{ "zookeeper", "ZooKeeper", WS_FORM, FIELDS(zookeeper_fields), "zookeeper",
	  needs_zookeeper },
	{ "clickhouse", "ClickHouse", WS_FORM, FIELDS(clickhouse_fields), "clickhouse", NULL },
	{ "memcached", "Memcached", WS_FORM, FIELDS(memcached_fields), "memcached", NULL },
	{ "smtp", "SMTP (mail)", WS_FORM, FIELDS(smtp_fields), "smtp", NULL },
	{ "filestore", "File store", WS_FORM, FIELDS(filestore_fields), "s3,gcs,ssh", NULL },
	{ "services", "Services", WS_SERVICES, NULL, 0, NULL, NULL },
	{ "review", "Review", WS_REVIEW, NULL, 0, NULL, NULL },
	{ "write", "Write", WS_WRITE, NULL, 0, NULL, NULL },
};

#define NSCREENS	(sizeof screens / sizeof screens[0])

size_t
wiz_screen_count(void)
{
	return NSCREENS;
}

const struct wiz_screen *
wiz_screen_at(size_t i)
{
	return i < NSCREENS ? &screens[i] : &screens[NSCREENS - 1];
}

int
wiz_screen_shown(const struct wiz *w, size_t i)
{
	return i < NSCREENS && (screens[i].shown == NULL || screens[i].shown(w));
}

size_t
wiz_next(const struct wiz *w, size_t i)
{
	for (size_t j = i + 1; j < NSCREENS; j++)
		if (wiz_screen_shown(w, j))
			return j;
	return i;
}

size_t
wiz_prev(const struct wiz *w, size_t i)
{
	for (size_t j = i; j-- > 0;)
		if (wiz_screen_shown(w, j))
			return j;
	return i;
}

int
wiz_field_shown(const struct wiz *w, const struct wiz_field *f)
{
	return f->shown == NULL || f->shown(w);
}

void
wiz_field_choices(const struct wiz *w, const struct wiz_field *f,
    struct strlist *out)
{
	if (f->choices_fn != NULL)
		f->choices_fn(w, out);
	for (const char *const *c = f->choices; c != NULL && *c != NULL; c++)
		sl_add(out, *c);
}
