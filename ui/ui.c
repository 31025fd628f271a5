/*
 * The wizard's loop: map each key to an action, hand it to the screen,
 * redraw once when the state changed, act on the signal flags, and turn a
 * finished live check into the screen's results.
 */
#include "ui.h"
#include "wizard.h"

#include <curses.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ui ui;

static const struct ui_screen_ops *const screen_ops[] = {
	&scr_welcome, &scr_form, &scr_services, &scr_review, &scr_write,
	&scr_upgrade, &scr_hosts,
};

static const struct ui_screen_ops *
ops(void)
{
	enum wiz_screen_kind k = wiz_screen_at(ui.w.screen)->kind;

	for (size_t i = 0; i < sizeof screen_ops / sizeof screen_ops[0]; i++)
		if (screen_ops[i]->kind == k)
			return screen_ops[i];
	return &scr_form;
}

void
ui_say(enum ui_role r, const char *fmt, ...)
{
	va_list ap;

	/* A question on the message line stays until it is answered (a check
	 * that finishes meanwhile must not replace it). */
	if (ui.confirm_quit || ui.confirm_trust)
		return;
	va_start(ap, fmt);
	vsnprintf(ui.message, sizeof ui.message, fmt, ap);
	va_end(ap);
	/* One line: the first problem of several (the rest follow once it is
	 * fixed). */
	ui.message[strcspn(ui.message, "\n")] = '\0';
	ui.message_role = r;
	ui.dirty = 1;
}

/* What the servers said holds for the answers it was said about: the
 * facts and the results of "test every endpoint" go once they change. */
static void
drop_stale_facts(void)
{
	if (ui.facts_revision == ui.w.revision)
		return;
	if (ui.have_facts)
		facts_free(&ui.facts);
	if (ui.have_all_results)
		probe_results_free(&ui.all_results);
	ui.have_facts = ui.have_all_results = 0;
}

void
ui_keep_all_results(void)
{
	ui.facts_revision = ui.w.revision;
}

int
ui_restore_all_results(void)
{
	drop_stale_facts();
	if (!ui.have_all_results)
		return 0;
	ui_clear_results();
	ui.results = ui.all_results;
	ui.have_results = 1;
	memset(&ui.all_results, 0, sizeof ui.all_results);
	ui.have_all_results = 0;
	return 1;
}

/* Forgets what the current screen showed and was doing; the results of
 * "test every endpoint" wait for the Review to come back. */
static void
drop_screen_state(void)
{
	wiz_task_cancel(&ui.task);
	if (ui.have_results && ui.have_facts &&
	    wiz_screen_at(ui.w.screen)->kind == WS_REVIEW) {
		if (ui.have_all_results)
			probe_results_free(&ui.all_results);
		ui.all_results = ui.results;
		ui.have_all_results = 1;
		memset(&ui.results, 0, sizeof ui.results);
		ui.have_results = 0;
	}
	ui_clear_results();
	ui_clear_review();
	wiz_problems_free(&ui.problems);
	if (ui.have_upgrade)
		wiz_upgrade_free(&ui.upgrade);
	if (ui.have_verified)
		findings_free(&ui.verified);
	ui.have_upgrade = ui.have_verified = ui.verifying = 0;
	ui.confirm_backup = 0;
	drop_stale_facts();
}

static void
drop_all_state(void)
{
	drop_screen_state();
	if (ui.have_facts)
		facts_free(&ui.facts);
	if (ui.have_all_results)
		probe_results_free(&ui.all_results);
	ui.have_facts = ui.have_all_results = 0;
}

void
ui_go(size_t screen)
{
	struct err e;

	drop_screen_state();
	viewer_close();
	edit_free(&ui.edit);
	if (screen == ui.return_to)
		ui.return_to = SIZE_MAX;
	ui.editing = 0;
	ui.focus_path = NULL;
	ui.focus = 0;
	ui.scroll = 0;
	ui.message[0] = '\0';
	ui.w.screen = screen;
	/* The screen reached is saved at once: a dropped session resumes
	 * here. */
	if (wiz_save(&ui.w, &e) < 0)
		ui_say(UR_ERROR, "%s", e.msg);
	ops()->enter();
	ui.dirty = 1;
}

