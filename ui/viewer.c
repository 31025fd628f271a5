/*
 * A text over the screen, scrolled with the list keys and closed with
 * Esc, q or Enter: the Write screen shows a file's changes in it.
 */
#include "ui.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
viewer_open(const char *title, struct strlist *lines)
{
	viewer_close();
	ui.viewer.title = xstrdup(title);
	ui.viewer.lines = *lines;
	memset(lines, 0, sizeof *lines);
	ui.viewer.top = 0;
	ui.viewer.open = 1;
}

void
viewer_close(void)
{
	free(ui.viewer.title);
	sl_free(&ui.viewer.lines);
	memset(&ui.viewer, 0, sizeof ui.viewer);
}

static int
page(void)
{
	return ui.rows - 6;
}

void
viewer_key(enum ui_action a, int ch)
{
	int last = (int)ui.viewer.lines.n - page(), top = ui.viewer.top;

	if (a == UA_BACK || a == UA_ENTER || (a == UA_CHAR && ch == 'q')) {
		viewer_close();
		return;
	}
	if (a == UA_DOWN)
		top++;
	else if (a == UA_UP)
		top--;
	else if (a == UA_PAGE_DOWN || (a == UA_CHAR && ch == ' '))
		top += page() - 1;
	else if (a == UA_PAGE_UP)
		top -= page() - 1;
	else if (a == UA_HOME)
		top = 0;
	else if (a == UA_END)
		top = last;
	ui.viewer.top = top > last ? last : top;
	if (ui.viewer.top < 0)
		ui.viewer.top = 0;
}

void
viewer_draw(void)
{
	int top = 1, left = 1, width = ui.cols - 2, height = ui.rows - 2;
	int n = (int)ui.viewer.lines.n;
	char pos[64];

	attrset(theme_attr(UR_NORMAL));
	for (int r = top; r < top + height; r++)
		mvhline(r, left, ' ', width);
	draw_box(top, left, height, width);
	draw_clipped(top, left + 2, width - 4, UR_TITLE, ui.viewer.title);
	for (int i = 0; i < page() && ui.viewer.top + i < n; i++) {
		const char *line = ui.viewer.lines.v[ui.viewer.top + i];

		draw_clipped(top + 1 + i, left + 2, width - 4, line[0] == '-' ?
		    UR_ERROR : line[0] == '+' ? UR_OK : line[0] == '@' ? UR_DIM :
		    UR_NORMAL, line);
	}
	snprintf(pos, sizeof pos, " %d-%d of %d  Up/Down/PgDn scroll, Esc "
	    "closes ", n ? ui.viewer.top + 1 : 0, ui.viewer.top + page() < n ?
	    ui.viewer.top + page() : n, n);
	draw_clipped(top + height - 1, left + 2, width - 4, UR_DIM, pos);
}
