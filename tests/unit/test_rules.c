/*
 * The constraint engine: for every rule, answers (or live facts) that
 * trigger it, with the id, severity and key words, and close ones that do
 * not.
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "plan_internal.h"
#include "report.h"
#include "rules.h"
#include "xmem.h"
#include "ynode.h"

struct rule_case {
	const char	*name;
	const char	*release;
	const char	*extra;		/* appended to the demo answers */
	void		(*facts)(struct facts *);	/* or NULL */
	const char	*rule;
	enum severity	 severity;
	const char	*words;		/* in the finding's message */
	int		 triggers;	/* 0: the close case, must not */
};

static void
set_topic(struct facts *f, const char *name, long partitions, long rf)
{
	f->topics = xrealloc(f->topics, (f->ntopics + 1) * sizeof *f->topics);
	f->topics[f->ntopics].name = xstrdup(name);
	f->topics[f->ntopics].partitions = partitions;
	f->topics[f->ntopics].replication = rf;
	f->ntopics++;
}

static void f_pg13(struct facts *f) { f->postgres_version = xstrdup("13.16"); }
static void f_pg14(struct facts *f) { f->postgres_version = xstrdup("14.11"); }
/* A host's clock, skew and uncertainty in seconds. */
static void
set_clock(struct facts *f, double skew, double uncertainty)
{
	f->clocks = xrealloc(f->clocks, (f->nclocks + 1) * sizeof *f->clocks);
	f->clocks[f->nclocks++] = (struct clock_fact){ xstrdup("10.0.0.7:22"),
	    2, skew, uncertainty };
}
static void f_clock_ahead(struct facts *f) { set_clock(f, 3.2, 0.05); }
static void f_clock_behind(struct facts *f) { set_clock(f, -1.5, 0.2); }
static void f_clock_unsure(struct facts *f) { set_clock(f, 1.4, 0.5); }
static void f_clock_ok(struct facts *f) { set_clock(f, 0.4, 0.01); }
/* 4 GiB free of 100; 6 of 200 (3%); 6 of 100; 6 GiB, size unknown. */
static void f_space_low(struct facts *f) { facts_add_space(f, "10.0.0.7:22",
    "/srv/share", "filestore.shared_volume.hostpath.path", 4L << 20, 100L << 20); }
static void f_space_pct(struct facts *f) { facts_add_space(f, "10.0.0.7:22",
    "/srv/share", "filestore.shared_volume.hostpath.path", 6L << 20, 200L << 20); }
static void f_space_ok(struct facts *f) { facts_add_space(f, "10.0.0.7:22",
    "/srv/share", "filestore.shared_volume.hostpath.path", 6L << 20, 100L << 20); }
static void f_space_nosize(struct facts *f) { facts_add_space(f, "node3:22",
    "/srv/s", "filestore.shared_volume.sshfs.path", 6L << 20, 0); }
static void f_ch_old(struct facts *f) { f->clickhouse_version = xstrdup("18.16.1"); }
static void f_ch_new(struct facts *f) { f->clickhouse_version = xstrdup("25.8.1.1"); }
static void f_ch_ok(struct facts *f) { f->clickhouse_version = xstrdup("23.8.11.29"); }
static void f_cluster(struct facts *f) { f->redis_mode = xstrdup("cluster"); }
static void f_standalone(struct facts *f) { f->redis_mode = xstrdup("standalone"); }
static void f_dist(struct facts *f) { sl_add(&f->clickhouse_distributed, "default.events_dist"); }
static void f_tick4(struct facts *f) { set_topic(f, "monitors-clock-tick", 4, 3); }
static void f_tick1(struct facts *f) { set_topic(f, "monitors-clock-tick", 1, 3); }
static void f_ingest1(struct facts *f) { set_topic(f, "ingest-events", 1, 3); }
static void f_ingest8(struct facts *f) { set_topic(f, "ingest-events", 8, 3); }
static void f_tw3(struct facts *f) { set_topic(f, "taskworker", 3, 3); }
static void f_tw4(struct facts *f) { set_topic(f, "taskworker", 4, 3); }
static void f_rf1(struct facts *f) { f->kafka_brokers = 3; set_topic(f, "events", 1, 1); }
static void f_rf3(struct facts *f) { f->kafka_brokers = 3; set_topic(f, "events", 1, 3); }

/* Three hosts, of which only the first may run the web stack group. */
#define HOSTS_ONE_WEB	"hosts: [{name: n1, address: 10.0.0.1, roles: " \
	"[manager, web]}, {name: n2, address: 10.0.0.2, roles: [sentry]}, " \
	"{name: n3, address: 10.0.0.3, roles: [sentry]}]\n"

