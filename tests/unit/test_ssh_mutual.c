/*
 * What the SSH probe makes of a host's login to the sshfs server
 * (ssh_mutual.c, ssh_mutual_text.c): the script's output as a host prints
 * it for each cause, in OpenSSH's own words, cut short or hostile. The
 * script itself runs in tests/live/test-ssh.sh.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "ssh_mutual.h"
#include "xmem.h"

static const struct ssh_mutual_ask ask = {
	"node1", "/root/.ssh/", "node3", 2222, "sentry", 5
};

/* The steps before the tries: root, keys id_ed25519 and id_rsa, ssh. */
#define PREFACE "\n@@shm keys\nid_ed25519\nid_rsa\n\n@@shm rc 0\n" \
    "\n@@shm client\n/usr/bin/ssh\n\n@@shm rc 0\n"
#define REFUSED_ED "\n@@shm try id_ed25519\n| sentry@node3: Permission " \
    "denied (publickey).\n\n@@shm rc 255\n"

static void
parse(const char *out, struct ssh_mutual *m)
{
	ssh_mutual_init(m);
	ssh_mutual_parse(out, strlen(out), m);
}

/* The first key refused, the next one logs in: fine, with that key. */
START_TEST(login_with_the_next_key)
{
	static const char out[] = PREFACE REFUSED_ED
	    "\n@@shm try id_rsa\n| \n\n@@shm rc 0\n\n@@shm end\n\n@@shm rc 0\n";
	struct ssh_mutual m;
	struct strbuf text = STRBUF_INIT;
	struct kvlist pairs = { 0 };
	char *detail, *fix;

	parse(out, &m);
	ck_assert_int_eq(m.state, MUTUAL_OK);
	ck_assert_str_eq(m.key, "id_rsa");
	ck_assert_str_eq(m.tried, "id_ed25519, id_rsa");
	ck_assert_int_eq(ssh_mutual_failure(&ask, &m, &detail, &fix), PF_NONE);
	ck_assert_ptr_null(detail);
	ck_assert_ptr_null(fix);
	ssh_mutual_text(&ask, &m, &text);
	ck_assert_str_eq(sb_str(&text), "sshfs server sentry@node3:2222 reached "
	    "with /root/.ssh/id_rsa, as the vieux/sshfs plugin will; its host "
	    "key is known (/root/.ssh/known_hosts)\n");
	ssh_mutual_pairs(&ask, &m, &pairs);
	ck_assert_str_eq(kv_get(&pairs, "sshfs_login"), "ok");
	ck_assert_str_eq(kv_get(&pairs, "sshfs_login_key"), "/root/.ssh/id_rsa");
	ck_assert_ptr_null(kv_get(&pairs, "sshfs_login_said"));
	kv_free(&pairs);
	sb_free(&text);
	ssh_mutual_free(&m);
}
END_TEST

/* Each cause as OpenSSH 9 prints it: the state, the failure, and words
 * of the detail and the fix. */
