/* The base layer: the one way the program ends when it cannot go on. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "err.h"
#include "harness.h"
#include "suggest.h"
#include "xmem.h"

static int hook_fd = -1;

static void
say_restored(void)
{
	ssize_t n = write(hook_fd, "restored", 8);

	(void)n;
}

/* fatal() runs the front end's hook first (ui/ gives the terminal back
 * there), then says why on stderr and aborts. */
START_TEST(fatal_runs_the_hook_then_aborts)
{
	int hook[2], err[2], status;
	char got[64] = "", said[256] = "";
	pid_t pid;

	ck_assert_int_eq(pipe(hook), 0);
	ck_assert_int_eq(pipe(err), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(hook[0]);
		close(err[0]);
		dup2(err[1], 2);
		hook_fd = hook[1];
		fatal_set_hook(say_restored);
		fatal("out of memory (%zu bytes)", (size_t)42);
	}
	close(hook[1]);
	close(err[1]);
	ck_assert_int_gt(read(hook[0], got, sizeof got - 1), 0);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	for (size_t n = 0, got_n; n < sizeof said - 1; n += got_n)
		if ((got_n = (size_t)read(err[0], said + n, sizeof said - 1 - n)) == 0 ||
		    got_n == (size_t)-1)
			break;
	ck_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
	ck_assert_str_eq(got, "restored");
	ck_assert_contains(said, "sentry-ha-setup: out of memory (42 bytes)");
	close(hook[0]);
	close(err[0]);
}
END_TEST

/* Each kind of error is its exit status (DESIGN §2). */
START_TEST(each_kind_is_its_exit_status)
{
	static const struct { enum err_kind kind; int status; } want[] = {
		{ ERR_NONE, 0 }, { ERR_FINDINGS, 1 }, { ERR_INPUT, 2 },
		{ ERR_USAGE, 2 }, { ERR_IO, 3 },
	};
	struct err e;

	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		err_clear(&e);
		e.kind = want[i].kind;
		ck_assert_int_eq(err_exit_status(&e), want[i].status);
	}
}
END_TEST

/* The nearest names, nearest first, each once, none that is too far. */
START_TEST(suggest_nearest_orders_by_distance)
{
	static const char *const names[] = { "worker", "web", "cron", "wbe2",
		"web", "relay", NULL };
	const char *got[3];
	size_t n;

	n = suggest_nearest("wbe", names, got, 3);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(got[0], "wbe2");
	ck_assert_str_eq(got[1], "web");
	n = suggest_nearest("wbe", names, got, 1);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(got[0], "wbe2");
	ck_assert_uint_eq(suggest_nearest("postgres", names, got, 3), 0);
	ck_assert_uint_eq(suggest_nearest("cron", names, got, 0), 0);
}
END_TEST

Suite *
suite_base(void)
{
	Suite *s = suite_create("base");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, fatal_runs_the_hook_then_aborts);
	tcase_add_test(tc, each_kind_is_its_exit_status);
	tcase_add_test(tc, suggest_nearest_orders_by_distance);
	suite_add_tcase(s, tc);
	return s;
}