static const struct rule_case cases[] = {
	{ "workers without cron", "24.8.0", "services: {cron: {replicas: 0}}\n", NULL,
	  "worker-needs-cron", SEV_ERROR, "Background workers haven't checked in recently", 1 },
	{ "cron without workers", "24.8.0", "services: {worker: {replicas: 0}}\n", NULL,
	  "worker-needs-cron", SEV_ERROR, "never run", 1 },
	{ "both off", "24.8.0", "services: {worker: {replicas: 0}, cron: {replicas: 0}}\n",
	  NULL, "worker-needs-cron", SEV_ERROR, "", 0 },
	{ "two crons", "24.8.0", "services: {cron: {replicas: 2}}\n", NULL,
	  "cron-singleton", SEV_ERROR, "cron runs 2 replicas; it must run exactly once", 1 },
	{ "one cron", "24.8.0", "services: {cron: {replicas: 1}}\n", NULL,
	  "cron-singleton", SEV_ERROR, "", 0 },
	{ "two taskschedulers", "26.8.0", "services: {taskscheduler: {replicas: 2}}\n",
	  NULL, "taskscheduler-singleton", SEV_ERROR, "taskscheduler runs 2 replicas", 1 },
	{ "one taskscheduler", "26.8.0", NULL, NULL,
	  "taskscheduler-singleton", SEV_ERROR, "", 0 },
	{ "two clock ticks", "24.8.0", "services: {monitors-clock-tick: {replicas: 2}}\n",
	  NULL, "singleton-replicas", SEV_ERROR, "monitors-clock-tick runs 2 replicas", 1 },
	{ "replacer off", "24.8.0", "services: {snuba-replacer: {replicas: 0}}\n",
	  NULL, "singleton-replicas", SEV_ERROR, "", 0 },
	{ "workers without broker", "26.8.0", "services: {taskbroker: {replicas: 0}}\n",
	  NULL, "taskworker-needs-taskbroker", SEV_ERROR, "the workers have nobody to ask", 1 },
	{ "too many workers", "26.8.0", "services: {taskworker: {replicas: 30}}\n",
	  NULL, "taskworker-needs-taskbroker", SEV_WARNING, "more than 24 per broker", 1 },
	{ "24 workers", "26.8.0", "services: {taskworker: {replicas: 24}}\n",
	  NULL, "taskworker-needs-taskbroker", SEV_WARNING, "", 0 },
	{ "brokers, partitions unknown", "26.8.0", "services: {taskbroker: {replicas: 2}}\n",
	  NULL, "taskbroker-partitions", SEV_WARNING, "a multiple of 2 partitions", 1 },
	{ "brokers, uneven partitions", "26.8.0", "services: {taskbroker: {replicas: 2}}\n",
	  f_tw3, "taskbroker-partitions", SEV_ERROR, "3 partitions, which 2 brokers cannot share", 1 },
	{ "brokers, even partitions", "26.8.0", "services: {taskbroker: {replicas: 2}}\n",
	  f_tw4, "taskbroker-partitions", SEV_ERROR, "", 0 },
	{ "cluster answer", "24.8.0", NULL, NULL, "clickhouse-no-distributed", SEV_ERROR, "", 0 },
	{ "distributed tables", "24.8.0", NULL, f_dist,
	  "clickhouse-no-distributed", SEV_ERROR, "Distributed tables (default.events_dist)", 1 },
	{ "shared file store", "24.8.0", NULL, NULL,
	  "shared-filestore", SEV_INFO, "mount one ReadWriteMany claim at /data", 1 },
	{ "symbolicator data", "24.8.0", NULL, NULL,
	  "symbolicator-shared-data", SEV_INFO, "symbolicator and its cleanup mount", 1 },
	{ "snuba bind flag", "24.8.0", NULL, NULL,
	  "snuba-api-bind", SEV_INFO, "listens on 0.0.0.0:1218", 1 },
	/* The seed release's image already serves on 0.0.0.0: nothing done. */
	{ "seed snuba api", "10.1.0", NULL, NULL, "snuba-api-bind", SEV_INFO,
	  "holds: the image's entrypoint already serves the API on 0.0.0.0:1218", 1 },
	{ "snuba defaults", "10.1.0", NULL, NULL,
	  "snuba-middleware-defaults", SEV_INFO, "CLICKHOUSE_HOST, REDIS_HOST and DEFAULT_BROKERS", 1 },
	{ "kafka clusters", "26.8.0", NULL, NULL,
	  "kafka-clusters-default", SEV_INFO, "k1:9092,k2:9092,k3:9092", 1 },
	{ "config mounts", "26.8.0", NULL, NULL,
	  "config-in-every-sentry-container", SEV_INFO, "/etc/sentry", 1 },
	/* Kubernetes runs the Sentry image as uid 999, Celery as that user. */
	{ "celery root", "24.8.0", NULL, NULL,
	  "celery-force-root", SEV_INFO, "holds: runs as the Sentry image's own "
	  "user, not root", 1 },
	{ "no celery", "26.8.0", NULL, NULL, "celery-force-root", SEV_INFO, "", 0 },
	{ "celery root", "24.8.0", NULL, NULL, "consumer-heartbeat", SEV_INFO,
	  "applied: writes a heartbeat file", 1 },
	{ "no celery", "26.8.0", NULL, NULL, "consumer-heartbeat", SEV_INFO, "", 0 },
	{ "geoip", "24.8.0", "geoip: {account_id: \"42\", license_key: k}\n", NULL,
	  "geoip", SEV_INFO, "applied: reads the GeoLite2 database", 1 },
	{ "no geoip", "24.8.0", NULL, NULL, "geoip", SEV_INFO, "noted: no IP "
	  "geolocation", 1 },
	/* The runbook creates the topic with a partition for every replica. */
	{ "scaled consumer", "24.8.0", "services: {events-consumer: {replicas: 3}}\n",
	  NULL, "consumer-partitions", SEV_WARNING, "", 0 },
	{ "scaled consumer, one partition", "24.8.0", "services: {events-consumer: {replicas: 3}}\n",
	  f_ingest1, "consumer-partitions", SEV_WARNING, "2 replicas will idle", 1 },
	{ "scaled consumer, enough", "24.8.0", "services: {events-consumer: {replicas: 3}}\n",
	  f_ingest8, "consumer-partitions", SEV_WARNING, "", 0 },
	{ "clock tick partitions", "24.8.0", NULL, f_tick4,
	  "monitors-clock-tick-single-partition", SEV_ERROR, "has 4 partitions", 1 },
	{ "clock tick one partition", "24.8.0", NULL, f_tick1,
	  "monitors-clock-tick-single-partition", SEV_ERROR, "", 0 },
	{ "secret key", "10.1.0", NULL, NULL,
	  "secret-key-shared", SEV_INFO, "secret key", 1 },
	{ "relay identity", "24.8.0", NULL, NULL,
	  "relay-internal-ips", SEV_INFO, "relay.static_auth", 1 },
	{ "no relay", "10.1.0", NULL, NULL, "relay-internal-ips", SEV_INFO, "", 0 },
	{ "redis cluster", "24.8.0", NULL, f_cluster,
	  "redis-no-cluster-or-sentinel", SEV_ERROR, "is a Redis cluster", 1 },
	{ "redis standalone", "24.8.0", NULL, f_standalone,
	  "redis-no-cluster-or-sentinel", SEV_ERROR, "", 0 },
	{ "postgres 13", "26.8.0", NULL, f_pg13,
	  "postgres-min-version", SEV_ERROR, "PostgreSQL 13.16 is older than the 14", 1 },
	{ "postgres 14", "26.8.0", NULL, f_pg14, "postgres-min-version", SEV_ERROR, "", 0 },
	{ "clock ahead", "26.8.0", NULL, f_clock_ahead, "host-clock-skew",
	  SEV_WARNING, "the clock of 10.0.0.7:22 is 3.2 s ahead of this machine's", 1 },
	{ "clock behind", "26.8.0", NULL, f_clock_behind, "host-clock-skew",
	  SEV_WARNING, "is 1.5 s behind this machine's (give or take 0.2 s)", 1 },
	{ "clock within its uncertainty", "26.8.0", NULL, f_clock_unsure,
	  "host-clock-skew", SEV_WARNING, "", 0 },
	{ "clock in step", "26.8.0", NULL, f_clock_ok, "host-clock-skew",
	  SEV_WARNING, "", 0 },
	{ "share under 5 GiB", "26.8.0", NULL, f_space_low,
	  "shared-volume-free-space", SEV_WARNING, "the shared path /srv/share "
	  "has 4.0 GiB free (4% of 100.0 GiB) as 10.0.0.7:22 sees it", 1 },
	{ "share under 5%", "26.8.0", NULL, f_space_pct,
	  "shared-volume-free-space", SEV_WARNING, "6.0 GiB free (3% of 200.0 GiB)", 1 },
	{ "share with room", "26.8.0", NULL, f_space_ok,
	  "shared-volume-free-space", SEV_WARNING, "", 0 },
	{ "share of unknown size", "26.8.0", NULL, f_space_nosize,
	  "shared-volume-free-space", SEV_WARNING, "", 0 },
	{ "clickhouse too old", "24.8.0", NULL, f_ch_old,
	  "clickhouse-version-range", SEV_ERROR, "ClickHouse 18.16.1 is older than the 21.8.12.29", 1 },
	{ "clickhouse too new", "24.8.0", NULL, f_ch_new,
	  "clickhouse-version-range", SEV_WARNING, "newer than 23.8.11.29", 1 },
	{ "clickhouse in range", "24.8.0", NULL, f_ch_ok,
	  "clickhouse-version-range", SEV_ERROR, "", 0 },
	{ "one topic copy", "24.8.0", NULL, f_rf1,
	  "kafka-replication", SEV_WARNING, "fewer than 3 replicas on a 3-broker cluster: events", 1 },
	{ "three copies", "24.8.0", NULL, f_rf3, "kafka-replication", SEV_WARNING, "", 0 },
	{ "memcached class", "26.8.0", NULL, NULL,
	  "memcached-backend-class", SEV_INFO, "ReconnectingMemcache", 1 },
	{ "registry", "24.8.0", "registry: mirror.internal/sentry\n", NULL,
	  "air-gap-internet-steps", SEV_INFO, "every image is pulled from "
	  "mirror.internal/sentry, but 3 of the release's 5 steps that need the "
	  "Internet still reach it: on a network without it, set air_gapped: true", 1 },
	{ "no registry", "24.8.0", NULL, NULL, "air-gap-internet-steps", SEV_INFO, "", 0 },
	{ "air-gapped, no mirror", "24.8.0", "air_gapped: true\n", NULL,
	  "air-gap-internet-steps", SEV_WARNING, "images, although air-gapped: "
	  "every image is pulled from Docker Hub", 1 },
	{ "air-gapped, loader", "24.8.0", "air_gapped: true\nregistry: m.internal/s\n",
	  NULL, "air-gap-internet-steps", SEV_INFO, "js_sdk_loader, although "
	  "air-gapped: the JavaScript Loader Script", 1 },
	{ "air-gapped, counted", "24.8.0", "air_gapped: true\nregistry: m.internal/s\n",
	  NULL, "air-gap-internet-steps", SEV_INFO, "applied: 4 of the release's 5 "
	  "steps that need the Internet have their offline equivalent", 1 },
	{ "air-gapped, private ips", "26.8.0", "air_gapped: true\n", NULL,
	  "air-gap-internet-steps", SEV_WARNING, "private_ips, although air-gapped: "
	  "Sentry refuses outgoing requests to private and reserved addresses", 1 },
	{ "air-gapped account", "24.8.0", "air_gapped: true\ngeoip: {account_id: "
	  "\"1\", license_key: k}\n", NULL, "air-gap-internet-steps", SEV_WARNING,
	  "geoip, although air-gapped", 1 },
	{ "air-gapped account", "24.8.0", "air_gapped: true\ngeoip: {account_id: "
	  "\"1\", license_key: k}\n", NULL, "geoip", SEV_INFO, "", 0 },
	{ "no url prefix", "24.8.0", NULL, NULL,
	  "url-prefix", SEV_WARNING, "no public URL", 1 },
	{ "url prefix", "24.8.0", NULL, NULL, "url-prefix", SEV_WARNING, "", 0 },
	{ "errors-only s3", "24.8.0", NULL, NULL,
	  "filestore-external-cleanup", SEV_WARNING, "bucket b holds source maps "
	  "and debug files that releases keep using: give it no age limit", 1 },
	{ "files in s3", "24.8.0", NULL, NULL,
	  "filestore-external-cleanup", SEV_WARNING, "profiles share bucket b "
	  "with source maps and debug files", 1 },
	{ "files in s3", "26.8.0", NULL, NULL,
	  "filestore-external-cleanup", SEV_WARNING, "profiles share bucket b "
	  "with source maps and debug files, so no age limit can clean them up: "
	  "give filestore.s3.profiles_bucket a bucket of its own", 1 },
	{ "profiles bucket", "26.8.0", NULL, NULL,
	  "filestore-external-cleanup", SEV_WARNING, "expire the objects of the "
	  "profiles bucket pb after 90 days, as upstream does; give the file "
	  "store's bucket b no age limit", 1 },
	{ "files on a volume", "24.8.0", NULL, NULL,
	  "filestore-external-cleanup", SEV_WARNING, "", 0 },
	{ "swarm sshfs", "24.8.0", NULL, NULL,
	  "swarm-sshfs-uid", SEV_INFO, "uid 999, gid 999", 1 },
	{ "swarm sshfs", "24.8.0", NULL, NULL,
	  "swarm-images-from-registry", SEV_INFO, "nothing is built on the nodes", 1 },
	{ "swarm sshfs", "24.8.0", NULL, NULL,
	  "swarm-volume-change-needs-stack-rm", SEV_INFO, "deploy.sh records", 1 },
	{ "swarm sshfs", "26.8.0", NULL, NULL,
	  "swarm-secret-files", SEV_ERROR, "", 0 },
	{ "on kubernetes", "24.8.0", NULL, NULL,
	  "swarm-images-from-registry", SEV_INFO, "", 0 },
	{ "swarm sshfs", "24.8.0", HOSTS_ONE_WEB, NULL, "swarm-group-one-host",
	  SEV_WARNING, "only n1 has the role web: stack sentry-web (web, "
	  "symbolicator, vroom) runs there alone and stops when n1 fails; give "
	  "web to one of n2, n3 as well, or take it out of hosts[0].roles", 1 },
	{ "swarm sshfs", "24.8.0", "hosts: [{name: n1, address: 10.0.0.1, "
	  "roles: [manager, ingest]}]\n", NULL, "swarm-group-one-host",
	  SEV_WARNING, "give ingest to a second host as well (add one to hosts), or take it "
	  "out of hosts[0].roles", 1 },
	{ "swarm sshfs", "24.8.0", "hosts: [{name: n1, address: 10.0.0.1, "
	  "roles: [web, ingest]}, {name: n2, address: 10.0.0.2, roles: [web, "
	  "ingest]}]\n", NULL, "swarm-group-one-host", SEV_WARNING, "", 0 },
	{ "swarm sshfs", "24.8.0", "hosts: [{name: n1, address: 10.0.0.1}, "
	  "{name: n2, address: 10.0.0.2, roles: [manager]}]\n", NULL,
	  "swarm-group-one-host", SEV_WARNING, "", 0 },
	/* Roles that name no host for web or ingest leave those groups
	 * unpinned (placed anywhere), so nothing is unschedulable. */
	{ "swarm sshfs", "24.8.0", "hosts: [{name: n1, address: 10.0.0.1, "
	  "roles: [snuba, sentry]}, {name: n2, address: 10.0.0.2, roles: [snuba, "
	  "sentry]}]\n", NULL, "swarm-group-one-host", SEV_WARNING, "", 0 },
	{ "swarm sshfs", "24.8.0", "hosts: [{name: n1, address: 10.0.0.1, "
	  "roles: [snuba, sentry]}, {name: n2, address: 10.0.0.2, roles: [snuba, "
	  "sentry]}]\n", NULL, "swarm-group-one-host", SEV_ERROR, "", 0 },
	{ "swarm sshfs", "24.8.0", NULL, NULL, "swarm-group-one-host",
	  SEV_WARNING, "", 0 },
	{ "on kubernetes", "24.8.0", HOSTS_ONE_WEB, NULL, "swarm-group-one-host",
	  SEV_WARNING, "", 0 },
	{ "kafka sasl", "10.1.0", NULL, NULL, "middleware-credentials", SEV_ERROR,
	  "snuba-api, snuba-consumer, snuba-outcomes-consumer, snuba-replacer, "
	  "snuba-cleanup, snuba-bootstrap, snuba-migrate: no setting for Kafka's "
	  "SASL login in Sentry 10.1.0", 1 },
	{ "clickhouse password", "10.1.0", NULL, NULL, "middleware-credentials",
	  SEV_ERROR, "no setting for the ClickHouse password", 1 },
	{ "kafka tls", "10.1.0", NULL, NULL, "middleware-credentials", SEV_ERROR,
	  "Kafka's security protocol in Sentry 10.1.0", 1 },
	{ "kafka sasl", "24.8.0", NULL, NULL, "middleware-credentials", SEV_WARNING,
	  "vroom: no setting for Kafka's SASL login", 1 },
	{ "kafka sasl", "26.8.0", NULL, NULL, "middleware-credentials", SEV_WARNING,
	  "launchpad-taskworker: no setting", 1 },
	{ "clickhouse password", "26.8.0", NULL, NULL, "middleware-credentials",
	  SEV_ERROR, "", 0 },
	{ "plain kafka", "10.1.0", NULL, NULL, "middleware-credentials", SEV_ERROR,
	  "", 0 },
	{ "redis tls", "10.1.0", NULL, NULL, "middleware-credentials", SEV_ERROR,
	  "snuba-api, snuba-consumer, snuba-outcomes-consumer, snuba-replacer, "
	  "snuba-cleanup, snuba-bootstrap, snuba-migrate: no setting for TLS to "
	  "Redis", 1 },
	{ "redis tls", "24.8.0", NULL, NULL, "middleware-credentials", SEV_ERROR,
	  "", 0 },
	{ "kafka tls", "24.8.0", NULL, NULL, "snuba-python-consumer", SEV_INFO,
	  "applied: runs Snuba's Python `consumer`", 1 },
	{ "kafka sasl", "24.8.0", NULL, NULL, "snuba-python-consumer", SEV_INFO,
	  "", 0 },
	{ "kafka tls", "26.8.0", NULL, NULL, "snuba-python-consumer", SEV_INFO,
	  "", 0 },
	{ "no scheduler", "26.8.0", "services: {taskscheduler: {replicas: 0}}\n",
	  NULL, "worker-needs-cron", SEV_ERROR, "taskworker runs 2 replicas but "
	  "taskscheduler runs none", 1 },
	{ "one broker", "26.8.0", NULL, NULL, "taskbroker-single-point",
	  SEV_WARNING, "one taskbroker, on a ReadWriteOnce claim", 1 },
	{ "two brokers", "26.8.0", "services: {taskbroker: {replicas: 2}}\n", NULL,
	  "taskbroker-single-point", SEV_WARNING, "", 0 },
	{ "two brokers", "26.8.0", "services: {taskbroker: {replicas: 2}}\n", NULL,
	  "taskworker-broker-list", SEV_INFO, "applied: connects to every "
	  "taskbroker by name", 1 },
	{ "swarm sshfs", "26.8.0", "services: {taskbroker: {replicas: 2}}\n", NULL,
	  "taskbroker-single-point", SEV_ERROR, "2 taskbrokers on Docker Swarm", 1 },
	{ "swarm sshfs", "26.8.0", "services: {taskbroker: {replicas: 2}}\n", NULL,
	  "taskworker-broker-list", SEV_INFO, "", 0 },
};

