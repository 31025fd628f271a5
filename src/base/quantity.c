/* Resource quantities: parsed strictly, because a typo such as "500M" for
 * CPU or "1g" for memory would otherwise reserve something else than the
 * operator meant, silently. */
#include <stdio.h>
#include <string.h>

#include "quantity.h"

#define MAX_MILLIS	(1000L * 1000)
#define MAX_MIB		(64L * 1024 * 1024)

/* Leading decimal digits of `s` as a value scaled by 1000 (at most three
 * fraction digits); *end after them. -1 when there are none. */
static int
scaled_decimal(const char *s, long long *thousandths, const char **end)
{
	long long whole = 0, frac = 0, scale = 1000;
	const char *p = s;

	while (*p >= '0' && *p <= '9' && whole < MAX_MILLIS)
		whole = whole * 10 + (*p++ - '0');
	if (p == s)
		return -1;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return -1;
		for (; *p >= '0' && *p <= '9'; p++) {
			if (scale == 1)
				return -1;	/* finer than a millicore */
			scale /= 10;
			frac += (*p - '0') * scale;
		}
	}
	*thousandths = whole * 1000 + frac;
	*end = p;
	return 0;
}

int
cpu_millis(const char *s, long *millis)
{
	long long v;
	const char *end;

	if (s == NULL || scaled_decimal(s, &v, &end) < 0)
		return -1;
	if (strcmp(end, "m") == 0) {
		if (strchr(s, '.') != NULL)
			return -1;
		v /= 1000;
	} else if (*end != '\0') {
		return -1;
	}
	if (v < 1 || v > MAX_MILLIS)
		return -1;
	*millis = (long)v;
	return 0;
}

static const struct unit {
	const char	*suffix;
	long long	 bytes;
} units[] = {
	{ "Mi", 1LL << 20 }, { "Gi", 1LL << 30 }, { "Ti", 1LL << 40 },
	{ "M", 1000LL * 1000 }, { "G", 1000LL * 1000 * 1000 },
	{ "T", 1000LL * 1000 * 1000 * 1000 },
};

int
memory_mib(const char *s, long *mib)
{
	long long v, bytes;
	const char *end;

	if (s == NULL || scaled_decimal(s, &v, &end) < 0)
		return -1;
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
		if (strcmp(end, units[i].suffix) != 0)
			continue;
		/* At most 10^6 whole units: no overflow below 2^63. */
		bytes = v / 1000 * units[i].bytes + v % 1000 * units[i].bytes / 1000;
		v = (bytes + (1LL << 20) - 1) >> 20;
		if (v < 1 || v > MAX_MIB)
			return -1;
		*mib = (long)v;
		return 0;
	}
	return -1;
}

void
cpu_quantity(long millis, char *buf, size_t size)
{
	if (millis % 1000 == 0)
		snprintf(buf, size, "%ld", millis / 1000);
	else
		snprintf(buf, size, "%ldm", millis);
}

/* Whole GiB when it is, else MiB; `binary` is Kubernetes' "i". */
static void
spell_mib(long mib, const char *binary, char *buf, size_t size)
{
	if (mib % 1024 == 0)
		snprintf(buf, size, "%ldG%s", mib / 1024, binary);
	else
		snprintf(buf, size, "%ldM%s", mib, binary);
}

void
memory_quantity(long mib, char *buf, size_t size)
{
	spell_mib(mib, "i", buf, size);
}

void
cpu_compose(long millis, char *buf, size_t size)
{
	snprintf(buf, size, "%g", millis / 1000.0);
}

void
memory_compose(long mib, char *buf, size_t size)
{
	spell_mib(mib, "", buf, size);
}
