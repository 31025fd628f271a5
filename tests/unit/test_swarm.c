/* Docker Swarm output: stack files, volumes, secrets as files, deploy.sh. */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "swarm.h"
#include "swarm_names.h"
#include "xmem.h"
#include "ynode.h"

#define SSHFS "filestore: {backend: filesystem, shared_volume: {kind: sshfs, " \
	"sshfs: {host: node3, port: 2222, user: sentry, path: /srv/sentry}}}\n"
#define NFS "filestore: {backend: filesystem, shared_volume: {kind: nfs, " \
	"nfs: {server: nfs.internal, path: /exports/sentry}}}\n"
/* With a trailing slash, which the volumes' folders do not repeat. */
#define HOSTPATH "filestore: {backend: filesystem, shared_volume: {kind: " \
	"hostpath, hostpath: {path: /srv/sentry-shared/}}}\n"
#define HOSTS "hosts: [{name: node1, address: 10.0.0.11, port: 1046, " \
	"user: sentry, roles: [manager]}, {name: node2, address: 10.0.0.12, " \
	"user: ops}]\n"

/* The demo answers on Swarm with the given file store line. */
static void
run(struct fixture *f, const char *version, const char *filestore,
    const char *extra)
{
	char *base = demo_answers(version, NULL), *fs = strstr(base, "filestore:");
	char *target = strstr(base, "kind: kubernetes");
	char *yaml;

	memcpy(target, "kind: swarm     ", 16);	/* same length, valid YAML */
	yaml = xasprintf("%.*s%s%s", (int)(fs - base), base, filestore,
	    extra ? extra : "");
	ck_assert_msg(fixture_run(f, yaml) == 0, "%s", f->e.msg);
	free(yaml);
	free(base);
}

static struct ynode *
stack(const struct fixture *f, const char *file)
{
	char *path = xasprintf("swarm/stacks/%s.yml", file);
	const char *text = fixture_file(f, path);
	struct ynode *doc;
	struct err e;

	ck_assert_msg(text != NULL, "no %s", path);
	ck_assert_msg(yaml_parse(text, strlen(text), path, 0, &doc, &e) == 0,
	    "%s", e.msg);
	free(path);
	return doc;
}

START_TEST(sshfs_volumes_are_exact)
{
	struct fixture f;
	struct ynode *doc;
	const struct ynode *v, *o, *m;

	run(&f, "24.8.0", SSHFS, NULL);
	doc = stack(&f, "30-web");
	v = yn_path(doc, "volumes.sentry-data");
	ck_assert_str_eq(yn_path_text(v, "name"), "sentry_sentry-data");
	ck_assert_str_eq(yn_path_text(v, "driver"), "vieux/sshfs");
	o = yn_get(v, "driver_opts");
	ck_assert_str_eq(yn_path_text(o, "sshcmd"), "sentry@node3:/srv/sentry/sentry-data");
	ck_assert_str_eq(yn_path_text(o, "port"), "2222");
	ck_assert_str_eq(yn_path_text(o, "uid"), "999");
	ck_assert_str_eq(yn_path_text(o, "gid"), "999");
	ck_assert_ptr_nonnull(yn_get(o, "allow_other"));
	/* The mount never copies the image's files into the shared volume. */
	m = yn_path(doc, "services.web.volumes")->items[0];
	ck_assert_str_eq(yn_path_text(m, "source"), "sentry-data");
	ck_assert_str_eq(yn_path_text(m, "volume.nocopy"), "true");
	/* The runbook reaches the sshfs host on its own SSH port. */
	ck_assert_contains(fixture_file(&f, "RUNBOOK.md"), "ssh -p 2222 "
	    "sentry@node3 'mkdir -p /srv/sentry/sentry-data");
	/* The plugin's key folder: the default, root's. */
	ck_assert_contains(fixture_file(&f, "RUNBOOK.md"), "vieux/sshfs "
	    "sshkey.source=/root/.ssh/\n");
	yn_free(doc);
	fixture_free(&f);
}
END_TEST