/* Cases whose answers differ from the demo in more than appended lines. */
static const struct { const char *name, *from, *to; } edits[] = {
	{ "cluster answer", "clickhouse: {host: ch.internal}",
	  "clickhouse: {host: ch.internal, cluster: \"\"}" },
	{ "no url prefix", " url_prefix: \"https://sentry.example.com\",", "" },
	{ "files in s3", "{backend: filesystem, shared_volume: {kind: pvc}}",
	  "{backend: s3, s3: {bucket: b}, shared_volume: {kind: pvc}}" },
	{ "errors-only s3", "{backend: filesystem, shared_volume: {kind: pvc}}",
	  "{backend: s3, s3: {bucket: b}, shared_volume: {kind: pvc}}" },
	{ "errors-only s3", "sentry: {version:", "sentry: {features: errors-only, version:" },
	{ "profiles bucket", "{backend: filesystem, shared_volume: {kind: pvc}}",
	  "{backend: s3, s3: {bucket: b, profiles_bucket: pb}, shared_volume: {kind: pvc}}" },
	{ "swarm sshfs", "target: {kind: kubernetes", "target: {kind: swarm" },
	{ "swarm sshfs", "shared_volume: {kind: pvc}",
	  "shared_volume: {kind: sshfs, sshfs: {host: n3, path: /srv}}" },
	{ "kafka sasl", "kafka: {brokers", "kafka: {security_protocol: "
	  "SASL_PLAINTEXT, sasl_mechanism: PLAIN, username: u, password: p, brokers" },
	{ "kafka tls", "kafka: {brokers", "kafka: {security_protocol: SSL, brokers" },
	{ "redis tls", "redis: {host: redis.internal", "redis: {tls: true, host: redis.internal" },
	{ "clickhouse password", "clickhouse: {host: ch.internal}",
	  "clickhouse: {host: ch.internal, password: p}" },
};

