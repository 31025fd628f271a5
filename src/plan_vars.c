/* The plan's variables (for ${...} in profiles and {{...}} in templates) and
 * its secret values, both resolved from the answers with their defaults. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan_internal.h"

/* Defaults for answers the operator may leave out. */
#define DEF(x, d)	((x) != NULL ? (x) : (d))
#define DEFN(x, d)	((x) != UNSET_INT ? (x) : (d))

static void
text_num(struct vars *vs, const char *name, long v)
{
	char buf[32];

	snprintf(buf, sizeof buf, "%ld", v);
	vars_text(vs, name, buf);
}

static long
smtp_default_port(const char *tls)
{
	if (tls != NULL && strcmp(tls, "tls") == 0)
		return 465;
	if (tls != NULL && strcmp(tls, "none") == 0)
		return 25;
	return 587;
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

static void
fill_middleware(struct vars *vs, const struct answers *a)
{
	const struct ans_kafka *k = &a->kafka;
	const char *proto = DEF(k->security_protocol, "PLAINTEXT");
	char *bootstrap = sl_join(&k->brokers, ","), *url_host;

	vars_text(vs, "postgres.host", a->postgres.host);
	text_num(vs, "postgres.port", DEFN(a->postgres.port, 5432));
	vars_text(vs, "postgres.database", DEF(a->postgres.database, "sentry"));
	vars_text(vs, "postgres.user", DEF(a->postgres.user, "sentry"));
	vars_text(vs, "postgres.sslmode", DEF(a->postgres.sslmode, "prefer"));
	vars_bool(vs, "postgres.password_set", a->postgres.password.kind != SECRET_NONE);

	vars_text(vs, "redis.host", a->redis.host);
	/* An IPv6 address needs brackets inside a URL. */
	url_host = strchr(a->redis.host, ':') ? xasprintf("[%s]", a->redis.host) :
	    xstrdup(a->redis.host);
	vars_text(vs, "redis.url_host", url_host);
	free(url_host);
	text_num(vs, "redis.port", DEFN(a->redis.port, 6379));
	text_num(vs, "redis.db", DEFN(a->redis.db, 0));
	vars_bool(vs, "redis.tls", a->redis.tls == 1);
	vars_bool(vs, "redis.password_set", a->redis.password.kind != SECRET_NONE);

	vars_text(vs, "kafka.bootstrap", bootstrap);
	vars_list(vs, "kafka.brokers", &k->brokers);
	vars_text(vs, "kafka.security_protocol", proto);
	vars_bool(vs, "kafka.sasl", strncmp(proto, "SASL_", 5) == 0);
	vars_bool(vs, "kafka.ssl", strstr(proto, "SSL") != NULL);
	vars_text(vs, "kafka.sasl_mechanism", DEF(k->sasl_mechanism, ""));
	vars_text(vs, "kafka.username", DEF(k->username, ""));
	free(bootstrap);

	vars_text(vs, "clickhouse.host", a->clickhouse.host);
	text_num(vs, "clickhouse.http_port", DEFN(a->clickhouse.http_port, 8123));
	text_num(vs, "clickhouse.native_port", DEFN(a->clickhouse.native_port, 9000));
	vars_text(vs, "clickhouse.database", DEF(a->clickhouse.database, "default"));
	vars_text(vs, "clickhouse.user", DEF(a->clickhouse.user, "default"));
	vars_bool(vs, "clickhouse.password_set",
	    a->clickhouse.password.kind != SECRET_NONE);

	vars_list(vs, "memcached.hosts", &a->memcached.hosts);
}

/* The keys file may hold a Relay identity that this release has no use for. */
static int
has_relay(const struct plan *pl, const struct keys *k)
{
	return k->relay_id != NULL && profile_service(pl->profile, "relay") != NULL;
}

/* Where vroom keeps profiles: the same store as Sentry's files. */
static void
fill_profiles_bucket(struct vars *vs, const struct ans_filestore *f)
{
	struct strbuf url = STRBUF_INIT;

	if (strcmp(f->backend, "s3") == 0) {
		sb_printf(&url, "s3://%s?region=%s", f->s3.bucket,
		    DEF(f->s3.region, "us-east-1"));
		if (f->s3.endpoint != NULL) {
			const char *host = strstr(f->s3.endpoint, "://");

			sb_printf(&url, "&endpoint=%s&s3ForcePathStyle=true",
			    host ? host + 3 : f->s3.endpoint);
			if (strncmp(f->s3.endpoint, "http://", 7) == 0)
				sb_add(&url, "&disableSSL=true");
		}
	} else if (strcmp(f->backend, "gcs") == 0) {
		sb_printf(&url, "gs://%s", f->gcs.bucket);
	} else {
		sb_add(&url, "file:///data/profiles");
	}
	vars_text(vs, "profiles.bucket", sb_str(&url));
	sb_free(&url);
}

static void
fill_mail_and_files(struct vars *vs, const struct answers *a)
{
	const struct ans_smtp *m = &a->smtp;
	const struct ans_filestore *f = &a->filestore;

	vars_bool(vs, "smtp.enabled", m->host != NULL);
	vars_text(vs, "smtp.host", DEF(m->host, ""));
	text_num(vs, "smtp.port", DEFN(m->port, smtp_default_port(m->tls)));
	vars_text(vs, "smtp.username", DEF(m->username, ""));
	vars_text(vs, "smtp.from", DEF(m->from, ""));
	vars_bool(vs, "smtp.use_tls", m->tls == NULL || strcmp(m->tls, "starttls") == 0);
	vars_bool(vs, "smtp.use_ssl", m->tls != NULL && strcmp(m->tls, "tls") == 0);
	vars_bool(vs, "smtp.password_set", m->password.kind != SECRET_NONE);

	vars_text(vs, "filestore.backend", f->backend);
	vars_text(vs, "filestore.s3.bucket", DEF(f->s3.bucket, ""));
	vars_text(vs, "filestore.s3.region", DEF(f->s3.region, "us-east-1"));
	vars_text(vs, "filestore.s3.endpoint", DEF(f->s3.endpoint, ""));
	vars_bool(vs, "filestore.s3.keys", f->s3.access_key.kind != SECRET_NONE);
	vars_text(vs, "filestore.gcs.bucket", DEF(f->gcs.bucket, ""));
	vars_text(vs, "filestore.gcs.credentials", GCS_CREDENTIALS_PATH);
	fill_profiles_bucket(vs, f);
}

void
plan_fill_vars(struct plan *pl, const struct keys *k)
{
	const struct answers *a = pl->answers;
	const struct profile *p = pl->profile;
	struct vars *vs = &pl->vars;
	char buf[64];

	vars_text(vs, "release", p->release);
	vars_text(vs, "namespace", pl->namespace);
	vars_text(vs, "features", pl->features);
	vars_bool(vs, "errors_only", strcmp(pl->features, "errors-only") == 0);
	vars_text(vs, "sentry.url_prefix", DEF(a->sentry.url_prefix, ""));
	vars_text(vs, "sentry.admin_email", DEF(a->sentry.admin_email, ""));
	snprintf(buf, sizeof buf, "%ld", DEFN(a->sentry.retention_days, 90));
	vars_text(vs, "sentry.retention_days", buf);
	vars_text(vs, "snuba.url", "http://snuba-api:1218");
	vars_text(vs, "relay.id", has_relay(pl, k) ? k->relay_id : "");
	vars_text(vs, "relay.public_key", has_relay(pl, k) ?
	    k->relay_public_key : "");
	vars_secret(vs, "relay.secret_key", has_relay(pl, k) ?
	    k->relay_secret_key : "");
	fill_middleware(vs, a);
	fill_mail_and_files(vs, a);
	for (const struct knob *kn = profile_knobs; kn->name != NULL; kn++) {
		const char *set = kv_get(&p->config, kn->name);
		char *name = xasprintf("cfg.%s", kn->name);

		vars_text(vs, name, set ? set : kn->fallback);
		free(name);
	}
}

/* One secret of the answers, resolved into pl->secrets under `key`. */
static int
add_answer_secret(struct plan *pl, const char *key, const struct secret *s,
    const char *field, const char *base_dir, struct err *e)
{
	char *value;

	if (s->kind == SECRET_NONE)
		return 0;
	if (pl->flags & PLAN_NO_SECRET_VALUES) {
		kv_add(&pl->secrets, key, "");
		return 0;
	}
	if (secret_resolve(s, field, base_dir, &value, e) < 0)
		return -1;
	kv_add(&pl->secrets, key, value);
	free(value);
	return 0;
}

/* The Redis URL Relay and uptime-checker take. With a password it is a
 * secret (variable and Secret key); without one, plain text. */
static void
add_redis_url(struct plan *pl, const char *password)
{
	const struct answers *a = pl->answers;
	struct strbuf url = STRBUF_INIT;

	sb_add(&url, a->redis.tls == 1 ? "rediss://" : "redis://");
	if (password != NULL) {
		sb_addc(&url, ':');
		url_escape(&url, password);
		sb_addc(&url, '@');
	}
	sb_printf(&url, strchr(a->redis.host, ':') ? "[%s]:%ld/%ld" :
	    "%s:%ld/%ld", a->redis.host, DEFN(a->redis.port, 6379),
	    DEFN(a->redis.db, 0));
	if (password != NULL) {
		kv_add(&pl->secrets, "redis-url", sb_str(&url));
		vars_secret(&pl->vars, "redis.url", sb_str(&url));
	} else {
		vars_text(&pl->vars, "redis.url", sb_str(&url));
	}
	sb_free(&url);
}

int
plan_fill_secrets(struct plan *pl, const struct keys *k, struct err *e)
{
	const struct answers *a = pl->answers;
	char *base = path_dirname(a->where.file);
	static const struct {
		const char	*key;
		size_t		 off;
		const char	*field;
	} table[] = {
		{ "postgres-password", offsetof(struct answers, postgres.password), "postgres.password" },
		{ "redis-password", offsetof(struct answers, redis.password), "redis.password" },
		{ "kafka-password", offsetof(struct answers, kafka.password), "kafka.password" },
		{ "clickhouse-password", offsetof(struct answers, clickhouse.password), "clickhouse.password" },
		{ "smtp-password", offsetof(struct answers, smtp.password), "smtp.password" },
		{ "s3-access-key", offsetof(struct answers, filestore.s3.access_key), "filestore.s3.access_key" },
		{ "s3-secret-key", offsetof(struct answers, filestore.s3.secret_key), "filestore.s3.secret_key" },
	};
	int rc = 0;

	if (a->sentry.secret_key.kind != SECRET_NONE)
		rc = add_answer_secret(pl, "secret-key", &a->sentry.secret_key,
		    "sentry.secret_key", base, e);
	else
		kv_add(&pl->secrets, "secret-key", k->secret_key);
	for (size_t i = 0; rc == 0 && i < sizeof table / sizeof table[0]; i++)
		rc = add_answer_secret(pl, table[i].key, (const struct secret *)
		    (const void *)((const char *)a + table[i].off), table[i].field,
		    base, e);
	if (rc == 0 && a->filestore.gcs.credentials_file != NULL) {
		struct secret file = { SECRET_FILE, a->filestore.gcs.credentials_file };

		rc = add_answer_secret(pl, "gcs-credentials", &file,
		    "filestore.gcs.credentials_file", base, e);
	}
	if (rc == 0) {
		add_redis_url(pl, kv_get(&pl->secrets, "redis-password"));
		kv_add(&pl->secrets, "rpc-secret", k->rpc_secret);
	}
	free(base);
	return rc;
}
