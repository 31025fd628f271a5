/*
 * Allocation that never returns NULL (see err.h: out of memory aborts), and a
 * growable string buffer.
 */
#ifndef SHS_XMEM_H
#define SHS_XMEM_H

#include <stdarg.h>
#include <stddef.h>

/* The caller owns (and frees) what these return. */
void	*xmalloc(size_t n);
void	*xcalloc(size_t count, size_t size);
void	*xrealloc(void *p, size_t n);
/* Grows an array of *cap elements of `size` bytes so that `need` fit. */
void	*xgrow(void *p, size_t *cap, size_t need, size_t size);
/* The caller owns the returned copy; NULL in gives NULL out. */
char	*xstrdup(const char *s);
char	*xstrndup(const char *s, size_t n);
/* The caller owns the returned string. */
char	*xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A NUL-terminated buffer that grows as text is appended. */
struct strbuf {
	char	*s;	/* owned; "" (not NULL) once anything is added */
	size_t	 len;
	size_t	 cap;
};

#define STRBUF_INIT { NULL, 0, 0 }

void	 sb_add(struct strbuf *sb, const char *s);
void	 sb_addn(struct strbuf *sb, const char *s, size_t n);
void	 sb_addc(struct strbuf *sb, char c);
void	 sb_printf(struct strbuf *sb, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	 sb_vprintf(struct strbuf *sb, const char *fmt, va_list ap);
/* Appends `prefix`, then `text` re-flowed to lines of at most `width`
 * columns (a longer word stays whole); continuation lines are indented by
 * `indent` spaces. Ends with a newline. */
void	 sb_wrap(struct strbuf *sb, const char *prefix, const char *text,
	    int indent, int width);
/* The text so far; never NULL. Owned by the buffer. */
const char *sb_str(const struct strbuf *sb);
/* Hands the text to the caller (who frees it) and empties the buffer. */
char	*sb_take(struct strbuf *sb);
void	 sb_free(struct strbuf *sb);

/* A list of owned strings. */
struct strlist {
	char	**v;
	size_t	  n;
	size_t	  cap;
};

void	 sl_add(struct strlist *l, const char *s);	/* copies s */
void	 sl_add_owned(struct strlist *l, char *s);	/* takes s */
int	 sl_contains(const struct strlist *l, const char *s);
/* Joins with sep; the caller owns the result. */
char	*sl_join(const struct strlist *l, const char *sep);
/* Appends the non-empty pieces of `s` between `sep` characters. */
void	 sl_split(struct strlist *l, const char *s, char sep);
void	 sl_copy(struct strlist *l, const struct strlist *from);	/* appends copies */
void	 sl_free(struct strlist *l);

#endif
