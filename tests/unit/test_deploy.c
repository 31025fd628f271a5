/* deploy.h's local half: the host it picks, what it reads of an output
 * folder, and the commands --dry-run prints (which a real run uses). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include "deploy.h"
#include "fsutil.h"
#include "harness.h"

#define HOSTS "hosts: [{name: node1, address: 10.0.0.11, port: 1046, " \
	"user: sentry, roles: [web]}, {name: node2, address: 10.0.0.12, " \
	"user: ops, roles: [manager]}]\n"

/* The demo answers on Swarm (or not), with `extra`, generated into a
 * folder of the test's own, returned (owned by the caller). */
static char *
written(struct fixture *f, int swarm, const char *extra)
{
	char *base = demo_answers("24.8.0", NULL), *dir, *yaml;

	if (swarm)
		memcpy(strstr(base, "kind: kubernetes"), "kind: swarm     ", 16);
	/* A file store that both targets take. */
	*strstr(base, "filestore:") = '\0';
	yaml = xasprintf("%sfilestore: {backend: s3, s3: {bucket: b, region: "
	    "eu-west-1, access_key: AKIA, secret_key: s}}\n%s", base, extra);
	ck_assert_msg(fixture_run(f, yaml) == 0, "%s", f->e.msg);
	dir = xasprintf("%s/out", test_tmp());
	ck_assert_msg(outset_commit(&f->out, dir, &f->e) == 0, "%s", f->e.msg);
	free(yaml);
	free(base);
	return dir;
}

START_TEST(the_first_manager_unless_named)
{
	struct fixture f;
	struct deploy d;
	char *dir = written(&f, 1, HOSTS);
	struct err e;

	ck_assert_msg(deploy_prepare(&d, &f.s.pl, dir, NULL, NULL, &e) == 0,
	    "%s", e.msg);
	ck_assert_str_eq(d.host->name, "node2");
	ck_assert_str_eq(d.remote, DEPLOY_REMOTE_DIR);
	deploy_free(&d);
	ck_assert_msg(deploy_prepare(&d, &f.s.pl, dir, "node1", "/opt/s", &e) == 0,
	    "%s", e.msg);
	ck_assert_str_eq(d.host->name, "node1");
	deploy_free(&d);
	ck_assert_int_eq(deploy_prepare(&d, &f.s.pl, dir, "node9", NULL, &e), -1);
	ck_assert_int_eq(e.kind, ERR_USAGE);
	ck_assert_contains(e.msg, "--host node9: no host of that name");
	deploy_free(&d);
	free(dir);
	fixture_free(&f);
}
END_TEST

START_TEST(no_manager_no_swarm_no_output)
{
	struct fixture f;
	struct deploy d;
	char *dir = written(&f, 1, "hosts: [{name: n1, address: 10.0.0.1}]\n");
	char *empty = xasprintf("%s/empty", test_tmp());
	struct err e;

	ck_assert_int_eq(deploy_prepare(&d, &f.s.pl, dir, NULL, NULL, &e), -1);
	ck_assert_contains(e.msg, "hosts: names no manager");
	deploy_free(&d);
	ck_assert_int_eq(mkdir(empty, 0700), 0);
	ck_assert_int_eq(deploy_prepare(&d, &f.s.pl, empty, "n1", NULL, &e), -1);
	ck_assert_contains(e.msg, "no output of sentry-ha-setup here");
	deploy_free(&d);
	free(empty);
	free(dir);
	fixture_free(&f);

	dir = written(&f, 0, HOSTS);
	ck_assert_int_eq(deploy_prepare(&d, &f.s.pl, dir, NULL, NULL, &e), -1);
	ck_assert_contains(e.msg, "deploy is for Docker Swarm");
	deploy_free(&d);
	free(dir);
	fixture_free(&f);
}
END_TEST

/* A file the marker lists that is gone is refused: half an output is
 * never copied. */
START_TEST(a_missing_file_is_refused)
{
	struct fixture f;
	struct deploy d;
	char *dir = written(&f, 1, HOSTS);
	char *gone = xasprintf("%s/swarm/stacks/30-web.yml", dir);
	struct err e;

	ck_assert_int_eq(unlink(gone), 0);
	ck_assert_int_eq(deploy_prepare(&d, &f.s.pl, dir, NULL, NULL, &e), -1);
	ck_assert_contains(e.msg, "30-web.yml: missing or not a plain file");
	deploy_free(&d);
	free(gone);
	free(dir);
	fixture_free(&f);
}
END_TEST

