/*
 * The wizard's terminal front end (curses only; the model is src/wiz.h).
 *
 * One screen is a small module with enter/draw/key (ncdu's and tmux's
 * pattern): draw() paints from the state only, so a resize is a redraw;
 * key() receives an action (keys are mapped once, in keys.c) and changes
 * the state through the model. The one global is the screen state below,
 * which only the main thread touches.
 */
#ifndef SHS_UI_H
#define SHS_UI_H

#include <signal.h>
#include <stddef.h>

#include "edit.h"
#include "ui_action.h"
#include "wiz.h"
#include "wiz_deploy.h"
#include "wiz_run.h"
#include "wiz_task.h"
#include "wiz_upgrade.h"

/* Semantic colour roles (theme.c); plain attributes without colour. */
enum ui_role {
	UR_NORMAL, UR_TITLE, UR_FOCUS, UR_ERROR, UR_OK, UR_WARN, UR_DIM,
	UR_STATUS, UR_NROLES
};

#define UI_MIN_COLS	80
#define UI_MIN_ROWS	24

struct ui_screen_ops {
	enum wiz_screen_kind	 kind;
	void			(*enter)(void);
	void			(*draw)(void);
	void			(*key)(enum ui_action a, int ch);
	const char		*keys;	/* the status line's key hints */
};

/* The state of the whole terminal UI. */
struct ui {
	struct wiz	 w;
	char		*out_dir;	/* where the output goes */
	int		 rows, cols;
	int		 utf8;		/* the locale speaks UTF-8 */
	int		 color;		/* colours in use */
	int		 dim;		/* the terminal can show dim text */
	int		 help;		/* the help panel is open */
	int		 quit;		/* leave the loop */
	int		 dirty;		/* redraw before the next key */
	int		 too_small;
	char		 message[512];	/* above the status line, wrapped */
	enum ui_role	 message_role;
	int		 message_rows;	/* the rows it took when last drawn */
	/* The answer of the focused field, for the help (static, from the
	 * screen tables; NULL when none is focused). */
	const char	*focus_path;
	/* The screen to go back to from one opened from Review (Esc, Back
	 * and Next return there); SIZE_MAX for none. */
	size_t		 return_to;
	int		 reveal;	/* show the password being typed */
	char		 find[40];	/* a list's type-to-find text */
	int		 show_noted;	/* Review lists the applied findings too */
	struct {			/* a text over the screen (viewer.c) */
		int		 open;
		char		*title;
		struct strlist	 lines;
		int		 top;	/* the first line shown */
	} viewer;
	/* The results of "test every endpoint" while another screen is
	 * shown; they and the facts hold while the answers they were found
	 * for stay the same (w.revision then). */
	struct probe_results all_results;
	int		 have_all_results;
	unsigned long	 facts_revision;
	int		 focus;		/* the focused item of the screen */
	int		 scroll;	/* the first row shown of a long list */
	struct edit	 edit;		/* the field being typed */
	int		 editing;	/* edit holds the focused field */
	int		 service_row;	/* Services: the answer being typed */
	int		 confirm_quit;	/* asking whether to keep a typed field */
	/* Asking whether to trust the new SSH host keys a check found, and
	 * how to check again (set by the screen that started the check). */
	int		 confirm_trust;
	void		(*check_again)(void);
	int		 cursor_wanted;	/* the drawn screen shows a text cursor */
	int		 cursor_y, cursor_x;	/* where, placed after all else */
	int		 cursor_shown;	/* what the terminal was last told */
	struct wiz_task	 task;		/* a live check in the background */
	/* What the current screen shows (cleared on every ui_go). */
	struct probe_results results;	/* its last live check */
	int		 have_results;
	struct wiz_problems problems;	/* found when Next was pressed */
	struct facts	 facts;		/* from "test every endpoint" */
	int		 have_facts;	/* (kept across screens) */
	struct session	 review;	/* the saved answers, planned */
	struct findings	 findings;	/* the rules over them */
	int		 have_review;
	char		*review_error;	/* why the answers cannot be planned */
	struct wiz_output output;	/* what Write would write */
	int		 have_output;
	struct wiz_upgrade upgrade;	/* the Upgrade screen's chain */
	int		 have_upgrade;
	struct findings	 verified;	/* its last verification */
	int		 have_verified;
	int		 verifying;	/* the running check verifies a hop */
	int		 confirm_backup;	/* Backup done asked once */
	struct {			/* the Hosts screen (scr_hosts.c) */
		int	 host;		/* the host being edited: its index
					 * (the count for a new one), or -1 */
		int	 field;		/* its field being typed */
		int	 confirm_remove;	/* asking to remove the focused host */
	} hosts;
	unsigned	 tick;		/* spinner frame */
	char		*farewell;	/* printed after the terminal is back */
	struct {			/* the Write screen's Deploy */
		struct deploy		 pending;	/* being asked about */
		int			 asking;
		struct wiz_deploy	*job;		/* started (NULL: not) */
		int			 collected;	/* its outcome said */
		char			*host;		/* where it runs */
		int			 quit_asked;	/* quit while it runs? */
	} deploy;
};

extern struct ui ui;

/* The signal that asked the wizard to end (SIGHUP, SIGINT, SIGTERM), set
 * by the handlers (which do nothing else) and read by the loop. */
extern volatile sig_atomic_t ui_signal;

/* term.c */
int	term_start(void);
void	term_stop(void);
void	term_apply_size(void);

/* keymap.c: the action a key stands for: `key` is a character, or a
 * curses KEY_* code when `function`. UA_CHAR sets *ch to the character. */