START_TEST(nfs_volumes_are_exact)
{
	struct fixture f;
	struct ynode *doc;
	const struct ynode *o;

	run(&f, "26.8.0", NFS, NULL);
	doc = stack(&f, "30-web");
	ck_assert_str_eq(yn_path_text(doc, "volumes.symbolicator-data.driver"), "local");
	o = yn_path(doc, "volumes.symbolicator-data.driver_opts");
	ck_assert_str_eq(yn_path_text(o, "type"), "nfs");
	ck_assert_str_eq(yn_path_text(o, "o"), "addr=nfs.internal,rw,nfsvers=4");
	ck_assert_str_eq(yn_path_text(o, "device"), ":/exports/sentry/symbolicator-data");
	/* root_squash: the folders are made the Sentry user's first. */
	ck_assert_contains(fixture_file(&f, "RUNBOOK.md"), "chown 999:999 "
	    "/exports/sentry/");
	/* Step 1 names every server the containers must reach. */
	ck_assert_contains(fixture_file(&f, "RUNBOOK.md"), "The containers, "
	    "from every node, must reach: PostgreSQL `pg.internal`, Redis "
	    "`redis.internal`, Kafka `k1:9092,k2:9092,k3:9092`, ClickHouse "
	    "`ch.internal`, Memcached `mc1:11211`, SMTP `smtp.internal`.\n");
	yn_free(doc);
	fixture_free(&f);
}
END_TEST

START_TEST(pvc_is_refused_on_swarm)
{
	struct fixture f;
	char *yaml = demo_answers("24.8.0", NULL);

	memcpy(strstr(yaml, "kind: kubernetes"), "kind: swarm     ", 16);
	ck_assert_int_eq(fixture_run(&f, yaml), -1);
	ck_assert_contains(f.e.msg, "filestore.shared_volume.kind: pvc cannot be "
	    "mounted on swarm: use nfs or sshfs");
	fixture_free(&f);
	free(yaml);
}
END_TEST

START_TEST(sshfs_is_refused_on_kubernetes)
{
	struct fixture f;
	char *base = demo_answers("24.8.0", NULL), *fs = strstr(base, "filestore:");
	char *yaml = xasprintf("%.*s%s", (int)(fs - base), base, SSHFS);

	ck_assert_int_eq(fixture_run(&f, yaml), -1);
	ck_assert_contains(f.e.msg, "filestore.shared_volume.kind: sshfs cannot "
	    "be mounted on kubernetes");
	fixture_free(&f);
	free(yaml);
	free(base);
}
END_TEST

/* Each shared volume is bound from its own folder of the nodes' mount,
 * and Docker defines no volume for it. */
START_TEST(hostpath_volumes_are_bound)
{
	struct fixture f;
	struct ynode *doc;
	const struct ynode *m;
	const char *deploy;

	run(&f, "24.8.0", HOSTPATH, HOSTS);
	doc = stack(&f, "30-web");
	m = yn_path(doc, "services.web.volumes")->items[0];
	ck_assert_str_eq(yn_path_text(m, "type"), "bind");
	ck_assert_str_eq(yn_path_text(m, "source"), "/srv/sentry-shared/sentry-data");
	ck_assert_str_eq(yn_path_text(m, "target"), "/data");
	ck_assert_ptr_null(yn_get(m, "volume"));
	m = yn_path(doc, "services.symbolicator.volumes")->items[0];
	ck_assert_str_eq(yn_path_text(m, "source"),
	    "/srv/sentry-shared/symbolicator-data");
	ck_assert_ptr_null(yn_path(doc, "volumes.sentry-data"));
	ck_assert_ptr_null(yn_path(doc, "volumes.symbolicator-data"));
	yn_free(doc);
	/* A bind has no Docker volume; but when the share was sshfs or NFS
	 * before, its old volume is what the guard says to remove. */
	deploy = fixture_file(&f, "swarm/deploy.sh");
	ck_assert_contains(strstr(deploy, "docker volume rm"), " sentry_sentry-data");
	ck_assert_lacks(deploy, "docker volume create");
	fixture_free(&f);
}
END_TEST

/* The runbook: the fstab line of the write-up's options, the mount checked
 * on every host on its own SSH port, the folders the Sentry user's, and a
 * file written on one node read on another through the Sentry image. */
