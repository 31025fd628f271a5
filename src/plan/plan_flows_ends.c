/*
 * The flows to the outside (plan_flows.h): the middleware each image uses,
 * at the plan's endpoints, and the Internet where this deployment goes
 * there.
 */
#include <stdlib.h>
#include <string.h>

#include "plan_flows.h"
#include "value_formats.h"

/* Adds s -> HOST:PORT over TCP, the host as the answers give it (an IP
 * literal or a name); takes `why`. */
static void
to(struct plan_flows *out, const struct plan_service *s, const char *host,
    long port, char *why)
{
	struct flow_end end = flow_end_of(FLOW_ADDRESS, host, NULL);

	plan_flows_add(out, flow_service_end(s->name), end, port, "TCP", why);
}

static void
add_hostports(const struct plan_service *s, const struct strlist *l,
    const char *what, struct plan_flows *out)
{
	for (size_t i = 0; i < l->n; i++) {
		char *host = NULL;
		long port = 0;

		if (parse_hostport(l->v[i], &host, &port) == 0)
			to(out, s, host, port, xstrdup(what));
		free(host);
	}
}

static void
use_postgres(const struct plan *pl, const struct plan_service *s,
    struct plan_flows *out)
{
	to(out, s, pl->postgres.host, pl->postgres.port, xstrdup("PostgreSQL"));
}

static void
use_redis(const struct plan *pl, const struct plan_service *s,
    struct plan_flows *out)
{
	to(out, s, pl->redis.host, pl->redis.port, xstrdup("Redis"));
}

static void
use_kafka(const struct plan *pl, const struct plan_service *s,
    struct plan_flows *out)
{
	add_hostports(s, &pl->kafka.brokers, "a Kafka broker", out);
}

static void
use_memcached(const struct plan *pl, const struct plan_service *s,
    struct plan_flows *out)
{
	add_hostports(s, &pl->memcached, "Memcached", out);
}

static void
use_clickhouse(const struct plan *pl, const struct plan_service *s,
    struct plan_flows *out)
{
	to(out, s, pl->clickhouse.host, pl->clickhouse.http_port,
	    xstrdup("ClickHouse over HTTP"));
	to(out, s, pl->clickhouse.host, pl->clickhouse.native_port,
	    xstrdup("ClickHouse's native protocol"));
}

static void
use_smtp(const struct plan *pl, const struct plan_service *s,
    struct plan_flows *out)
{
	if (pl->smtp.host != NULL)
		to(out, s, pl->smtp.host, pl->smtp.port, xstrdup("the SMTP server"));
}

/* "https://HOST[:PORT]/..." -> HOST (owned) and PORT; NULL when the URL has
 * no host. */
static char *
url_host(const char *url, long *port)
{
	const char *h = strstr(url, "://"), *end;
	char *host;

	*port = strncmp(url, "http://", 7) == 0 ? 80 : 443;
	if (h == NULL)
		return NULL;
	h += 3;
	if (*h == '[') {
		end = strchr(++h, ']');
		if (end == NULL)
			return NULL;
		host = xstrndup(h, (size_t)(end - h));
		end++;
	} else {
		end = h + strcspn(h, ":/?");
		host = xstrndup(h, (size_t)(end - h));
	}
	if (*end == ':')
		*port = strtol(end + 1, NULL, 10);
	return host;
}

static void
use_filestore(const struct plan *pl, const struct plan_service *s,
    struct plan_flows *out)
{
	const struct plan_filestore *f = &pl->filestore;
	char *host = NULL;
	long port = 443;

	if (strcmp(f->backend, "s3") == 0 && f->s3_endpoint != NULL)
		host = url_host(f->s3_endpoint, &port);
	else if (strcmp(f->backend, "s3") == 0)
		host = xasprintf("s3.%s.amazonaws.com",
		    f->s3_region ? f->s3_region : "us-east-1");
	else if (strcmp(f->backend, "gcs") == 0)
		host = xstrdup("storage.googleapis.com");
	/* The filesystem backend is a volume: the node mounts it, no pod
	 * connects anywhere for it. */
	if (host != NULL)
		to(out, s, host, port, xasprintf("the file store (%s)",
		    f->backend));
	free(host);
}

enum {
	M_POSTGRES = 1 << 0, M_REDIS = 1 << 1, M_KAFKA = 1 << 2,
	M_MEMCACHED = 1 << 3, M_CLICKHOUSE = 1 << 4, M_SMTP = 1 << 5,
	M_FILESTORE = 1 << 6,
};

static const struct {
	unsigned bit;
	void (*add)(const struct plan *, const struct plan_service *,
	    struct plan_flows *);
} middleware[] = {
	{ M_POSTGRES, use_postgres }, { M_REDIS, use_redis },
	{ M_KAFKA, use_kafka }, { M_MEMCACHED, use_memcached },
	{ M_CLICKHOUSE, use_clickhouse }, { M_SMTP, use_smtp },
	{ M_FILESTORE, use_filestore },
};

/*
 * The middleware each image talks to (as explain's talks_to says). No
 * process of the deployment talks to ZooKeeper: only the Kafka brokers do,
 * outside it. Symbolicator, nginx and geoipupdate use none.
 */