enum ui_action keymap_action(int key, int function, int *ch);
/* keyread.c: the next action (UA_CHAR: *ch), or UA_NONE after a wait that
 * is shorter while a spinner turns. */
enum ui_action ui_next_action(int *ch);

/* theme.c */
void	theme_init(void);
int	theme_attr(enum ui_role r);

/* draw.c: the frame, text and widgets, all from state. */
/* The title, the message (wrapped to three rows) and the status line. */
void	draw_frame(const char *title, const char *keys);
/* The last row the body of a screen may use: above the message. */
int	ui_body_end(void);
void	draw_text(int y, int x, int width, enum ui_role r, const char *text);
/* As draw_text, with a mark (…) where the text is cut. */
void	draw_clipped(int y, int x, int width, enum ui_role r, const char *text);
void	draw_box(int top, int left, int height, int width);
/* Wrapped text from row y; returns the rows used (at most max_rows). */
int	draw_wrapped(int y, int x, int width, int max_rows, enum ui_role r,
	    const char *text);
/* The rows a text takes wrapped to `width` (at least one). */
int	draw_wrapped_rows(const char *text, int width);
void	draw_button(int y, int x, const char *label, int focused);
void	draw_help(const char *key);
void	draw_too_small(void);
/* The spinner's next frame (static). */
const char *draw_spinner(void);
/* A horizontal rule. */
void	draw_rule(int y);

/* The screens (scr_*.c), and moving between them (ui.c). */
extern const struct ui_screen_ops scr_welcome, scr_form, scr_services,
    scr_review, scr_write, scr_upgrade, scr_hosts;
void	ui_go(size_t screen);
/* Back or Next from a screen: to `screen`, or to the Review when the
 * Review opened this one. */
void	ui_leave(size_t screen);
/* On a form, focus the field of `path` (or the one that holds it). */
void	scr_form_focus(const char *path);
/* On the Hosts screen, edit the host and field of `path` ("hosts[1].port"). */
void	scr_hosts_focus(const char *path);
/* On the services screen, focus the service `name`. */
void	scr_services_focus(const char *name);
void	ui_say(enum ui_role r, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* Saves the field being typed if it is valid; 0 when nothing is pending. */
int	ui_commit_edit(void);
/* Plans the saved answers and runs the rules (with the facts of the last
 * "test every endpoint"); says what is wrong when they cannot be planned. */
void	ui_refresh_review(void);
void	ui_clear_review(void);
/* Why the answers cannot be planned, in full, from row y (if so). */
void	ui_draw_review_error(int y);
/* "Test every endpoint" finished: its facts and results hold for the
 * answers as they are now. */
void	ui_keep_all_results(void);
/* Back on the Review: its results, if the answers stayed the same; 1 when
 * there are some. */
int	ui_restore_all_results(void);
/* Forget the last live check's results. */
void	ui_clear_results(void);
/* Collects a finished live check into ui.results (and the facts); 1 when
 * there was one. */
int	ui_collect_task(void);
/* The spinner, and how far the running check is ("3 of 7 done, 1.2 s");
 * static. */
const char *ui_task_progress(void);
/* Draws ui.results from row y on, in at most max_rows; the rows used. */
int	ui_draw_results(int y, int max_rows);
/* One of them: its head, detail, what it learnt of the machine (about)
 * and the fix; the rows used. */
int	ui_draw_result(int y, int max_rows, const struct probe_result *r);
/* The keys every screen shares outside a text field: q quits, ? helps.
 * 1 when the key was one of them. */
int	ui_common_key(enum ui_action a, int ch);
/* Scrolls a list of `count` rows, `rows` of them shown, so that the
 * focused row is in view. */
void	ui_keep_in_view(int count, int rows);
/* viewer.c: a text over the screen (takes the lines), its keys while it
 * is open, and its drawing. */
void	viewer_open(const char *title, struct strlist *lines);
void	viewer_close(void);
void	viewer_key(enum ui_action a, int ch);
void	viewer_draw(void);
/* list.c: moves ui.focus over `count` items (rows, then buttons) for the
 * list keys, `page` at a time for PgUp/PgDn; 1 when the key was one. */
int	list_key(enum ui_action a, int count, int page);
/* "12-30 of 50" at the right of row y, when `count` rows do not fit in
 * `rows` (ui.scroll is the first shown). */
void	list_draw_position(int y, int count, int rows);
/* deploy_view.c: the Write screen's Deploy, once the output is written.
 * May the output be deployed from here (Swarm, with hosts)? */
int	deploy_view_offered(void);
/* Deploy pressed: what will happen, and the question. */
void	deploy_view_ask(void);
/* The answer to the question, and the log's keys; 1 when the key was
 * taken. */
int	deploy_view_key(enum ui_action a, int ch);
/* A deploy runs: the loop redraws often. */
int	deploy_view_busy(void);
/* A finished deploy: its outcome on the message line, once. */
void	deploy_view_poll(void);
/* The question's text or the log's last lines in rows top..end-1; 0
 * when there is neither (the screen draws its own). */
int	deploy_view_draw(int top, int end);
/* The whole log in the viewer. */
void	deploy_view_open_log(void);
/* Quitting while a deploy runs asks first, with what quitting leaves
 * there: 1 when it asked (the answer comes to deploy_view_quit_key). */
int	deploy_view_ask_quit(void);
void	deploy_view_quit_key(enum ui_action a, int ch);
void	deploy_view_free(void);
/* Leave the wizard (F10, q): asks first when a typed field is unsaved. */
void	ui_request_quit(void);

#endif
