/*
 * The Swarm nodes of hosts: (shown on Swarm only): a row per host, then
 * Back, Add, Test and Next. Enter edits the selected host in the panel
 * under the list, one field at a time, each saved as the focus leaves it
 * (a new host is made by its first valid field); Delete removes one after
 * a y. Test runs check's SSH probe over the hosts, and the result of the
 * selected host shows what it learnt of the machine (OS, Docker, Swarm,
 * clock). Drawing is hosts_draw.c.
 */
#include "hosts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Logging in and the facts' commands take longer than one request. */
#define CHECK_TIMEOUT_MS	10000

static const char *const button_labels[] = { "Back", "Add", "Test", "Next" };

const char *
hosts_button_label(enum hosts_button b)
{
	return button_labels[b];
}

int
hosts_count(void)
{
	return (int)wiz_list_count(&ui.w, "hosts");
}

const struct wiz_field *
hosts_field(int k)
{
	const struct wiz_screen *s = wiz_screen_at(ui.w.screen);

	return k >= 0 && (size_t)k < s->nfields ? &s->fields[k] : NULL;
}

int
hosts_nfields(void)
{
	return (int)wiz_screen_at(ui.w.screen)->nfields;
}

/* The key of field k in a host's mapping: "port" of "hosts.port". */
static const char *
hosts_key(int k)
{
	return hosts_field(k)->path + strlen("hosts.");
}

char *
hosts_path(int host, int k)
{
	/* "hosts.port" of the table, for host 1: "hosts[1].port". */
	return xasprintf("hosts[%d].%s", host, hosts_key(k));
}

/* Typing into field k of the host being edited. */
static void
load_field(int k)
{
	char *path = hosts_path(ui.hosts.host, k), *value = wiz_get(&ui.w, path);

	edit_free(&ui.edit);
	edit_load(&ui.edit, path, value, 0);
	ui.editing = 1;
	ui.hosts.field = k;
	ui.focus_path = hosts_field(k)->path;	/* the help's topic */
	free(path);
	free(value);
}

static void
open_editor(int host, int k)
{
	ui.hosts.host = host;
	ui.focus = host;
	load_field(k);
}

/* Leaves the editor on the host's row (the Add button for a new host that
 * was never given a field). */
static void
close_editor(void)
{
	int host = ui.hosts.host;

	edit_free(&ui.edit);
	ui.editing = 0;
	ui.focus_path = NULL;
	ui.hosts.host = -1;
	ui.focus = host < hosts_count() ? host : hosts_count() + HB_ADD;
}

/* Edits the host and field of `path`, up to the new host past the end
 * when `new_too`; 1 if there is one. */
static int
edit_path(const char *path, int new_too)
{
	int host, k;
	char key[32];

	if (path == NULL || sscanf(path, "hosts[%d].%31[a-z_]", &host, key) != 2 ||
	    host < 0 || host > hosts_count() - !new_too)
		return 0;
	for (k = 0; k < hosts_nfields(); k++)
		if (strcmp(hosts_key(k), key) == 0) {
			open_editor(host, k);
			return 1;
		}
	return 0;
}

void
scr_hosts_focus(const char *path)
{
	edit_path(path, 0);
}

/* The text a cut session was typing into a host: back in its field, as
 * typed (still to be fixed), as a form does. */
static void
resume_typed(void)
{
	struct err e;

	if (ui.w.typed_path == NULL || !edit_path(ui.w.typed_path, 1))
		return;
	/* The typed text in place of the saved one, which stays the one
	 * Esc goes back to. */
	edit_load(&ui.edit, ui.w.typed_path, "", 0);
	edit_insert(&ui.edit, ui.w.typed_text);
	free(ui.edit.saved);
	ui.edit.saved = wiz_get(&ui.w, ui.w.typed_path);
	err_clear(&e);
	if (wiz_check(&ui.w, ui.edit.path, sb_str(&ui.edit.text), &e) < 0)
		ui_say(UR_WARN, "Kept from the last session: %s", e.msg);
	(void)wiz_keep_typed(&ui.w, NULL, NULL, &e);
}

static void
hosts_enter(void)
{
	ui.hosts.host = -1;
	ui.hosts.confirm_remove = 0;
	resume_typed();
}

static void
recheck(void)
{
	if (ui.problems.n == 0)
		return;
	wiz_problems_free(&ui.problems);
	wiz_screen_problems(&ui.w, ui.w.screen, &ui.problems);
}

/* Saves the field being typed; 0 when it is valid (or unchanged). */
static int
commit(void)
{
	if (ui_commit_edit() < 0)
		return -1;
	recheck();
	return 0;
}

static void
run_test(void)
{
	char *text;

	if (ui.editing && commit() < 0)
		return;
	ui_clear_results();
	text = wiz_probe_answers(&ui.w, ui.w.screen);
	if (text == NULL)
		ui_say(UR_WARN, "Add a host first: there is nothing to test.");
	else if (wiz_task_start_form(&ui.task, "Hosts", ui.w.data_dir, text,
	    ui.w.path, wiz_screen_at(ui.w.screen)->probe, CHECK_TIMEOUT_MS) < 0)
		ui_say(UR_ERROR, "cannot start the check (no thread)");
	else {
		ui.check_again = run_test;
		ui_say(UR_NORMAL, "Checking the hosts over SSH (at most %d s) ... "
		    "Esc cancels", CHECK_TIMEOUT_MS / 1000);
	}
}

