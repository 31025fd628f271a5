/* The text formats of answers (value_formats.h), one predicate per format. */
#include "value_formats.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "quantity.h"
#include "schema.h"

#define LOWER	"abcdefghijklmnopqrstuvwxyz"
#define UPPER	"ABCDEFGHIJKLMNOPQRSTUVWXYZ"
#define DIGITS	"0123456789"

/* Does s consist only of characters from `set`? */
static int
only(const char *s, const char *set)
{
	return s[strspn(s, set)] == '\0';
}

int
valid_host(const char *s)
{
	size_t len = strlen(s);

	if (len == 0 || len > 253)
		return 0;
	/* An IPv6 literal: brackets belong to URLs and HOST:PORT, not here. */
	if (strchr(s, ':') != NULL)
		return only(s, DIGITS "abcdefABCDEF:.") && strchr(s, ':') !=
		    strrchr(s, ':');
	return only(s, LOWER UPPER DIGITS ".-_") && s[0] != '-' && s[0] != '.';
}

/* Lower-case labels of letters, digits and '-', joined by dots; the last
 * one not all digits, which keeps IPv4 addresses out (as Kubernetes does). */
static int
valid_dns_name(const char *s)
{
	size_t len = strlen(s);

	if (len == 0 || len > 253 || !only(s, LOWER DIGITS ".-"))
		return 0;
	for (const char *label = s; ; ) {
		size_t n = strcspn(label, ".");

		if (n == 0 || n > 63 || label[0] == '-' || label[n - 1] == '-')
			return 0;
		if (label[n] == '\0')
			return strspn(label, DIGITS) != n;
		label += n + 1;
	}
}

static int
valid_dns_label(const char *s)
{
	return strchr(s, '.') == NULL && valid_dns_name(s);
}

/* http(s)://, a host, and then nothing a shell or YAML would act on. */
static int
valid_url(const char *s)
{
	const char *rest;

	if (strncmp(s, "https://", 8) == 0)
		rest = s + 8;
	else if (strncmp(s, "http://", 7) == 0)
		rest = s + 7;
	else
		return 0;
	return rest[0] != '\0' && rest[0] != '/' &&
	    only(rest, LOWER UPPER DIGITS ".-_~:/?#[]@!&()*+,;=%");
}

/* The practical subset of addresses: local@domain, no quoting needed. */
static int
valid_email(const char *s)
{
	const char *at = strchr(s, '@');
	char local[256];
	size_t n;

	if (at == NULL || at == s || strchr(at + 1, '@') != NULL)
		return 0;
	n = (size_t)(at - s);
	if (n >= sizeof local)
		return 0;
	memcpy(local, s, n);
	local[n] = '\0';
	return only(local, LOWER UPPER DIGITS ".+_-") && local[0] != '-' &&
	    strchr(at + 1, '.') != NULL && valid_host(at + 1) &&
	    strchr(at + 1, ':') == NULL;
}

static int
valid_abs_path(const char *s)
{
	return s[0] == '/' && only(s, LOWER UPPER DIGITS "._/+@=,-") &&
	    strstr(s, "/../") == NULL && strcmp(s + strlen(s) -
	    (strlen(s) >= 3 ? 3 : 0), "/..") != 0;
}

static int
valid_user(const char *s)
{
	return s[0] != '\0' && strlen(s) <= 32 && strchr(LOWER UPPER "_",
	    s[0]) != NULL && only(s, LOWER UPPER DIGITS "._-");
}

/* registry.host[:port][/path][/]; empty means "none". */
static int
valid_registry(const char *s)
{
	size_t len = strlen(s);

	return len == 0 || (only(s, LOWER UPPER DIGITS ".:/_-") &&
	    strchr("/:-.", s[0]) == NULL && strstr(s, "//") == NULL);
}

int
cidr_parse(const char *s, struct cidr *c)
{
	const char *slash = strchr(s, '/');
	char addr[INET6_ADDRSTRLEN];
	size_t len = slash ? (size_t)(slash - s) : 0;
	char *end;

	if (slash == NULL || len == 0 || len >= sizeof addr ||
	    strlen(slash + 1) < 1 || strlen(slash + 1) > 3 ||
	    !only(slash + 1, DIGITS))
		return -1;
	memcpy(addr, s, len);
	addr[len] = '\0';
	memset(c->addr, 0, sizeof c->addr);
	c->family = strchr(addr, ':') ? AF_INET6 : AF_INET;
	c->bits = (int)strtol(slash + 1, &end, 10);
	if (inet_pton(c->family, addr, c->addr) != 1 ||
	    c->bits > (c->family == AF_INET6 ? 128 : 32))
		return -1;
	return 0;
}

/* Do a and b agree on their first `bits` bits? */
static int
same_prefix(const unsigned char *a, const unsigned char *b, int bits)
{
	for (int i = 0; i < bits; i++)
		if (((a[i / 8] ^ b[i / 8]) & (0x80 >> (i % 8))) != 0)
			return 0;
	return 1;
}

