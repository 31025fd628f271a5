/*
 * The one list widget every screen's list uses: the focus moves with Up,
 * Down, Home, End, PgUp and PgDn over `count` items (the list's rows and
 * then its buttons), the rows scroll with it, and a list longer than its
 * rows says where it stands ("12-30 of 50").
 */
#include "ui.h"

#include <stdio.h>
#include <string.h>

int
list_key(enum ui_action a, int count, int page)
{
	int last = count - 1, to = ui.focus;

	switch (a) {
	case UA_DOWN: case UA_NEXT:
		to = ui.focus < last ? ui.focus + 1 : 0;
		break;
	case UA_UP: case UA_PREV:
		to = ui.focus > 0 ? ui.focus - 1 : last;
		break;
	case UA_HOME:
		to = 0;
		break;
	case UA_END:
		to = last;
		break;
	case UA_PAGE_DOWN:
		to = ui.focus + page > last ? last : ui.focus + page;
		break;
	case UA_PAGE_UP:
		to = ui.focus - page < 0 ? 0 : ui.focus - page;
		break;
	default:
		return 0;
	}
	ui.focus = to;
	return 1;
}

void
list_draw_position(int y, int count, int rows)
{
	char text[64];

	if (count <= rows)
		return;
	snprintf(text, sizeof text, "%s %d-%d of %d", ui.utf8 ? "\u2195" :
	    "+/-", ui.scroll + 1, ui.scroll + rows < count ? ui.scroll + rows :
	    count, count);
	draw_text(y, ui.cols - 2 - (int)strlen(text) + (ui.utf8 ? 2 : 0),
	    (int)strlen(text), UR_DIM, text);
}
