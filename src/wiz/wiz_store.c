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
	if (rc == 0)
		yn_keep_plain(w->doc);
	if (rc == 0 && w->doc->kind != Y_MAP)
		rc = err_set(e, ERR_INPUT, "%s: expected the answers (a mapping "
		    "of keys), got %s", w->path, yn_kind_name(w->doc->kind));
	w->resumed = 1;
	w->foreign = strncmp(text, MARKER, strlen(MARKER)) != 0;
	free(text);
	return rc;
}

/* The screen reached last time (by key: the order may change), what was
 * set aside and the field that was being typed. */
static void
load_state(struct wiz *w)
{
	struct ynode *state = NULL, *stash;
	const char *id, *typed;
	struct err e;

	if (yaml_parse_file(w->state_path, 0, &state, &e) < 0 || state == NULL)
		return;
	id = yn_path_text(state, "screen");
	for (size_t i = 0; id != NULL && i < wiz_screen_count(); i++)
		if (strcmp(wiz_screen_at(i)->id, id) == 0)
			w->screen = i;
	stash = yn_get(state, "stash");
	if (stash != NULL && stash->kind == Y_MAP) {
		w->stash = yn_copy(stash);
		yn_keep_plain(w->stash);
	}
	typed = yn_path_text(state, "typed.path");
	if (typed != NULL && yn_path_text(state, "typed.text") != NULL) {
		w->typed_path = xstrdup(typed);
		w->typed_text = xstrdup(yn_path_text(state, "typed.text"));
	}
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
	/* A new file is written at once, with nothing but the schema; one
	 * that exists only once something changes. */
	w->unsaved = !w->resumed;
	return rc;
}

int
wiz_reload(struct wiz *w, struct err *e)
{
	struct ynode *was = w->doc;

	w->doc = NULL;
	if (load_doc(w, e) < 0) {
		yn_free(w->doc);
		w->doc = was;
		return -1;
	}
	yn_free(was);
	w->revision++;
	w->unsaved = 0;
	/* Answers set aside for a service the new release runs come back. */
	wiz_stash_sync(w);
	return 0;
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
	yn_free(w->stash);
	free(w->typed_path);
	free(w->typed_text);
	free(w->notice);
	memset(w, 0, sizeof *w);
}

/* The first rewrite of a file written by hand: a copy first, because
 * saving drops its comments. The marker then tells the next start that
 * the wizard wrote it. */
static int
copy_foreign(struct wiz *w, struct err *e)
{
	char *text;
	size_t len;
	int rc;

	if (!w->foreign || !fs_exists(w->path))
		return 0;
	if (fs_read_file(w->path, &text, &len, e) < 0)
		return -1;
	rc = fs_keep_copy(w->path, text, len, &w->backup, e);
	free(text);
	if (rc == 0)
		w->foreign = 0;
	return rc;
}

static int
save_answers(struct wiz *w, struct err *e)
{
	int rc;

	if (!w->unsaved)
		return 0;
	rc = copy_foreign(w, e);
	/* Mode 0600: the forms take passwords. */
	if (rc == 0)
		rc = yaml_save(w->path, MARKER, w->doc, 0600, e);
	if (rc == 0)
		w->unsaved = 0;
	return rc;
}

static int
save_state(const struct wiz *w, struct err *e)
{
	struct ynode *state = yn_map();
	int rc;

	yn_set_str(state, "screen", wiz_screen_at(w->screen)->id);
	if (w->stash != NULL && w->stash->n > 0)
		yn_map_set(state, "stash", yn_copy(w->stash));
	if (w->typed_path != NULL) {
		struct ynode *typed = yn_set_map(state, "typed");

		yn_set_str(typed, "path", w->typed_path);
		yn_map_set(typed, "text", yn_quoted(w->typed_text));
	}
	/* 0600 too: set-aside answers and a typed field may be passwords. */
	rc = yaml_save(w->state_path, "# Where the sentry-ha-setup wizard was, "
	    "and the answers it set aside; delete\n# to start at the "
	    "beginning.\n", state, 0600, e);
	yn_free(state);
	return rc;
}

int
wiz_save(struct wiz *w, struct err *e)
{
	if (save_answers(w, e) < 0)
		return -1;
	return save_state(w, e);
}

int
wiz_keep_typed(struct wiz *w, const char *path, const char *text,
    struct err *e)
{
	free(w->typed_path);
	free(w->typed_text);
	w->typed_path = path ? xstrdup(path) : NULL;
	w->typed_text = path ? xstrdup(text) : NULL;
	return wiz_save(w, e);
}

int
wiz_reset(struct wiz *w, struct err *e)
{
	char *text;
	size_t len;

	if (fs_exists(w->path)) {
		if (fs_read_file(w->path, &text, &len, e) < 0)
			return -1;
		if (fs_keep_copy(w->path, text, len, &w->backup, e) < 0) {
			free(text);
			return -1;
		}
		free(text);
	}
	yn_free(w->doc);
	w->doc = yn_map();
	yn_set_int(w->doc, "schema", ANSWERS_SCHEMA);
	yn_free(w->stash);
	w->stash = NULL;
	w->screen = 0;
	w->foreign = 0;	/* the copy is made */
	w->revision++;
	w->unsaved = 1;
	return wiz_save(w, e);
}

const char *
wiz_help(const struct wiz *w, const char *topic)
{
	const struct ynode *n = w->help ? yn_get(w->help, topic) : NULL;

	return n != NULL && n->kind == Y_SCALAR ? n->text : "";
}