int
cidr_within(const char *inner, const char *outer)
{
	struct cidr in, out;

	return cidr_parse(inner, &in) == 0 && cidr_parse(outer, &out) == 0 &&
	    in.family == out.family && in.bits > out.bits &&
	    same_prefix(in.addr, out.addr, out.bits);
}

/* ADDRESS/BITS, IPv4 or IPv6, as Kubernetes and Python's ipaddress read
 * them (both refuse /33 and a bad address). */
static int
valid_cidr(const char *s)
{
	struct cidr c;

	return cidr_parse(s, &c) == 0;
}

static int
valid_cpu(const char *s)
{
	long millis;

	return cpu_millis(s, &millis) == 0;
}

static int
valid_memory(const char *s)
{
	long mib;

	return memory_mib(s, &mib) == 0;
}

/* A label value, and the name part of a key: at most 63 of [A-Za-z0-9._-],
 * beginning and ending with a letter or digit (a value may be empty). */
static int
valid_label_value(const char *s)
{
	size_t len = strlen(s);

	if (len == 0)
		return 1;
	return len <= 63 && only(s, LOWER UPPER DIGITS "._-") &&
	    strchr("._-", s[0]) == NULL && strchr("._-", s[len - 1]) == NULL;
}

/* [DNS-subdomain/]name, as Kubernetes checks label and taint keys. */
static int
valid_label_key(const char *s)
{
	const char *slash = strchr(s, '/');
	char prefix[254];
	size_t n;

	if (slash == NULL)
		return s[0] != '\0' && valid_label_value(s);
	n = (size_t)(slash - s);
	if (n == 0 || n >= sizeof prefix)
		return 0;
	memcpy(prefix, s, n);
	prefix[n] = '\0';
	return valid_dns_name(prefix) && slash[1] != '\0' &&
	    valid_label_value(slash + 1);
}

static const struct format {
	unsigned	 flag;
	int		(*valid)(const char *);
	const char	*expected;
} formats[] = {
	{ F_HOST, valid_host, "a host name or IP address (IPv6 without [ ])" },
	{ F_URL, valid_url, "a URL starting with https:// or http://, without "
	  "spaces or quotes" },
	{ F_EMAIL, valid_email, "an e-mail address such as ops@example.com" },
	{ F_DNS_LABEL, valid_dns_label, "a name of lower-case letters, digits "
	  "and '-' (at most 63)" },
	{ F_DNS_NAME, valid_dns_name, "a DNS name of lower-case letters, digits, "
	  "'-' and '.' (not an IP address)" },
	{ F_ABS_PATH, valid_abs_path, "an absolute path of letters, digits and "
	  "._/+@=,- (no spaces, no ..)" },
	{ F_USER, valid_user, "a login name of letters, digits and ._- "
	  "(at most 32)" },
	{ F_REGISTRY, valid_registry, "a registry such as registry.internal:5000"
	  "/sentry (no scheme)" },
	{ F_CIDR, valid_cidr, "an address range such as 169.254.0.0/16 or "
	  "fc00::/7" },
	{ F_CPU, valid_cpu, "a CPU quantity such as 250m, 0.5 or 2 (at least 1m)" },
	{ F_MEMORY, valid_memory, "a memory quantity with a unit, such as 512Mi, "
	  "1Gi or 1G (Mi, Gi, Ti, M, G, T)" },
	{ F_LABEL_KEY, valid_label_key, "a label key such as node-role/ingest "
	  "or disktype ([DNS prefix/]name of at most 63 letters, digits and ._-)" },
	{ F_LABEL_VALUE, valid_label_value, "a label value of at most 63 "
	  "letters, digits and ._- (beginning and ending with a letter or "
	  "digit)" },
};

const char *
format_mismatch(unsigned flags, const char *s)
{
	for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
		if ((flags & formats[i].flag) && !formats[i].valid(s))
			return formats[i].expected;
	return NULL;
}

int
valid_env_name(const char *s)
{
	if (!(isalpha((unsigned char)s[0]) || s[0] == '_'))
		return 0;
	for (; *s != '\0'; s++)
		if (!(isalnum((unsigned char)*s) || *s == '_'))
			return 0;
	return 1;
}

int
parse_hostport(const char *s, char **host, long *port)
{
	const char *colon, *hend;
	char *end;
	long p;

	*host = NULL;
	if (s[0] == '[') {
		hend = strchr(s, ']');
		if (hend == NULL || hend[1] != ':')
			return -1;
		colon = hend + 1;
		s++;
	} else {
		colon = strrchr(s, ':');
		if (colon == NULL || memchr(s, ':', (size_t)(colon - s)) != NULL)
			return -1;
		hend = colon;
	}
	if (hend == s || colon[1] == '\0')
		return -1;
	p = strtol(colon + 1, &end, 10);
	if (*end != '\0' || p < 1 || p > 65535 || !isdigit((unsigned char)colon[1]))
		return -1;
	*host = xstrndup(s, (size_t)(hend - s));
	if (!valid_host(*host)) {
		free(*host);
		*host = NULL;
		return -1;
	}
	*port = p;
	return 0;
}
