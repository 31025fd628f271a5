/*
 * The wizard's model, without a terminal: the screens and their fields (as
 * tables), the answers being written (a YAML tree, so that a half-filled
 * file can be kept and resumed), validation as typed, and the steps that
 * run the core (a live check of one form, the rules, writing the output).
 * ui/ draws it; the unit tests drive it directly.
 *
 * The answers file is saved after every completed field (atomically, mode
 * 0600 since it may hold passwords), and the screen reached is kept beside
 * it in NAME.wizard, so a killed session resumes where it was.
 *
 * Each group of declarations below names the file that defines it; the
 * steps that run the core are in wiz_run.h, the background checks in
 * wiz_task.h.
 */
#ifndef SHS_WIZ_H
#define SHS_WIZ_H

#include "err.h"
#include "profile.h"
#include "xmem.h"
#include "ynode.h"

enum wiz_kind {
	WF_TEXT,	/* one line of text */
	WF_NUMBER,	/* an integer */
	WF_SECRET,	/* a password: masked; "env:NAME" or "file:PATH" refer */
	WF_CHOICE,	/* one of the field's choices */
	WF_LIST,	/* HOST:PORT, ...: a list, typed comma-separated */
	WF_MAP,		/* key=value, ...: a mapping (node selectors) */
	WF_TOLERATIONS,	/* key=value:Effect, ... (wiz_objtext.c) */
	WF_REPLICAS,	/* the services table (services.NAME.replicas) */
};

struct wiz;

/* A field of a form. What it holds (its kind, choices and default) is the
 * answer's own definition in the field table (answers_field()). */
struct wiz_field {
	const char	*path;		/* the answer: "postgres.host" */
	const char	*label;		/* "Host" */
	/* Shown only when this holds (NULL: always). */
	int		(*shown)(const struct wiz *w);
	/* Choices that depend on earlier answers (the releases; the volume
	 * kinds the orchestrator can mount); NULL: the answer's own. */
	void		(*choices_fn)(const struct wiz *w, struct strlist *out);
};

enum wiz_screen_kind {
	WS_WELCOME,	/* new or resume; where files go */
	WS_FORM,	/* fields */
	WS_HOSTS,	/* the Swarm nodes of hosts: (a list of objects) */
	WS_SERVICES,	/* every service: role, replicas, findings */
	WS_REVIEW,	/* every finding; errors block writing */
	WS_WRITE,	/* what will be written, then the summary */
	WS_UPGRADE,	/* the hops to a newer release (from Welcome) */
};

struct wiz_screen {
	const char		*id;		/* "postgres": its help topic, and where a
						 * resumed session stands */
	const char		*title;
	enum wiz_screen_kind	 kind;
	const struct wiz_field	*fields;
	size_t			 nfields;
	const char		*probe;		/* the probe names of its "test" action */
	int			(*shown)(const struct wiz *w);
};

struct wiz {
	struct ynode		*doc;		/* the answers (a mapping) */
	char			*path;		/* the answers file */
	char			*state_path;	/* NAME.wizard */
	char			*data_dir;	/* profiles/ and assets/ */
	struct releases		 releases;	/* the profiles, by release */
	struct ynode		*help;		/* assets/help/wizard.yaml */
	size_t			 screen;	/* where the operator is */
	int			 resumed;	/* the file existed when opened */
	int			 foreign;	/* not written by the wizard */
	char			*backup;	/* the copy kept of it (or of the
						 * answers before "start over") */
	/* Answers set aside (wiz_stash.c), by dotted path: those of fields a
	 * choice hid and of services the release lacks. Kept in NAME.wizard,
	 * they come back when their field or service does. */
	struct ynode		*stash;
	/* A field's text that was still being typed when the session was cut
	 * (not valid yet, so not an answer): offered again on resume. */
	char			*typed_path, *typed_text;
	unsigned long		 revision;	/* counts the changes to the answers */
	int			 unsaved;	/* the answers differ from the file */
	/* What the last change did beyond itself ("worker became
	 * taskworker"), for the screen to say; owned, NULL for nothing. */
	char			*notice;
};

/* wiz_screens.c */

/* The screens, in order (static). */
size_t	wiz_screen_count(void);
const struct wiz_screen *wiz_screen_at(size_t i);
int	wiz_screen_shown(const struct wiz *w, size_t i);
/* The next / previous shown screen from i (i itself at the ends). */
size_t	wiz_next(const struct wiz *w, size_t i);
size_t	wiz_prev(const struct wiz *w, size_t i);
int	wiz_field_shown(const struct wiz *w, const struct wiz_field *f);
/* The choices of a WF_CHOICE field into out, in the order offered (of a
 * list with choices, such as a host's roles, its items' choices). */
void	wiz_field_choices(const struct wiz *w, const struct wiz_field *f,
	    struct strlist *out);
/* How the answer at `path` is typed (services.NAME.replicas included), and
 * how a form's field is. */
