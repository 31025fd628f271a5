/*
 * Text that came from a server, made safe to print (printable.c): a hostile
 * or broken server must not clear the screen, move the cursor or forge an
 * "ok" line through escape codes in an error reply or a version string.
 */
#ifndef SHS_PRINTABLE_H
#define SHS_PRINTABLE_H

/* `s` with every control character (C0, DEL, C1) and every byte that is no
 * valid UTF-8 written as \xNN; owned by the caller (NULL for NULL). */
char	*printable(const char *s);
/* The same in place: *s is replaced when it needed it. */
void	printable_in_place(char **s);

#endif
