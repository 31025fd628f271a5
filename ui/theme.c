/*
 * Colours as roles. Without colours (NO_COLOR set, or a terminal that has
 * none) every role is told apart by attributes alone.
 */
#include "ui.h"

#include <curses.h>
#include <stdlib.h>

static const struct {
	short	fg, bg;
	int	attr;		/* with colour */
	int	plain;		/* without */
} roles[UR_NROLES] = {
	[UR_NORMAL] = { -1, -1, A_NORMAL, A_NORMAL },
	[UR_TITLE] = { COLOR_WHITE, COLOR_BLUE, A_BOLD, A_REVERSE },
	[UR_FOCUS] = { COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE },
	[UR_ERROR] = { COLOR_RED, -1, A_BOLD, A_BOLD },
	[UR_OK] = { COLOR_GREEN, -1, A_BOLD, A_NORMAL },
	[UR_WARN] = { COLOR_YELLOW, -1, A_BOLD, A_UNDERLINE },
	[UR_DIM] = { -1, -1, A_DIM, A_DIM },
	[UR_STATUS] = { COLOR_BLACK, COLOR_WHITE, A_NORMAL, A_REVERSE },
};

void
theme_init(void)
{
	const char *no_color = getenv("NO_COLOR");

	/* https://no-color.org: present and not empty means no colour. */
	ui.color = has_colors() && (no_color == NULL || no_color[0] == '\0');
	/* vt100 and others have no dim: an empty field's hint (what leaving
	 * it out means) is then told apart by its brackets. */
	ui.dim = (termattrs() & A_DIM) != 0;
	if (!ui.color)
		return;
	start_color();
	use_default_colors();
	for (short r = 1; r < UR_NROLES; r++)
		init_pair(r, roles[r].fg, roles[r].bg);
}

int
theme_attr(enum ui_role r)
{
	if (!ui.color)
		return roles[r].plain;
	return (r == UR_NORMAL ? 0 : (int)COLOR_PAIR(r)) | roles[r].attr;
}
