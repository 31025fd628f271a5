/*
 * Answers set aside, not lost. A choice that hides fields (kubernetes to
 * swarm, nfs to pvc) or a release without a service takes those answers
 * out of the answers file: left in, they would make it invalid where no
 * form shows them. They wait in w->stash (saved in NAME.wizard, mode
 * 0600) and come back when their field or service does, so cycling a
 * choice there and back loses nothing. A service that the release renamed
 * hands its answer to the service that does its work now.
 */
#include "wiz.h"

#include <stdlib.h>
#include <string.h>

static void
notice(struct wiz *w, const char *text)
{
	char *all = w->notice ? xasprintf("%s; %s", w->notice, text) :
	    xstrdup(text);

	free(w->notice);
	w->notice = all;
}

static void
changed(struct wiz *w)
{
	w->revision++;
	w->unsaved = 1;
}

/* Moves the answer at `path` into the stash (over an older one there). */
static void
set_aside(struct wiz *w, const char *path)
{
	const struct ynode *n = yn_path(w->doc, path);

	if (n == NULL)
		return;
	if (w->stash == NULL)
		w->stash = yn_map();
	yn_map_put(w->stash, path, yn_copy(n));
	wiz_tree_del(w->doc, path);
	changed(w);
}

/* Whether a field of the screens at `path` is shown now: 1 or 0, and -1
 * when no screen has such a field. */
static int
field_shown(const struct wiz *w, const char *path)
{
	for (size_t i = 0; i < wiz_screen_count(); i++) {
		const struct wiz_screen *s = wiz_screen_at(i);

		for (size_t j = 0; j < s->nfields; j++)
			if (strcmp(s->fields[j].path, path) == 0)
				return wiz_field_shown(w, &s->fields[j]);
	}
	return -1;
}

static void
stash_hidden_fields(struct wiz *w)
{
	for (size_t i = 0; i < wiz_screen_count(); i++) {
		const struct wiz_screen *s = wiz_screen_at(i);

		for (size_t j = 0; j < s->nfields; j++)
			if (!wiz_field_shown(w, &s->fields[j]))
				set_aside(w, s->fields[j].path);
	}
}

/* The services the release lacks go aside; a renamed one first hands its
 * answer to its successor, unless that has one of its own. */
static void
stash_foreign_services(struct wiz *w, const struct profile *p)
{
	const struct ynode *services = yn_get(w->doc, "services");

	for (size_t i = services && services->kind == Y_MAP ? services->n : 0;
	    i-- > 0;) {
		const char *name = services->pairs[i].key, *to;
		enum carry c = profile_carry(p, services, name, &to);
		char *path, *text;

		if (c == CARRY_KEEP)
			continue;
		path = xasprintf("services.%s", name);
		if (c == CARRY_MOVE) {
			char *dest = xasprintf("services.%s", to);

			wiz_tree_put(w->doc, dest, yn_copy(services->pairs[i].val));
			free(dest);
			text = xasprintf("Sentry %s has no %s: its answer went to %s",
			    p->release, name, to);
		} else {
			text = xasprintf("Sentry %s has no %s: its answer is set "
			    "aside until a release that has it", p->release, name);
		}
		notice(w, text);
		free(text);
		set_aside(w, path);
		free(path);
		services = yn_get(w->doc, "services");
	}
	if (services != NULL && services->kind == Y_MAP && services->n == 0)
		wiz_tree_del(w->doc, "services");
}

/* Whether a set-aside answer applies again: 1, 0, or -1 when it is
 * neither a field nor a service (kept as it is). */
static int
applies(const struct wiz *w, const struct profile *p, const char *path)
{
	if (strncmp(path, "services.", 9) == 0)
		return p != NULL && profile_service(p, path + 9) != NULL;
	return field_shown(w, path);
}

/* Brings back what applies again; where the answers hold a newer value,
 * the old one is dropped. */
static void
bring_back(struct wiz *w, const struct profile *p)
{
	size_t back = 0;

	for (size_t i = w->stash ? w->stash->n : 0; i-- > 0;) {
		const char *path = w->stash->pairs[i].key;

		if (applies(w, p, path) != 1)
			continue;
		if (yn_path(w->doc, path) == NULL) {
			wiz_tree_put(w->doc, path, yn_copy(w->stash->pairs[i].val));
			back++;
		}
		yn_map_del(w->stash, path);
	}
	if (back > 0) {
		char *text = xasprintf("%zu earlier answer%s", back, back == 1 ?
		    " is back as it was" : "s are back as they were");

		changed(w);
		notice(w, text);
		free(text);
	}
}

void
wiz_stash_sync(struct wiz *w)
{
	const struct profile *p = wiz_profile(w);

	stash_hidden_fields(w);
	if (p != NULL)
		stash_foreign_services(w, p);
	bring_back(w, p);
}

char *
wiz_take_notice(struct wiz *w)
{
	char *n = w->notice;

	w->notice = NULL;
	return n;
}
