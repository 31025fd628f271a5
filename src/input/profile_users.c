/*
 * Who each image runs as (profile image_users:): the facts the Kubernetes
 * securityContext is built from. A wrong uid is a pod that cannot read its
 * own files, so every entry must be complete or say it is not known.
 */
#include <stdio.h>
#include <string.h>

#include "profile.h"
#include "srcmap.h"

static void
user_problem(const struct profile *p, struct err *e, const char *path,
    const char *what)
{
	char where[512];

	srcmap_where(&p->where, path, where, sizeof where);
	err_append(e, ERR_INPUT, "%s%s: %s", where, path, what);
}

static void
check_user(const struct profile *p, const struct prof_user *u,
    struct err *problems)
{
	char at[300];

	snprintf(at, sizeof at, "image_users.%s", u->name);
	if (kv_get(&p->images, u->name) == NULL)
		user_problem(p, problems, at, "not a key of images:");
	/* runAsNonRoot needs a number: the kubelet refuses a named USER. */
	if (u->nonroot == 1 && (u->uid == UNSET_INT || u->gid == UNSET_INT))
		user_problem(p, problems, at, "nonroot: true needs uid: and gid: "
		    "(numbers, from the image's Dockerfile)");
	for (size_t i = 0; i < u->writes.n; i++) {
		const char *w = u->writes.v[i];

		snprintf(at, sizeof at, "image_users.%s.writes[%zu]", u->name, i);
		if (w[0] != '/' || strcmp(w, "/") == 0 || strstr(w, "..") != NULL)
			user_problem(p, problems, at, "expected an absolute "
			    "folder other than / (\"/tmp\")");
	}
}

void
profile_check_users(const struct profile *p, struct err *problems)
{
	for (size_t i = 0; i < p->image_users.n; i++)
		check_user(p, OBJ_AT(&p->image_users, sizeof(struct prof_user), i),
		    problems);
}

const struct prof_user *
profile_user(const struct profile *p, const char *key)
{
	for (size_t i = 0; key != NULL && i < p->image_users.n; i++) {
		const struct prof_user *u = OBJ_AT(&p->image_users, sizeof *u, i);

		if (strcmp(u->name, key) == 0)
			return u;
	}
	return NULL;
}
