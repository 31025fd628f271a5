/*
 * Answers that change nothing. An answers file moves between targets
 * (`--target swarm`, a copied file) and between choices (a file store
 * switched from S3 to the filesystem, NetworkPolicies turned off), and an
 * answer left behind is a promise the output silently breaks: a
 * NetworkPolicy that is not there, egress ranges nothing enforces, a
 * node selector nothing honours. Each gets a finding that says what
 * happens instead, and what to use.
 */
#include <string.h>

#include "rules_internal.h"

/* Answers that only one target reads. */
static const struct {
	const char	*pattern;	/* '*' stands for a name or an index */
	const char	*reader;	/* the target that uses it */
	enum severity	 severity;	/* warning: a safeguard is lost */
	const char	*instead;
} one_target[] = {
	{ "target.network_policy", "kubernetes", SEV_WARNING, "nothing limits "
	  "which service reaches which: every container of the stacks reaches "
	  "the others on the overlay networks, and whatever its host reaches; "
	  "keep the middleware behind its own firewall rules and passwords" },
	{ "target.egress_cidrs", "kubernetes", SEV_WARNING, "it narrows the "
	  "NetworkPolicies, and Swarm writes none: containers reach whatever "
	  "their host routes to" },
	{ "target.egress_except", "kubernetes", SEV_WARNING, "it narrows the "
	  "NetworkPolicies, and Swarm writes none: containers reach whatever "
	  "their host routes to" },
	{ "target.ingress_namespace", "kubernetes", SEV_INFO, "it names where "
	  "the NetworkPolicies let traffic in from, and Swarm writes none" },
	{ "target.node_selector", "kubernetes", SEV_WARNING, "Swarm places a "
	  "stack group on the hosts whose roles name it: give those hosts the "
	  "role in hosts[N].roles (sentry, snuba, web, ingest)" },
	{ "services.*.node_selector", "kubernetes", SEV_WARNING, "Swarm places "
	  "a whole stack group, not one service, on the hosts whose roles name "
	  "it: give those hosts the group's role in hosts[N].roles" },
	{ "target.tolerations", "kubernetes", SEV_WARNING, "Swarm has no "
	  "taints: keep Sentry off a node by draining it (docker node update "
	  "--availability drain NODE), or by giving the group's role to the "
	  "other hosts only" },
	{ "services.*.tolerations", "kubernetes", SEV_WARNING, "Swarm has no "
	  "taints: keep Sentry off a node by draining it (docker node update "
	  "--availability drain NODE)" },
	{ "target.zones", "kubernetes", SEV_WARNING, "the stack files spread "
	  "a service's replicas over nodes, not over zones (Swarm could, by a "
	  "placement preference on a zone label, which the generator does not "
	  "write): one zone's outage can stop every replica that landed there; "
	  "give each group's role to hosts in more than one zone" },
	{ "target.priority_class", "kubernetes", SEV_WARNING, "Swarm has no "
	  "priorities or preemption: under memory pressure nothing keeps the "
	  "ingest path running before the rest; only the size's memory "
	  "reservations (answer size) protect it" },
	{ "target.autoscaling", "kubernetes", SEV_WARNING, "Swarm has no "
	  "autoscaler: each service runs the replicas it is given; give "
	  "services.NAME.replicas for the peak load" },
	{ "services.*.max_replicas", "kubernetes", SEV_WARNING, "Swarm has no "
	  "autoscaler: the service runs its replicas and no more; raise "
	  "services.NAME.replicas for the peak load instead" },
	{ "target.namespace", "kubernetes", SEV_INFO, "Swarm names every "
	  "stack, service and secret after target.stack" },
	{ "target.storage_class", "kubernetes", SEV_INFO, "Swarm shares files "
	  "through filestore.shared_volume (nfs, sshfs or hostpath) and makes "
	  "no claims" },
	{ "target.ingress_host", "kubernetes", SEV_INFO, "Swarm has no "
	  "Ingress: nginx is published on port 9000 of every node (the routing "
	  "mesh); point the load balancer or TLS proxy of that host name at "
	  "it" },
	{ "target.ingress_class", "kubernetes", SEV_INFO, "Swarm has no "
	  "Ingress: nginx is published on port 9000 of every node" },
	{ "target.ingress_tls_secret", "kubernetes", SEV_WARNING, "Swarm has no "
	  "Ingress to end TLS at: nginx is published as plain HTTP on port 9000 "
	  "of every node, so end TLS at the load balancer in front of it" },
	{ "target.ingress_annotations", "kubernetes", SEV_INFO, "Swarm has no "
	  "Ingress: nginx is published on port 9000 of every node" },
	{ "hosts[*].roles", "swarm", SEV_WARNING, "Kubernetes places pods by "
	  "node labels: label the nodes and give target.node_selector or "
	  "services.NAME.node_selector" },
	{ "target.stack", "swarm", SEV_INFO, "Kubernetes puts every object in "
	  "target.namespace" },
	{ "target.deploy_dir", "swarm", SEV_INFO, "on Kubernetes the runbook's "
	  "kubectl apply reads the output folder where it is" },
};

