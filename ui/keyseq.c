/*
 * The escape sequences of the common terminals, whatever TERM says. Over
 * SSH the terminal and TERM often disagree (PuTTY sends ESC[1~ for Home
 * where xterm's entry says ESC OH), and curses then hands over Esc and
 * the rest as typed characters: Esc walks back a screen and "[1~" lands
 * in the field. So the bytes after an Esc are read here: a sequence known
 * below is its key, any other complete one is swallowed whole.
 */
#include "keyseq.h"

#include <string.h>

/* The final part of a sequence after ESC [ (CSI) or ESC O (SS3), without
 * the modifiers of "1;5": the same key with Ctrl or Shift. */
static const struct {
	char		 intro;		/* '[' or 'O' */
	const char	*tail;
	enum ui_action	 action;
} sequences[] = {
	{ '[', "A", UA_UP }, { '[', "B", UA_DOWN }, { '[', "C", UA_RIGHT },
	{ '[', "D", UA_LEFT }, { '[', "H", UA_HOME }, { '[', "F", UA_END },
	{ '[', "Z", UA_PREV }, { '[', "1~", UA_HOME }, { '[', "7~", UA_HOME },
	{ '[', "4~", UA_END }, { '[', "8~", UA_END }, { '[', "3~", UA_DELETE },
	{ '[', "5~", UA_PAGE_UP }, { '[', "6~", UA_PAGE_DOWN },
	{ '[', "11~", UA_HELP }, { '[', "[A", UA_HELP }, { '[', "21~", UA_QUIT },
	{ 'O', "A", UA_UP }, { 'O', "B", UA_DOWN }, { 'O', "C", UA_RIGHT },
	{ 'O', "D", UA_LEFT }, { 'O', "H", UA_HOME }, { 'O', "F", UA_END },
	{ 'O', "P", UA_HELP }, { 'O', "M", UA_ENTER },
};

/* CSI: parameters (digits and ;), then one final byte (@ to ~); the
 * linux console's F1 to F5 are ESC [ [ A to E. SS3: one byte. */
static int
complete(const char *s, size_t n)
{
	size_t i = 1;

	if (n < 2)
		return 0;
	if (s[0] == 'O')
		return 1;
	if (s[1] == '[')
		return n >= 3;
	while (i < n && ((s[i] >= '0' && s[i] <= '9') || s[i] == ';'))
		i++;
	return i < n;
}

/* The sequence without its modifier parameter: "1;5A" is "A", "5;3~"
 * is "5~". */
static void
unmodified(const char *s, size_t n, char *out, size_t size)
{
	const char *semi = memchr(s, ';', n);
	size_t len;

	if (semi == NULL) {
		len = n < size ? n : size - 1;
		memcpy(out, s, len);
		out[len] = '\0';
		return;
	}
	len = (size_t)(semi - s);
	/* "1;5A": the 1 only says a modifier follows. */
	if (len == 1 && s[0] == '1' && s[n - 1] != '~')
		len = 0;
	if (len + 2 > size)
		len = size - 2;
	memcpy(out, s, len);
	out[len] = s[n - 1];
	out[len + 1] = '\0';
}

enum keyseq_state
keyseq_decode(const char *bytes, size_t n, enum ui_action *action)
{
	char tail[16];

	*action = UA_NONE;
	if (n == 0)
		return KS_ESC;
	if (bytes[0] != '[' && bytes[0] != 'O')
		return KS_SWALLOWED;	/* Alt and a key: nothing here */
	if (!complete(bytes, n))
		return n < 15 ? KS_MORE : KS_SWALLOWED;
	unmodified(bytes + 1, n - 1, tail, sizeof tail);
	for (size_t i = 0; i < sizeof sequences / sizeof sequences[0]; i++)
		if (sequences[i].intro == bytes[0] &&
		    strcmp(sequences[i].tail, tail) == 0) {
			*action = sequences[i].action;
			return KS_KEY;
		}
	return KS_SWALLOWED;
}