static char *
answers_for(const struct rule_case *c)
{
	char *yaml = demo_answers(c->release, c->extra);

	for (size_t i = 0; i < sizeof edits / sizeof edits[0]; i++) {
		if (strcmp(edits[i].name, c->name) == 0) {
			char *at = strstr(yaml, edits[i].from), *out;

			ck_assert_ptr_nonnull(at);
			out = xasprintf("%.*s%s%s", (int)(at - yaml), yaml, edits[i].to,
			    at + strlen(edits[i].from));
			free(yaml);
			yaml = out;
		}
	}
	return yaml;
}

START_TEST(rule_case)
{
	const struct rule_case *c = &cases[_i];
	char *yaml = answers_for(c);
	struct fixture f;
	struct findings found = { 0 };
	struct facts facts;
	int hit = 0;

	facts_init(&facts);
	if (c->facts != NULL)
		c->facts(&facts);
	ck_assert_msg(fixture_run(&f, yaml) == 0, "%s: %s", c->name, f.e.msg);
	rules_evaluate(&f.s.pl, &facts, &found);
	for (size_t i = 0; i < found.n; i++) {
		if (strcmp(found.v[i].rule, c->rule) != 0)
			continue;
		if (!c->triggers)
			ck_abort_msg("%s: %s should not fire: %s", c->name, c->rule,
			    found.v[i].message);
		if (found.v[i].severity == c->severity &&
		    strstr(found.v[i].message, c->words) != NULL)
			hit = 1;
	}
	if (c->triggers)
		ck_assert_msg(hit, "%s: no %s %s finding saying \"%s\"", c->name,
		    severity_names[c->severity], c->rule, c->words);
	findings_free(&found);
	facts_free(&facts);
	fixture_free(&f);
	free(yaml);
}
END_TEST

