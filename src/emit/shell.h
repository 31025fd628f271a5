/* Words for a POSIX shell, in generated scripts and runbooks (shell.c). */
#ifndef SHS_SHELL_H
#define SHS_SHELL_H

#include "xmem.h"

/* Appends `word`, quoted for a POSIX shell where it needs to be. */
void	sh_quote(struct strbuf *sb, const char *word);

#endif
