/*
 * The runbook's Kafka step, for both targets: create every topic of the
 * release before anything starts (Snuba and Sentry would create missing
 * ones with one partition and one replica), with the replication the
 * cluster can hold and enough partitions for every consumer replica; on a
 * cluster with TLS or SASL, through a client login built at run time from
 * the deployment's secret, never written into a file of the output.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runbook.h"
#include "shell.h"

static int
needs_login(const struct plan *pl)
{
	return strcmp(pl->kafka.security_protocol, "PLAINTEXT") != 0;
}

static const char *
login_module(const char *mechanism)
{
	return strncmp(mechanism, "SCRAM", 5) == 0 ?
	    "org.apache.kafka.common.security.scram.ScramLoginModule" :
	    "org.apache.kafka.common.security.plain.PlainLoginModule";
}

void
runbook_kafka_client(const struct plan *pl, struct outset *out)
{
	struct strbuf sb = STRBUF_INIT;

	if (!needs_login(pl))
		return;
	sb_add(&sb, "# How Kafka's command-line tools (kafka-topics.sh "
	    "--command-config) reach\n# this cluster. The password is not "
	    "here: RUNBOOK.md adds it from the\n# deployment's secret into a "
	    "copy only you can read, and removes that.\n");
	sb_printf(&sb, "security.protocol=%s\n", pl->kafka.security_protocol);
	if (pl->kafka.sasl_mechanism != NULL)
		sb_printf(&sb, "sasl.mechanism=%s\n", pl->kafka.sasl_mechanism);
	outset_add(out, "kafka/client.properties", sb_take(&sb), 0644);
}

/* The commands that make kafka-login.properties: the settings, and a JAAS
 * line whose password comes from the secret (quoted as JAAS wants). */
static void
login_steps(const struct plan *pl, struct strbuf *md, const char *read_secret)
{
	const char *mech = pl->kafka.sasl_mechanism;
	struct strbuf user = STRBUF_INIT;

	sb_add(md, "umask 077\ncp kafka/client.properties kafka-login.properties\n");
	if (mech == NULL || pl->kafka.password_ref == NULL)
		return;
	/* JAAS reads \\ and \" inside its quotes. */
	for (const char *c = pl->kafka.username ? pl->kafka.username : ""; *c; c++) {
		if (*c == '"' || *c == '\\')
			sb_addc(&user, '\\');
		sb_addc(&user, *c);
	}
	sb_add(&user, "");
	sb_printf(md, "printf '%%s required username=\"%%s\" password=\"%%s\";\\n' "
	    "\\\n    'sasl.jaas.config=%s' ", login_module(mech));
	sh_quote(md, user.s);
	sb_printf(md, " \\\n    \"$(%s | sed 's/[\\\\\"]/\\\\&/g')\" "
	    ">>kafka-login.properties\n", read_secret);
	sb_free(&user);
}

void
runbook_topics(const struct plan *pl, struct strbuf *md, int n,
    const char *read_secret)
{
	const char *first = pl->kafka.brokers.v[0];
	int login = needs_login(pl);

	if (pl->ntopics == 0)
		return;
	sb_printf(md, "## %d. Create the Kafka topics\n\nSnuba's bootstrap and "
	    "`sentry upgrade` create missing topics with one partition and "
	    "replication factor 1, which loses data when a broker fails. Create "
	    "them first, ", n);
	if (pl->kafka_replication >= 3)
		sb_add(md, "with replication 3, so that every topic survives a "
		    "broker, ");
	else
		sb_printf(md, "with replication %ld: a cluster of %zu broker%s "
		    "holds no more copies (three would survive a broker), ",
		    pl->kafka_replication, pl->kafka.brokers.n,
		    pl->kafka.brokers.n == 1 ? "" : "s");
	sb_printf(md, "and %d partitions, or as many as the replicas of the "
	    "topic's busiest consumer.\n\n", TOPIC_PARTITIONS);
	if (login)
		sb_printf(md, "The cluster wants %s: `kafka/client.properties` "
		    "holds its settings, and the password goes from the secret "
		    "into `kafka-login.properties` (mode 0600) for these commands "
		    "only.\n\n", pl->kafka.security_protocol);
	sb_add(md, "```sh\n");
	if (login)
		login_steps(pl, md, read_secret);
	sb_printf(md, "KT=\"kafka-topics.sh --bootstrap-server %s%s\"\n", first,
	    login ? " --command-config kafka-login.properties" : "");
	for (size_t i = 0; i < pl->ntopics; i++) {
		const struct plan_topic *t = &pl->topics[i];

		sb_printf(md, "$KT --create --if-not-exists --topic %s --partitions "
		    "%ld --replication-factor %ld%s\n", t->name, t->partitions,
		    pl->kafka_replication, t->fixed ? "   # must stay at this "
		    "count" : "");
	}
	if (login)
		sb_add(md, "rm -f kafka-login.properties\n");
	sb_add(md, "```\n\nA consumer never uses more replicas than its topic "
	    "has partitions.\n\n");
}

void
runbook_topic_check(const struct plan *pl, struct strbuf *md,
    const char *read_secret)
{
	int login = needs_login(pl);

	if (pl->ntopics == 0 || pl->kafka_replication < 2)
		return;
	sb_printf(md, "Then make sure that no topic got fewer copies. Snuba "
	    "and Sentry create any topic that is missing, with replication 1, "
	    "and a topic this release uses but step 3 lacks would lose its "
	    "data with one broker. This lists every topic with fewer than %ld "
	    "copies; raise each one with `kafka-reassign-partitions.sh` before "
	    "you go on.\n\n```sh\n", pl->kafka_replication);
	if (login)
		login_steps(pl, md, read_secret);
	sb_printf(md, "kafka-topics.sh --bootstrap-server %s%s --describe |\n"
	    "    awk -v want=%ld '{ for (i = 1; i < NF; i++) if ($i == "
	    "\"ReplicationFactor:\" && $(i + 1) < want) print $2 }'\n",
	    pl->kafka.brokers.v[0], login ? " --command-config "
	    "kafka-login.properties" : "", pl->kafka_replication);
	if (login)
		sb_add(md, "rm -f kafka-login.properties\n");
	sb_add(md, "```\n\n");
}