START_TEST(hostpath_runbook_checks_every_node)
{
	struct fixture f;
	const char *md;

	run(&f, "24.8.0", HOSTPATH, HOSTS);
	md = fixture_file(&f, "RUNBOOK.md");
	ck_assert_contains(md, "sentry@SERVER:/home/sentry/data /srv/sentry-shared "
	    "fuse.sshfs _netdev,port=1046,uid=999,gid=999,allow_other,reconnect,"
	    "ServerAliveInterval=15,ServerAliveCountMax=3,IdentityFile=");
	ck_assert_contains(md, "ssh -p 1046 sentry@10.0.0.11 mountpoint -q "
	    "/srv/sentry-shared || echo 'node1: /srv/sentry-shared is not "
	    "mounted'\n");
	ck_assert_contains(md, "ssh ops@10.0.0.12 mountpoint -q /srv/sentry-shared"
	    " || echo 'node2: ");
	ck_assert_contains(md, "sudo mkdir -p /srv/sentry-shared/sentry-data "
	    "/srv/sentry-shared/symbolicator-data ");
	ck_assert_contains(md, "sudo chown 999:999 /srv/sentry-shared/sentry-data ");
	ck_assert_contains(md, "ssh -p 1046 sentry@10.0.0.11 \"docker run --rm -u "
	    "999:999 -v /srv/sentry-shared/sentry-data:/t --entrypoint sh "
	    "getsentry/sentry:24.8.0 -c 'echo node1 > /t/.sentry-ha-probe'\"");
	ck_assert_contains(md, "ssh ops@10.0.0.12 \"docker run --rm -u 999:999 -v "
	    "/srv/sentry-shared/sentry-data:/t --entrypoint sh "
	    "getsentry/sentry:24.8.0 -c 'cat /t/.sentry-ha-probe");
	ck_assert_ptr_null(strstr(md, "docker plugin install"));
	ck_assert_ptr_null(strstr(md, "//sentry-data"));
	fixture_free(&f);
}
END_TEST

/* Without hosts the commands are for every node, named in comments. */
START_TEST(hostpath_runbook_without_hosts)
{
	struct fixture f;
	const char *md;

	run(&f, "26.8.0", "filestore: {backend: filesystem, shared_volume: "
	    "{kind: hostpath, hostpath: {path: /}}}\n", NULL);
	md = fixture_file(&f, "RUNBOOK.md");
	ck_assert_contains(md, "mountpoint -q / || echo '/ is not mounted'   # on "
	    "every node\n");
	ck_assert_contains(md, "# on node A\ndocker run --rm -u 999:999 -v "
	    "/sentry-data:/t ");
	ck_assert_contains(md, "# on node B\ndocker run --rm -u 999:999 -v "
	    "/sentry-data:/t ");
	fixture_free(&f);
}
END_TEST

START_TEST(hostpath_is_refused_on_kubernetes)
{
	struct fixture f;
	char *base = demo_answers("24.8.0", NULL), *fs = strstr(base, "filestore:");
	char *yaml = xasprintf("%.*s%s", (int)(fs - base), base, HOSTPATH);

	ck_assert_int_eq(fixture_run(&f, yaml), -1);
	ck_assert_int_eq(f.e.kind, ERR_INPUT);
	ck_assert_contains(f.e.msg, "filestore.shared_volume.kind: hostpath cannot "
	    "be mounted on kubernetes: use pvc (a ReadWriteMany storage class) "
	    "or nfs");
	fixture_free(&f);
	free(yaml);
	free(base);
}
END_TEST

START_TEST(singletons_jobs_and_order)
{
	struct fixture f;
	struct ynode *doc;
	const char *deploy;

	run(&f, "24.8.0", SSHFS, NULL);
	doc = stack(&f, "20-sentry");
	ck_assert_str_eq(yn_path_text(doc, "services.cron.deploy.replicas"), "1");
	ck_assert_str_eq(yn_path_text(doc, "services.cron.deploy.update_config.order"),
	    "stop-first");
	ck_assert_str_eq(yn_path_text(doc, "services.worker.deploy.update_config.order"),
	    "start-first");
	ck_assert_str_eq(yn_path_text(doc, "services.monitors-clock-tick.deploy.replicas"), "1");
	/* A repeating cleanup stops before its successor starts: never two. */
	ck_assert_str_eq(yn_path_text(doc,
	    "services.sentry-cleanup.deploy.update_config.order"), "stop-first");
	/* A CronJob becomes a service that repeats the job; its sh (PID 1)
	 * stops on SIGTERM instead of waiting out the grace period. */
	ck_assert_contains(yn_path(doc, "services.sentry-cleanup.entrypoint")->items[2]->text,
	    "trap 'kill $$c 2>/dev/null; exit 0' TERM INT; while :; do "
	    "/docker-entrypoint.sh \"$$@\" & c=$$!; wait $$c; sleep 86400 & c=$$!; "
	    "wait $$c; done");
	yn_free(doc);
	doc = stack(&f, "03-sentry-upgrade");
	ck_assert_str_eq(yn_path_text(doc, "services.sentry-upgrade.deploy.mode"),
	    "replicated-job");
	ck_assert_str_eq(yn_path_text(doc,
	    "services.sentry-upgrade.deploy.restart_policy.condition"), "none");
	yn_free(doc);
	deploy = fixture_file(&f, "swarm/deploy.sh");
	ck_assert_ptr_nonnull(strstr(deploy, "run_job 01-snuba-bootstrap snuba-bootstrap"));
	ck_assert(strstr(deploy, "run_job 03-sentry-upgrade") <
	    strstr(deploy, "deploy_stack 10-snuba"));
	ck_assert(strstr(deploy, "deploy_stack 10-snuba") <
	    strstr(deploy, "deploy_stack 20-sentry"));
	ck_assert(strstr(deploy, "deploy_stack 30-web") <
	    strstr(deploy, "deploy_stack 40-ingest"));
	ck_assert_contains(deploy, "docker stack rm sentry-snuba sentry-sentry "
	    "sentry-web sentry-ingest");
	ck_assert_contains(deploy, "docker volume rm sentry_sentry-data");
	fixture_free(&f);
}
END_TEST

