/* The set of release profiles found in a folder. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "profile.h"

int
version_cmp(const char *a, const char *b)
{
	while (*a != '\0' || *b != '\0') {
		if (isdigit((unsigned char)*a) && isdigit((unsigned char)*b)) {
			char *ea, *eb;
			unsigned long na = strtoul(a, &ea, 10);
			unsigned long nb = strtoul(b, &eb, 10);

			if (na != nb)
				return na < nb ? -1 : 1;
			a = ea;
			b = eb;
			continue;
		}
		if (*a != *b)
			return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
		a++;
		b++;
	}
	return 0;
}

static int
by_release(const void *x, const void *y)
{
	const struct profile *a = x, *b = y;

	return version_cmp(a->release, b->release);
}

static int
is_profile_file(const char *name)
{
	size_t len = strlen(name);

	return name[0] != '.' && len > 5 && strcmp(name + len - 5, ".yaml") == 0;
}

int
releases_load(const char *dir, struct releases *c, struct err *e)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t cap = 0;
	int rc = 0;

	memset(c, 0, sizeof *c);
	if (d == NULL)
		return err_set(e, ERR_IO, "%s: cannot read the profiles folder: %s "
		    "(set SENTRY_HA_SETUP_DATA to the folder holding profiles/ "
		    "and assets/)", dir, strerror(errno));
	c->dir = xstrdup(dir);
	while (rc == 0 && (de = readdir(d)) != NULL) {
		char *path;

		if (!is_profile_file(de->d_name))
			continue;
		path = xasprintf("%s/%s", dir, de->d_name);
		c->v = xgrow(c->v, &cap, c->n + 1, sizeof *c->v);
		rc = profile_load(path, &c->v[c->n], e);
		c->n++;
		free(path);
	}
	closedir(d);
	if (rc == 0 && c->n == 0)
		rc = err_set(e, ERR_IO, "%s: no release profiles (*.yaml) found",
		    dir);
	for (size_t i = 0; rc == 0 && i < c->n; i++)
		for (size_t j = 0; j < i; j++)
			if (strcmp(c->v[i].release, c->v[j].release) == 0)
				rc = err_set(e, ERR_INPUT, "%s: release %s is also "
				    "defined by %s", c->v[i].path, c->v[i].release,
				    c->v[j].path);
	if (rc == 0)
		qsort(c->v, c->n, sizeof *c->v, by_release);
	return rc;
}

const struct profile *
releases_find(const struct releases *c, const char *release)
{
	for (size_t i = 0; release != NULL && i < c->n; i++)
		if (strcmp(c->v[i].release, release) == 0)
			return &c->v[i];
	return NULL;
}

void
releases_free(struct releases *c)
{
	for (size_t i = 0; i < c->n; i++)
		profile_free(&c->v[i]);
	free(c->v);
	free(c->dir);
	memset(c, 0, sizeof *c);
}