#define NTARGET_ONLY	(sizeof one_target / sizeof one_target[0])

static int policies_on(const struct plan *pl) { return pl->target.network_policy; }
static int has_ingress(const struct plan *pl) { return pl->target.ingress_host != NULL; }
/* The Ingress controller's namespace is a source in nginx's policy. */
static int lets_ingress_in(const struct plan *pl) { return policies_on(pl) && has_ingress(pl); }
static int sasl(const struct plan *pl) { return strncmp(pl->kafka.security_protocol, "SASL_", 5) == 0; }
static int scales(const struct plan *pl) { return pl->target.autoscaling != SCALE_NONE; }

static int
backend_is(const struct plan *pl, const char *backend)
{
	return strcmp(pl->filestore.backend, backend) == 0;
}

static int in_s3(const struct plan *pl) { return backend_is(pl, "s3"); }
static int in_gcs(const struct plan *pl) { return backend_is(pl, "gcs"); }

static int
shared_is(const struct plan *pl, const char *kind)
{
	return pl->filestore.shared_kind != NULL &&
	    strcmp(pl->filestore.shared_kind, kind) == 0;
}

static int on_claim(const struct plan *pl) { return shared_is(pl, "pvc"); }
static int on_nfs(const struct plan *pl) { return shared_is(pl, "nfs"); }
static int on_sshfs(const struct plan *pl) { return shared_is(pl, "sshfs"); }
static int on_hostpath(const struct plan *pl) { return shared_is(pl, "hostpath"); }

/* Answers read only when another answer turns their feature on. */
static const struct {
	const char	*pattern;
	int		(*read)(const struct plan *);
	const char	*needs;		/* the answer that turns it on */
	enum severity	 severity;
	const char	*instead;
} dependent[] = {
	{ "target.egress_cidrs", policies_on, "target.network_policy: true",
	  SEV_WARNING, "without NetworkPolicies nothing limits egress: every "
	  "pod reaches every address its node routes to" },
	{ "target.egress_except", policies_on, "target.network_policy: true",
	  SEV_WARNING, "without NetworkPolicies nothing limits egress: every "
	  "pod reaches every address its node routes to, these included" },
	{ "target.ingress_namespace", lets_ingress_in,
	  "target.network_policy: true and target.ingress_host", SEV_INFO,
	  "it names who may reach nginx through the Ingress, and there is no "
	  "Ingress or no policy" },
	{ "target.ingress_class", has_ingress, "target.ingress_host", SEV_INFO,
	  "no Ingress is written; nginx's Service is the way in" },
	{ "target.ingress_tls_secret", has_ingress, "target.ingress_host",
	  SEV_WARNING, "no Ingress is written, so nothing serves this TLS "
	  "certificate; end TLS in front of nginx's Service" },
	{ "target.ingress_annotations", has_ingress, "target.ingress_host",
	  SEV_INFO, "no Ingress is written to carry them" },
	{ "services.*.max_replicas", scales, "target.autoscaling: hpa or keda",
	  SEV_WARNING, "nothing scales the service: it runs its "
	  "services.NAME.replicas and no more" },
	{ "target.storage_class", on_claim,
	  "filestore.shared_volume.kind: pvc", SEV_INFO, "it names the class "
	  "of the shared claims, and the shared volume is another kind (a "
	  "per-replica claim takes the cluster's default class)" },
	{ "kafka.username", sasl, "kafka.security_protocol: SASL_PLAINTEXT or "
	  "SASL_SSL", SEV_WARNING, "no program logs in to Kafka with it" },
	{ "kafka.password", sasl, "kafka.security_protocol: SASL_PLAINTEXT or "
	  "SASL_SSL", SEV_WARNING, "no program logs in to Kafka with it" },
	{ "filestore.s3", in_s3, "filestore.backend: s3", SEV_WARNING,
	  "Sentry keeps its files in the backend that filestore.backend names, "
	  "not in this bucket" },
	{ "filestore.gcs", in_gcs, "filestore.backend: gcs", SEV_WARNING,
	  "Sentry keeps its files in the backend that filestore.backend names, "
	  "not in this bucket" },
	{ "filestore.shared_volume.nfs", on_nfs,
	  "filestore.shared_volume.kind: nfs", SEV_WARNING, "the shared volume "
	  "is the kind that filestore.shared_volume.kind names, not this "
	  "export" },
	{ "filestore.shared_volume.sshfs", on_sshfs,
	  "filestore.shared_volume.kind: sshfs", SEV_WARNING, "the shared "
	  "volume is the kind that filestore.shared_volume.kind names, not "
	  "this sshfs share" },
	{ "filestore.shared_volume.hostpath", on_hostpath,
	  "filestore.shared_volume.kind: hostpath", SEV_WARNING, "the shared "
	  "volume is the kind that filestore.shared_volume.kind names, not "
	  "this folder" },
};