/* Secrets are files of swarm/secrets/ (0600), named by their stack
 * files, read by wrapped entrypoints: never a value in a stack file. */
START_TEST(secrets_stay_in_secret_files)
{
	struct fixture f;
	struct ynode *doc;
	const char *ep;
	static const char *const values[] = { "pg-secret", "redis-secret" };

	run(&f, "26.8.0", SSHFS, NULL);
	for (size_t i = 0; i < f.out.n; i++) {
		const struct outfile *o = &f.out.v[i];
		int secret_file = strncmp(o->path, "swarm/secrets/", 14) == 0;

		ck_assert_int_eq(o->mode & 0777, secret_file ? 0600 :
		    strcmp(o->path, "swarm/deploy.sh") == 0 ? 0755 : 0644);
		ck_assert_lacks(o->content, "build:");
		if (secret_file)
			continue;
		for (size_t j = 0; j < 2; j++)
			ck_assert_lacks(o->content, values[j]);
		ck_assert_lacks(o->content, f.s.k.secret_key);
		ck_assert_lacks(o->content, f.s.k.relay_secret_key);
	}
	ck_assert_str_eq(fixture_file(&f, "swarm/secrets/postgres-password"), "pg-secret");
	doc = stack(&f, "10-snuba");
	ep = yn_path(doc, "services.snuba-api.entrypoint")->items[2]->text;
	ck_assert_contains(ep, "(\"redis-password\", \"REDIS_PASSWORD\")");
	ck_assert_ptr_null(yn_path(doc, "services.snuba-api.environment.REDIS_PASSWORD"));
	ck_assert_str_eq(yn_path_text(doc, "secrets.redis-password.external"), "true");
	yn_free(doc);
	doc = stack(&f, "40-ingest");
	ck_assert_str_eq(yn_path_text(yn_path(doc, "services.relay.secrets")->items[1],
	    "target"), "/work/.relay/credentials.json");
	ck_assert_str_eq(yn_path_text(yn_path(doc, "services.nginx.ports")->items[0],
	    "published"), "9000");
	yn_free(doc);
	fixture_free(&f);
}
END_TEST

/* Host roles pin a group's services to the labelled nodes; the runbook
 * labels them. Groups no host names run anywhere. */
START_TEST(host_roles_become_placement)
{
	struct fixture f;
	struct ynode *doc;
	const struct ynode *c;

	run(&f, "24.8.0", SSHFS, "hosts: [{name: node1, address: 10.0.0.11, "
	    "roles: [manager, web]}, {name: node2, address: 10.0.0.12, "
	    "roles: [web]}]\n");
	doc = stack(&f, "30-web");
	c = yn_path(doc, "services.web.deploy.placement.constraints");
	ck_assert_ptr_nonnull(c);
	ck_assert_uint_eq(c->n, 1);
	ck_assert_str_eq(c->items[0]->text, "node.labels.sentry.web == true");
	yn_free(doc);
	doc = stack(&f, "20-sentry");
	ck_assert_ptr_null(yn_path(doc, "services.worker.deploy.placement"));
	yn_free(doc);
	ck_assert_contains(fixture_file(&f, "RUNBOOK.md"),
	    "docker node update --label-add sentry.web=true node1");
	ck_assert_contains(fixture_file(&f, "RUNBOOK.md"),
	    "docker node update --label-add sentry.web=true node2");
	ck_assert_lacks(fixture_file(&f, "RUNBOOK.md"), "sentry.manager=");
	fixture_free(&f);
}
END_TEST

