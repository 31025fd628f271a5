/*
 * Reading keys: curses' own, and the escape sequences it did not make a
 * key of (keyseq.c), so that no byte of one is typed into a field and no
 * key that follows an Esc is lost.
 */
#include "keyseq.h"
#include "ui.h"

#include <curses.h>
#include <stdlib.h>
#include <wchar.h>

/* How long the rest of an escape sequence may take to arrive after its
 * Esc: a sequence comes in one write, a person is slower. */
#define ESC_FOLLOW_MS	30

/* A key as curses read it (a character, or a KEY_* code when *function);
 * ERR after `ms` milliseconds without one. */
static int
read_key(int ms, int *function)
{
	wint_t wc;
	int rc;

	timeout(ms);
	if (!ui.utf8) {
		/* Bytes, so that one the locale cannot decode is seen (and
		 * refused out loud) rather than dropped by get_wch. */
		rc = getch();
		*function = rc >= KEY_MIN;
		return rc;
	}
	rc = get_wch(&wc);
	*function = rc == KEY_CODE_YES;
	return rc == ERR ? ERR : (int)wc;
}

/* Gives back a key read too far, for the next read_key(). */
static void
unread_key(int key, int function)
{
	if (ui.utf8 && !function)
		unget_wch((wchar_t)key);
	else
		ungetch(key);
}

/* After an Esc that curses did not make a key of: the rest of the
 * sequence, read here (keyseq.c), so that none of it is typed. Over SSH
 * an Esc and the next key often arrive in one read: a key that cannot
 * belong to a sequence (one curses decoded, a control key such as Enter,
 * Tab or another Esc, a non-ASCII character) ends the Esc and is read
 * again as itself, never lost. */
static enum ui_action
escape_sequence(void)
{
	char bytes[16];
	size_t n = 0;
	enum ui_action a = UA_NONE;
	enum keyseq_state st = KS_ESC;

	for (;;) {
		int function, key = read_key(ESC_FOLLOW_MS, &function);

		if (key == ERR)
			break;
		if (function || key > 0x7e || key < 0x20) {
			unread_key(key, function);
			break;
		}
		bytes[n++] = (char)key;
		st = keyseq_decode(bytes, n, &a);
		if (st != KS_MORE)
			break;
	}
	if (n == 0)
		return UA_BACK;		/* the Esc key itself */
	return st == KS_KEY ? a : UA_NONE;
}

enum ui_action
ui_next_action(int *ch)
{
	int function, key = read_key(ui.task.job || deploy_view_busy() ? 100 :
	    1000, &function);
	enum ui_action a;

	*ch = 0;
	if (key == ERR)
		return UA_NONE;
	if (!function && key == 27)
		return escape_sequence();
	a = keymap_action(key, function, ch);
	/* Characters the locale cannot encode would be lost silently. */
	if (a == UA_CHAR && !ui.utf8 && *ch > 0x7e) {
		ui_say(UR_WARN, "Only ASCII can be typed in this locale (LANG=%s); "
		    "start the wizard with LANG=C.UTF-8 for other characters.",
		    getenv("LANG") ? getenv("LANG") : "");
		return UA_NONE;
	}
	return a;
}
