/* What a key means to the wizard, whatever key it was (keymap.c and
 * keyseq.c map keys to these; the screens act on them). */
#ifndef SHS_UI_ACTION_H
#define SHS_UI_ACTION_H

enum ui_action {
	UA_NONE, UA_CHAR, UA_NEXT, UA_PREV, UA_UP, UA_DOWN, UA_LEFT, UA_RIGHT,
	UA_HOME, UA_END, UA_BACKSPACE, UA_DELETE, UA_ENTER, UA_BACK, UA_QUIT,
	UA_HELP, UA_REDRAW, UA_PAGE_UP, UA_PAGE_DOWN, UA_RESIZE,
	UA_KILL_LINE, UA_KILL_WORD, UA_KILL_END, UA_REVEAL,
};

#endif
