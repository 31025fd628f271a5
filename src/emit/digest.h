/* Short content digests for names that must change with what they name
 * (digest.c). */
#ifndef SHS_DIGEST_H
#define SHS_DIGEST_H

#include <stddef.h>

/* The first 8 hex digits of the SHA-256 of data; owned by the caller. */
char	*digest8(const char *data, size_t len);
/* The same, keyed (HMAC-SHA-256), for names that must tell nothing about
 * a secret; owned by the caller. */
char	*digest8_keyed(const char *key, const char *data, size_t len);

#endif
