#include "vars.h"

#include <stdlib.h>
#include <string.h>

static struct var *
slot(struct vars *vs, const char *name)
{
	for (size_t i = 0; i < vs->n; i++) {
		if (strcmp(vs->v[i].name, name) == 0) {
			free(vs->v[i].text);
			sl_free(&vs->v[i].list);
			vs->v[i].text = NULL;
			vs->v[i].secret = 0;
			return &vs->v[i];
		}
	}
	vs->v = xgrow(vs->v, &vs->cap, vs->n + 1, sizeof *vs->v);
	memset(&vs->v[vs->n], 0, sizeof vs->v[vs->n]);
	vs->v[vs->n].name = xstrdup(name);
	return &vs->v[vs->n++];
}

void
vars_text(struct vars *vs, const char *name, const char *value)
{
	struct var *v = slot(vs, name);

	v->kind = V_TEXT;
	v->text = xstrdup(value ? value : "");
}

void
vars_secret(struct vars *vs, const char *name, const char *value)
{
	struct var *v = slot(vs, name);

	v->kind = V_TEXT;
	v->text = xstrdup(value ? value : "");
	v->secret = 1;
}

void
vars_bool(struct vars *vs, const char *name, int value)
{
	struct var *v = slot(vs, name);

	v->kind = V_BOOL;
	v->text = xstrdup(value ? "true" : "");
}

void
vars_list(struct vars *vs, const char *name, const struct strlist *l)
{
	struct var *v = slot(vs, name);

	v->kind = V_LIST;
	for (size_t i = 0; i < l->n; i++)
		sl_add(&v->list, l->v[i]);
}

const struct var *
vars_get(const struct vars *vs, const char *name)
{
	for (size_t i = 0; i < vs->n; i++)
		if (strcmp(vs->v[i].name, name) == 0)
			return &vs->v[i];
	return NULL;
}

int
var_truthy(const struct var *v)
{
	if (v == NULL)
		return 0;
	if (v->kind == V_LIST)
		return v->list.n > 0;
	return v->text != NULL && v->text[0] != '\0' && strcmp(v->text, "false") != 0;
}

char *
var_string(const struct var *v)
{
	if (v->kind == V_LIST)
		return sl_join(&v->list, ",");
	return xstrdup(v->text);
}

void
vars_free(struct vars *vs)
{
	for (size_t i = 0; i < vs->n; i++) {
		free(vs->v[i].name);
		free(vs->v[i].text);
		sl_free(&vs->v[i].list);
	}
	free(vs->v);
	memset(vs, 0, sizeof *vs);
}
