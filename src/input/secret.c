/* Reading the value of a secret from where the answers say it is. */
#include <stdlib.h>
#include <string.h>

#include "answers.h"
#include "fsutil.h"

/*
 * Is text[0..len) well-formed UTF-8 without NUL bytes? Secrets end up in
 * YAML and JSON, which carry only Unicode text; a byte string that is not
 * would be refused (or mangled) far from the answer that gave it.
 */
static int
is_utf8_text(const unsigned char *text, size_t len)
{
	size_t i = 0;

	while (i < len) {
		unsigned char c = text[i];
		size_t more;
		unsigned long cp;

		if (c == 0)
			return 0;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			more = 1, cp = c & 0x1f;
		else if (c >= 0xe0 && c <= 0xef)
			more = 2, cp = c & 0x0f;
		else if (c >= 0xf0 && c <= 0xf4)
			more = 3, cp = c & 0x07;
		else
			return 0;
		if (len - i <= more)
			return 0;
		for (size_t k = 1; k <= more; k++) {
			if ((text[i + k] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (text[i + k] & 0x3f);
		}
		/* Overlong forms, UTF-16 surrogates and values past U+10FFFF. */
		if ((more == 2 && cp < 0x800) || (more == 3 && cp < 0x10000) ||
		    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
			return 0;
		i += more + 1;
	}
	return 1;
}

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
		if (!is_utf8_text((const unsigned char *)env, strlen(env)))
			return err_set(e, ERR_INPUT, "%s: the environment "
			    "variable %s is not valid UTF-8 text", field, s->value);
		if (env[0] == '\0')
			return err_set(e, ERR_INPUT, "%s: the environment variable "
			    "%s is empty; leave the key out when there is no "
			    "password", field, s->value);
		*value = xstrdup(env);
		return 0;
	case SECRET_FILE:
		path = s->value[0] == '/' || base_dir == NULL ?
		    xstrdup(s->value) : xasprintf("%s/%s", base_dir, s->value);
		rc = fs_read_file(path, &text, &len, e);
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
		if (!is_utf8_text((unsigned char *)text, len)) {
			free(text);
			return err_set(e, ERR_INPUT, "%s: the file %s is not "
			    "UTF-8 text (or holds a NUL byte)", field, s->value);
		}
		if (len == 0) {
			free(text);
			return err_set(e, ERR_INPUT, "%s: the file %s is empty; "
			    "leave the key out when there is no password", field,
			    s->value);
		}
		*value = text;
		return 0;
	}
	return err_set(e, ERR_INPUT, "%s: unknown secret kind", field);
}
