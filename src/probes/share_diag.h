/*
 * Why a short-lived container could not write into the shared folder, in
 * the operator's terms (share_diag.c), from what `docker run` printed: the
 * sharing test of probe_share.c, and its unit tests.
 */
#ifndef SHS_SHARE_DIAG_H
#define SHS_SHARE_DIAG_H

/* What went wrong and the fix (both static), from docker run's output and
 * exit status; `path` and `image` name what the fix is about, so the fix
 * is written into fix[size]. Never NULL: an output no entry knows is
 * "docker run failed". */
const char	*share_diagnose(const char *output, int status, const char *path,
		    const char *image, char *fix, size_t size);

#endif
