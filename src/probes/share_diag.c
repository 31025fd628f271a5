/* share_diag.h: docker's words, a table of what they mean. */
#include <stdio.h>
#include <string.h>

#include "share_diag.h"

static const struct {
	const char	*needle;	/* in docker's output */
	const char	*says;
	const char	*fix;		/* %s: the folder, or the image */
	int		 of_image;
} meanings[] = {
	{ "bind source path does not exist", "the shared folder does not exist "
	  "on this host", "mount the share at %s on every host (RUNBOOK.md "
	  "gives the fstab line), then check again", 0 },
	{ "Permission denied", "the Sentry image's user (uid 999) may not write "
	  "into the shared folder", "on the share: chown 999:999 %s (sshfs: "
	  "mount with uid=999,gid=999; NFS: no root_squash for that uid)", 0 },
	{ "Read-only file system", "the shared folder is mounted read-only",
	  "mount %s read-write on every host", 0 },
	{ "No space left on device", "the share is full", "free space on the "
	  "share of %s", 0 },
	{ "Cannot connect to the Docker daemon", "no Docker engine answers "
	  "this host's login", "start Docker on the host, or log in as a user "
	  "of the docker group", 0 },
	{ "permission denied while trying to connect", "the login user may not "
	  "use Docker", "add the user to the docker group, or log in as root", 0 },
	{ "pull access denied", "the registry refused to hand out the Sentry "
	  "image", "docker login to the registry of %s on the host", 1 },
	{ "manifest unknown", "the registry has no such Sentry image",
	  "push %s into the registry (sentry-ha-setup bundle), or fix "
	  "registry:", 1 },
	{ "docker: not found", "there is no docker command on the host",
	  "install Docker on the host", 0 },
	/* Last: docker says it before every pull, also one that works. */
	{ "Unable to find image", "the Sentry image is not on the host and "
	  "could not be pulled", "docker login to the registry of %s on the "
	  "host (or pull it there), then check again", 1 },
};

const char *
share_diagnose(const char *output, int status, const char *path,
    const char *image, char *fix, size_t size)
{
	for (size_t i = 0; i < sizeof meanings / sizeof meanings[0]; i++)
		if (strstr(output, meanings[i].needle) != NULL) {
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
			snprintf(fix, size, meanings[i].fix, meanings[i].of_image ?
			    image : path);
#pragma GCC diagnostic pop
			return meanings[i].says;
		}
	snprintf(fix, size, "run it by hand on the host to see why (docker run "
	    "--rm -v %s:/probe %s)", path, image);
	return status == 127 ? "there is no docker command on the host" :
	    "docker run failed";
}
