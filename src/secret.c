/* Reading the value of a secret from where the answers say it is. */
#include <stdlib.h>
#include <string.h>

#include "answers.h"
#include "fsutil.h"

int
secret_resolve(const struct secret *s, const char *field, const char *base_dir,
    char **value, struct err *e)
{
	const char *env;
	char *path, *text;
	size_t len;
	int rc;

	*value = NULL;
	switch (s->kind) {
	case SECRET_NONE:
		return err_set(e, ERR_INPUT, "%s: no value given", field);
	case SECRET_PLAIN:
		*value = xstrdup(s->value);
		return 0;
	case SECRET_ENV:
		env = getenv(s->value);
		if (env == NULL)
			return err_set(e, ERR_INPUT, "%s: the environment variable "
			    "%s is not set (the answers say {env: %s})", field,
			    s->value, s->value);
		*value = xstrdup(env);
		return 0;
	case SECRET_FILE:
		path = s->value[0] == '/' || base_dir == NULL ?
		    xstrdup(s->value) : xasprintf("%s/%s", base_dir, s->value);
		rc = read_file(path, &text, &len, e);
		if (rc < 0) {
			err_prefix(e, "%s: ", field);
			free(path);
			return -1;
		}
		free(path);
		/* Files written by `echo` or editors end with one newline that
		 * is not part of the password. */
		if (len > 0 && text[len - 1] == '\n')
			text[--len] = '\0';
		if (len > 0 && text[len - 1] == '\r')
			text[--len] = '\0';
		if (memchr(text, '\0', len) != NULL) {
			free(text);
			return err_set(e, ERR_INPUT, "%s: the file %s holds a NUL "
			    "byte; expected text", field, s->value);
		}
		*value = text;
		return 0;
	}
	return err_set(e, ERR_INPUT, "%s: unknown secret kind", field);
}
