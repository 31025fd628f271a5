/*
 * The plan: one resolved deployment, target-independent. It joins the
 * answers, the release profile and the generated keys: every service with
 * its replicas, image, command, environment and mounts; the volumes with
 * their rendered config files; the secret values. Every value that is not
 * the profile's default carries its source (an answer's field path or a
 * rule id), which the emitters write out as annotations.
 */
#ifndef SHS_PLAN_H
#define SHS_PLAN_H

#include "answers.h"
#include "err.h"
#include "keys.h"
#include "profile.h"
#include "schema.h"
#include "vars.h"

#define SECRET_OBJECT	"sentry-secrets"	/* the one Secret's name */

struct plan_env {
	char	*name;
	char	*value;		/* a literal value, or NULL ... */
	char	*secret_key;	/* ... when it comes from SECRET_OBJECT */
};

struct plan_mount {
	char	*volume;
	char	*path;
	int	 read_only;
};

/* How a volume is provided. */
enum backing {
	BACK_CONFIG,		/* rendered files (ConfigMap, or Secret) */
	BACK_CLAIM,		/* a ReadWriteMany claim */
	BACK_NFS,		/* an NFS export */
	BACK_SSHFS,		/* a folder of one host, over SSH (Swarm) */
	BACK_PER_REPLICA,	/* a claim per replica */
	BACK_SCRATCH,		/* per-pod scratch space */
	BACK_SECRET,		/* files taken from SECRET_OBJECT */
};

struct plan_file {
	char	*name;
	char	*content;		/* BACK_CONFIG: the rendered text */
	char	*secret_key;		/* BACK_SECRET: the key in SECRET_OBJECT */
};

struct plan_volume {
	char		*name;
	enum backing	 backing;
	char		*size;
	char		*nfs_server;	/* or the sshfs host */
	char		*nfs_path;	/* or the sshfs folder */
	char		*ssh_user;	/* sshfs */
	long		 ssh_port;	/* sshfs */
	long		 uid, gid;	/* sshfs: the owner the files show */
	struct plan_file *files;
	size_t		 nfiles;
	int		 secret;	/* a file holds a secret: use a Secret */
	char		*source;	/* why this backing */
};

/* A change the plan made for a rule the generator can always satisfy. */
struct plan_fix {
	char	*rule;		/* rule id, e.g. "snuba-api-bind" */
	char	*service;	/* NULL when it concerns the whole deployment */
	char	*what;		/* one sentence: what was done, or found */
	int	 changed;	/* 0: the rule already held, nothing was done */
};

struct plan_service {
	char			*name;
	enum role		 role;
	const struct prof_service *prof;
	char			*image;
	struct strlist		 command;
	struct strlist		 args;
	struct plan_env		*env;
	size_t			 nenv;
	struct plan_mount	*mounts;
	size_t			 nmounts;
	long			 replicas;
	struct kvlist		 sources;	/* field -> where it came from */
};

struct plan {
	const struct answers	*answers;
	const struct profile	*profile;
	char			*release;
	char			*namespace;
	char			*features;
	struct plan_service	*services;
	size_t			 nservices;
	struct plan_service	*migrations;
	size_t			 nmigrations;
	struct plan_volume	*volumes;
	size_t			 nvolumes;
	struct kvlist		 secrets;	/* key -> value */
	struct plan_fix		*fixes;
	size_t			 nfixes;
	struct vars		 vars;
	char			*target;	/* "kubernetes" or "swarm" */
	int			 flags;		/* as given to plan_build */
};

/* plan_build() flags. */
#define PLAN_NO_SECRET_VALUES	0x1	/* note which secrets exist, read none */

/* How to build a plan. */
struct plan_opts {
	const char	*target;	/* "kubernetes" or "swarm" */
	const char	*assets_dir;	/* holds templates/ */
	int		 flags;
};

/*
 * Builds the plan for opts->target. Reads secrets ({env:}, {file:}; not
 * with PLAN_NO_SECRET_VALUES) and the config templates under
 * opts->assets_dir. Fails (ERR_INPUT) on answers that do not fit the
 * release or the target: unknown service names, a shared volume the release
 * needs but the answers lack, a volume kind the target cannot mount ...
 * each with FILE:LINE:COL. `out` is always left for plan_free().
 */
int	plan_build(const struct answers *a, const struct profile *p,
	    const struct keys *k, const struct plan_opts *opts, struct plan *out,
	    struct err *e);
void	plan_free(struct plan *pl);

/* Borrowed lookups, NULL when absent. */
const struct plan_service *plan_service(const struct plan *pl, const char *name);
const struct plan_volume *plan_volume(const struct plan *pl, const char *name);
const struct plan_env *plan_env_get(const struct plan_service *s, const char *name);

/* Does the service run the given image key (e.g. "sentry")? */
int	plan_uses_image(const struct plan_service *s, const char *image_key);

#endif
