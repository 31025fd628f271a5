/* Keys to actions, as one table (the status lines name them). */
#include "ui.h"

#include <curses.h>

#define CTRL(c)	((c) & 0x1f)

static const struct {
	int		 key;
	enum ui_action	 action;
} table[] = {
	{ '\t', UA_NEXT }, { KEY_BTAB, UA_PREV }, { KEY_UP, UA_UP },
	{ KEY_DOWN, UA_DOWN }, { KEY_LEFT, UA_LEFT }, { KEY_RIGHT, UA_RIGHT },
	{ KEY_HOME, UA_HOME }, { CTRL('a'), UA_HOME }, { KEY_END, UA_END },
	{ CTRL('e'), UA_END }, { KEY_BACKSPACE, UA_BACKSPACE },
	{ 127, UA_BACKSPACE }, { CTRL('h'), UA_BACKSPACE },
	{ KEY_DC, UA_DELETE }, { '\r', UA_ENTER }, { '\n', UA_ENTER },
	{ KEY_ENTER, UA_ENTER }, { 27, UA_BACK }, { KEY_F(10), UA_QUIT },
	{ KEY_F(1), UA_HELP }, { CTRL('l'), UA_REDRAW }, { KEY_PPAGE, UA_PAGE_UP },
	{ KEY_NPAGE, UA_PAGE_DOWN }, { KEY_RESIZE, UA_RESIZE },
	{ CTRL('u'), UA_KILL_LINE }, { CTRL('w'), UA_KILL_WORD },
	{ CTRL('k'), UA_KILL_END }, { CTRL('r'), UA_REVEAL },
	{ KEY_F(2), UA_REVEAL }, { KEY_SHOME, UA_HOME }, { KEY_SEND, UA_END },
	{ KEY_FIND, UA_HOME }, { KEY_SELECT, UA_END }, { KEY_A1, UA_HOME },
	{ KEY_C1, UA_END }, { KEY_A3, UA_PAGE_UP }, { KEY_C3, UA_PAGE_DOWN },
};

enum ui_action
keymap_action(int key, int function, int *ch)
{
	*ch = 0;
	if (key == ERR)
		return UA_NONE;
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
		if (table[i].key == key && (function || key < KEY_MIN))
			return table[i].action;
	if (!function && key >= ' ' && key != 127) {
		*ch = key;	/* a character, any code point */
		return UA_CHAR;
	}
	return UA_NONE;
}
