/*
 * The terminal: curses on and off, the locale's line drawing, and the
 * signals. Handlers only set flags; the loop (ui.c) acts on them. The
 * terminal is given back on every way out: a normal end, an error, and
 * SIGINT, SIGTERM and SIGHUP (through the loop), atexit() for the rest, and
 * the core's fatal hook before it aborts (out of memory).
 */
#include "ui.h"

#include <curses.h>
#include <langinfo.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

volatile sig_atomic_t ui_signal;

static SCREEN *screen;

static void
on_signal(int sig)
{
	ui_signal = sig;
}

static void
catch(int sig, void (*handler)(int))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = handler;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: a signal ends the wait for a key at once. */
	sigaction(sig, &sa, NULL);
}

static void
restore_at_exit(void)
{
	term_stop();
}

/* Before the core aborts (err.h: fatal): the terminal back, allocating
 * nothing, so that its message lands on a usable screen. */
static void
restore_before_abort(void)
{
	if (screen != NULL)
		endwin();
}

void
term_apply_size(void)
{
	getmaxyx(stdscr, ui.rows, ui.cols);
	ui.too_small = ui.rows < UI_MIN_ROWS || ui.cols < UI_MIN_COLS;
}

int
term_start(void)
{
	const char *codeset;

	setlocale(LC_ALL, "");
	codeset = nl_langinfo(CODESET);
	ui.utf8 = codeset != NULL && (strcasecmp(codeset, "UTF-8") == 0 ||
	    strcasecmp(codeset, "utf8") == 0);
	catch(SIGHUP, on_signal);
	catch(SIGTERM, on_signal);
	catch(SIGINT, on_signal);
	signal(SIGPIPE, SIG_IGN);
	/* newterm, not initscr: initscr exits on an unknown TERM by itself. */
	if ((screen = newterm(NULL, stdout, stdin)) == NULL)
		return -1;
	set_term(screen);
	atexit(restore_at_exit);
	fatal_set_hook(restore_before_abort);
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	/* Esc must not wait a second for a function key's bytes. */
	set_escdelay(25);
	theme_init();
	curs_set(0);
	ui.cursor_shown = 0;
	term_apply_size();
	return 0;
}

void
term_stop(void)
{
	if (screen == NULL)
		return;
	curs_set(1);
	endwin();
	delscreen(screen);
	screen = NULL;
}