#define NDEPENDENT	(sizeof dependent / sizeof dependent[0])

static const char *
target_name(const char *kind)
{
	return strcmp(kind, "swarm") == 0 ? "Docker Swarm" : "Kubernetes";
}

/* How much of `path` the pattern matches: the length of the answer it
 * names ("target.tolerations" of "target.tolerations[0].key"), or 0. A
 * '*' takes one name or index; the match must end where a segment does. */
static size_t
pattern_match(const char *pattern, const char *path)
{
	const char *p = pattern, *s = path;

	while (*p != '\0') {
		if (*p == '*') {
			size_t n = strcspn(s, ".[]");

			if (n == 0)
				return 0;
			s += n;
			p++;
		} else if (*p++ != *s++) {
			return 0;
		}
	}
	return *s == '\0' || *s == '.' || *s == '[' ? (size_t)(s - path) : 0;
}

/* The answer a pattern names, from one of the answered paths: written
 * into `answer`, or 0 when the pattern does not match. */
static int
answer_of(const char *pattern, const char *path, char *answer, size_t size)
{
	size_t n = pattern_match(pattern, path);

	if (n == 0 || n >= size)
		return 0;
	memcpy(answer, path, n);
	answer[n] = '\0';
	return 1;
}

/* One finding for `path`, from the first row that names its answer and
 * does not hold for this plan; none for an answer told already. */
static void
check_path(const char *id, const struct plan *pl, const char *path,
    struct strlist *told, struct findings *out)
{
	char answer[512];

	for (size_t r = 0; r < NTARGET_ONLY; r++) {
		if (strcmp(one_target[r].reader, pl->target.kind) == 0 ||
		    !answer_of(one_target[r].pattern, path, answer, sizeof answer) ||
		    sl_contains(told, answer))
			continue;
		sl_add(told, answer);
		finding_add(out, id, one_target[r].severity, NULL, answer,
		    "%s ignores %s, which only %s reads; %s",
		    target_name(pl->target.kind), answer,
		    target_name(one_target[r].reader), one_target[r].instead);
		return;
	}
	for (size_t r = 0; r < NDEPENDENT; r++) {
		if (dependent[r].read(pl) ||
		    !answer_of(dependent[r].pattern, path, answer, sizeof answer) ||
		    sl_contains(told, answer))
			continue;
		sl_add(told, answer);
		finding_add(out, id, dependent[r].severity, NULL, answer,
		    "%s is not used without %s; %s", answer,
		    dependent[r].needs, dependent[r].instead);
		return;
	}
}

void
check_answers_ignored(const char *id, const struct plan *pl,
    const struct facts *facts, struct findings *out)
{
	struct strlist told = { 0 };

	(void)facts;
	for (size_t i = 0; i < pl->answered.n; i++)
		check_path(id, pl, pl->answered.v[i], &told, out);
	sl_free(&told);
}
