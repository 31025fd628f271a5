/*
 * The wizard's screens and fields, as tables: the order an operator decides
 * in, which fields apply given the earlier answers, and the live check each
 * form can run. Help texts are data (assets/help/wizard.yaml).
 */
#include "wiz.h"

#include <string.h>

#include "answers.h"
#include "plan.h"

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
static int
has_ingress(const struct wiz *w)
{
	const char *host = yn_path_text(w->doc, "target.ingress_host");

	return on_kubernetes(w) && host != NULL && host[0] != '\0';
}
/* Client certificates only where the connection has TLS. */
static int
postgres_tls(const struct wiz *w)
{
	return is(w, "postgres.sslmode", "require") ||
	    is(w, "postgres.sslmode", "verify-ca") ||
	    is(w, "postgres.sslmode", "verify-full");
}
static int redis_tls(const struct wiz *w) { return is(w, "redis.tls", "true"); }
static int
kafka_tls(const struct wiz *w)
{
	const char *p = yn_path_text(w->doc, "kafka.security_protocol");

	return p != NULL && strstr(p, "SSL") != NULL;
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
hostpath(const struct wiz *w)
{
	return is(w, "filestore.shared_volume.kind", "hostpath");
}

const struct profile *
wiz_profile(const struct wiz *w)
{
	const char *release = yn_path_text(w->doc, "sentry.version");

	return release ? releases_find(&w->releases, release) : NULL;
}

/* Choices whose name is not enough to go on. */
static const struct {
	const char	*path, *value, *note;
} choice_notes[] = {
	{ "filestore.shared_volume.kind", "hostpath", "a folder every node "
	  "mounts at one path (sshfs or NFS in fstab, CephFS), bound into the "
	  "containers" },
};

const char *
wiz_choice_note(const struct wiz *w, const char *path)
{
	for (size_t i = 0; i < sizeof choice_notes / sizeof choice_notes[0]; i++)
		if (strcmp(choice_notes[i].path, path) == 0 &&
		    is(w, path, choice_notes[i].value))
			return choice_notes[i].note;
	return NULL;
}

static int
needs_zookeeper(const struct wiz *w)
{
	const struct profile *p = wiz_profile(w);

	return p != NULL && p->requires.zookeeper == 1;
}

/* Next and Back never land on the Upgrade screen: Welcome opens it. */
static int
upgrade_opened(const struct wiz *w)
{
	(void)w;
	return 0;
}

static void
release_choices(const struct wiz *w, struct strlist *out)
{
	for (size_t i = 0; i < w->releases.n; i++)
		sl_add(out, w->releases.v[i].release);
}

/* The shared-volume kinds the chosen orchestrator can mount. */
static void
volume_kinds(const struct wiz *w, struct strlist *out)
{
	const struct field *f = answers_field("filestore.shared_volume.kind");
	const char *advice;

	for (const char *const *k = f->aux; *k != NULL; k++)
		if (plan_can_mount(on_swarm(w) ? "swarm" : "kubernetes", *k,
		    &advice))
			sl_add(out, *k);
}

static int
has_registry(const struct wiz *w)
{
	const char *r = yn_path_text(w->doc, "registry");

	return r != NULL && r[0] != '\0';
}
static int
has_registry_user(const struct wiz *w)
{
	const char *u = yn_path_text(w->doc, "registry_auth.username");

	return has_registry(w) && u != NULL && u[0] != '\0';
}
static int
policed_ingress(const struct wiz *w)
{
	return has_ingress(w) && is(w, "target.network_policy", "true");
}
static int
registry_login(const struct wiz *w)
{
	return on_kubernetes(w) && has_registry(w);
}
static int
registry_password(const struct wiz *w)
{
	return on_kubernetes(w) && has_registry_user(w);
}

/* A field's type, choices and default are the answer's own (answers_fields.c);
 * a screen says only where it goes, its label, and when it applies. */
#define F(path, label, shown, choices_fn)	{ path, label, shown, choices_fn }

static const struct wiz_field release_fields[] = {
	F("sentry.version", "Sentry release", NULL, release_choices),
	F("sentry.features", "Features", NULL, NULL),
	F("target.kind", "Orchestrator", NULL, NULL),
	F("target.namespace", "Namespace", on_kubernetes, NULL),
	F("target.storage_class", "RWX storage class", on_kubernetes, NULL),
	F("target.ingress_host", "Ingress host", on_kubernetes, NULL),
	F("target.ingress_class", "Ingress class", has_ingress, NULL),
	F("target.ingress_tls_secret", "TLS secret", has_ingress, NULL),
	F("target.stack", "Stack name", on_swarm, NULL),
	F("registry", "Registry prefix", NULL, NULL),
	F("air_gapped", "Air-gapped", NULL, NULL),
	F("size", "Size", NULL, NULL),
	F("sentry.url_prefix", "Public URL", NULL, NULL),
	F("sentry.admin_email", "Admin e-mail", NULL, NULL),
	F("sentry.retention_days", "Retention (days)", NULL, NULL),
	F("tls.ca_file", "Private CA file", NULL, NULL),
	F("geoip.account_id", "MaxMind account", NULL, NULL),
	F("geoip.license_key", "MaxMind key", NULL, NULL),
	F("geoip.database_file", "GeoLite2 file", NULL, NULL),
	/* What a platform team decides about the cluster, last. A service's
	 * own selector and tolerations are set in the answers file. */
	F("target.autoscaling", "Autoscaling", on_kubernetes, NULL),
	F("target.node_selector", "Node selector", on_kubernetes, NULL),
	F("target.tolerations", "Tolerations", on_kubernetes, NULL),
	F("target.zones", "Spread over zones", on_kubernetes, NULL),
	F("target.priority_class", "Ingest priority", on_kubernetes, NULL),
	F("target.network_policy", "NetworkPolicies", on_kubernetes, NULL),
	F("target.ingress_namespace", "Ingress namespace", policed_ingress, NULL),
	F("target.egress_cidrs", "Egress ranges", policed_ingress, NULL),
	F("target.egress_except", "Egress except", policed_ingress, NULL),
	F("registry_auth.username", "Registry user", registry_login, NULL),
	F("registry_auth.password", "Registry password", registry_password, NULL),
};

static const struct wiz_field postgres_fields[] = {
	F("postgres.host", "Host", NULL, NULL),
	F("postgres.port", "Port", NULL, NULL),
	F("postgres.database", "Database", NULL, NULL),
	F("postgres.user", "User", NULL, NULL),
	F("postgres.password", "Password", NULL, NULL),
	F("postgres.sslmode", "TLS (sslmode)", NULL, NULL),
	F("postgres.client_cert", "Client cert", postgres_tls, NULL),
	F("postgres.client_key", "Client key", postgres_tls, NULL),
};

static const struct wiz_field redis_fields[] = {
	F("redis.host", "Host", NULL, NULL),
	F("redis.port", "Port", NULL, NULL),
	F("redis.password", "Password", NULL, NULL),
	F("redis.db", "DB index", NULL, NULL),
	F("redis.tls", "TLS", NULL, NULL),
	F("redis.client_cert", "Client cert", redis_tls, NULL),
	F("redis.client_key", "Client key", redis_tls, NULL),
};

static const struct wiz_field kafka_fields[] = {
	F("kafka.brokers", "Brokers", NULL, NULL),
	F("kafka.security_protocol", "Security", NULL, NULL),
	F("kafka.sasl_mechanism", "SASL mechanism", sasl, NULL),
	F("kafka.username", "SASL user", sasl, NULL),
	F("kafka.password", "SASL password", sasl, NULL),
	F("kafka.client_cert", "Client cert", kafka_tls, NULL),
	F("kafka.client_key", "Client key", kafka_tls, NULL),
};

static const struct wiz_field zookeeper_fields[] = {
	F("zookeeper.hosts", "Hosts", NULL, NULL),
};

static const struct wiz_field clickhouse_fields[] = {
	F("clickhouse.host", "Host", NULL, NULL),
	F("clickhouse.http_port", "HTTP port", NULL, NULL),
	F("clickhouse.native_port", "Native port", NULL, NULL),
	F("clickhouse.database", "Database", NULL, NULL),
	F("clickhouse.user", "User", NULL, NULL),
	F("clickhouse.password", "Password", NULL, NULL),
};

static const struct wiz_field memcached_fields[] = {
	F("memcached.hosts", "Hosts", NULL, NULL),
};

static const struct wiz_field smtp_fields[] = {
	F("smtp.host", "Host", NULL, NULL),
	F("smtp.port", "Port", NULL, NULL),
	F("smtp.tls", "TLS", NULL, NULL),
	F("smtp.username", "User", NULL, NULL),
	F("smtp.password", "Password", NULL, NULL),
	F("smtp.from", "From", NULL, NULL),
};

static const struct wiz_field filestore_fields[] = {
	F("filestore.backend", "File store", NULL, NULL),
	F("filestore.s3.bucket", "S3 bucket", s3, NULL),
	F("filestore.s3.profiles_bucket", "Profiles bucket", s3, NULL),
	F("filestore.s3.region", "S3 region", s3, NULL),
	F("filestore.s3.endpoint", "S3 endpoint", s3, NULL),
	F("filestore.s3.access_key", "S3 access key", s3, NULL),
	F("filestore.s3.secret_key", "S3 secret key", s3, NULL),
	F("filestore.gcs.bucket", "GCS bucket", gcs, NULL),
	F("filestore.gcs.profiles_bucket", "Profiles bucket", gcs, NULL),
	F("filestore.gcs.credentials_file", "GCS key file", gcs, NULL),
	F("filestore.shared_volume.kind", "Shared volume", NULL, volume_kinds),
	F("filestore.shared_volume.size", "Volume size", pvc, NULL),
	F("filestore.shared_volume.nfs.server", "NFS server", nfs, NULL),
	F("filestore.shared_volume.nfs.path", "NFS export", nfs, NULL),
	F("filestore.shared_volume.sshfs.host", "SSHFS host", sshfs, NULL),
	F("filestore.shared_volume.sshfs.port", "SSHFS port", sshfs, NULL),
	F("filestore.shared_volume.sshfs.user", "SSHFS user", sshfs, NULL),
	F("filestore.shared_volume.sshfs.path", "SSHFS folder", sshfs, NULL),
	F("filestore.shared_volume.sshfs.key_source", "Plugin key dir", sshfs, NULL),
	F("filestore.shared_volume.sshfs.uid", "Files' uid", sshfs, NULL),
	F("filestore.shared_volume.sshfs.gid", "Files' gid", sshfs, NULL),
	F("filestore.shared_volume.hostpath.path", "Shared folder", hostpath, NULL),
};

/* The fields of one host of hosts: (the Hosts screen edits one element at
 * a time: hosts[N].name, ...). */
static const struct wiz_field host_fields[] = {
	F("hosts.name", "Name", NULL, NULL),
	F("hosts.address", "Address", NULL, NULL),
	F("hosts.port", "SSH port", NULL, NULL),
	F("hosts.user", "SSH user", NULL, NULL),
	F("hosts.roles", "Roles", NULL, NULL),
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
	{ "filestore", "File store", WS_FORM, FIELDS(filestore_fields), "s3,gcs,ssh,nfs", NULL },
	/* The nodes, before the services that their roles place. */
	{ "hosts", "Hosts", WS_HOSTS, FIELDS(host_fields), "ssh", on_swarm },
	{ "services", "Services", WS_SERVICES, NULL, 0, NULL, NULL },
	{ "review", "Review", WS_REVIEW, NULL, 0, NULL, NULL },
	{ "write", "Write", WS_WRITE, NULL, 0, NULL, NULL },
	/* Not in the order of Next and Back: Welcome opens it. */
	{ "upgrade", "Upgrade", WS_UPGRADE, NULL, 0, NULL, upgrade_opened },
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

enum wiz_kind
wiz_path_kind(const char *path)
{
	const struct field *f = answers_field(path);

	switch (f != NULL ? f->type : FT_STR) {
	case FT_INT:
		return WF_NUMBER;
	case FT_SECRET:
		return WF_SECRET;
	case FT_ENUM:
	case FT_BOOL:
		return WF_CHOICE;
	case FT_HOSTPORTS:
	case FT_STRLIST:
		return WF_LIST;
	case FT_KV:
		return WF_MAP;
	case FT_LIST:
		/* The one list of objects a form holds; hosts have a screen. */
		return strcmp(f->key, "tolerations") == 0 ? WF_TOLERATIONS :
		    WF_TEXT;
	default:
		return WF_TEXT;
	}
}

enum wiz_kind
wiz_field_kind(const struct wiz_field *f)
{
	return f->choices_fn != NULL ? WF_CHOICE : wiz_path_kind(f->path);
}

const char *
wiz_field_hint(const struct wiz_field *f)
{
	const struct field *a = answers_field(f->path);

	if (a == NULL)
		return NULL;
	return a->def != NULL ? a->def : a->unset;
}

void
wiz_field_choices(const struct wiz *w, const struct wiz_field *f,
    struct strlist *out)
{
	static const char *const booleans[] = { "false", "true", NULL };
	const struct field *a = answers_field(f->path);
	const char *const *c = NULL;

	if (f->choices_fn != NULL) {
		f->choices_fn(w, out);
		return;
	}
	if (a != NULL && a->type == FT_ENUM)
		c = a->aux;
	else if (a != NULL && a->type == FT_BOOL)
		c = booleans;
	else if (a != NULL && a->type == FT_STRLIST)	/* hosts.roles */
		c = a->aux;
	/* "" stands for "none" in a file; in a form, that is no answer. */
	for (; c != NULL && *c != NULL; c++)
		if ((*c)[0] != '\0')
			sl_add(out, *c);
}
