/*
 * Drawing from state: the frame (title, message and status lines), text
 * clipped and wrapped to the terminal, buttons, the help panel. Line
 * drawing is Unicode when the locale is UTF-8 and ASCII otherwise.
 */
#include "ui.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

/* The bytes of s that fit in `cols` terminal columns. */
static int
bytes_for(const char *s, int cols)
{
	size_t i = 0, left = strlen(s);
	mbstate_t st;

	memset(&st, 0, sizeof st);
	while (i < left) {
		wchar_t wc;
		size_t n = mbrtowc(&wc, s + i, left - i, &st);
		int w;

		if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
			memset(&st, 0, sizeof st);
			n = 1;
			w = 1;
		} else {
			w = wcwidth(wc) < 0 ? 1 : wcwidth(wc);
		}
		if (w > cols)
			break;
		cols -= w;
		i += n;
	}
	return (int)i;
}

void
draw_text(int y, int x, int width, enum ui_role r, const char *text)
{
	if (width <= 0 || y < 0 || y >= ui.rows)
		return;
	attrset(theme_attr(r));
	mvaddnstr(y, x, text, bytes_for(text, width));
	attrset(A_NORMAL);
}

int
draw_wrapped(int y, int x, int width, int max_rows, enum ui_role r,
    const char *text)
{
	struct strbuf sb = STRBUF_INIT;
	const char *line;
	int n = 0;

	if (text == NULL || text[0] == '\0' || width < 10)
		return 0;
	sb_wrap(&sb, "", text, 0, width);
	for (line = sb_str(&sb); *line != '\0' && n < max_rows; n++) {
		const char *end = strchr(line, '\n');
		char *one = xstrndup(line, end ? (size_t)(end - line) : strlen(line));

		draw_text(y + n, x, width, r, one);
		free(one);
		line = end ? end + 1 : line + strlen(line);
	}
	sb_free(&sb);
	return n;
}

void
draw_rule(int y)
{
	attrset(theme_attr(UR_DIM));
	for (int x = 0; x < ui.cols; x++)
		mvaddstr(y, x, ui.utf8 ? "\u2500" : "-");
	attrset(A_NORMAL);
}

int
draw_wrapped_rows(const char *text, int width)
{
	struct strbuf sb = STRBUF_INIT;
	int n = 1;

	if (text == NULL || text[0] == '\0' || width < 10)
		return 1;
	sb_wrap(&sb, "", text, 0, width);
	for (const char *p = sb_str(&sb); *p != '\0'; p++)
		if (*p == '\n' && p[1] != '\0')
			n++;
	sb_free(&sb);
	return n;
}

int
ui_body_end(void)
{
	return ui.rows - 3 - ui.message_rows;
}

void
draw_frame(const char *title, const char *keys)
{
	char left[256], right[64];
	size_t shown = 0, at = 0;
	int m;

	erase();
	for (size_t i = 0; i < wiz_screen_count(); i++) {
		if (!wiz_screen_shown(&ui.w, i))
			continue;
		shown++;
		if (i <= ui.w.screen)
			at = shown;
	}
	snprintf(left, sizeof left, " sentry-ha-setup  %s", title);
	/* A screen outside the order (Upgrade) is no step of it. */
	if (wiz_screen_shown(&ui.w, ui.w.screen))
		snprintf(right, sizeof right, "step %zu of %zu ", at, shown);
	else
		right[0] = '\0';
	attrset(theme_attr(UR_TITLE));
	mvhline(0, 0, ' ', ui.cols);
	draw_text(0, 0, ui.cols, UR_TITLE, left);
	draw_text(0, ui.cols - (int)strlen(right), (int)strlen(right), UR_TITLE,
	    right);
	/* The message wraps to three rows above the status line; the body
	 * ends above it (ui_body_end), so that nothing overlaps. */
	m = draw_wrapped_rows(ui.message, ui.cols - 2);
	ui.message_rows = m > 3 ? 3 : m;
	draw_wrapped(ui.rows - 1 - ui.message_rows, 1, ui.cols - 2,
	    ui.message_rows, ui.message_role, ui.message);
	attrset(theme_attr(UR_STATUS));
	mvhline(ui.rows - 1, 0, ' ', ui.cols);
	draw_text(ui.rows - 1, 1, ui.cols - 2, UR_STATUS, keys);
	attrset(A_NORMAL);
}

