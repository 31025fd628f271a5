/*
 * What an upgrade has done so far (upgrade_state.c), kept beside the
 * answers as NAME.upgrade, 0600: for each hop, when its backup was
 * confirmed and when it was verified. The next hop waits for both, and the
 * file is the record an operator shows afterwards.
 */
#ifndef SHS_UPGRADE_STATE_H
#define SHS_UPGRADE_STATE_H

#include <stddef.h>

#include "err.h"

struct hop_record {
	char	*from, *to;	/* the hop's releases (owned) */
	char	*backup_done;	/* UTC "2026-12-01T15:02:11Z", or NULL (owned) */
	char	*verified;	/* the same, or NULL (owned) */
};

struct upgrade_state {
	char			*path;	/* NAME.upgrade (owned) */
	struct hop_record	*v;	/* owned, n of them, oldest first */
	size_t			 n;
};

/* Reads the state of the answers at `answers_path`; a missing file is an
 * upgrade not begun. ERR_INPUT with FILE:LINE for a file not of this form;
 * upgrade_state_free() always. */
int	upgrade_state_load(struct upgrade_state *s, const char *answers_path,
	    struct err *e);
/* Writes it back, atomically, mode 0600. */
int	upgrade_state_save(const struct upgrade_state *s, struct err *e);
/* The record of hop from -> to (borrowed), NULL if there is none and
 * `create` is 0; with `create`, a new one is added. */
struct hop_record *upgrade_state_hop(struct upgrade_state *s, const char *from,
	    const char *to, int create);
void	upgrade_state_free(struct upgrade_state *s);

/* The time now, as the records write it; owned by the caller. */
char	*upgrade_time_now(void);

#endif