START_TEST(what_it_reads)
{
	struct fixture f;
	struct deploy d;
	char *dir = written(&f, 1, HOSTS);
	size_t swarm_files = 0;
	int secret = 0;
	struct err e;

	for (size_t i = 0; i < f.out.n; i++)
		swarm_files += strncmp(f.out.v[i].path, "swarm/", 6) == 0;
	ck_assert_int_eq(deploy_prepare(&d, &f.s.pl, dir, NULL, NULL, &e), 0);
	ck_assert_uint_eq(d.nfiles, swarm_files);
	for (size_t i = 0; i < d.nfiles; i++)
		if (strcmp(d.files[i].path, "secrets/secret-key") == 0) {
			secret = 1;
			ck_assert_uint_eq(d.files[i].mode, 0600);
		}
	ck_assert(secret);
	ck_assert(sl_contains(&d.dirs, "stacks"));
	ck_assert(sl_contains(&d.stacks, "sentry-web"));
	ck_assert(sl_contains(&d.jobs, "sentry-upgrade"));
	ck_assert(!sl_contains(&d.stacks, "sentry-upgrade"));
	deploy_free(&d);
	free(dir);
	fixture_free(&f);
}
END_TEST

/* The first command a deploy runs there (the clear, with its guard), as
 * deploy_commands lists it, run here by sh in folder `remote`: its exit
 * status, and what it said in *said (owned by the caller). */