void
draw_clipped(int y, int x, int width, enum ui_role r, const char *text)
{
	const char *more = ui.utf8 ? "\u2026" : "~";
	int fit;

	if (width <= 1)
		return;
	fit = bytes_for(text, width);
	if (text[fit] == '\0') {
		draw_text(y, x, width, r, text);
		return;
	}
	/* A value cut without a mark reads as a whole one ("...:90" as port
	 * 90). */
	fit = bytes_for(text, width - 1);
	attrset(theme_attr(r));
	mvaddnstr(y, x, text, fit);
	attrset(theme_attr(UR_DIM) | theme_attr(r));
	addstr(more);
	attrset(A_NORMAL);
}

void
draw_button(int y, int x, const char *label, int focused)
{
	char text[64];

	snprintf(text, sizeof text, "[ %s ]", label);
	draw_text(y, x, (int)strlen(text), focused ? UR_FOCUS : UR_NORMAL, text);
}

const char *
draw_spinner(void)
{
	static const char *const ascii[] = { "|", "/", "-", "\\" };
	static const char *const braille[] = { "\u280b", "\u2819", "\u2839",
		"\u2838", "\u283c", "\u2834", "\u2826", "\u2827", "\u2807",
		"\u280f" };

	return ui.utf8 ? braille[ui.tick % 10] : ascii[ui.tick % 4];
}

void
draw_box(int top, int left, int height, int width)
{
	const char *h = ui.utf8 ? "\u2500" : "-", *v = ui.utf8 ? "\u2502" : "|";
	const char *corner[4] = { "+", "+", "+", "+" };
	int bottom = top + height - 1, right = left + width - 1;

	if (ui.utf8) {
		corner[0] = "\u250c";
		corner[1] = "\u2510";
		corner[2] = "\u2514";
		corner[3] = "\u2518";
	}
	attrset(theme_attr(UR_DIM));
	for (int x = left + 1; x < right; x++) {
		mvaddstr(top, x, h);
		mvaddstr(bottom, x, h);
	}
	for (int y = top + 1; y < bottom; y++) {
		mvaddstr(y, left, v);
		mvaddstr(y, right, v);
	}
	mvaddstr(top, left, corner[0]);
	mvaddstr(top, right, corner[1]);
	mvaddstr(bottom, left, corner[2]);
	mvaddstr(bottom, right, corner[3]);
	attrset(A_NORMAL);
}

/* A framed box over most of the screen (the text below does not show
 * through): the help of the screen and of the focused field. */
void
draw_help(const char *field_key)
{
	const struct wiz_screen *s = wiz_screen_at(ui.w.screen);
	char *key = xasprintf("screen %s", s->id);
	int top = 2, left = 3, width = ui.cols - 6, height = ui.rows - 4, y;
	int bottom = top + height - 1;

	attrset(theme_attr(UR_NORMAL));
	for (int r = top; r <= bottom; r++)
		mvhline(r, left, ' ', width);
	draw_box(top, left, height, width);
	draw_text(top, left + 2, width - 4, UR_TITLE, " Help ");
	y = top + 1;
	y += draw_wrapped(y, left + 2, width - 4, height - 7, UR_NORMAL,
	    wiz_help(&ui.w, key));
	free(key);
	if (field_key != NULL) {
		key = xasprintf("field %s", field_key);
		y++;
		draw_wrapped(y, left + 2, width - 4, bottom - y - 5, UR_NORMAL,
		    wiz_help(&ui.w, key));
		free(key);
	}
	draw_wrapped(bottom - 4, left + 2, width - 4, 3, UR_DIM, "Keys: Tab "
	    "and Shift-Tab move, Left/Right choose, Enter confirms, PgDn/PgUp "
	    "next/previous page, Esc back, Ctrl-U/W/K erase, Ctrl-R shows a "
	    "password, F10 or q quits.");
	draw_text(bottom - 1, left + 2, width - 4, UR_DIM,
	    "Press any key to close this help.");
}

void
draw_too_small(void)
{
	char text[128];

	int used;

	erase();
	snprintf(text, sizeof text, "The terminal is %dx%d; the wizard needs "
	    "%dx%d. Enlarge the window (or press F10 to quit).", ui.cols,
	    ui.rows, UI_MIN_COLS, UI_MIN_ROWS);
	used = draw_wrapped(0, 0, ui.cols, ui.rows, UR_ERROR, text);
	/* A question asked before the terminal shrank stays visible. */
	if (ui.message[0] != '\0' && used + 1 < ui.rows)
		draw_wrapped(used + 1, 0, ui.cols, ui.rows - used - 1,
		    ui.message_role, ui.message);
}
