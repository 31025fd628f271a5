/*
 * libFuzzer target: a release profile, through the plan, the rules and
 * both emitters (with the demo answers), with the oracles of oracle.h.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oracle.h"

static struct answers kube, swarm;

int	LLVMFuzzerInitialize(int *argc, char ***argv);
int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
load(struct answers *a, const char *kind, const char *volume)
{
	char *text = xasprintf("schema: 1\nsentry: {version: \"24.8.0\", "
	    "url_prefix: \"https://sentry.example.com\"}\ntarget: {kind: %s}\n"
	    "postgres: {host: pg, password: pg}\nredis: {host: r, password: r}\n"
	    "kafka: {brokers: [\"k1:9092\", \"k2:9092\", \"k3:9092\"]}\n"
	    "clickhouse: {host: ch}\nmemcached: {hosts: [\"m:11211\"]}\n"
	    "smtp: {host: mail}\nfilestore: {backend: filesystem, shared_volume: "
	    "%s}\nhosts: [{name: n1, address: 10.0.0.1, roles: [manager, web]}]\n",
	    kind, volume);
	struct err e;

	if (answers_parse(text, strlen(text), "demo.yaml", a, &e) < 0) {
		fprintf(stderr, "fuzz: %s\n", e.msg);
		exit(1);
	}
	free(text);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	load(&kube, "kubernetes", "{kind: pvc}");
	load(&swarm, "swarm", "{kind: sshfs, sshfs: {host: n1, path: /srv/s}}");
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct profile p;
	struct err e;

	err_clear(&e);
	if (profile_parse((const char *)data, size, "fuzz.yaml", &p, &e) == 0) {
		fuzz_through(&kube, &p, "kubernetes");
		fuzz_through(&swarm, &p, "swarm");
	}
	profile_free(&p);
	return 0;
}
