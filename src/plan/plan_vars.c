/* The plan's variables, for ${...} in profiles and {{...}} in templates:
 * read from the plan's settings, never from the answers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan_internal.h"

static void
text_num(struct vars *vs, const char *name, long v)
{
	char buf[32];

	snprintf(buf, sizeof buf, "%ld", v);
	vars_text(vs, name, buf);
}

/* An optional setting as text: "" when there is none. */
static const char *
or_empty(const char *s)
{
	return s != NULL ? s : "";
}

static void
fill_middleware(struct vars *vs, const struct plan *pl)
{
	const struct plan_kafka *k = &pl->kafka;
	const char *proto = k->security_protocol;
	char *bootstrap = sl_join(&k->brokers, ","), *url_host;

	vars_text(vs, "postgres.host", pl->postgres.host);
	text_num(vs, "postgres.port", pl->postgres.port);
	vars_text(vs, "postgres.database", pl->postgres.database);
	vars_text(vs, "postgres.user", pl->postgres.user);
	vars_text(vs, "postgres.sslmode", pl->postgres.sslmode);
	vars_bool(vs, "postgres.password_set", pl->postgres.password_ref != NULL);

	vars_text(vs, "redis.host", pl->redis.host);
	/* An IPv6 address needs brackets inside a URL. */
	url_host = strchr(pl->redis.host, ':') ? xasprintf("[%s]", pl->redis.host) :
	    xstrdup(pl->redis.host);
	vars_text(vs, "redis.url_host", url_host);
	free(url_host);
	text_num(vs, "redis.port", pl->redis.port);
	text_num(vs, "redis.db", pl->redis.db);
	vars_bool(vs, "redis.tls", pl->redis.tls);
	vars_bool(vs, "redis.password_set", pl->redis.password_ref != NULL);

	vars_text(vs, "kafka.bootstrap", bootstrap);
	vars_list(vs, "kafka.brokers", &k->brokers);
	vars_text(vs, "kafka.security_protocol", proto);
	vars_bool(vs, "kafka.sasl", strncmp(proto, "SASL_", 5) == 0);
	vars_bool(vs, "kafka.ssl", strstr(proto, "SSL") != NULL);
	vars_text(vs, "kafka.sasl_mechanism", or_empty(k->sasl_mechanism));
	vars_text(vs, "kafka.username", or_empty(k->username));
	vars_secret(vs, "kafka.password", or_empty(plan_secret_value(pl,
	    k->password_ref)));
	free(bootstrap);

	vars_text(vs, "clickhouse.host", pl->clickhouse.host);
	text_num(vs, "clickhouse.http_port", pl->clickhouse.http_port);
	text_num(vs, "clickhouse.native_port", pl->clickhouse.native_port);
	vars_text(vs, "clickhouse.database", pl->clickhouse.database);
	vars_text(vs, "clickhouse.user", pl->clickhouse.user);
	vars_bool(vs, "clickhouse.password_set",
	    pl->clickhouse.password_ref != NULL);

	vars_list(vs, "memcached.hosts", &pl->memcached);
}

/* The keys file may hold a Relay identity that this release has no use for. */
static int
has_relay(const struct plan *pl, const struct keys *k)
{
	return k->relay_id != NULL && profile_service(pl->profile, "relay") != NULL;
}

/* Where vroom keeps profiles: the store Sentry reads them from. */
static void
fill_profiles_bucket(struct vars *vs, const struct plan_filestore *f,
    const char *dir)
{
	struct strbuf url = STRBUF_INIT;

	if (strcmp(f->backend, "s3") == 0) {
		sb_printf(&url, "s3://%s?region=%s", f->profiles_bucket, f->s3_region);
		if (f->s3_endpoint != NULL) {
			const char *host = strstr(f->s3_endpoint, "://");

			sb_printf(&url, "&endpoint=%s&s3ForcePathStyle=true",
			    host ? host + 3 : f->s3_endpoint);
			if (strncmp(f->s3_endpoint, "http://", 7) == 0)
				sb_add(&url, "&disableSSL=true");
		}
	} else if (strcmp(f->backend, "gcs") == 0) {
		sb_printf(&url, "gs://%s", f->profiles_bucket);
	} else {
		sb_printf(&url, "file://%s", dir);
	}
	vars_text(vs, "profiles.bucket", sb_str(&url));
	sb_free(&url);
}

static void
fill_mail_and_files(struct vars *vs, const struct plan *pl)
{
	const struct plan_smtp *m = &pl->smtp;
	const struct plan_filestore *f = &pl->filestore;

	vars_bool(vs, "smtp.enabled", m->host != NULL);
	vars_text(vs, "smtp.host", or_empty(m->host));
	text_num(vs, "smtp.port", m->port);
	vars_text(vs, "smtp.username", or_empty(m->username));
	vars_text(vs, "smtp.from", or_empty(m->from));
	vars_bool(vs, "smtp.use_tls", strcmp(m->tls, "starttls") == 0);
	vars_bool(vs, "smtp.use_ssl", strcmp(m->tls, "tls") == 0);
	vars_bool(vs, "smtp.password_set", m->password_ref != NULL);

	vars_text(vs, "filestore.backend", f->backend);
	vars_text(vs, "filestore.s3.bucket", or_empty(f->s3_bucket));
	vars_text(vs, "filestore.s3.region", f->s3_region);
	vars_text(vs, "filestore.s3.endpoint", or_empty(f->s3_endpoint));
	vars_bool(vs, "filestore.s3.keys", f->s3_access_key_ref != NULL);
	vars_text(vs, "filestore.gcs.bucket", or_empty(f->gcs_bucket));
	vars_text(vs, "filestore.profiles_bucket", or_empty(f->profiles_bucket));
	vars_bool(vs, "filestore.profiles_own", f->profiles_own);
	vars_text(vs, "filestore.gcs.credentials", GCS_CREDENTIALS_PATH);
	/* The knob, with its fallback from profile_knobs (set first). */
	fill_profiles_bucket(vs, f, vars_get(vs, "cfg.profiles_dir")->text);
}