/* Rules whose firing case needs more than answers: tested below. */
static const char *const tested_elsewhere[] = {
	"swarm-secret-files",	/* swarm_secret_without_a_shell */
	"private-ca",		/* test_plan.c: private_ca_is_trusted */
	"tls-client-certs",	/* the same */
	"snuba-migration-in-progress",	/* test_migrations.c */
	"snuba-state",			/* the same */
	"sentry-migration-boundary",	/* the same */
	"upgrade-standing",		/* the same (rules_reached) */
	"upgrade-hop-verified",		/* the same */
	"docker-root-free-space",	/* test_rules_hosts.c */
	"swarm-sshfs-plugin",		/* the same */
	"swarm-node-available",		/* the same */
	"swarm-host-capacity",		/* the same */
	"autoscaling-max-partitions",	/* test_scale.c: rule_max_partitions */
	"autoscaling-singleton",	/* test_scale.c: rule_singleton */
	"network-policy-egress",	/* test_netpol_egress.c */
	"answer-ignored",		/* test_ignored.c */
	NULL
};

/* Every rule has a case that fires it. */
START_TEST(every_rule_is_tested)
{
	for (size_t i = 0; i < rule_count(); i++) {
		int tested = 0;

		for (size_t j = 0; tested_elsewhere[j] != NULL; j++)
			tested |= strcmp(tested_elsewhere[j], rule_id(i)) == 0;
		for (size_t j = 0; j < sizeof cases / sizeof cases[0]; j++)
			tested |= cases[j].triggers &&
			    strcmp(cases[j].rule, rule_id(i)) == 0;
		ck_assert_msg(tested, "no case fires rule %s", rule_id(i));
	}
}
END_TEST

