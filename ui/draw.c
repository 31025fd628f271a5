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

void
draw_frame(const char *title, const char *keys)
{
	char left[256], right[64];
	size_t shown = 0, at = 0;

	erase();
	for (size_t i = 0; i < wiz_screen_count(); i++) {
		if (!wiz_screen_shown(&ui.w, i))
			continue;
		shown++;
		if (i <= ui.w.screen)
			at = shown;
	}
	snprintf(left, sizeof left, " sentry-ha-setup  %s", title);
	snprintf(right, sizeof right, "step %zu of %zu ", at, shown);
	attrset(theme_attr(UR_TITLE));
	mvhline(0, 0, ' ', ui.cols);
	draw_text(0, 0, ui.cols, UR_TITLE, left);
	draw_text(0, ui.cols - (int)strlen(right), (int)strlen(right), UR_TITLE,
	    right);
	draw_text(ui.rows - 2, 1, ui.cols - 2, ui.message_role, ui.message);
	attrset(theme_attr(UR_STATUS));
	mvhline(ui.rows - 1, 0, ' ', ui.cols);
	draw_text(ui.rows - 1, 1, ui.cols - 2, UR_STATUS, keys);
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

/* A box over most of the screen with the help of the screen and of the
 * focused field. */
void
draw_help(const char *field_key)
{
	const struct wiz_screen *s = wiz_screen_at(ui.w.screen);
	char *key = xasprintf("screen %s", s->id);
	int top = 2, left = 4, width = ui.cols - 8, height = ui.rows - 5, y;

	attrset(theme_attr(UR_NORMAL));
	for (int r = top; r < top + height; r++)
		mvhline(r, left, ' ', width);
	draw_text(top, left, width, UR_TITLE, " Help ");
	y = top + 2;
	y += draw_wrapped(y, left + 2, width - 4, height - 6, UR_NORMAL,
	    wiz_help(&ui.w, key));
	free(key);
	if (field_key != NULL) {
		key = xasprintf("field %s", field_key);
		y++;
		draw_wrapped(y, left + 2, width - 4, top + height - y - 2, UR_NORMAL,
		    wiz_help(&ui.w, key));
		free(key);
	}
	draw_text(top + height - 2, left + 2, width - 4, UR_DIM, "Keys: Tab/S-Tab "
	    "move, Left/Right choose, Enter confirm, PgDn/PgUp next/previous "
	    "page, Esc back, F10 or q quit.");
	draw_text(top + height - 1, left + 2, width - 4, UR_DIM,
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
