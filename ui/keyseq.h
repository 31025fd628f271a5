/*
 * Escape sequences read by the wizard itself (keyseq.c), for the keys a
 * terminal sends that its TERM entry does not name. No curses here, so
 * that the unit tests can feed it bytes.
 */
#ifndef SHS_UI_KEYSEQ_H
#define SHS_UI_KEYSEQ_H

#include <stddef.h>

#include "ui_action.h"

enum keyseq_state {
	KS_ESC,		/* nothing followed the Esc: the Esc key itself */
	KS_MORE,	/* a sequence has begun: read on */
	KS_KEY,		/* a known sequence: *action is its key */
	KS_SWALLOWED,	/* a complete sequence (or Alt-key) with no meaning here */
};

/* What the `n` bytes that followed an Esc are. */
enum keyseq_state keyseq_decode(const char *bytes, size_t n,
	    enum ui_action *action);

#endif
