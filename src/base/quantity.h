/*
 * Kubernetes resource quantities (quantity.c), the units both targets
 * reserve in: CPU as "250m" or "0.5", memory as "512Mi" or "1G". The plan
 * keeps them as whole millicores and mebibytes, so that sizes can scale
 * them and deploy.sh can sum them.
 */
#ifndef SHS_QUANTITY_H
#define SHS_QUANTITY_H

#include <stddef.h>

/* "250m" -> 250, "0.5" -> 500, "2" -> 2000: 0, or -1 when `s` is not a
 * positive CPU quantity of at most 1000 CPUs. */
int	cpu_millis(const char *s, long *millis);
/* "512Mi" -> 512, "1Gi" -> 1024, "1G" -> 954 (rounded up): 0, or -1 when
 * `s` is not a positive memory quantity with a unit (Mi, Gi, Ti, M, G, T)
 * of at most 64 TiB. */
int	memory_mib(const char *s, long *mib);

/* The Kubernetes spellings: "250m" or "2"; "1Gi" or "384Mi". */
void	cpu_quantity(long millis, char *buf, size_t size);
void	memory_quantity(long mib, char *buf, size_t size);
/* The Swarm (compose) spellings: "0.25"; "1G" or "384M". */
void	cpu_compose(long millis, char *buf, size_t size);
void	memory_compose(long mib, char *buf, size_t size);

#endif
