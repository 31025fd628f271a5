#define _GNU_SOURCE	/* renameat2 */
#include "fsutil.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xmem.h"

#define READ_LIMIT	(16u * 1024 * 1024)

int
fs_read_file(const char *path, char **text, size_t *len, struct err *e)
{
	struct strbuf sb = STRBUF_INIT;
	char chunk[65536];
	struct stat st;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return err_set(e, errno == ENOENT ? ERR_INPUT : ERR_IO,
		    "%s: cannot open: %s", path, strerror(errno));
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		return err_set(e, ERR_INPUT, "%s: is a folder, expected a file",
		    path);
	}
	sb_add(&sb, "");
	while ((n = read(fd, chunk, sizeof chunk)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || sb.len + (size_t)n > READ_LIMIT) {
			int saved = errno;

			close(fd);
			sb_free(&sb);
			if (n < 0)
				return err_set(e, ERR_IO, "%s: cannot read: %s",
				    path, strerror(saved));
			return err_set(e, ERR_INPUT, "%s: larger than 16 MiB; "
			    "is this the right file?", path);
		}
		sb_addn(&sb, chunk, (size_t)n);
	}
	close(fd);
	*len = sb.len;
	*text = sb_take(&sb);
	return 0;
}

static int
write_all(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, data, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

int
fs_write_atomic(const char *path, const void *data, size_t len, mode_t mode,
    struct err *e)
{
	char *tmp = xasprintf("%s.tmp-XXXXXX", path);
	int fd = mkstemp(tmp), saved;

	if (fd < 0) {
		saved = errno;
		free(tmp);
		return err_set(e, ERR_IO, "%s: cannot create a temporary file: %s",
		    path, strerror(saved));
	}
	if (fchmod(fd, mode) < 0 || write_all(fd, data, len) < 0 ||
	    fsync(fd) < 0) {
		saved = errno;
		close(fd);
		unlink(tmp);
		free(tmp);
		return err_set(e, ERR_IO, "%s: cannot write: %s", path,
		    strerror(saved));
	}
	if (close(fd) < 0 || rename(tmp, path) < 0) {
		saved = errno;
		unlink(tmp);
		free(tmp);
		return err_set(e, ERR_IO, "%s: cannot write: %s", path,
		    strerror(saved));
	}
	free(tmp);
	return 0;
}

int
fs_make_dirs(const char *path, mode_t mode, struct err *e)
{
	char *copy = xstrdup(path);
	int rc = 0;

	for (char *p = copy + 1; rc == 0; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char saved = *p;

		*p = '\0';
		if (mkdir(copy, mode) < 0 && errno != EEXIST)
			rc = err_set(e, ERR_IO, "%s: cannot create folder: %s",
			    copy, strerror(errno));
		*p = saved;
		if (saved == '\0')
			break;
	}
	free(copy);
	return rc;
}

int
fs_remove_tree(const char *path, struct err *e)
{
	struct stat st;
	DIR *d;
	struct dirent *de;
	int rc = 0;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : err_set(e, ERR_IO, "%s: %s", path,
		    strerror(errno));
	if (!S_ISDIR(st.st_mode)) {
		if (unlink(path) < 0)
			return err_set(e, ERR_IO, "%s: cannot remove: %s", path,
			    strerror(errno));
		return 0;
	}
	if ((d = opendir(path)) == NULL)
		return err_set(e, ERR_IO, "%s: %s", path, strerror(errno));
	while (rc == 0 && (de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		char *child = xasprintf("%s/%s", path, de->d_name);

		rc = fs_remove_tree(child, e);
		free(child);
	}
	closedir(d);
	if (rc == 0 && rmdir(path) < 0)
		rc = err_set(e, ERR_IO, "%s: cannot remove: %s", path,
		    strerror(errno));
	return rc;
}

int
fs_exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

int
fs_is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

char *
fs_dirname(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

static int
dir_is_empty(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *de;
	int empty = 1;

	if (d == NULL)
		return 0;
	while (empty && (de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			empty = 0;
	closedir(d);
	return empty;
}

int
stage_dir_create(const char *final, const char *marker, char **staging,
    struct err *e)
{
	char *parent, *mark;
	int ours;

	if (fs_exists(final)) {
		if (!fs_is_dir(final))
			return err_set(e, ERR_INPUT, "%s: exists and is not a "
			    "folder; choose another output folder with -o", final);
		mark = xasprintf("%s/%s", final, marker);
		ours = fs_exists(mark) || dir_is_empty(final);
		free(mark);
		if (!ours)
			return err_set(e, ERR_INPUT, "%s: exists and was not "
			    "written by sentry-ha-setup (no %s in it); choose another "
			    "output folder with -o, or empty it first", final, marker);
	}
	parent = fs_dirname(final);
	if (fs_make_dirs(parent, 0755, e) < 0) {
		free(parent);
		return -1;
	}
	free(parent);
	*staging = xasprintf("%s.new-XXXXXX", final);
	if (mkdtemp(*staging) == NULL) {
		int saved = errno;

		free(*staging);
		*staging = NULL;
		return err_set(e, ERR_IO, "%s: cannot create a staging folder "
		    "beside it: %s", final, strerror(saved));
	}
	chmod(*staging, 0755);
	return 0;
}

int
stage_dir_commit(const char *staging, const char *final, struct err *e)
{
	char *old;
	int rc = 0;

	if (!fs_exists(final)) {
		if (rename(staging, final) < 0)
			return err_set(e, ERR_IO, "%s: cannot move the new output "
			    "into place: %s", final, strerror(errno));
		return 0;
	}
	/* Both exist: swap them in one step, then delete what was there. */
	if (renameat2(AT_FDCWD, staging, AT_FDCWD, final, RENAME_EXCHANGE) == 0)
		return fs_remove_tree(staging, e);
	/* File systems without RENAME_EXCHANGE: move aside, move in. */
	old = xasprintf("%s.old-%ld", final, (long)getpid());
	if (rename(final, old) < 0) {
		rc = err_set(e, ERR_IO, "%s: cannot replace: %s", final,
		    strerror(errno));
	} else if (rename(staging, final) < 0) {
		rc = err_set(e, ERR_IO, "%s: cannot replace: %s", final,
		    strerror(errno));
		rename(old, final);
	} else {
		rc = fs_remove_tree(old, e);
	}
	free(old);
	return rc;
}

void
stage_dir_abort(const char *staging)
{
	struct err ignored;

	if (staging != NULL)
		fs_remove_tree(staging, &ignored);
}

void
fs_list_dir(const char *path, struct strlist *names)
{
	DIR *d = opendir(path);
	struct dirent *ent;

	if (d == NULL)
		return;
	while ((ent = readdir(d)) != NULL)
		if (strcmp(ent->d_name, ".") != 0 && strcmp(ent->d_name, "..") != 0)
			sl_add(names, ent->d_name);
	closedir(d);
}
