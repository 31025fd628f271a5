/* Escaping what a terminal would obey (printable.h). */
#include "printable.h"

#include <stdlib.h>
#include <string.h>

#include "xmem.h"

/* The length of the valid UTF-8 sequence at s that is not a C1 control,
 * or 0. */
static size_t
good_sequence(const unsigned char *s)
{
	size_t n;
	unsigned cp;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1fu;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0fu;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07u;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3fu);
	}
	/* Overlong forms, surrogates, past U+10FFFF, and the C1 controls
	 * (CSI is U+009B) are not text. */
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || (cp >= 0x80 && cp <= 0x9f))
		return 0;
	return n;
}

char *
printable(const char *s)
{
	struct strbuf sb = STRBUF_INIT;

	if (s == NULL)
		return NULL;
	for (const unsigned char *p = (const unsigned char *)s; *p != '\0';) {
		size_t n = *p >= 0x80 ? good_sequence(p) : (*p >= 0x20 && *p != 0x7f);

		if (n == 0) {
			sb_printf(&sb, "\\x%02x", *p++);
		} else {
			sb_addn(&sb, (const char *)p, n);
			p += n;
		}
	}
	sb_add(&sb, "");
	return sb_take(&sb);
}

void
printable_in_place(char **s)
{
	char *clean = printable(*s);

	if (clean == NULL)
		return;
	if (strcmp(clean, *s) == 0) {
		free(clean);
		return;
	}
	free(*s);
	*s = clean;
}