/* No shipped image needs it, so a service is given a secret variable on an
 * image without a shell (relay) to show the rule fire. */
START_TEST(swarm_secret_without_a_shell)
{
	char *yaml = answers_for(&(struct rule_case){ .name = "swarm sshfs",
	    .release = "26.8.0" });
	struct fixture f;
	struct findings found = { 0 };
	struct plan_service *relay;
	int hit = 0;

	ck_assert_msg(fixture_run(&f, yaml) == 0, "%s", f.e.msg);
	relay = (struct plan_service *)plan_service(&f.s.pl, "relay");
	plan_set_env(relay, "RELAY_REDIS_PASSWORD", NULL, "redis-password");
	rules_evaluate(&f.s.pl, NULL, &found);
	for (size_t i = 0; i < found.n; i++)
		if (strcmp(found.v[i].rule, "swarm-secret-files") == 0) {
			hit = 1;
			ck_assert_int_eq(found.v[i].severity, SEV_ERROR);
			ck_assert_contains(found.v[i].message, "relay reads a password "
			    "from its environment");
		}
	ck_assert(hit);
	findings_free(&found);
	fixture_free(&f);
	free(yaml);
}
END_TEST

/* The one host's roles are the field, and only the pinned group is named:
 * the groups that no host names (snuba, ingest) run anywhere. */