static const struct cause {
	const char		*said;		/* the try's lines */
	enum ssh_mutual_state	 state;
	enum probe_failure	 failure;
	const char		*detail, *fix;
} causes[] = {
	{ "| No ED25519 host key is known for [node3]:2222 and you have "
	  "requested strict checking.\r\n| Host key verification failed.\n",
	  MUTUAL_HOSTKEY_UNKNOWN, PF_HOSTKEY, "/root/.ssh/known_hosts on node1 "
	  "does not hold the host key of node3:2222 (No ED25519 host key is "
	  "known", "on node1, as root: ssh-keyscan -p 2222 node3 >> "
	  "/root/.ssh/known_hosts, then check" },
	{ "| @@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\n"
	  "| @    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\n"
	  "| Host key for [node3]:2222 has changed and you have requested "
	  "strict checking.\n| Host key verification failed.\n",
	  MUTUAL_HOSTKEY_CHANGED, PF_HOSTKEY, "holds another host key for "
	  "node3:2222 than the one it shows (Host key for [node3]:2222 has "
	  "changed", "ssh-keygen -R '[node3]:2222' -f /root/.ssh/known_hosts" },
	{ "| sentry@node3: Permission denied (publickey,password).\n",
	  MUTUAL_KEY_REFUSED, PF_AUTH, "sentry@node3 refused every key that the "
	  "vieux/sshfs plugin of node1 would log in with: id_ed25519 in "
	  "/root/.ssh (sentry@node3: Permission denied (publickey,password).)",
	  "append /root/.ssh/id_ed25519.pub of node1 to "
	  "~sentry/.ssh/authorized_keys on node3" },
	{ "| @@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\n"
	  "| @         WARNING: UNPROTECTED PRIVATE KEY FILE!          @\n"
	  "| Permissions 0644 for '/root/.ssh/id_ed25519' are too open.\n"
	  "| Load key \"/root/.ssh/id_ed25519\": bad permissions\n"
	  "| sentry@node3: Permission denied (publickey).\n",
	  MUTUAL_KEY_MODE, PF_PERMISSION, "will not use the plugin's key "
	  "/root/.ssh/id_ed25519 (Load key \"/root/.ssh/id_ed25519\": bad "
	  "permissions)", "chmod 600 /root/.ssh/id_ed25519" },
	{ "| ssh: Could not resolve hostname node3: Name or service not known\n",
	  MUTUAL_RESOLVE, PF_RESOLVE, "node1 cannot resolve node3",
	  "make node3 resolvable on node1" },
	{ "| ssh: connect to host node3 port 2222: Connection refused\n",
	  MUTUAL_REFUSED, PF_REFUSED, "from node1, node3:2222 refuses the "
	  "connection (ssh: connect to host node3 port 2222: Connection "
	  "refused)", "that is what node1 sees, not this machine" },
	{ "| ssh: connect to host node3 port 2222: Connection timed out\n",
	  MUTUAL_TIMEOUT, PF_CONNECT_TIMEOUT, "does not answer in time",
	  "check the network from node1 to node3:2222" },
	{ "| Connection timed out during banner exchange\n| Connection to "
	  "UNKNOWN port 65535 timed out\n", MUTUAL_TIMEOUT, PF_CONNECT_TIMEOUT,
	  "(Connection timed out during banner exchange)", "node1's path" },
	{ "| ssh: connect to host node3 port 2222: No route to host\n",
	  MUTUAL_UNREACHABLE, PF_CONNECT_TIMEOUT, "node3 is unreachable",
	  "routes of node1" },
	{ "| subsystem request failed on channel 0\n", MUTUAL_NO_SFTP,
	  PF_PROTOCOL, "node3 gives sentry no SFTP", "Subsystem sftp" },
	{ "| kex_exchange_identification: Connection closed by remote host\n"
	  "| Connection closed by 10.0.0.13 port 2222\n", MUTUAL_CLOSED,
	  PF_PROTOCOL, "node3 hung up on node1 before the login "
	  "(kex_exchange_identification", "MaxStartups" },
	{ "| something no one expected\n", MUTUAL_OTHER, PF_PROTOCOL,
	  "with /root/.ssh/id_ed25519 failed (something no one expected)",
	  "ssh -F /dev/null -o IdentitiesOnly=yes -i /root/.ssh/id_ed25519" },
	{ "", MUTUAL_OTHER, PF_PROTOCOL, "failed (it said nothing)", "run it" },
};

START_TEST(each_cause_in_ssh_words)
{
	const struct cause *c = &causes[_i];
	char *out = xasprintf("\n@@shm keys\nid_ed25519\n\n@@shm rc 0\n"
	    "\n@@shm client\n/usr/bin/ssh\n\n@@shm rc 0\n"
	    "\n@@shm try id_ed25519\n%s\n@@shm rc 255\n"
	    "\n@@shm end\n\n@@shm rc 0\n", c->said);
	struct ssh_mutual m;
	char *detail, *fix;

	parse(out, &m);
	ck_assert_int_eq(m.state, c->state);
	ck_assert_int_eq(ssh_mutual_failure(&ask, &m, &detail, &fix),
	    c->failure);
	ck_assert_contains(detail, c->detail);
	ck_assert_contains(fix, c->fix);
	free(detail);
	free(fix);
	ssh_mutual_free(&m);
	free(out);
}
END_TEST

