/* Short content digests (digest.h). */
#include "digest.h"

#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "xmem.h"

static char *
hex8(const unsigned char *md)
{
	return xasprintf("%02x%02x%02x%02x", md[0], md[1], md[2], md[3]);
}

char *
digest8(const char *data, size_t len)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;

	EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL);
	return hex8(md);
}

char *
digest8_keyed(const char *key, const char *data, size_t len)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;

	HMAC(EVP_sha256(), key, (int)strlen(key), (const unsigned char *)data,
	    len, md, &mdlen);
	return hex8(md);
}
