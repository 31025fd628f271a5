/*
 * The facts of a host of `hosts:` (ssh_facts.h), learnt on the SSH session
 * the probe logged in with: its clock first, on a channel of its own so
 * that the round trip around it is short, then the rest with one `sh -s`
 * that reads the script from its stdin (nothing to quote, and no shell of
 * this machine's involved). Every wait is bounded by the probe's deadline
 * and the output by SSH_FACTS_MAX_OUTPUT.
 */
#include "probe_ssh.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "printable.h"
#include "ssh_facts.h"
#include "ssh_mutual.h"

/* What a command printed beyond this is not wanted: the clock is a line. */
#define CLOCK_MAX_OUTPUT	64

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* libssh2's reason, or `doing` alone; into why[size]. */
static void
why_failed(const struct ssh_conn *k, const char *doing, char *why, size_t size)
{
	char *msg = NULL;

	libssh2_session_last_error(k->s, &msg, NULL, 0);
	snprintf(why, size, "%s%s%.150s%s", doing, msg ? " (" : "",
	    msg ? msg : "", msg ? ")" : "");
}

static int
send_input(struct ssh_conn *k, LIBSSH2_CHANNEL *ch, const char *input)
{
	size_t len = strlen(input), done = 0;

	while (done < len) {
		ssize_t n;

		ssh_bound(k);
		if ((n = libssh2_channel_write(ch, input + done, len - done)) < 0)
			return -1;
		done += (size_t)n;
	}
	ssh_bound(k);
	return libssh2_channel_send_eof(ch) < 0 ? -1 : 0;
}

/* Reads what the command prints (stdout and stderr, merged) until it ends
 * or `max` bytes are in: a flood is cut, not waited out. */
static int
read_output(struct ssh_conn *k, LIBSSH2_CHANNEL *ch, size_t max,
    struct strbuf *out)
{
	char buf[4096];

	while (out->len < max) {
		ssize_t n;

		if (probe_ms_left(k->c) <= 0)
			return -1;
		ssh_bound(k);
		n = libssh2_channel_read(ch, buf, sizeof buf);
		if (n == 0)
			return 0;
		if (n < 0)
			return -1;
		sb_addn(out, buf, (size_t)n < max - out->len ? (size_t)n :
		    max - out->len);
	}
	return 0;
}

/*
 * Runs `cmd` on a channel of its own, with `input` (may be NULL) as its
 * stdin, and appends at most `max` bytes of its output to `out`; *before
 * and *after (may be NULL) are this machine's clock around it. 0, or -1
 * with why[size] saying what failed.
 */
static int
run_command(struct ssh_conn *k, const char *cmd, const char *input,
    size_t max, struct strbuf *out, double *before, double *after,
    char *why, size_t size)
{
	LIBSSH2_CHANNEL *ch;
	int rc = -1;

	ssh_bound(k);
	if ((ch = libssh2_channel_open_session(k->s)) == NULL) {
		why_failed(k, "no session channel", why, size);
		return -1;
	}
	(void)libssh2_channel_handle_extended_data2(ch,
	    LIBSSH2_CHANNEL_EXTENDED_DATA_MERGE);
	if (before != NULL)
		*before = now_s();
	ssh_bound(k);
	if (libssh2_channel_exec(ch, cmd) != 0)
		why_failed(k, "the server would not run a command", why, size);
	else if (input != NULL && send_input(k, ch, input) < 0)
		why_failed(k, "sending the commands", why, size);
	else if (read_output(k, ch, max, out) < 0)
		why_failed(k, "reading what the commands printed", why, size);
	else
		rc = 0;
	if (after != NULL)
		*after = now_s();
	ssh_bound(k);
	(void)libssh2_channel_close(ch);
	libssh2_channel_free(ch);
	return rc;
}

/* The host's clock against ours: -1 only when the command could not run
 * (an odd answer leaves the clock unknown). */
static int
read_clock(struct ssh_conn *k, struct ssh_facts *f, char *why, size_t size)
{
	struct strbuf out = STRBUF_INIT;
	double before = 0, after = 0;
	int rc;

	rc = run_command(k, "date +%s.%N", NULL, CLOCK_MAX_OUTPUT, &out,
	    &before, &after, why, size);
	if (rc == 0)
		f->have_clock = clock_skew_measure(before, after, sb_str(&out),
		    &f->skew_s, &f->uncertainty_s) == 0;
	sb_free(&out);
	return rc;
}

static void
add_clock(const struct ssh_conn *k, const struct ssh_facts *f,
    const struct probe_result *r)
{
	struct facts *fa = k->c->facts;

	fa->clocks = xrealloc(fa->clocks, (fa->nclocks + 1) * sizeof *fa->clocks);
	fa->clocks[fa->nclocks++] = (struct clock_fact){ xstrdup(r->endpoint),
	    (long)k->c->index, f->skew_s, f->uncertainty_s };
}