START_TEST(swarm_group_on_one_host)
{
	char *yaml = answers_for(&(struct rule_case){ .name = "swarm sshfs",
	    .release = "24.8.0", .extra = HOSTS_ONE_WEB });
	struct fixture f;
	struct findings found = { 0 };
	size_t hits = 0;

	ck_assert_msg(fixture_run(&f, yaml) == 0, "%s", f.e.msg);
	rules_evaluate(&f.s.pl, NULL, &found);
	for (size_t i = 0; i < found.n; i++) {
		if (strcmp(found.v[i].rule, "swarm-group-one-host") != 0)
			continue;
		hits++;
		ck_assert_int_eq(found.v[i].severity, SEV_WARNING);
		ck_assert_str_eq(found.v[i].field, "hosts[0].roles");
		ck_assert_ptr_null(found.v[i].subject);
		ck_assert_contains(found.v[i].message, "only n1 has the role web");
	}
	ck_assert_uint_eq(hits, 1);
	ck_assert_uint_eq(findings_count(&found, SEV_ERROR), 0);
	findings_free(&found);
	fixture_free(&f);
	free(yaml);
}
END_TEST

/* A cluster named in the answers is refused with the reason. */
START_TEST(clickhouse_cluster_answer_is_an_error)
{
	char *yaml = demo_answers("24.8.0", NULL), *at, *patched;
	struct fixture f;
	struct findings found = { 0 };

	at = strstr(yaml, "clickhouse: {host: ch.internal}");
	patched = xasprintf("%.*sclickhouse: {host: ch.internal, cluster: "
	    "sentry_cluster}%s", (int)(at - yaml), yaml, at + 31);
	ck_assert_int_eq(fixture_run(&f, patched), 0);
	rules_evaluate(&f.s.pl, NULL, &found);
	ck_assert_str_eq(found.v[0].rule, "clickhouse-no-distributed");
	ck_assert_int_eq(found.v[0].severity, SEV_ERROR);
	ck_assert_str_eq(found.v[0].field, "clickhouse.cluster");
	ck_assert_contains(found.v[0].message, "Snuba supports one single-node "
	    "ClickHouse only");
	findings_free(&found);
	fixture_free(&f);
	free(patched);
	free(yaml);
}
END_TEST