/* Where the containers find the CA bundle and the client certificates:
 * "" for what the answers do not give, so that settings are left out. */
static void
fill_tls(struct vars *vs, const struct plan *pl)
{
	char buf[128], name[64];

	int ca = pl->tls.ca_pem != NULL;
	/* The bundle only where the client verifies with it: libpq with a
	 * root file would verify even with sslmode=require, and a librdkafka
	 * without OpenSSL (Snuba's rust-consumer before 25.4) refuses ssl.*
	 * settings on a PLAINTEXT cluster. */
	int pg_verifies = strncmp(pl->postgres.sslmode, "verify-", 7) == 0;
	int kafka_tls = strstr(pl->kafka.security_protocol, "SSL") != NULL;

	vars_bool(vs, "tls.ca", ca);
	vars_text(vs, "tls.ca_path", ca ? CA_BUNDLE_PATH : "");
	vars_text(vs, "postgres.ca_path", ca && pg_verifies ? CA_BUNDLE_PATH : "");
	vars_text(vs, "kafka.ca_path", ca && kafka_tls ? CA_BUNDLE_PATH : "");
	for (const struct plan_client_end *end = plan_client_ends;
	    end->section != NULL; end++) {
		for (int key = 0; key <= 1; key++) {
			snprintf(name, sizeof name, "%s.client_%s", end->section,
			    key ? "key" : "cert");
			vars_text(vs, name, plan_client_file(plan_client(pl, end),
			    end->section, key, buf, sizeof buf));
		}
	}
}

/* The release's SENTRY_FEATURES and SENTRY_OPTIONS, as "name=literal"
 * lists for the pydict filter. */
static void
fill_sentry_settings(struct vars *vs, const struct profile *p)
{
	struct strlist features = { 0 }, options = { 0 };

	for (size_t i = 0; i < p->sentry_features.n; i++)
		sl_add_owned(&features, xasprintf("%s=%s", p->sentry_features.v[i].key,
		    strcmp(p->sentry_features.v[i].value, "true") == 0 ?
		    "True" : "False"));
	for (size_t i = 0; i < p->sentry_options.n; i++)
		sl_add_owned(&options, xasprintf("%s=%s", p->sentry_options.v[i].key,
		    p->sentry_options.v[i].value));
	vars_list(vs, "sentry.features", &features);
	vars_list(vs, "sentry.options", &options);
	sl_free(&features);
	sl_free(&options);
}

void
plan_fill_vars(struct plan *pl, const struct keys *k)
{
	const struct profile *p = pl->profile;
	struct vars *vs = &pl->vars;
	const char *redis_url = kv_get(&pl->secrets, "redis-url");

	vars_text(vs, "release", p->release);
	vars_text(vs, "namespace", pl->target.namespace);
	vars_text(vs, "features", pl->features);
	vars_bool(vs, "errors_only", strcmp(pl->features, "errors-only") == 0);
	vars_text(vs, "sentry.url_prefix", or_empty(pl->sentry.url_prefix));
	vars_text(vs, "sentry.admin_email", or_empty(pl->sentry.admin_email));
	text_num(vs, "sentry.retention_days", pl->sentry.retention_days);
	vars_text(vs, "snuba.url", "http://snuba-api:1218");
	vars_text(vs, "relay.id", has_relay(pl, k) ? k->relay_id : "");
	vars_text(vs, "relay.public_key", has_relay(pl, k) ?
	    k->relay_public_key : "");
	vars_secret(vs, "relay.secret_key", has_relay(pl, k) ?
	    k->relay_secret_key : "");
	for (const struct knob *kn = profile_knobs; kn->name != NULL; kn++) {
		const char *set = kv_get(&p->config, kn->name);
		char *name = xasprintf("cfg.%s", kn->name);

		vars_text(vs, name, set ? set : kn->fallback);
		free(name);
	}
	fill_middleware(vs, pl);
	fill_mail_and_files(vs, pl);
	/* With a password the URL is a secret (variable and Secret key);
	 * without one, plain text. */
	if (redis_url != NULL) {
		vars_secret(vs, "redis.url", redis_url);
	} else {
		char *url = plan_redis_url(pl, NULL);

		vars_text(vs, "redis.url", url);
		free(url);
	}
	fill_sentry_settings(vs, p);
	fill_tls(vs, pl);
	plan_offline_vars(vs, pl);
	vars_text(vs, "geoip.account_id", or_empty(pl->geoip.account_id));
	vars_secret(vs, "geoip.license_key", or_empty(plan_secret_value(pl,
	    pl->geoip.license_key_ref)));
}