static int
run_clear(const struct deploy *d, const char *remote, char **said)
{
	struct strbuf text = STRBUF_INIT;
	char *tmp = fs_real_path(test_tmp());
	char *line, *nl, *script, *out = xasprintf("%s/said", tmp);
	char *wordfile;
	const char *word;
	struct err e;
	size_t len;
	int status;

	deploy_commands(d, &text);
	line = strstr(text.s, "\nssh -p 22 ops@10.0.0.12 ");
	ck_assert_ptr_nonnull(line);
	word = line + strlen("\nssh -p 22 ops@10.0.0.12 ");
	nl = strchr(word, '\n');
	ck_assert_ptr_nonnull(nl);
	/* The word is quoted for a login shell: one eval unquotes it. */
	wordfile = xasprintf("%s/word", tmp);
	ck_assert_int_eq(fs_write_atomic(wordfile, word, (size_t)(nl - word),
	    0600, &e), 0);
	script = xasprintf("cd '%s' && eval \"sh -c $(cat '%s')\" >'%s' 2>&1",
	    remote, wordfile, out);
	free(wordfile);
	status = system(script);
	ck_assert_msg(fs_read_file(out, said, &len, &e) == 0, "%s", e.msg);
	free(script);
	free(out);
	free(tmp);
	sb_free(&text);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int
is_deploy_sh(pid_t pid)
{
	char path[64], buf[256] = "";
	FILE *f;
	size_t n;

	snprintf(path, sizeof path, "/proc/%ld/cmdline", (long)pid);
	if ((f = fopen(path, "r")) == NULL)
		return 0;
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	for (size_t i = 0; i < n; i++)
		if (buf[i] == '\0')
			buf[i] = ' ';
	return strstr(buf, "deploy.sh") != NULL;
}

/* A deploy.sh that still runs there (its pid file names a live
 * deploy.sh) stops the next deploy before it touches anything; a stale
 * pid file, or one naming another program, does not. */
START_TEST(a_running_deploy_is_not_swapped)
{
	struct fixture f;
	struct deploy d;
	struct err e;
	char *dir = written(&f, 1, HOSTS), *said;
	char *tmp = fs_real_path(test_tmp());
	char *remote = xasprintf("%s/remote", tmp);
	char *pidfile = xasprintf("%s/deploy.pid", remote);
	char *upload = xasprintf("%s/swarm.upload", remote), *pid;
	pid_t child;

	ck_assert_int_eq(mkdir(remote, 0700), 0);
	ck_assert_int_eq(deploy_prepare(&d, &f.s.pl, dir, NULL, remote, &e), 0);
	child = fork();
	if (child == 0) {
		execl("/bin/sh", "sh", "-c", "sleep 30", "deploy.sh", (char *)NULL);
		_exit(127);
	}
	/* Until it has exec'd, the child is still this test. */
	for (int tries = 0; tries < 500 && !is_deploy_sh(child); tries++)
		nanosleep(&(struct timespec){ 0, 10000000 }, NULL);
	pid = xasprintf("%ld\n", (long)child);
	ck_assert_int_eq(fs_write_atomic(pidfile, pid, strlen(pid), 0600, &e), 0);
	ck_assert_int_eq(mkdir(upload, 0700), 0);
	ck_assert_int_eq(run_clear(&d, remote, &said), 75);
	ck_assert_contains(said, "deploy.sh is still running there (pid ");
	ck_assert_int_eq(access(upload, F_OK), 0);
	free(said);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	/* Gone: the file is stale. */
	ck_assert_int_eq(run_clear(&d, remote, &said), 0);
	ck_assert_int_ne(access(upload, F_OK), 0);
	free(said);
	/* A live process that is not deploy.sh (this test). */
	free(pid);
	pid = xasprintf("%ld\n", (long)getpid());
	ck_assert_int_eq(fs_write_atomic(pidfile, pid, strlen(pid), 0600, &e), 0);
	ck_assert_int_eq(run_clear(&d, remote, &said), 0);
	free(said);
	free(pid);
	free(upload);
	free(pidfile);
	free(remote);
	free(tmp);
	deploy_free(&d);
	free(dir);
	fixture_free(&f);
}
END_TEST

/* Every command quotes the remote folder for sh, whatever it holds. */
START_TEST(commands_quote_the_remote_folder)
{
	struct fixture f;
	struct deploy d;
	struct strbuf text = STRBUF_INIT;
	char *dir = written(&f, 1, HOSTS);
	struct err e;

	ck_assert_int_eq(deploy_prepare(&d, &f.s.pl, dir, NULL,
	    "/srv/it's here", &e), 0);
	deploy_commands(&d, &text);
	ck_assert_contains(text.s, "ssh -p 22 ops@10.0.0.12 'mkdir -p "
	    "'\\''/srv/it'\\''\\'\\'''\\''s here'\\''");
	ck_assert_contains(text.s, "sftp: put -m 0600 ");
	ck_assert_contains(text.s, "/swarm/secrets/secret-key /srv/it's here/"
	    "swarm.upload/secrets/secret-key  (");
	ck_assert_contains(text.s, "nohup sh deploy.sh >>../deploy.log 2>&1 </dev/null");
	sb_free(&text);
	deploy_describe(&d, 1000, &text);
	ck_assert_contains(text.s, "Deploy onto node2 (ops@10.0.0.12, port 22)");
	ck_assert_contains(text.s, "then rename it to /srv/it's here/swarm,");
	ck_assert_contains(text.s, "its output also goes to /srv/it's here/"
	    "deploy.log");
	sb_free(&text);
	/* Wrapped for the terminal: no line past the width. */
	deploy_describe(&d, 60, &text);
	for (const char *p = text.s; p != NULL && *p; ) {
		const char *nl = strchr(p, '\n');

		ck_assert_msg(nl != NULL && nl - p <= 60, "too long: %.80s", p);
		p = nl + 1;
	}
	sb_free(&text);
	deploy_free(&d);
	ck_assert_int_eq(deploy_prepare(&d, &f.s.pl, dir, NULL, "", &e), -1);
	ck_assert_contains(e.msg, "--remote-dir: \"\": expected");
	deploy_free(&d);
	/* Nothing expands ~ there, and -x would be an option. */
	ck_assert_int_eq(deploy_prepare(&d, &f.s.pl, dir, NULL, "~/s", &e), -1);
	ck_assert_contains(e.msg, "(no ~, no leading -)");
	deploy_free(&d);
	ck_assert_int_eq(deploy_prepare(&d, &f.s.pl, dir, NULL, "-rf", &e), -1);
	deploy_free(&d);
	free(dir);
	fixture_free(&f);
}
END_TEST

Suite *
suite_deploy(void)
{
	Suite *s = suite_create("deploy");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, the_first_manager_unless_named);
	tcase_add_test(tc, no_manager_no_swarm_no_output);
	tcase_add_test(tc, a_missing_file_is_refused);
	tcase_add_test(tc, what_it_reads);
	tcase_add_test(tc, commands_quote_the_remote_folder);
	tcase_add_test(tc, a_running_deploy_is_not_swapped);
	suite_add_tcase(s, tc);
	return s;
}