START_TEST(every_rule_has_words)
{
	char *assets = xasprintf("%s/assets", test_root());
	struct rule_texts c;
	struct err e;

	ck_assert_msg(rule_texts_load(assets, &c, &e) == 0, "%s", e.msg);
	ck_assert_uint_eq(c.rules.n, rule_count());
	for (size_t i = 0; i < rule_count(); i++) {
		const struct rule_text *t = rule_texts_find(&c, rule_id(i));

		ck_assert_msg(t != NULL, "no words for %s", rule_id(i));
		ck_assert_uint_gt(strlen(t->why), 40);
	}
	rule_texts_free(&c);
	free(assets);
}
END_TEST

/* The JSON document parses, and says what the table says. */
START_TEST(json_report_is_a_document)
{
	char *yaml = demo_answers("24.8.0", "services: {cron: {replicas: 2}}\n");
	char *assets = xasprintf("%s/assets", test_root());
	struct fixture f;
	struct findings found = { 0 };
	struct rule_texts c;
	struct strbuf out = STRBUF_INIT;
	struct ynode *doc;
	struct err e;

	ck_assert_int_eq(fixture_run(&f, yaml), 0);
	ck_assert_int_eq(rule_texts_load(assets, &c, &e), 0);
	rules_evaluate(&f.s.pl, NULL, &found);
	report_json(&found, &c, &f.s.pl, NULL, &out);
	ck_assert_msg(yaml_parse(out.s, out.len, "json", 0, &doc, &e) == 0, "%s", e.msg);
	ck_assert_str_eq(yn_path_text(doc, "schema"), "1");
	ck_assert_str_eq(yn_path_text(doc, "release"), "24.8.0");
	ck_assert_str_eq(yn_path_text(doc, "summary.error"), "1");
	ck_assert_str_eq(yn_path_text(yn_get(doc, "findings")->items[0], "id"),
	    "cron-singleton");
	ck_assert_contains(yn_path_text(yn_get(doc, "findings")->items[0], "where"),
	    "/test.yaml:11:19");
	ck_assert_uint_eq(yn_get(doc, "findings")->n, found.n);
	yn_free(doc);
	sb_free(&out);
	rule_texts_free(&c);
	findings_free(&found);
	fixture_free(&f);
	free(assets);
	free(yaml);
}
END_TEST

Suite *
suite_rules(void)
{
	Suite *s = suite_create("rules");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, rule_case, 0, (int)(sizeof cases / sizeof cases[0]));
	tcase_add_test(tc, every_rule_is_tested);
	tcase_add_test(tc, swarm_secret_without_a_shell);
	tcase_add_test(tc, swarm_group_on_one_host);
	tcase_add_test(tc, clickhouse_cluster_answer_is_an_error);
	tcase_add_test(tc, every_rule_has_words);
	tcase_add_test(tc, json_report_is_a_document);
	suite_add_tcase(s, tc);
	return s;
}
