/* Quoting for a POSIX shell (shell.h). */
#include "shell.h"

#include <string.h>

void
sh_quote(struct strbuf *sb, const char *word)
{
	if (word[0] != '\0' && strspn(word, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+@%") == strlen(word)) {
		sb_add(sb, word);
		return;
	}
	sb_addc(sb, '\'');
	for (; *word != '\0'; word++) {
		if (*word == '\'')
			sb_add(sb, "'\\''");
		else
			sb_addc(sb, *word);
	}
	sb_addc(sb, '\'');
}
