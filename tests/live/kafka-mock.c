/*
 * A Kafka cluster for the live tests: librdkafka's mock cluster (Debian has
 * no Kafka broker). Starts N brokers on loopback, creates the topics given
 * as NAME:PARTITIONS:REPLICATION, prints the bootstrap servers on one line
 * and serves until stdin reaches end of file or SIGTERM/SIGINT arrives.
 *
 * Usage: kafka-mock BROKERS [NAME:PARTITIONS:REPLICATION ...]
 *
 * The mock in librdkafka 2.0.x gives every partition min(3, BROKERS)
 * replicas whatever REPLICATION says; the value is passed on regardless, so
 * a newer librdkafka honours it.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

/* Written by the signal handler, read by the loop: the one way to stop a
 * blocking poll() from a signal. */
static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int
number(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || (*end != '\0' && *end != ':') || v < min ||
	    v > max)
		return -1;
	*out = v;
	return 0;
}

/* NAME:PARTITIONS:REPLICATION -> a topic of the mock cluster. */
static int
create_topic(rd_kafka_mock_cluster_t *mc, const char *spec)
{
	const char *c1 = strchr(spec, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
	long parts, repl;
	char *name;
	rd_kafka_resp_err_t err;

	if (c1 == NULL || c2 == NULL || c1 == spec ||
	    number(c1 + 1, 1, 10000, &parts) < 0 ||
	    number(c2 + 1, 1, 100, &repl) < 0) {
		fprintf(stderr, "kafka-mock: %s: expected NAME:PARTITIONS:"
		    "REPLICATION\n", spec);
		return -1;
	}
	name = strndup(spec, (size_t)(c1 - spec));
	err = rd_kafka_mock_topic_create(mc, name, (int)parts, (int)repl);
	if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
		fprintf(stderr, "kafka-mock: topic %s: %s\n", name,
		    rd_kafka_err2str(err));
	free(name);
	return err == RD_KAFKA_RESP_ERR_NO_ERROR ? 0 : -1;
}

/* Until stdin ends (the test closed its end) or a signal says stop. */
static void
serve(void)
{
	struct pollfd p = { .fd = 0, .events = POLLIN };
	char buf[256];

	while (!stop) {
		int rc = poll(&p, 1, 200);

		if (rc < 0 && errno != EINTR)
			break;
		if (rc > 0 && read(0, buf, sizeof buf) <= 0)
			break;
	}
}

int
main(int argc, char **argv)
{
	long brokers;
	char errstr[512];
	rd_kafka_conf_t *conf;
	rd_kafka_t *rk;
	rd_kafka_mock_cluster_t *mc;
	struct sigaction sa;
	int rc = 0;

	if (argc < 2 || number(argv[1], 1, 64, &brokers) < 0) {
		fprintf(stderr, "usage: kafka-mock BROKERS "
		    "[NAME:PARTITIONS:REPLICATION ...]\n");
		return 2;
	}
	conf = rd_kafka_conf_new();
	rd_kafka_conf_set(conf, "log_level", "3", errstr, sizeof errstr);
	rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
	if (rk == NULL) {
		fprintf(stderr, "kafka-mock: %s\n", errstr);
		return 1;
	}
	mc = rd_kafka_mock_cluster_new(rk, (int)brokers);
	if (mc == NULL) {
		fprintf(stderr, "kafka-mock: cannot start the mock cluster\n");
		rd_kafka_destroy(rk);
		return 1;
	}
	for (int i = 2; i < argc; i++)
		if (create_topic(mc, argv[i]) < 0)
			rc = 2;
	if (rc == 0) {
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_signal;
		sigaction(SIGTERM, &sa, NULL);
		sigaction(SIGINT, &sa, NULL);
		printf("%s\n", rd_kafka_mock_cluster_bootstraps(mc));
		fflush(stdout);
		serve();
	}
	rd_kafka_mock_cluster_destroy(mc);
	rd_kafka_destroy(rk);
	return rc;
}
