/*
 * sentry-ha-setup deploy: the generated swarm/ folder onto a manager over
 * SFTP, then deploy.sh there, its output streamed here and its exit status
 * ours. The host is logged in to before the question, so that the question
 * comes with the host key and a login that is known to work.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answers.h"
#include "cli.h"
#include "deploy.h"
#include "session.h"

struct deploy_args {
	const char	*answers, *out, *host, *remote, *timeout;
	int		 dry_run, yes, accept_new;
};

static void
usage(const struct cli_opt *opts)
{
	printf("Usage: sentry-ha-setup deploy [-a FILE] [-o DIR] [--host NAME] "
	    "[--dry-run]\n                              [--yes] [--accept-new] "
	    "[--remote-dir PATH]\n                              [--timeout "
	    "SECONDS]\n\n"
	    "Copies DIR/swarm, as `generate` wrote it, to a manager of the Swarm "
	    "over SFTP\n(the first host of hosts: with the role manager, or "
	    "--host) and runs its\ndeploy.sh there, streaming what it prints. "
	    "The copy goes into\n~/" DEPLOY_REMOTE_DIR "/swarm.upload "
	    "(target.deploy_dir, or --remote-dir)\nand is renamed to swarm "
	    "there only once complete; "
	    "the copy before is\nkept as swarm.previous. The login is check's: "
	    "ssh-agent or ~/.ssh/id_*, and a\nhost key that known_hosts holds. "
	    "Before anything changes, it\nsays what will happen and asks on the "
	    "terminal.\n\n"
	    "--dry-run prints every command a deploy runs, then runs "
	    "`deploy.sh --dry-run`\nin a copy of its own on the manager (removed "
	    "after), which prints the docker\ncommands that would change the "
	    "Swarm: nothing else is changed.\n\n");
	cli_print_options(opts);
	printf("\nExit status: deploy.sh's own once it ran (0: deployed); "
	    "otherwise 1 not\nconfirmed, 2 invalid answers or usage, 3 the host "
	    "could not be reached or\nthe copy failed.\n");
}

static void
stream(const char *data, size_t len, void *arg)
{
	FILE *f = arg;

	fwrite(data, 1, len, f);
	fflush(f);
}

/* A yes from the terminal, which a pipe on stdin cannot give. */
static int
confirmed(struct err *e)
{
	FILE *tty = fopen("/dev/tty", "r+");
	char line[32] = "";
	int yes;

	if (tty == NULL)
		return err_set(e, ERR_USAGE, "no terminal to ask on: pass --yes to "
		    "deploy without the question");
	fputs("Go on? [y/N] ", tty);
	fflush(tty);
	yes = fgets(line, sizeof line, tty) != NULL &&
	    (line[0] == 'y' || line[0] == 'Y');
	fclose(tty);
	return yes ? 1 : 0;
}

static int
dry_run(const struct deploy *d, struct ssh_remote *r, struct err *e)
{
	struct strbuf text = STRBUF_INIT;
	int status = 0;

	deploy_commands(d, &text);
	fputs(sb_str(&text), stdout);
	sb_free(&text);
	printf("# deploy.sh --dry-run on %s, in a copy of its own that is "
	    "removed after:\n", d->host->name);
	fflush(stdout);
	if (deploy_copy(d, r, 1, e) < 0 ||
	    deploy_run(d, r, 1, stream, stdout, &status, e) < 0)
		return cli_fail("deploy", e);
	return status > 255 || status < 0 ? EXIT_IO : status;
}

