/*
 * Kafka, through librdkafka, one result per broker of kafka.brokers: each
 * is the only bootstrap server of its own client, so that a dead broker
 * among live ones is named rather than hidden by the others. Through it:
 * the cluster's metadata (connection, TLS, SASL, API versions), then the
 * brokers at the addresses the cluster advertises (each client is sent
 * there after bootstrap, so they must be reachable too), then the
 * release's topics, whose partitions and replicas become facts.
 */
#include "probe_internal.h"
#include "value_formats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <librdkafka/rdkafka.h>

/* librdkafka refuses a socket.connection.setup.timeout.ms below this. */
#define SETUP_MIN_MS		1000
/* Kept back from the metadata request to tell, when it fails, a refused
 * connection from a silent one (a connect of our own). */
#define RESERVE_MAX_MS		500
/* How long one metadata call waits for a usable broker; see fetch(). */
#define SLICE_MS		100

/* What librdkafka's error callback reported. The callback runs in the
 * probe's own thread, from rd_kafka_poll(). */
struct kafka_errors {
	rd_kafka_resp_err_t	 cause;		/* __AUTHENTICATION or __SSL */
	int			 all_down;	/* every broker failed to connect */
	char			 reason[256];	/* librdkafka's words for the
						 * cause, or the last error */
};

static size_t
count(const struct plan *pl)
{
	return pl->kafka.brokers.n;
}

static void
describe(const struct plan *pl, size_t i, char **endpoint, char **field)
{
	*endpoint = xstrdup(pl->kafka.brokers.v[i]);
	*field = xasprintf("kafka.brokers[%zu]", i);
}

/* librdkafka would log to stderr, in the middle of the report. */
static void
drop_log(const rd_kafka_t *rk, int level, const char *fac, const char *buf)
{
	(void)rk;
	(void)level;
	(void)fac;
	(void)buf;
}

/* Keeps the cause that metadata alone would hide: a failed login or TLS
 * handshake ends it as "timed out" or "transport failure" only. A TLS
 * handshake the peer broke off comes as a transport error, told by the
 * state librdkafka names in its words. */
static void
on_error(rd_kafka_t *rk, int err, const char *reason, void *opaque)
{
	struct kafka_errors *ke = opaque;

	(void)rk;
	if (ke->cause != RD_KAFKA_RESP_ERR_NO_ERROR)
		return;
	if (err == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN) {
		ke->all_down = 1;
		return;
	}
	if (err == RD_KAFKA_RESP_ERR__TRANSPORT &&
	    (strstr(reason, "SSL handshake failed") != NULL ||
	    strstr(reason, "in state SSL_HANDSHAKE") != NULL))
		err = RD_KAFKA_RESP_ERR__SSL;
	if (err == RD_KAFKA_RESP_ERR__AUTHENTICATION ||
	    err == RD_KAFKA_RESP_ERR__SSL)
		ke->cause = (rd_kafka_resp_err_t)err;
	snprintf(ke->reason, sizeof ke->reason, "%s", reason);
}

