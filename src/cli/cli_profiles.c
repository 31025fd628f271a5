/* sentry-ha-setup profiles: the releases this build knows, one per line. */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "profile.h"
#include "xmem.h"

static void
usage(const struct cli_opt *opts)
{
	(void)opts;
	printf("Usage: sentry-ha-setup profiles\n\n"
	    "Lists the Sentry releases that have a profile: the release, how many "
	    "services\nit runs (feature-complete), whether it is an upgrade hard "
	    "stop, and what is\nnotable. Profiles are read from the profiles/ "
	    "folder; SENTRY_HA_SETUP_DATA\noverrides where that is.\n");
}

int
cmd_profiles(int argc, char **argv)
{
	const struct cli_opt opts[] = { { NULL, 0, NULL, NULL, NULL, NULL } };
	struct releases releases;
	struct err e;
	char *data, *dir;
	int first, rc;

	if ((rc = cli_begin("profiles", argc, argv, opts, 0, usage, &first)) >= 0)
		return rc;
	err_clear(&e);
	data = cli_data_dir();
	dir = xasprintf("%s/profiles", data);
	rc = releases_load(dir, &releases, &e);
	if (rc == 0) {
		printf("%-9s %-9s %-10s %s\n", "RELEASE", "SERVICES", "HARD STOP",
		    "NOTABLE");
		for (size_t i = 0; i < releases.n; i++) {
			const struct profile *p = &releases.v[i];

			printf("%-9s %-9zu %-10s %s\n", p->release,
			    profile_service_count(p, "feature-complete"),
			    p->hard_stop ? "yes" : "no", p->summary);
		}
	}
	releases_free(&releases);
	free(dir);
	free(data);
	return rc < 0 ? cli_fail("profiles", &e) : EXIT_OK;
}