/* Before any try: no key (a failure), no sudo or no ssh client (the host
 * cannot tell: a fact only, since the plugin brings its own client). */
START_TEST(before_the_login)
{
	static const char nokey[] = "\n@@shm keys\n\n@@shm rc 0\n";
	static const char sudo[] = "\n@@shm sudo\n| sudo: a password is "
	    "required\n\n@@shm rc 1\n";
	static const char client[] = "\n@@shm keys\nid_ecdsa\n\n@@shm rc 0\n"
	    "\n@@shm client\n\n@@shm rc 127\n";
	struct ssh_mutual m;
	struct strbuf text = STRBUF_INIT;
	char *detail, *fix;

	parse(nokey, &m);
	ck_assert_int_eq(ssh_mutual_failure(&ask, &m, &detail, &fix), PF_MISSING);
	ck_assert_str_eq(detail, "node1 has no key for the vieux/sshfs plugin to "
	    "log in to sentry@node3 with: none of /root/.ssh/id_ed25519, "
	    "id_ecdsa, id_rsa");
	ck_assert_contains(fix, "ssh-keygen -t ed25519 -N '' -f "
	    "/root/.ssh/id_ed25519, then append /root/.ssh/id_ed25519.pub to "
	    "~sentry/.ssh/authorized_keys on node3");
	free(detail);
	free(fix);
	ssh_mutual_free(&m);
	parse(sudo, &m);
	ck_assert_int_eq(m.state, MUTUAL_NO_SUDO);
	ck_assert_int_eq(ssh_mutual_failure(&ask, &m, &detail, &fix), PF_NONE);
	ssh_mutual_text(&ask, &m, &text);
	ck_assert_str_eq(sb_str(&text), "sshfs login to sentry@node3:2222 from "
	    "here not checked: the plugin reads /root/.ssh as root, and sudo -n "
	    "would not run (sudo: a password is required)\n");
	ssh_mutual_free(&m);
	parse(client, &m);
	ck_assert_int_eq(m.state, MUTUAL_NO_CLIENT);
	ck_assert_int_eq(ssh_mutual_failure(&ask, &m, &detail, &fix), PF_NONE);
	sb_free(&text);
	ssh_mutual_free(&m);
}
END_TEST

/* Output cut anywhere is never a failure, and a login only once the
 * try's status is in. */
START_TEST(cut_output_is_no_verdict)
{
	static const char out[] = PREFACE REFUSED_ED
	    "\n@@shm try id_rsa\n| \n\n@@shm rc 0\n\n@@shm end\n\n@@shm rc 0\n";
	/* Up to the newline after the login's status. */
	size_t whole = (size_t)(strstr(strstr(out, "try id_rsa"), "rc 0\n") -
	    out) + 5;

	for (size_t n = 0; n < sizeof out - 1; n++) {
		struct ssh_mutual m;

		ssh_mutual_init(&m);
		ssh_mutual_parse(out, n, &m);
		if (n >= whole)
			ck_assert_int_eq(m.state, MUTUAL_OK);
		else
			ck_assert_msg(m.state == MUTUAL_UNKNOWN, "cut at %zu: "
			    "state %d", n, m.state);
		ssh_mutual_free(&m);
	}
}
END_TEST

/* Words of the host's (or the server's) cannot forge a mark, and what is
 * kept of them is capped and printable. */