static long
clamp(long v, long lo, long hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* One property; the message names the key only, never the value (which
 * may be the password). */
static int
set(rd_kafka_conf_t *conf, const char *key, const char *value,
    struct probe_result *r)
{
	char errstr[256];

	if (value == NULL || rd_kafka_conf_set(conf, key, value, errstr,
	    sizeof errstr) == RD_KAFKA_CONF_OK)
		return 0;
	probe_fail(r, PF_SETUP, "check the Kafka settings of the answers",
	    "librdkafka does not accept the value given for %s", key);
	return -1;
}

static int
set_ms(rd_kafka_conf_t *conf, const char *key, long ms, struct probe_result *r)
{
	char buf[24];

	snprintf(buf, sizeof buf, "%ld", ms);
	return set(conf, key, buf, r);
}

/* The private CA and the client certificate the containers use: the CA
 * from its file (which is on this machine), the certificate and key as
 * PEM text, never written anywhere. Only over TLS, as the plan does. */
static int
set_tls(const struct probe_ctx *c, rd_kafka_conf_t *conf, struct probe_result *r)
{
	const struct plan_kafka *k = &c->pl->kafka;

	if (strstr(k->security_protocol, "SSL") == NULL)
		return 0;
	if (set(conf, "ssl.ca.location", c->pl->tls.ca_file, r) < 0)
		return -1;
	if (k->client.cert_ref == NULL)
		return 0;
	return set(conf, "ssl.certificate.pem", plan_secret_value(c->pl,
	    k->client.cert_ref), r) < 0 || set(conf, "ssl.key.pem",
	    plan_secret_value(c->pl, k->client.key_ref), r) < 0 ? -1 : 0;
}

static rd_kafka_conf_t *
make_conf(const struct probe_ctx *c, struct kafka_errors *ke,
    struct probe_result *r)
{
	const struct plan_kafka *k = &c->pl->kafka;
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	const char *bootstrap = k->brokers.v[c->index];
	long left = probe_ms_left(c);
	int bad;

	rd_kafka_conf_set_log_cb(conf, drop_log);
	rd_kafka_conf_set_error_cb(conf, on_error);
	rd_kafka_conf_set_opaque(conf, ke);
	bad = set(conf, "bootstrap.servers", bootstrap, r) < 0 ||
	    set(conf, "client.id", "sentry-ha-setup", r) < 0 ||
	    set(conf, "security.protocol", k->security_protocol, r) < 0 ||
	    set(conf, "sasl.mechanisms", k->sasl_mechanism, r) < 0 ||
	    set(conf, "sasl.username", k->username, r) < 0 ||
	    set(conf, "sasl.password", plan_secret_value(c->pl,
	    k->password_ref), r) < 0 ||
	    set_ms(conf, "socket.timeout.ms", clamp(left, 10, 300000), r) < 0 ||
	    set_ms(conf, "socket.connection.setup.timeout.ms",
	    clamp(left, SETUP_MIN_MS, 300000), r) < 0 ||
	    set_ms(conf, "api.version.request.timeout.ms",
	    clamp(left, 1, 300000), r) < 0 || set_tls(c, conf, r) < 0;
	if (bad) {
		rd_kafka_conf_destroy(conf);
		return NULL;
	}
	return conf;
}

/*
 * The cluster's metadata. rd_kafka_metadata() waits for a usable broker
 * until its timeout and leaves the errors that say why none is for
 * rd_kafka_poll(); asking in short slices lets those errors (every broker
 * refused, a failed login) end the wait early. Once a request went out (the
 * call timed out waiting for the reply, not for a broker), the rest of the
 * time goes to one call. Returns __TIMED_OUT when the time ran out.
 */
static rd_kafka_resp_err_t
fetch(const struct probe_ctx *c, rd_kafka_t *rk, const struct kafka_errors *ke,
    long reserve, const struct rd_kafka_metadata **md)
{
	rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR__TRANSPORT;

	for (;;) {
		long usable = probe_ms_left(c) - reserve;

		if (usable <= 0)
			return RD_KAFKA_RESP_ERR__TIMED_OUT;
		if (err != RD_KAFKA_RESP_ERR__TIMED_OUT && usable > SLICE_MS)
			usable = SLICE_MS;
		err = rd_kafka_metadata(rk, 1, NULL, md, (int)usable);
		if (err == RD_KAFKA_RESP_ERR_NO_ERROR)
			return err;
		rd_kafka_poll(rk, 0);	/* serves on_error */
		if (ke->cause != RD_KAFKA_RESP_ERR_NO_ERROR || ke->all_down)
			return err;
	}
}

static const char proto_fix[] = "check that the port is a Kafka listener's "
    "and kafka.security_protocol is the one it speaks";

/* Why the broker did not answer: authentication or TLS if librdkafka said
 * so, otherwise what a plain connection to it meets. */
static void
unreachable(const struct probe_ctx *c, const struct kafka_errors *ke,
    rd_kafka_resp_err_t err, struct probe_result *r)
{
	const char *first = c->pl->kafka.brokers.v[c->index];
	char *host = NULL;
	long port;
	int fd;

	if (ke->cause == RD_KAFKA_RESP_ERR__AUTHENTICATION)
		probe_fail(r, PF_AUTH, "check kafka.sasl_mechanism, "
		    "kafka.username and kafka.password", "the brokers refused "
		    "the login: %s", ke->reason);
	else if (ke->cause == RD_KAFKA_RESP_ERR__SSL)
		probe_fail(r, PF_TLS, "check kafka.security_protocol, and that "
		    "the brokers' certificate is one this machine trusts",
		    "TLS with the brokers failed: %s", ke->reason);
	if (ke->cause != RD_KAFKA_RESP_ERR_NO_ERROR ||
	    parse_hostport(first, &host, &port) < 0 ||
	    (fd = net_connect(c, host, port, r)) < 0) {
		free(host);
		return;
	}
	net_close(c, fd);
	free(host);
	if (err == RD_KAFKA_RESP_ERR__TIMED_OUT)
		probe_fail(r, PF_REPLY_TIMEOUT, proto_fix, "connected to %s, but "
		    "no Kafka metadata within %ld ms", first, c->timeout_ms);
	else
		probe_fail(r, PF_PROTOCOL, proto_fix, "connected to %s, but no "
		    "Kafka metadata: %s", first, ke->reason[0] ? ke->reason :
		    rd_kafka_err2str(err));
}

/* Is host:port another broker of kafka.brokers than this result's? Its own
 * result connects to that very address, and says so if it fails. */
static int
listed_elsewhere(const struct probe_ctx *c, const char *host, long port)
{
	const struct strlist *l = &c->pl->kafka.brokers;
	int found = 0;

	for (size_t i = 0; i < l->n && !found; i++) {
		char *h = NULL;
		long p;

		found = i != c->index && parse_hostport(l->v[i], &h, &p) == 0 &&
		    p == port && strcasecmp(h, host) == 0;
		free(h);
	}
	return found;
}

/* Every broker of the metadata, at the address it advertises, but those
 * whose address is listed as another result's (each broker of kafka.brokers
 * would otherwise report the same unreachable one). */
static int
brokers_reachable(const struct probe_ctx *c, const struct rd_kafka_metadata *md,
    struct probe_result *r)
{
	for (int i = 0; i < md->broker_cnt; i++) {
		const struct rd_kafka_metadata_broker *b = &md->brokers[i];
		struct probe_result tmp = { .failure = PF_NONE };
		char *where, *fix;
		int fd;

		if (listed_elsewhere(c, b->host, b->port))
			continue;
		fd = net_connect(c, b->host, b->port, &tmp);
		if (fd >= 0) {
			net_close(c, fd);
			continue;
		}
		where = probe_hostport(b->host, b->port);
		fix = xasprintf("set advertised.listeners of broker %d to an "
		    "address and port that clients reach, not an internal "
		    "name", (int)b->id);
		probe_fail(r, tmp.failure, fix, "broker %d advertises %s, which "
		    "clients cannot use from here: %s", (int)b->id, where,
		    tmp.detail);
		free(where);
		free(fix);
		free(tmp.detail);
		free(tmp.fix);
		return -1;
	}
	return 0;
}

static const struct rd_kafka_metadata_topic *
find_topic(const struct rd_kafka_metadata *md, const char *name)
{
	for (int i = 0; i < md->topic_cnt; i++)
		if (md->topics[i].err == RD_KAFKA_RESP_ERR_NO_ERROR &&
		    strcmp(md->topics[i].topic, name) == 0)
			return &md->topics[i];
	return NULL;
}

/* The release's topics that exist, as facts; returns how many. */
static size_t
topic_facts(const struct probe_ctx *c, const struct rd_kafka_metadata *md)
{
	struct facts *f = c->facts;

	f->topics = xcalloc(c->pl->ntopics + 1, sizeof *f->topics);
	for (size_t i = 0; i < c->pl->ntopics; i++) {
		const struct plan_topic *t = &c->pl->topics[i];
		const struct rd_kafka_metadata_topic *mt = find_topic(md, t->name);
		struct topic_fact *tf;
		long repl = -1;

		if (mt == NULL)
			continue;
		/* The weakest partition is what a broker failure costs. */
		for (int p = 0; p < mt->partition_cnt; p++)
			if (repl < 0 || mt->partitions[p].replica_cnt < repl)
				repl = mt->partitions[p].replica_cnt;
		tf = &f->topics[f->ntopics++];
		tf->name = xstrdup(t->name);
		tf->partitions = mt->partition_cnt;
		tf->replication = repl;
	}
	return f->ntopics;
}

static void
found(const struct probe_ctx *c, const struct rd_kafka_metadata *md,
    struct probe_result *r)
{
	size_t want = c->pl->profile->topics.n, have;

	c->facts->kafka_brokers = md->broker_cnt;
	have = topic_facts(c, md);
	if (want == 0)
		probe_ok(r, "%d broker%s", md->broker_cnt,
		    md->broker_cnt == 1 ? "" : "s");
	else if (have == want)
		probe_ok(r, "%d broker%s; all %zu topics of Sentry %s exist",
		    md->broker_cnt, md->broker_cnt == 1 ? "" : "s", want,
		    c->pl->release);
	else
		probe_ok(r, "%d broker%s; %zu of %zu topics exist; %zu will be "
		    "created with 1 partition", md->broker_cnt,
		    md->broker_cnt == 1 ? "" : "s", have, want, want - have);
}

static void
run(const struct probe_ctx *c, struct probe_result *r)
{
	struct kafka_errors ke = { .cause = RD_KAFKA_RESP_ERR_NO_ERROR };
	const struct rd_kafka_metadata *md = NULL;
	rd_kafka_conf_t *conf = make_conf(c, &ke, r);
	rd_kafka_resp_err_t err;
	rd_kafka_t *rk;
	char errstr[256];

	if (conf == NULL)
		return;
	rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
	if (rk == NULL) {
		rd_kafka_conf_destroy(conf);
		probe_fail(r, PF_SETUP, "check kafka.security_protocol and "
		    "kafka.sasl_mechanism", "librdkafka cannot start a client: "
		    "%s", errstr);
		return;
	}
	err = fetch(c, rk, &ke, clamp(probe_ms_left(c) / 4, 0, RESERVE_MAX_MS),
	    &md);
	if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
		unreachable(c, &ke, err, r);
	else if (brokers_reachable(c, md, r) == 0)
		found(c, md, r);
	if (md != NULL)
		rd_kafka_metadata_destroy(md);
	rd_kafka_destroy(rk);
	/* Its broker threads end after rd_kafka_destroy() returns; until they
	 * have, a TLS connection they were setting up is still theirs. */
	rd_kafka_wait_destroyed((int)clamp(probe_ms_left(c), 1, RESERVE_MAX_MS));
}

const struct probe_kind probe_kafka = {
	"kafka", "Kafka", count, describe, run
};