/* Next: on when every host is complete, else to the first fault. */
static void
go_next(void)
{
	wiz_problems_free(&ui.problems);
	wiz_screen_problems(&ui.w, ui.w.screen, &ui.problems);
	if (ui.problems.n == 0) {
		ui_leave(wiz_next(&ui.w, ui.w.screen));
		return;
	}
	ui_say(UR_ERROR, "%s: %s", ui.problems.v[0].path,
	    ui.problems.v[0].message);
	scr_hosts_focus(ui.problems.v[0].path);
}

static void
go_back(void)
{
	ui_leave(wiz_prev(&ui.w, ui.w.screen));
}

static void
ask_remove(int host)
{
	char *name = hosts_value(host, 0), *address = hosts_value(host, 1);

	/* Its result would sit on the host after it. */
	wiz_task_cancel(&ui.task);
	ui_clear_results();
	ui.hosts.confirm_remove = 1;
	ui_say(UR_WARN, "Remove host %s (%s)? y/n", name[0] ? name : "without "
	    "a name", address[0] ? address : "no address");
	free(name);
	free(address);
}

static void
answer_remove(enum ui_action a, int ch)
{
	struct err e;

	if (a != UA_CHAR && a != UA_BACK)
		return;
	ui.hosts.confirm_remove = 0;
	if (a == UA_CHAR && (ch == 'y' || ch == 'Y')) {
		char *name = hosts_value(ui.focus, 0);

		if (wiz_list_remove(&ui.w, "hosts", (size_t)ui.focus, &e) < 0)
			ui_say(UR_ERROR, "%s", e.msg);
		else
			ui_say(UR_NORMAL, "Removed host %s.", name);
		free(name);
		recheck();
		if (ui.focus >= hosts_count())
			ui.focus = hosts_count() > 0 ? hosts_count() - 1 :
			    HB_ADD;
	} else {
		ui_say(UR_NORMAL, "Kept: nothing was removed.");
	}
}

/* The editor's keys, past the text's own: Tab and the arrows move between
 * the fields, Enter too (and ends on the last), Esc drops a change, then
 * ends. Each field is saved when left; one that is not valid keeps the
 * focus, and the message says why. */
static void
editor_key(enum ui_action a, int ch)
{
	int n = hosts_nfields(), k = ui.hosts.field;

	if (form_edit_key(a, ch))
		return;
	if (a == UA_BACK && ui.task.job != NULL) {
		wiz_task_cancel(&ui.task);
		ui_say(UR_WARN, "Check cancelled.");
	} else if (a == UA_BACK && edit_changed(&ui.edit)) {
		edit_revert(&ui.edit);
		ui.message[0] = '\0';
	} else if (a == UA_BACK) {
		close_editor();
	} else if (a == UA_NEXT || a == UA_DOWN || a == UA_PREV ||
	    a == UA_UP || a == UA_ENTER) {
		if (commit() < 0)
			return;
		if (a == UA_ENTER && k == n - 1)
			close_editor();
		else
			load_field((k + (a == UA_PREV || a == UA_UP ? n - 1 : 1)) % n);
	}
}

/* A new host: its fields, past the end of the list until the first is
 * given. */
static void
add_host(void)
{
	open_editor(hosts_count(), 0);
}

static void
press(int button)
{
	static void (*const fn[])(void) = {
		[HB_BACK] = go_back, [HB_ADD] = add_host, [HB_TEST] = run_test,
		[HB_NEXT] = go_next,
	};

	fn[button]();
}

/* The list's keys: the rows and the buttons as one list; Enter edits a
 * host or presses a button, Delete removes a host. */
static void
list_mode_key(enum ui_action a, int ch)
{
	int n = hosts_count(), items = n + HB_COUNT;

	if (list_key(a, items, 5))
		return;
	if (ui.focus >= n && (a == UA_LEFT || a == UA_RIGHT))
		list_key(a == UA_LEFT ? UA_UP : UA_DOWN, items, 1);
	else if (a == UA_ENTER && ui.focus < n)
		open_editor(ui.focus, 0);
	else if (a == UA_ENTER)
		press(ui.focus - n);
	else if (a == UA_DELETE && ui.focus < n)
		ask_remove(ui.focus);
	else if (a == UA_BACK && ui.task.job != NULL) {
		wiz_task_cancel(&ui.task);
		ui_say(UR_WARN, "Check cancelled.");
	} else if (a == UA_BACK)
		go_back();
	else
		ui_common_key(a, ch);
}

static void
hosts_keys(enum ui_action a, int ch)
{
	if (ui_collect_task())
		return;
	if (ui.hosts.confirm_remove)
		answer_remove(a, ch);
	else if (ui.hosts.host >= 0)
		editor_key(a, ch);
	else
		list_mode_key(a, ch);
}

char *
hosts_value(int host, int k)
{
	char *path = hosts_path(host, k), *value = wiz_get(&ui.w, path);

	free(path);
	return value;
}

const struct ui_screen_ops scr_hosts = {
	WS_HOSTS, hosts_enter, hosts_draw, hosts_keys,
	"Up/Down select  Enter edit  Del remove  Tab buttons  Esc back  F1 help",
};