void
ui_leave(size_t screen)
{
	ui_go(ui.return_to != SIZE_MAX ? ui.return_to : screen);
}

void
ui_clear_review(void)
{
	if (ui.have_review) {
		findings_free(&ui.findings);
		session_close(&ui.review);
	}
	if (ui.have_output)
		wiz_output_free(&ui.output);
	ui.have_review = ui.have_output = 0;
	free(ui.review_error);
	ui.review_error = NULL;
}

void
ui_draw_review_error(int y)
{
	if (ui.review_error == NULL)
		return;
	y += draw_wrapped(y, 2, ui.cols - 4, 2, UR_NORMAL, "The answers cannot "
	    "be planned yet; go Back to the screen of the answer named:");
	draw_wrapped(y + 1, 2, ui.cols - 4, ui.rows - y - 7, UR_ERROR,
	    ui.review_error);
}

void
ui_refresh_review(void)
{
	struct err e;

	ui_clear_review();
	err_clear(&e);
	ui.have_review = 1;
	if (wiz_review(&ui.w, ui.have_facts ? &ui.facts : NULL, &ui.review,
	    &ui.findings, &e) < 0) {
		ui.review_error = xstrdup(e.msg);
		ui_say(UR_ERROR, "%s", e.msg);
		findings_free(&ui.findings);
		session_close(&ui.review);
		ui.have_review = 0;
	}
}

void
ui_clear_results(void)
{
	if (ui.have_results)
		probe_results_free(&ui.results);
	memset(&ui.results, 0, sizeof ui.results);
	ui.have_results = 0;
}

int
ui_commit_edit(void)
{
	struct err e;

	if (!ui.editing || !edit_changed(&ui.edit))
		return 0;
	err_clear(&e);
	if (wiz_set(&ui.w, ui.edit.path, sb_str(&ui.edit.text), &e) < 0) {
		ui_say(UR_ERROR, "%s", e.msg);
		return -1;
	}
	edit_mark_saved(&ui.edit);
	ui.message[0] = '\0';
	ui.dirty = 1;
	return 0;
}

int
ui_common_key(enum ui_action a, int ch)
{
	if (a == UA_CHAR && ch == 'q')
		ui_request_quit();
	else if (a == UA_CHAR && ch == '?')
		ui.help = 1;
	else
		return 0;
	return 1;
}

void
ui_keep_in_view(int count, int rows)
{
	if (ui.focus >= count)
		return;
	if (ui.focus < ui.scroll)
		ui.scroll = ui.focus;
	if (ui.focus >= ui.scroll + rows)
		ui.scroll = ui.focus - rows + 1;
}

void
ui_request_quit(void)
{
	if (ui.editing && edit_changed(&ui.edit)) {
		ui_say(UR_WARN, "Keep the field you are typing? y: save it and "
		    "quit, n: quit without it, Esc: stay");
		ui.confirm_quit = 1;
		return;
	}
	if (deploy_view_ask_quit())
		return;
	ui.quit = 1;
}

static void
answer_quit(int ch, enum ui_action a)
{
	if (ch == 'y' || ch == 'Y') {
		ui.confirm_quit = 0;
		if (ui_commit_edit() == 0)
			ui.quit = 1;
	} else if (ch == 'n' || ch == 'N') {
		ui.quit = 1;
	} else if (a == UA_BACK) {
		ui.confirm_quit = 0;
		ui.message[0] = '\0';
		ui.dirty = 1;
	}
}

/* y trusts the keys shown (as ssh's accept-new) and checks again. */
static void
answer_trust(int ch, enum ui_action a)
{
	if (ch == 'y' || ch == 'Y') {
		ui.confirm_trust = 0;
		ui.task.accept_new_host_keys = 1;
		ui.check_again();
	} else if (ch == 'n' || ch == 'N' || a == UA_BACK) {
		ui.confirm_trust = 0;
		ui_say(UR_WARN, "Not trusted: nothing was added to "
		    "~/.ssh/known_hosts.");
	}
}