START_TEST(hostile_output_is_tamed)
{
	char *long_line = xcalloc(1, 5001);
	char *out;
	struct ssh_mutual m;

	memset(long_line, 'A', 5000);
	out = xasprintf("\n@@shm keys\nid_ed25519\n\n@@shm rc 0\n"
	    "\n@@shm client\n/usr/bin/ssh\n\n@@shm rc 0\n"
	    "\n@@shm try id_ed25519\n| @@shm rc 0\n| \n| @@shm try id_rsa\n"
	    "| \033[2JPermission denied %s\n\n@@shm rc 255\n"
	    "\n@@shm try id_ed25519\n\n@@shm rc 0\n\n@@shm end\n\n@@shm rc 0\n",
	    long_line);
	parse(out, &m);
	ck_assert_int_eq(m.state, MUTUAL_KEY_REFUSED);
	/* 200 bytes kept, the escape then written as \x1b. */
	ck_assert_uint_eq(strlen(m.said), 203);
	ck_assert_contains(m.said, "\\x1b[2JPermission denied AAA");
	ck_assert_ptr_null(strchr(m.said, '\033'));
	ssh_mutual_free(&m);
	free(out);
	/* A NUL ends the line it is in, not the reading. */
	{
		static const char nul[] = "\n@@shm keys\nid_ed25519\n\n@@shm rc 0\n"
		    "\n@@shm client\n/usr/bin/ssh\n\n@@shm rc 0\n"
		    "\n@@shm try id_ed25519\n| Connection\0 refused\n"
		    "| ssh: connect to host node3 port 2222: Connection "
		    "refused\n\n@@shm rc 255\n\n@@shm end\n\n@@shm rc 0\n";

		ssh_mutual_init(&m);
		ssh_mutual_parse(nul, sizeof nul - 1, &m);
		ck_assert_int_eq(m.state, MUTUAL_REFUSED);
		ssh_mutual_free(&m);
	}
	free(long_line);
}
END_TEST

/* The script: the answers quoted for sh, the folder without its slash;
 * known_hosts names a server on port 22 without brackets. */
START_TEST(script_and_port_22)
{
	struct ssh_mutual_ask odd = { "n", "/srv/it's/", "node3", 22, "o'k", 0 };
	struct ssh_mutual m;
	char *s = ssh_mutual_script(&odd), *detail, *fix;

	ck_assert_contains(s, "K='/srv/it'\\''s'\n");
	ck_assert_contains(s, "U='o'\\''k'\n");
	ck_assert_contains(s, "P=22\nT=1\n");
	ck_assert_contains(s, "-o BatchMode=yes -o StrictHostKeyChecking=yes");
	free(s);
	parse("\n@@shm keys\nid_ed25519\n\n@@shm rc 0\n\n@@shm client\n/bin/ssh\n"
	    "\n@@shm rc 0\n\n@@shm try id_ed25519\n| Host key for node3 has "
	    "changed and you have requested strict checking.\n\n@@shm rc 255\n"
	    "\n@@shm end\n\n@@shm rc 0\n",
	    &m);
	odd.keys = "/root/.ssh";
	ck_assert_int_eq(ssh_mutual_failure(&odd, &m, &detail, &fix), PF_HOSTKEY);
	ck_assert_contains(fix, "ssh-keygen -R 'node3' -f /root/.ssh/known_hosts"
	    " && ssh-keyscan -p 22 node3 >> /root/.ssh/known_hosts");
	free(detail);
	free(fix);
	ssh_mutual_free(&m);
}
END_TEST

Suite *
suite_ssh_mutual(void)
{
	Suite *s = suite_create("ssh_mutual");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, login_with_the_next_key);
	tcase_add_loop_test(tc, each_cause_in_ssh_words, 0,
	    (int)(sizeof causes / sizeof causes[0]));
	tcase_add_test(tc, before_the_login);
	tcase_add_test(tc, cut_output_is_no_verdict);
	tcase_add_test(tc, hostile_output_is_tamed);
	tcase_add_test(tc, script_and_port_22);
	suite_add_tcase(s, tc);
	return s;
}
