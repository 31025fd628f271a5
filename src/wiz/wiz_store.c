/*
 * The wizard's answers: a YAML tree read from and saved to the answers
 * file after every completed field, and the screen reached, saved beside it
 * (wiz.h).
 */
#include "wiz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answers.h"
#include "fsutil.h"

/* The first line of every answers file the wizard writes: a file without
 * it was written by hand, and is copied before its comments are lost. */
#define MARKER	"# Written by the sentry-ha-setup wizard, which rewrites this file " \
	"after every\n# answer: comments added here are not kept.\n"

static char *
state_path_for(const char *answers_path)
{
	return xasprintf("%s.wizard", answers_path);
}

/* NAME.bak, else NAME.bak.2, ...: never over an earlier copy. The name
 * used goes to *name (owned by the caller). */
static int
keep_copy(const char *path, const char *text, size_t len, char **name,
    struct err *e)
{
	char *bak = xasprintf("%s.bak", path);
	int rc;

	for (int i = 2; fs_exists(bak) && i <= 100; i++) {
		free(bak);
		bak = xasprintf("%s.bak.%d", path, i);
	}
	if (fs_exists(bak)) {
		free(bak);
		return err_set(e, ERR_IO, "%s: a hundred copies (.bak) are there "
		    "already; move them away first", path);
	}
	rc = fs_write_atomic(bak, text, len, 0600, e);
	if (rc == 0) {
		free(*name);
		*name = bak;
	} else {
		free(bak);
	}
	return rc;
}

/* Reads the answers file (any mapping, complete or not). */
static int
load_doc(struct wiz *w, struct err *e)
{
	char *text;
	size_t len;
	int rc;

	if (!fs_exists(w->path)) {
		w->doc = yn_map();
		return 0;
	}
	if (fs_read_file(w->path, &text, &len, e) < 0)
		return -1;
	rc = yaml_parse(text, len, w->path, 0, &w->doc, e);
	if (rc == 0 && w->doc == NULL)
		w->doc = yn_map();
	if (rc == 0 && w->doc->kind != Y_MAP)
		rc = err_set(e, ERR_INPUT, "%s: expected the answers (a mapping "
		    "of keys), got %s", w->path, yn_kind_name(w->doc->kind));
	w->resumed = 1;
	w->foreign = strncmp(text, MARKER, strlen(MARKER)) != 0;
	/* Copied, then saved at once with the marker: the next start is
	 * not "foreign" again, and makes no second copy. */
	if (rc == 0 && w->foreign)
		rc = keep_copy(w->path, text, len, &w->backup, e);
	free(text);
	return rc;
}

/* The screen reached last time, by key (the order may change). */
static void
load_state(struct wiz *w)
{
	struct ynode *state = NULL;
	const char *id;
	struct err e;

	if (yaml_parse_file(w->state_path, 0, &state, &e) < 0 || state == NULL)
		return;
	id = yn_path_text(state, "screen");
	for (size_t i = 0; id != NULL && i < wiz_screen_count(); i++)
		if (strcmp(wiz_screen_at(i)->id, id) == 0)
			w->screen = i;
	yn_free(state);
}

static int
load_help(struct wiz *w, struct err *e)
{
	char *path = xasprintf("%s/assets/help/wizard.yaml", w->data_dir);
	int rc = yaml_parse_file(path, 0, &w->help, e);

	free(path);
	return rc;
}

int
wiz_open(struct wiz *w, const char *data_dir, const char *answers_path,
    struct err *e)
{
	char *profiles = xasprintf("%s/profiles", data_dir);
	int rc;

	memset(w, 0, sizeof *w);
	w->path = xstrdup(answers_path);
	w->state_path = state_path_for(answers_path);
	w->data_dir = xstrdup(data_dir);
	rc = releases_load(profiles, &w->releases, e);
	free(profiles);
	if (rc == 0)
		rc = load_help(w, e);
	if (rc == 0)
		rc = load_doc(w, e);
	if (rc == 0 && yn_get(w->doc, "schema") == NULL)
		yn_set_int(w->doc, "schema", ANSWERS_SCHEMA);
	if (rc == 0 && w->resumed)
		load_state(w);
	if (rc == 0 && w->foreign)
		rc = wiz_save(w, e);
	return rc;
}

void
wiz_close(struct wiz *w)
{
	yn_free(w->doc);
	yn_free(w->help);
	releases_free(&w->releases);
	free(w->path);
	free(w->backup);
	free(w->state_path);
	free(w->data_dir);
	memset(w, 0, sizeof *w);
}

int
wiz_save(struct wiz *w, struct err *e)
{
	struct strbuf out = STRBUF_INIT, state = STRBUF_INIT;
	int rc;

	sb_add(&out, MARKER);
	rc = yaml_emit(w->doc, 0, &out, e);
	/* Mode 0600: the forms take passwords. */
	if (rc == 0)
		rc = fs_write_atomic(w->path, out.s, out.len, 0600, e);
	sb_printf(&state, "# Where the sentry-ha-setup wizard was; delete to "
	    "start at the beginning.\nscreen: %s\n",
	    wiz_screen_at(w->screen)->id);
	if (rc == 0)
		rc = fs_write_atomic(w->state_path, state.s, state.len, 0600, e);
	sb_free(&out);
	sb_free(&state);
	return rc;
}

int
wiz_reset(struct wiz *w, struct err *e)
{
	char *text;
	size_t len;

	if (fs_exists(w->path)) {
		if (fs_read_file(w->path, &text, &len, e) < 0)
			return -1;
		if (keep_copy(w->path, text, len, &w->backup, e) < 0) {
			free(text);
			return -1;
		}
		free(text);
	}
	yn_free(w->doc);
	w->doc = yn_map();
	yn_set_int(w->doc, "schema", ANSWERS_SCHEMA);
	w->screen = 0;
	return wiz_save(w, e);
}

const char *
wiz_help(const struct wiz *w, const char *topic)
{
	const struct ynode *n = w->help ? yn_get(w->help, topic) : NULL;

	return n != NULL && n->kind == Y_SCALAR ? n->text : "";
}
