/* Image references and login challenges of the registry API (registry_ref.h). */
#include "registry_ref.h"

#include <ctype.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "xmem.h"

/* Docker's test for a registry host: "a.b", "host:5000" or "localhost". */
static int
is_host_part(const char *s, size_t n)
{
	return memchr(s, '.', n) != NULL || memchr(s, ':', n) != NULL ||
	    (n == 9 && memcmp(s, "localhost", 9) == 0);
}

int
image_ref_split(const char *ref, struct image_ref *out)
{
	const char *at = strchr(ref, '@'), *slash = strchr(ref, '/');
	const char *path = ref, *end = at ? at : ref + strlen(ref), *colon;
	char *host;

	memset(out, 0, sizeof *out);
	if (slash != NULL && slash < end && is_host_part(ref, (size_t)(slash - ref))) {
		host = xstrndup(ref, (size_t)(slash - ref));
		path = slash + 1;
	} else {
		host = xstrdup("docker.io");
	}
	/* The tag's colon is after the last slash (a port's is before). */
	colon = memchr(path, ':', (size_t)(end - path));
	while (colon != NULL && memchr(colon, '/', (size_t)(end - colon)) != NULL)
		colon = memchr(colon + 1, ':', (size_t)(end - colon - 1));
	if ((colon ? colon : end) == path || (at != NULL && at[1] == '\0') ||
	    (colon != NULL && colon + 1 == end)) {
		free(host);
		return -1;
	}
	out->host = host;
	if (strcmp(host, "docker.io") == 0 && memchr(path, '/',
	    (size_t)((colon ? colon : end) - path)) == NULL)
		out->name = xasprintf("library/%.*s", (int)((colon ? colon : end) -
		    path), path);
	else
		out->name = xstrndup(path, (size_t)((colon ? colon : end) - path));
	out->reference = at ? xstrdup(at + 1) : colon ?
	    xstrndup(colon + 1, (size_t)(end - colon - 1)) : xstrdup("latest");
	return 0;
}

void
image_ref_free(struct image_ref *r)
{
	free(r->host);
	free(r->name);
	free(r->reference);
	memset(r, 0, sizeof *r);
}

/* One parameter's value at s: a quoted string (unescaped) or a token;
 * *s moves past it. Owned by the caller. */
static char *
param_value(const char **s)
{
	struct strbuf v = STRBUF_INIT;
	const char *p = *s;

	if (*p == '"') {
		for (p++; *p != '\0' && *p != '"'; p++) {
			if (*p == '\\' && p[1] != '\0')
				p++;
			sb_addc(&v, *p);
		}
		if (*p == '"')
			p++;
	} else {
		while (*p != '\0' && *p != ',' && !isspace((unsigned char)*p))
			sb_addc(&v, *p++);
	}
	*s = p;
	return sb_take(&v);
}

/* Where each parameter the probe uses goes. */
static char **
param_slot(struct auth_challenge *c, const char *key, size_t n)
{
	static const struct {
		const char	*key;
		size_t		 off;
	} slots[] = {
		{ "realm", offsetof(struct auth_challenge, realm) },
		{ "service", offsetof(struct auth_challenge, service) },
		{ "scope", offsetof(struct auth_challenge, scope) },
	};

	for (size_t i = 0; i < sizeof slots / sizeof slots[0]; i++)
		if (strlen(slots[i].key) == n && strncasecmp(key, slots[i].key,
		    n) == 0)
			return (char **)(void *)((char *)c + slots[i].off);
	return NULL;
}

int
auth_challenge_parse(const char *header, struct auth_challenge *out)
{
	const char *p = header + strspn(header, " \t"), *key;
	size_t n = strcspn(p, " \t,=");
	char **slot, *value;

	memset(out, 0, sizeof *out);
	if (n == 0 || p[n] == '=')
		return -1;
	out->scheme = xstrndup(p, n);
	for (p += n; *p != '\0';) {
		p += strspn(p, " \t,");
		key = p;
		n = strcspn(p, " \t,=");
		p += n;
		p += strspn(p, " \t");
		/* A token without '=': the next challenge's scheme. */
		if (*p != '=')
			break;
		p++;
		p += strspn(p, " \t");
		value = param_value(&p);
		slot = param_slot(out, key, n);
		if (slot != NULL && *slot == NULL)
			*slot = value;
		else
			free(value);
	}
	return 0;
}

void
auth_challenge_free(struct auth_challenge *c)
{
	free(c->scheme);
	free(c->realm);
	free(c->service);
	free(c->scope);
	memset(c, 0, sizeof *c);
}

int
registry_host_loopback(const char *host)
{
	size_t n = strlen(host);
	const char *colon = strrchr(host, ':');

	if (host[0] == '[')
		return strncmp(host, "[::1]", 5) == 0;
	if (colon != NULL)
		n = (size_t)(colon - host);
	if (n == 9 && strncmp(host, "localhost", 9) == 0)
		return 1;
	return n >= 4 && strncmp(host, "127.", 4) == 0 &&
	    strspn(host, "0123456789.") >= n;
}