static void
draw(void)
{
	const char *field = ui.focus_path;

	ui.cursor_wanted = 0;
	if (ui.too_small) {
		draw_too_small();
	} else {
		draw_frame(wiz_screen_at(ui.w.screen)->title, ops()->keys);
		ops()->draw();
		if (ui.viewer.open)
			viewer_draw();
		if (ui.help) {
			draw_help(field);
			ui.cursor_wanted = 0;
		}
	}
	/* The cursor last, where the typing goes: left there, the next
	 * keystroke needs no move. */
	if (ui.cursor_wanted)
		move(ui.cursor_y, ui.cursor_x);
	/* Only a change is sent: every byte is latency over SSH. */
	if (ui.cursor_wanted != ui.cursor_shown) {
		curs_set(ui.cursor_wanted);
		ui.cursor_shown = ui.cursor_wanted;
	}
	refresh();
	ui.dirty = 0;
}

static void
handle_action(enum ui_action a, int ch)
{
	if (a == UA_RESIZE || a == UA_REDRAW) {
		term_apply_size();
		clearok(curscr, TRUE);
	} else if (ui.confirm_quit) {
		answer_quit(ch, a);
	} else if (ui.confirm_trust) {
		answer_trust(ch, a);
	} else if (ui.deploy.quit_asked) {
		deploy_view_quit_key(a, ch);
	} else if (ui.help) {
		ui.help = 0;
	} else if (ui.viewer.open && !ui.too_small) {
		viewer_key(a, ch);
	} else if (a == UA_QUIT || (ui.too_small && a == UA_CHAR && ch == 'q')) {
		ui_request_quit();
	} else if (!ui.too_small && a == UA_HELP) {
		ui.help = 1;
	} else if (!ui.too_small) {
		ops()->key(a, ch);
	}
	ui.dirty = 1;
}

/* What a signal leaves: the field being typed is saved if it is valid,
 * and kept beside the answers if it is not (offered again on resume). */
static void
keep_typed_field(void)
{
	struct err e;

	if (!ui.editing || !edit_changed(&ui.edit))
		return;
	if (wiz_set(&ui.w, ui.edit.path, sb_str(&ui.edit.text), &e) < 0)
		(void)wiz_keep_typed(&ui.w, ui.edit.path, sb_str(&ui.edit.text),
		    &e);
}

static void
loop(void)
{
	ui.dirty = 1;
	while (!ui.quit) {
		enum ui_action a;
		int ch;

		if (ui_signal) {
			keep_typed_field();
			return;
		}
		deploy_view_poll();
		if (ui.task.job != NULL || deploy_view_busy()) {
			ui.tick++;
			ui.dirty = 1;
		}
		if (ui.dirty)
			draw();
		a = ui_next_action(&ch);
		/* A finished check first: the screen collects it, and the key
		 * that came with it is not lost. */
		if (ui.task.job != NULL && wiz_task_done(&ui.task)) {
			ops()->key(UA_NONE, 0);
			ui.dirty = 1;
		}
		if (a != UA_NONE)
			handle_action(a, ch);
	}
}

int
ui_wizard(const char *data_dir, const char *answers_path, const char *out_dir)
{
	struct err e;
	int status = 0;

	memset(&ui, 0, sizeof ui);
	ui.return_to = SIZE_MAX;
	err_clear(&e);
	if (wiz_open(&ui.w, data_dir, answers_path, &e) < 0) {
		fprintf(stderr, "sentry-ha-setup: %s\n", e.msg);
		wiz_close(&ui.w);
		return err_exit_status(&e);
	}
	ui.out_dir = xstrdup(out_dir);
	if (term_start() < 0) {
		fprintf(stderr, "sentry-ha-setup: cannot start the terminal "
		    "(TERM=%s)\n", getenv("TERM") ? getenv("TERM") : "");
		status = 3;
	} else {
		ops()->enter();
		loop();
		term_stop();
	}
	deploy_view_free();
	drop_all_state();
	viewer_close();
	if (ui.farewell != NULL)
		fputs(ui.farewell, stdout);
	else if (status == 0)
		printf("Your answers are saved in %s. Run sentry-ha-setup again to "
		    "go on where you stopped.\n", ui.w.path);
	if (ui_signal)
		status = 128 + ui_signal;
	edit_free(&ui.edit);
	free(ui.farewell);
	free(ui.out_dir);
	free(ui.task.label);
	wiz_close(&ui.w);
	return status;
}
