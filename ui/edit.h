/*
 * The one-line editor of a form field: UTF-8 text with a cursor, masked
 * for passwords. No curses here: draw.c and the screens show it.
 */
#ifndef SHS_UI_EDIT_H
#define SHS_UI_EDIT_H

#include <stddef.h>

#include "xmem.h"

struct edit {
	struct strbuf	 text;
	size_t		 cursor;	/* a byte offset on a character boundary */
	char		*path;		/* the answer being typed (owned) */
	char		*saved;		/* what the answers hold (owned) */
	int		 masked;	/* shown as dots: a password */
};

/* Starts typing `path`, whose stored value is `text`. */
void	edit_load(struct edit *e, const char *path, const char *text, int masked);
void	edit_free(struct edit *e);
/* Has the text changed since it was loaded or saved? */
int	edit_changed(const struct edit *e);
/* The text is what the answers hold now. */
void	edit_mark_saved(struct edit *e);
/* Back to what the answers hold. */
void	edit_revert(struct edit *e);

void	edit_insert(struct edit *e, const char *utf8);
void	edit_backspace(struct edit *e);
void	edit_delete(struct edit *e);
void	edit_left(struct edit *e);
void	edit_right(struct edit *e);
void	edit_home(struct edit *e);
void	edit_end(struct edit *e);
/* As in a shell: Ctrl-U the text before the cursor, Ctrl-W the word
 * before it (and the blanks after that word), Ctrl-K the rest. */
void	edit_kill_line(struct edit *e);
void	edit_kill_word(struct edit *e);
void	edit_kill_end(struct edit *e);

/*
 * What `width` columns show (scrolled so the cursor is in view; masked
 * text as `mask`, shown as typed when mask is NULL), and the cursor's
 * column in it. A password that refers
 * to where it is (env:NAME, file:PATH) is shown as typed.
 */
void	edit_view(const struct edit *e, int width, const char *mask,
	    struct strbuf *out, int *cursor_col);

#endif
