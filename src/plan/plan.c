/* The plan's lookups, and its release (the building is in plan_build.c). */
#include "plan.h"
#include "plan_internal.h"

#include <stdlib.h>
#include <string.h>

static void
free_service(struct plan_service *s)
{
	free(s->name);
	free(s->image);
	sl_free(&s->command);
	sl_free(&s->args);
	for (size_t i = 0; i < s->nenv; i++) {
		free(s->env[i].name);
		free(s->env[i].value);
		free(s->env[i].secret_ref);
	}
	free(s->env);
	for (size_t i = 0; i < s->nmounts; i++) {
		free(s->mounts[i].volume);
		free(s->mounts[i].path);
	}
	free(s->mounts);
	kv_free(&s->sources);
	plan_place_free(s);
}

static void
free_endpoints(struct plan *pl)
{
	char *owned[] = {
		pl->postgres.host, pl->postgres.database, pl->postgres.user,
		pl->postgres.sslmode, pl->postgres.password_ref,
		pl->redis.host, pl->redis.password_ref,
		pl->kafka.security_protocol, pl->kafka.sasl_mechanism,
		pl->kafka.username, pl->kafka.password_ref,
		pl->clickhouse.host, pl->clickhouse.database, pl->clickhouse.user,
		pl->clickhouse.cluster, pl->clickhouse.password_ref,
		pl->smtp.host, pl->smtp.tls, pl->smtp.username, pl->smtp.from,
		pl->smtp.password_ref,
		pl->postgres.client.cert_ref, pl->postgres.client.key_ref,
		pl->redis.client.cert_ref, pl->redis.client.key_ref,
		pl->kafka.client.cert_ref, pl->kafka.client.key_ref,
		pl->tls.ca_file, pl->tls.ca_pem, pl->tls.helper_image,
		pl->geoip.account_id, pl->geoip.license_key_ref,
		pl->registry.username, pl->registry.password_ref,
		pl->registry.ca_file, pl->registry.ca_pem,
		pl->geoip.database_file, pl->sentry.js_sdk_url,
	};

	for (size_t i = 0; i < sizeof owned / sizeof owned[0]; i++)
		free(owned[i]);
	sl_free(&pl->kafka.brokers);
	sl_free(&pl->zookeeper);
	sl_free(&pl->memcached);
	sl_free(&pl->sentry.disallowed_ips);
}

static void
free_settings(struct plan *pl)
{
	struct plan_filestore *f = &pl->filestore;
	char *owned[] = {
		pl->target.kind, pl->target.namespace, pl->target.stack,
		pl->target.deploy_dir,
		pl->target.storage_class, pl->target.ingress_host,
		pl->target.registry, pl->target.ingress_class,
		pl->target.ingress_tls_secret, pl->target.ingress_namespace,
		pl->target.priority_class,
		pl->sentry.url_prefix,
		pl->sentry.admin_email,
		f->backend, f->s3_bucket, f->s3_region, f->s3_endpoint,
		f->s3_access_key_ref, f->s3_secret_key_ref, f->gcs_bucket,
		f->profiles_bucket,
		f->gcs_credentials_file, f->gcs_credentials_ref, f->shared_kind,
		f->shared_size, f->nfs_server, f->nfs_path, f->sshfs.host,
		f->sshfs.user, f->sshfs.path, f->sshfs.key_source, f->hostpath,
	};

	for (size_t i = 0; i < sizeof owned / sizeof owned[0]; i++)
		free(owned[i]);
	free_endpoints(pl);
	sl_free(&pl->target.egress_cidrs);
	sl_free(&pl->target.egress_except);
	kv_free(&pl->target.ingress_annotations);
	for (size_t i = 0; i < pl->nhosts; i++) {
		free(pl->hosts[i].name);
		free(pl->hosts[i].address);
		free(pl->hosts[i].user);
		sl_free(&pl->hosts[i].roles);
	}
	free(pl->hosts);
	for (size_t i = 0; i < pl->ntopics; i++)
		free(pl->topics[i].name);
	free(pl->topics);
}

void
plan_free(struct plan *pl)
{
	for (size_t i = 0; i < pl->nservices; i++)
		free_service(&pl->services[i]);
	for (size_t i = 0; i < pl->nmigrations; i++)
		free_service(&pl->migrations[i]);
	free(pl->services);
	free(pl->migrations);
	for (size_t i = 0; i < pl->nvolumes; i++) {
		struct plan_volume *v = &pl->volumes[i];

		for (size_t j = 0; j < v->nfiles; j++) {
			free(v->files[j].name);
			free(v->files[j].content);
			free(v->files[j].secret_ref);
		}
		free(v->files);
		free(v->name);
		free(v->size);
		free(v->nfs_server);
		free(v->nfs_path);
		free(v->ssh_user);
		free(v->source);
	}
	free(pl->volumes);
	for (size_t i = 0; i < pl->nfixes; i++) {
		free(pl->fixes[i].rule);
		free(pl->fixes[i].service);
		free(pl->fixes[i].what);
	}
	free(pl->fixes);
	kv_free(&pl->secrets);
	for (size_t i = 0; i < pl->nunresolved; i++) {
		free(pl->unresolved[i].field);
		free(pl->unresolved[i].why);
		free(pl->unresolved[i].fix);
	}
	free(pl->unresolved);
	vars_free(&pl->vars);
	free(pl->release);
	free(pl->features);
	free(pl->answers_file);
	free(pl->secrets_dir);
	srcmap_free(&pl->where);
	sl_free(&pl->answered);
	free_settings(pl);
	memset(pl, 0, sizeof *pl);
}

const struct plan_service *
plan_service(const struct plan *pl, const char *name)
{
	for (size_t i = 0; i < pl->nservices; i++)
		if (strcmp(pl->services[i].name, name) == 0)
			return &pl->services[i];
	for (size_t i = 0; i < pl->nmigrations; i++)
		if (strcmp(pl->migrations[i].name, name) == 0)
			return &pl->migrations[i];
	return NULL;
}

long
plan_topic_partitions(const struct plan *pl, const char *name)
{
	for (size_t i = 0; i < pl->ntopics; i++)
		if (strcmp(pl->topics[i].name, name) == 0)
			return pl->topics[i].partitions;
	return 0;
}

const struct plan_volume *
plan_volume(const struct plan *pl, const char *name)
{
	for (size_t i = 0; i < pl->nvolumes; i++)
		if (strcmp(pl->volumes[i].name, name) == 0)
			return &pl->volumes[i];
	return NULL;
}

const struct plan_env *
plan_env_get(const struct plan_service *s, const char *name)
{
	for (size_t i = 0; i < s->nenv; i++)
		if (strcmp(s->env[i].name, name) == 0)
			return &s->env[i];
	return NULL;
}

int
plan_uses_image(const struct plan_service *s, const char *image_key)
{
	return s->prof->image != NULL && strcmp(s->prof->image, image_key) == 0;
}

const char *
plan_secret_value(const struct plan *pl, const char *ref)
{
	return ref != NULL ? kv_get(&pl->secrets, ref) : NULL;
}

int
plan_secret_check_only(const char *ref)
{
	return strcmp(ref, REGISTRY_PASSWORD_REF) == 0;
}

const char *
plan_where(const struct plan *pl, const char *field, char *buf, size_t size)
{
	return srcmap_where(&pl->where, field, buf, size);
}
