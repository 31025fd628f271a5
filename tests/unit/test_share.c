/* share_diag.h: docker run's words become the operator's, with a fix that
 * names the folder or the image it is about. */
#include <string.h>

#include "harness.h"
#include "share_diag.h"

START_TEST(docker_words_become_a_diagnosis)
{
	char fix[512];
	const char *says;

	says = share_diagnose("sh: can't create /probe/.x: Permission denied\n",
	    1, "/srv/share/sentry-data", "img:1", fix, sizeof fix);
	ck_assert_str_eq(says, "the Sentry image's user (uid 999) may not write "
	    "into the shared folder");
	ck_assert_contains(fix, "chown 999:999 /srv/share/sentry-data");
	says = share_diagnose("docker: Error response from daemon: invalid mount "
	    "config for type \"bind\": bind source path does not exist: /srv/x.\n",
	    125, "/srv/x", "img:1", fix, sizeof fix);
	ck_assert_str_eq(says, "the shared folder does not exist on this host");
	ck_assert_contains(fix, "mount the share at /srv/x on every host");
	says = share_diagnose("Unable to find image 'reg/sentry:1' locally\n"
	    "docker: Error response from daemon: pull access denied\n", 125,
	    "/srv/x", "reg/sentry:1", fix, sizeof fix);
	ck_assert_contains(fix, "docker login to the registry of reg/sentry:1");
	says = share_diagnose("sh: docker: not found\n", 127, "/srv/x", "i", fix,
	    sizeof fix);
	ck_assert_str_eq(says, "there is no docker command on the host");
	says = share_diagnose("something else\n", 3, "/srv/x", "i", fix,
	    sizeof fix);
	ck_assert_str_eq(says, "docker run failed");
	ck_assert_contains(fix, "docker run --rm -v /srv/x:/probe i");
}
END_TEST

Suite *
suite_share(void)
{
	Suite *s = suite_create("share");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, docker_words_become_a_diagnosis);
	suite_add_tcase(s, tc);
	return s;
}
