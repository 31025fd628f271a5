/*
 * Named values that profiles and templates refer to: ${kafka.bootstrap} in a
 * profile's env or args, {{postgres.host}} in a config template. The plan
 * fills them from the answers, the profile and the generated keys.
 */
#ifndef SHS_VARS_H
#define SHS_VARS_H

#include "xmem.h"

enum var_kind { V_TEXT, V_LIST, V_BOOL };

struct var {
	char		*name;		/* owned */
	enum var_kind	 kind;
	char		*text;		/* V_TEXT (owned); "true"/"" for V_BOOL */
	struct strlist	 list;		/* V_LIST */
	int		 secret;	/* the value is a secret */
};

struct vars {
	struct var	*v;
	size_t		 n, cap;
};

/* Each setter replaces an existing variable of the same name. */
void	vars_text(struct vars *vs, const char *name, const char *value);
void	vars_secret(struct vars *vs, const char *name, const char *value);
void	vars_bool(struct vars *vs, const char *name, int value);
void	vars_list(struct vars *vs, const char *name, const struct strlist *l);

/* Borrowed, or NULL when there is no such variable. */
const struct var *vars_get(const struct vars *vs, const char *name);
/* Non-empty text, true, or a non-empty list. */
int	var_truthy(const struct var *v);
/* The value as text (lists joined by ","); owned by the caller. */
char	*var_string(const struct var *v);
void	vars_free(struct vars *vs);

#endif