START_TEST(intervals_follow_schedules)
{
	ck_assert_int_eq(swarm_interval("*/5 * * * *"), 300);
	ck_assert_int_eq(swarm_interval("0 */6 * * *"), 21600);
	ck_assert_int_eq(swarm_interval("0 0 * * *"), 86400);
	ck_assert_int_eq(swarm_interval("55 23 * * *"), 86400);
	ck_assert_int_eq(swarm_interval("15 * * * *"), 3600);
}
END_TEST

START_TEST(same_answers_same_bytes)
{
	struct fixture a, b;

	run(&a, "24.8.0", NFS, NULL);
	run(&b, "24.8.0", NFS, NULL);
	ck_assert_uint_eq(a.out.n, b.out.n);
	for (size_t i = 0; i < a.out.n; i++)
		ck_assert_str_eq(a.out.v[i].content, fixture_file(&b, a.out.v[i].path));
	fixture_free(&a);
	fixture_free(&b);
}
END_TEST

/* Swarm refuses service names past 63 characters: a long one is cut, with
 * a digest, and keeps its own name as its address on the network. */
START_TEST(long_service_names_fit)
{
	const char *longest = "snuba-subscription-consumer-generic-metrics-counters";
	struct fixture f;
	struct ynode *doc;
	const struct ynode *services, *svc;
	char *key = swarm_service_key("sentry-snuba", longest), *again;
	size_t n = 0;

	ck_assert_uint_eq(strlen("sentry-snuba_") + strlen(key), 63);
	ck_assert_int_eq(strncmp(key, longest, 43), 0);
	again = swarm_service_key("sentry-snuba", longest);
	ck_assert_str_eq(key, again);
	free(again);
	again = swarm_service_key("sentry-snuba", "snuba-subscription-consumer-generic-metrics-sets");
	ck_assert_str_ne(key, again);
	free(again);
	again = swarm_service_key("sentry-snuba", "snuba-api");
	ck_assert_str_eq(again, "snuba-api");
	free(again);

	run(&f, "26.8.0", NFS, NULL);
	doc = stack(&f, "10-snuba");
	services = yn_get(doc, "services");
	for (size_t i = 0; i < services->n; i++) {
		ck_assert_msg(strlen("sentry-snuba_") + strlen(services->pairs[i].key)
		    <= 63, "%s is too long", services->pairs[i].key);
		n++;
	}
	ck_assert_uint_gt(n, 10);
	ck_assert_ptr_null(yn_get(services, longest));
	svc = yn_get(services, key);
	ck_assert_ptr_nonnull(svc);
	ck_assert_str_eq(yn_path(svc, "networks.sentry.aliases")->items[0]->text,
	    longest);
	ck_assert_contains(fixture_file(&f, "swarm/deploy.sh"), "deploy_stack 10-snuba sentry-snuba\n");
	yn_free(doc);
	fixture_free(&f);
	free(key);
}
END_TEST

Suite *
suite_swarm(void)
{
	Suite *s = suite_create("swarm");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, sshfs_volumes_are_exact);
	tcase_add_test(tc, nfs_volumes_are_exact);
	tcase_add_test(tc, pvc_is_refused_on_swarm);
	tcase_add_test(tc, sshfs_is_refused_on_kubernetes);
	tcase_add_test(tc, hostpath_volumes_are_bound);
	tcase_add_test(tc, hostpath_runbook_checks_every_node);
	tcase_add_test(tc, hostpath_runbook_without_hosts);
	tcase_add_test(tc, hostpath_is_refused_on_kubernetes);
	tcase_add_test(tc, singletons_jobs_and_order);
	tcase_add_test(tc, secrets_stay_in_secret_files);
	tcase_add_test(tc, host_roles_become_placement);
	tcase_add_test(tc, intervals_follow_schedules);
	tcase_add_test(tc, same_answers_same_bytes);
	tcase_add_test(tc, long_service_names_fit);
	suite_add_tcase(s, tc);
	return s;
}