enum wiz_kind wiz_path_kind(const char *path);
enum wiz_kind wiz_field_kind(const struct wiz_field *f);
/* What an empty field shows: the answer's default, or what leaving it out
 * means; NULL for neither (static). */
const char *wiz_field_hint(const struct wiz_field *f);
/* The profile of the chosen release, or NULL. */
const struct profile *wiz_profile(const struct wiz *w);
/* What the choice made at `path` means, when its name alone does not say
 * (static text), or NULL. */
const char *wiz_choice_note(const struct wiz *w, const char *path);

/* wiz_store.c */

/*
 * Opens the wizard on `answers_path`: loads the file if it exists (a
 * half-filled one too) and the screen reached; otherwise starts with
 * nothing. A file that the wizard did not write is copied to
 * NAME.yaml.bak first, because saving drops its comments.
 */
int	wiz_open(struct wiz *w, const char *data_dir, const char *answers_path,
	    struct err *e);
void	wiz_close(struct wiz *w);
/* Reads the answers file again, after something else wrote it (an
 * upgrade's hop moved it on): what was typed since is gone. */
int	wiz_reload(struct wiz *w, struct err *e);
/* Starts over: the answers so far are kept as NAME.yaml.bak (or .bak.N)
 * and the wizard begins with nothing. */
int	wiz_reset(struct wiz *w, struct err *e);
/* Saves the screen reached and what was set aside (NAME.wizard), and the
 * answers when they changed (atomic; mode 0600). A hand-written file is
 * copied to NAME.yaml.bak before it is first rewritten. */
int	wiz_save(struct wiz *w, struct err *e);
/* Keeps `text`, typed into `path` but not valid yet, for the next start
 * (NULL path: nothing pending); saved at once. */
int	wiz_keep_typed(struct wiz *w, const char *path, const char *text,
	    struct err *e);
/* The help text of a topic: a screen ("screen ID") or an answer ("field
 * PATH", its path in the field table); "" if there is none (static for the
 * wizard's lifetime). */
const char *wiz_help(const struct wiz *w, const char *topic);

/* wiz_value.c */

/* The text of a field as the form shows it (lists comma-separated, secrets
 * as given: the UI masks them); owned by the caller, "" when unset. */
char	*wiz_get(const struct wiz *w, const char *path);
/*
 * Validates `text` for the field at `path` and stores it (empty: removed),
 * drops the answers of fields the change hid, then saves. On a problem,
 * nothing changes and `e` says what was expected. A path may name a field
 * of a list's element, "hosts[1].port"; setting a field of the element
 * just past the end of the list adds that element (a new host).
 */
int	wiz_set(struct wiz *w, const char *path, const char *text, struct err *e);
/* `text` without the blanks around it; owned by the caller. */
char	*wiz_trimmed(const char *text);
/* wiz_objtext.c: the one-line text of a mapping ("key=value, ...") and of
 * tolerations ("key=value:Effect, key:Effect, *:Effect for 300s"), and
 * back. The nodes are not checked: the caller checks them with the answers'
 * field table. Every result is owned by the caller. */
struct ynode *wiz_map_node(const char *text);
struct ynode *wiz_tolerations_node(const char *text);
char	*wiz_map_text(const struct ynode *map);
char	*wiz_tolerations_text(const struct ynode *seq);

/* The answer tree at a dotted path: put `node` there (taking it; the
 * mappings on the way are made; -1, node freed, for a list element that
 * is not there), or remove what is there. */
int	wiz_tree_put(struct ynode *doc, const char *path, struct ynode *node);
void	wiz_tree_del(struct ynode *doc, const char *path);
/* The same check without storing (for a hint while the field is typed). */
int	wiz_check(const struct wiz *w, const char *path, const char *text,
	    struct err *e);
/* A list of mappings at `path` ("hosts"): how many elements it has, and
 * removing element i (the list too with its last one), saved at once. */
size_t	wiz_list_count(const struct wiz *w, const char *path);
int	wiz_list_remove(struct wiz *w, const char *path, size_t i,
	    struct err *e);

/* wiz_stash.c */

/*
 * Sets aside the answers of fields that are hidden now and of services the
 * chosen release does not have, and brings back the set-aside answers
 * whose field or service is there again. A service the release renamed
 * (profile successors:) hands its answer to its successor when that has
 * none. Appends what it moved to w->notice.
 */
void	wiz_stash_sync(struct wiz *w);
/* Takes w->notice (the caller frees it); NULL when there is none. */
char	*wiz_take_notice(struct wiz *w);

/* wiz_check.c */

/* A problem of the answers, at its field. */
struct wiz_problem {
	char	*path;
	char	*message;
};

struct wiz_problems {
	struct wiz_problem	*v;
	size_t			 n;
};

/* The problems of the whole answers whose field is on screen i (paths that
 * start with one of its fields' paths). */
void	wiz_screen_problems(const struct wiz *w, size_t i,
	    struct wiz_problems *out);
void	wiz_problems_free(struct wiz_problems *p);

#endif
