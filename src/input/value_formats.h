/*
 * The text formats an answer may be required to have (schema.h's F_* format
 * flags): host names, URLs, e-mail addresses, Kubernetes names, paths, user
 * names, image registries. Values that pass end up in manifests, config
 * files and the runbook's shell commands, so the formats are strict about
 * characters that mean something to a shell or a YAML reader.
 */
#ifndef SHS_VALUE_FORMATS_H
#define SHS_VALUE_FORMATS_H

/*
 * The first format among `flags` that `s` does not have, described as the
 * rest of "expected ..." (borrowed, static); NULL when s has them all.
 */
const char *format_mismatch(unsigned flags, const char *s);

/* A host name, an IPv4 address or an IPv6 address without brackets. */
int	valid_host(const char *s);
/* Splits "host:port" or "[v6]:port"; *host is owned by the caller. */
int	parse_hostport(const char *s, char **host, long *port);
/* An address range, ADDRESS/BITS (AF_INET or AF_INET6; the address as
 * written, host bits and all). */
struct cidr {
	int		 family;
	int		 bits;
	unsigned char	 addr[16];
};
/* 0 when `s` is one, -1 when not. */
int	cidr_parse(const char *s, struct cidr *c);
/* Is range `inner` a strict part of `outer` (same family, longer prefix),
 * as Kubernetes wants an ipBlock's except? 0 for a text that is no range. */
int	cidr_within(const char *inner, const char *outer);
/* Is this a plausible environment variable name? */
int	valid_env_name(const char *s);

#endif