static const struct { const char *image; unsigned uses; } image_uses[] = {
	{ "sentry", M_POSTGRES | M_REDIS | M_KAFKA | M_MEMCACHED | M_SMTP |
	  M_FILESTORE },
	{ "snuba", M_CLICKHOUSE | M_KAFKA | M_REDIS },
	{ "relay", M_KAFKA | M_REDIS },
	{ "taskbroker", M_KAFKA },
	/* The profiles bucket, with S3 or GCS (SENTRY_BUCKET_PROFILES). */
	{ "vroom", M_KAFKA | M_FILESTORE },
	{ "uptime-checker", M_KAFKA | M_REDIS },
	{ "launchpad", M_KAFKA },
};

void
plan_flows_middleware(const struct plan *pl, const struct plan_service *s,
    struct plan_flows *out)
{
	for (size_t i = 0; i < sizeof image_uses / sizeof image_uses[0]; i++) {
		if (!plan_uses_image(s, image_uses[i].image))
			continue;
		for (size_t j = 0; j < sizeof middleware / sizeof middleware[0];
		    j++)
			if (image_uses[i].uses & middleware[j].bit)
				middleware[j].add(pl, s, out);
	}
}

/* ---- the Internet, where this deployment goes there ---- */

static int
fetches_symbols(const struct plan *pl, const struct plan_service *s)
{
	const struct internet_step *st = internet_step("symbol_sources");

	/* The serving symbolicator; not its cleanup. */
	return plan_uses_image(s, "symbolicator") && s->prof->ports.n > 0 &&
	    st != NULL && sl_contains(&pl->profile->internet_steps, st->id) &&
	    !st->handled(pl);
}

/*
 * The processes that call out on their own to what the operator's Sentry
 * is set up to use (target.egress_cidrs), by image and `run` command:
 *
 *   image         run         why
 *   sentry        web         integration setup and OAuth (GitHub, Slack,
 *                             Jira...), the actions of the issue page (a
 *                             Jira ticket, a GitHub link), test alerts
 *   sentry        worker      the tasks: alert and issue notifications
 *                             (Slack, PagerDuty, Opsgenie, Teams), webhooks
 *                             and Sentry apps' hooks, plugins, commits of
 *                             linked repositories, release files and
 *                             source maps fetched by URL, the beacon
 *   sentry        taskworker  the same tasks, after 25.9 (the taskbroker)
 *   symbolicator  run         JavaScript sources and source maps scraped by
 *                             URL, and the symbol servers a project adds
 *
 * Left out, on purpose: the ingest and post-process consumers and the
 * subscription results consumer hand rules, alert actions and plugins to
 * those tasks (post_process_group, handle_trigger_action) rather than call
 * out themselves; cron and the taskscheduler only schedule; sentry-cleanup,
 * the migrations, Snuba, Relay (only its upstream, web), vroom, nginx, the
 * taskbroker and launchpad reach nothing outside. The SMTP relay is no
 * part of this: it is a middleware flow (use_smtp), to its IP or, by DNS
 * name, to its port on any address.
 */
static const struct { const char *image, *arg0, *arg1; } outbound[] = {
	{ "sentry", "run", "web" }, { "sentry", "run", "worker" },
	{ "sentry", "run", "taskworker" }, { "symbolicator", "run", NULL },
};

static int
calls_out(const struct plan_service *s)
{
	for (size_t i = 0; i < sizeof outbound / sizeof outbound[0]; i++) {
		const char *a1 = outbound[i].arg1;

		if (plan_uses_image(s, outbound[i].image) && s->args.n > 0 &&
		    strcmp(s->args.v[0], outbound[i].arg0) == 0 &&
		    (a1 == NULL || (s->args.n > 1 && strcmp(s->args.v[1], a1) == 0)))
			return 1;
	}
	return 0;
}

/*
 * s -> each range of target.egress_cidrs, on every TCP port: a webhook URL
 * may name any port (https://hooks.example.com:8443/, a Jira or GitLab
 * server on 8080), and Sentry does not limit them; the ranges are the
 * operator's limit. With network_policy off there is nothing to open.
 */
static void
add_egress(const struct plan *pl, const struct plan_service *s,
    struct plan_flows *out)
{
	const struct strlist *x = &pl->target.egress_except;

	if (!calls_out(s))
		return;
	for (size_t i = 0; i < pl->target.egress_cidrs.n; i++) {
		const char *range = pl->target.egress_cidrs.v[i];
		struct flow_end end = flow_end_of(FLOW_RANGE, range, NULL);

		/* Kubernetes wants each except inside its block's cidr. */
		for (size_t j = 0; j < x->n; j++)
			if (cidr_within(x->v[j], range))
				sl_add(&end.except, x->v[j]);
		plan_flows_add(out, flow_service_end(s->name), end, 0, "TCP",
		    xstrdup("outbound integrations: webhooks, notifications, "
		    "source files by URL (target.egress_cidrs)"));
		sl_free(&end.except);
	}
}

void
plan_flows_internet(const struct plan *pl, const struct plan_service *s,
    struct plan_flows *out)
{
	/* Any address: these hosts are on the Internet, by DNS name. */
	if (plan_uses_image(s, "geoipupdate"))
		to(out, s, "updates.maxmind.com", 443,
		    xstrdup("MaxMind's GeoLite2 download"));
	if (fetches_symbols(pl, s))
		to(out, s, "symbol servers", 443, xstrdup("the built-in public "
		    "symbol servers (not air-gapped)"));
	if (plan_uses_image(s, "uptime-checker")) {
		to(out, s, "monitored URLs", 80, xstrdup("the uptime checks it runs"));
		to(out, s, "monitored URLs", 443, xstrdup("the uptime checks it runs"));
	}
	add_egress(pl, s, out);
}