/* What the rules weigh against the plan: only a host whose facts script
 * ran has any. */
static void
add_host(const struct ssh_conn *k, const struct ssh_facts *f,
    const struct probe_result *r)
{
	struct host_fact h = { r->endpoint, (long)k->c->index, f->cpus,
	    f->mem_kib, f->docker_none == NULL ? f->sshfs_plugin : -1,
	    f->node_availability, f->docker_root, f->docker_root_free_kib,
	    f->docker_root_total_kib };

	facts_add_host(k->c->facts, &h);
}

/*
 * sshfs: from the host, a login to the server as the vieux/sshfs plugin
 * will make it (ssh_mutual.h), through this session (no agent forwarding:
 * the plugin has none either). A host that could not mount the volume
 * fails its check, with the fix; one that cannot tell says so in a fact.
 * ssh gives up a second before the deadline, so that its own words on
 * a server that does not answer arrive in time.
 */
static void
check_mutual(struct ssh_conn *k, struct probe_result *r, struct strbuf *about)
{
	const struct plan *pl = k->c->pl;
	const struct plan_host *h = &pl->hosts[k->c->index];
	const struct plan_sshfs *s = &pl->filestore.sshfs;
	struct ssh_mutual_ask a = { h->name ? h->name : h->address,
	    s->key_source ? s->key_source : "/root/.ssh/", s->host, s->port,
	    s->user ? s->user : "root", probe_ms_left(k->c) / 1000 - 1 };
	struct strbuf out = STRBUF_INIT;
	struct ssh_mutual m;
	char *script = ssh_mutual_script(&a), *detail, *fix, *was;
	char why[256];
	enum probe_failure pf;

	ssh_mutual_init(&m);
	if (run_command(k, "sh -s", script, SSH_MUTUAL_MAX_OUTPUT, &out, NULL,
	    NULL, why, sizeof why) < 0) {
		char *said = printable(why);

		sb_printf(about, "sshfs login to %s@%s:%ld from here not "
		    "checked: %s\n", a.user, a.server, a.port, said);
		free(said);
	} else {
		ssh_mutual_parse(out.s ? out.s : "", out.len, &m);
		ssh_mutual_text(&a, &m, about);
		ssh_mutual_pairs(&a, &m, &r->about_pairs);
	}
	if ((pf = ssh_mutual_failure(&a, &m, &detail, &fix)) != PF_NONE) {
		/* What the login here showed stays: it worked. */
		was = xstrdup(r->detail ? r->detail : "");
		probe_fail(r, pf, fix, "%s; but %s", was, detail);
		free(was);
	}
	free(detail);
	free(fix);
	ssh_mutual_free(&m);
	sb_free(&out);
	free(script);
}

/* The facts script, with the hostpath share's folder to look at first. */
static char *
facts_input(const struct plan *pl)
{
	struct strbuf in = STRBUF_INIT;

	if (pl->filestore.hostpath != NULL) {
		sb_add(&in, "SHS_SHARED=");
		ssh_sh_quote(&in, pl->filestore.hostpath);
		sb_addc(&in, '\n');
	}
	sb_add(&in, ssh_facts_script());
	return sb_take(&in);
}

void
ssh_gather_facts(struct ssh_conn *k, struct probe_result *r)
{
	struct strbuf out = STRBUF_INIT, about = STRBUF_INIT;
	struct ssh_facts f;
	char why[256], *input = facts_input(k->c->pl);

	ssh_facts_init(&f);
	if (read_clock(k, &f, why, sizeof why) == 0 &&
	    run_command(k, "sh -s", input, SSH_FACTS_MAX_OUTPUT,
	    &out, NULL, NULL, why, sizeof why) == 0)
		ssh_facts_parse(out.s ? out.s : "", out.len, &f);
	else
		/* libssh2's words may quote the server's. */
		f.failed = printable(why);
	if (f.have_clock)
		add_clock(k, &f, r);
	if (f.failed == NULL)
		add_host(k, &f, r);
	if (f.shared_free_kib >= 0)
		facts_add_space(k->c->facts, r->endpoint, f.shared_path,
		    "filestore.shared_volume.hostpath.path", f.shared_free_kib,
		    f.shared_total_kib);
	ssh_facts_text(&f, &about);
	kv_free(&r->about_pairs);
	ssh_facts_pairs(&f, &r->about_pairs);
	if (k->c->pl->filestore.sshfs.host != NULL)
		check_mutual(k, r, &about);
	free(r->about);
	r->about = sb_take(&about);
	ssh_facts_free(&f);
	sb_free(&out);
	free(input);
}
