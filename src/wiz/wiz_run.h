/*
 * The wizard's steps that run the core (wiz_run.c, wiz_output.c): a live
 * check of one form, the rules over the saved answers, and the output with
 * what it would change on disk. Kept apart from wiz.h so that the model
 * needs neither the probes nor the emitters.
 */
#ifndef SHS_WIZ_RUN_H
#define SHS_WIZ_RUN_H

#include "outset.h"
#include "probe.h"
#include "session.h"
#include "wiz.h"

/*
 * The answers a form's live check runs on: the release, the target and the
 * screen's own section as answered, every other section a harmless
 * stand-in (only the screen's endpoints are contacted). Owned by the
 * caller; NULL while the screen's own section is not answered at all. Built in the caller's thread, so that the check itself
 * (wiz_probe_run) can run in another without touching the wizard.
 */
char	*wiz_probe_answers(const struct wiz *w, size_t screen);

/*
 * Runs the probes named in `keys` ("postgres", "s3,gcs,ssh") over
 * `answers_text`, which belongs at `answers_path`. Safe in a thread of its
 * own. `out` as for probe_all(), always the caller's to free; when
 * out->abandoned, the session is left allocated on purpose (a probe that
 * overran may still read it).
 */
int	wiz_probe_run(const char *data_dir, const char *answers_text,
	    const char *answers_path, const char *keys, long timeout_ms,
	    int accept_new_host_keys, struct probe_results *out, struct err *e);

/* Opens a session over the saved answers (no password read) and evaluates
 * the rules, with `facts` from a live check or NULL. The caller closes s
 * and frees f, also on failure. */
int	wiz_review(const struct wiz *w, const struct facts *facts,
	    struct session *s, struct findings *f, struct err *e);

enum wiz_change_kind { WC_NEW, WC_CHANGED, WC_SAME, WC_REMOVED };

struct wiz_change {
	char			*path;		/* relative to the output folder */
	enum wiz_change_kind	 kind;
	size_t			 added, removed;	/* lines (WC_CHANGED) */
};

/* What writing would do: the rendered files and how they differ from the
 * folder that is there now. */
struct wiz_output {
	struct session		 s;
	struct outset		 out;
	struct findings		 f;
	char			*dir;
	struct wiz_change	*v;
	size_t			 n;
	int			 foreign;	/* dir exists and is not ours */
};

/* Renders everything in memory (passwords are read now) and compares it
 * with `dir`. Nothing is written. */
int	wiz_prepare_output(const struct wiz *w, const char *dir,
	    struct wiz_output *o, struct err *e);
/* Writes it through the gate of deliver.h: refused (ERR_FINDINGS) while a
 * rule reports an error, whatever the screens allowed. */
int	wiz_write_output(struct wiz_output *o, struct err *e);
void	wiz_output_free(struct wiz_output *o);
/* wiz_bundle.c: the air-gap bundle of o's answers (bundle.h: the images,
 * save.sh and load.sh, for linux/amd64) into dir; *images says how many.
 * ERR_INPUT when the answers name no registry. */
int	wiz_write_bundle(const struct wiz_output *o, const char *dir,
	    size_t *images, struct err *e);
/* wiz_diff.c: what writing changes in file i of o, as lines marked "- ",
 * "+ " and "  " (context), hunks apart by "@@", appended to out. Refused
 * for a file of secrets (mode 0600), which is never shown. */
int	wiz_change_diff(const struct wiz_output *o, size_t i,
	    struct strlist *out, struct err *e);

#endif
