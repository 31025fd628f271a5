/* RUNBOOK.md: the ordered next steps with the exact commands. */
#ifndef SHS_RUNBOOK_H
#define SHS_RUNBOOK_H

#include "err.h"
#include "outset.h"
#include "plan.h"

/* runbook.c */
int	runbook_k8s(const struct plan *pl, struct outset *out, struct err *e);

/* runbook.c: sections both targets' runbooks share; `n` is the section's
 * number. */
void	runbook_images(const struct plan *pl, struct strbuf *md, int n);
/* "The WHO must reach: PostgreSQL `pg`, ...": every server the answers name
 * that must exist before the install. */
void	runbook_reach(const struct plan *pl, struct strbuf *md, const char *who);
/* runbook_kafka.c: the topic step; `read_secret` is the shell command that
 * prints the Kafka password from the deployment's secret. */
void	runbook_topics(const struct plan *pl, struct strbuf *md, int n,
	    const char *read_secret);
/* kafka/client.properties, for a cluster with TLS or SASL. */
void	runbook_kafka_client(const struct plan *pl, struct outset *out);
/* After the migrations: the topics they created with too few copies. */
void	runbook_topic_check(const struct plan *pl, struct strbuf *md,
	    const char *read_secret);
void	runbook_applied(const struct plan *pl, struct strbuf *md);
void	runbook_internet(const struct plan *pl, struct strbuf *md);
/* The copy of geoip.database_file into the geoip volume, if given. */
void	runbook_geoip_load(const struct plan *pl, struct strbuf *md);
/* The commands that make the NFS volumes' folders, owned by the Sentry
 * image's user. */
void	runbook_nfs_folders(const struct plan *pl, struct strbuf *md);
/* k8s_scale.c: what autoscaling needs of the cluster before the services
 * start, and how to turn it on for a running deployment; nothing when
 * target.autoscaling is none. */
void	runbook_autoscaling(const struct plan *pl, struct strbuf *md);

/* runbook_upgrade.c: the RUNBOOK.md of one upgrade hop from the release
 * `before` runs to `after` (planned from the same answers), whose output
 * is in the folder `hop`; `d` is what the hop changes; `to` is the
 * upgrade's target, for the tool's own steps. */
struct hop_diff;
void	runbook_upgrade(const struct plan *before, const struct plan *after,
	    const struct hop_diff *d, const char *hop, const char *to,
	    struct strbuf *md);

/* runbook_swarm.c: the stack files are `f`. */
struct swarm_files;
int	runbook_swarm(const struct plan *pl, const struct swarm_files *f,
	    struct outset *out, struct err *e);

#endif