static int
real_run(const struct deploy *d, struct ssh_remote *r, int yes, struct err *e)
{
	int status = 0, ok = yes ? 1 : confirmed(e);

	if (ok < 0)
		return cli_fail("deploy", e);
	if (ok == 0) {
		printf("Not deployed: nothing was copied or run.\n");
		return EXIT_FINDINGS;
	}
	if (deploy_copy(d, r, 0, e) < 0 || deploy_swap(d, r, e) < 0)
		return cli_fail("deploy", e);
	printf("Copied %zu files to %s%s/swarm on %s. Running deploy.sh "
	    "there:\n", d->nfiles, d->remote[0] == '/' ? "" : "~/", d->remote,
	    d->host->name);
	fflush(stdout);
	if (deploy_run(d, r, 0, stream, stdout, &status, e) < 0)
		return cli_fail("deploy", e);
	printf("deploy.sh on %s exited with status %d%s.\n", d->host->name,
	    status, status == 0 ? ": deployed" : "");
	return status > 255 || status < 0 ? EXIT_IO : status;
}

static int
deploy(const struct deploy_args *a, const struct ssh_remote_opts *o,
    struct err *e)
{
	struct session s;
	struct deploy d = { 0 };
	struct ssh_remote *r = NULL;
	struct strbuf text = STRBUF_INIT;
	char *data = cli_data_dir();
	int rc, status;

	memset(&s, 0, sizeof s);
	/* What is copied was rendered by generate: no secret is read here. */
	rc = session_open(&s, data, a->answers, NULL, PLAN_SECRETS_MAY_FAIL, e);
	if (rc < 0)
		cli_hint_answers(a->answers, data, e);
	if (rc == 0)
		rc = deploy_prepare(&d, &s.pl, a->out, a->host, a->remote, e);
	if (rc == 0) {
		deploy_describe(&d, 79, &text);
		fputs(sb_str(&text), stdout);
		fflush(stdout);
		rc = ssh_remote_open(d.host, o, &r, e);
	}
	if (rc < 0)
		status = cli_fail("deploy", e);
	else {
		printf("Logged in to %s: %s.\n", d.host->name, ssh_remote_about(r));
		status = a->dry_run ? dry_run(&d, r, e) : real_run(&d, r, a->yes, e);
	}
	ssh_remote_close(r);
	sb_free(&text);
	deploy_free(&d);
	session_close(&s);
	free(data);
	return status;
}

int
cmd_deploy(int argc, char **argv)
{
	struct deploy_args a = { ANSWERS_DEFAULT_PATH, "sentry-ha-out", NULL,
		NULL, NULL, 0, 0, 0 };
	const struct cli_opt opts[] = {
		{ "answers", 'a', "FILE", &a.answers, NULL,
		  "the answers file (default: ./sentry-ha.yaml)" },
		{ "output", 'o', "DIR", &a.out, NULL,
		  "the output folder generate wrote\n(default: ./sentry-ha-out)" },
		{ "host", 0, "NAME", &a.host, NULL,
		  "the host of hosts: to deploy on (default: the first\nmanager)" },
		{ "remote-dir", 0, "PATH", &a.remote, NULL,
		  "the folder on the host (default: the answers'\n"
		  "target.deploy_dir, ~/" DEPLOY_REMOTE_DIR ")" },
		{ "dry-run", 'n', NULL, NULL, &a.dry_run,
		  "print every command; change nothing" },
		{ "yes", 'y', NULL, NULL, &a.yes,
		  "do not ask before deploying" },
		{ "accept-new", 0, NULL, NULL, &a.accept_new,
		  "trust a host key no known_hosts holds yet, and add\n"
		  "it (ssh's StrictHostKeyChecking=accept-new); a\n"
		  "changed key is always refused" },
		{ "timeout", 't', "SECONDS", &a.timeout, NULL,
		  "the deadline of each step but deploy.sh itself\n(default: 5)" },
		{ NULL, 0, NULL, NULL, NULL, NULL }
	};
	struct ssh_remote_opts o = { 0, 0 };
	struct err e;
	int first, status;

	if ((status = cli_begin("deploy", argc, argv, opts, 0, usage, &first)) >= 0)
		return status;
	err_clear(&e);
	if (cli_parse_timeout(a.timeout, &o.timeout_ms, &e) < 0 ||
	    cli_check_dir("output", a.out, &e) < 0)
		return cli_usage_error("deploy", &e);
	o.accept_new_host_keys = a.accept_new;
	return deploy(&a, &o, &e);
}
