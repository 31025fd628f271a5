#define _DEFAULT_SOURCE	/* flock */
#include "fsutil.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
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
	/* Non-blocking, so that a FIFO cannot hang the open; cleared below. */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);

	if (fd < 0)
		return err_set(e, errno == ENOENT ? ERR_INPUT : ERR_IO,
		    "%s: cannot open: %s", path, strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		const char *what = fstat(fd, &st) < 0 ? "cannot be examined" :
		    S_ISDIR(st.st_mode) ? "is a folder" : S_ISFIFO(st.st_mode) ?
		    "is a FIFO" : S_ISSOCK(st.st_mode) ? "is a socket" :
		    "is a device";

		close(fd);
		return err_set(e, ERR_INPUT, "%s: %s, expected a file", path,
		    what);
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
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
fs_sync_dir(const char *path, struct err *e)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc = 0;

	/* Some file systems cannot sync a folder (EINVAL): nothing to lose. */
	if (fd < 0 || (fsync(fd) < 0 && errno != EINVAL && errno != EROFS))
		rc = err_set(e, ERR_IO, "%s: cannot sync the folder: %s", path,
		    strerror(errno));
	if (fd >= 0)
		close(fd);
	return rc;
}

char *
fs_resolve_link(const char *path, struct err *e)
{
	struct stat st;
	char *real;

	if (lstat(path, &st) < 0 || !S_ISLNK(st.st_mode))
		return xstrdup(path);
	if ((real = realpath(path, NULL)) == NULL) {
		err_set(e, ERR_IO, "%s: a link to nothing (%s); point it at a "
		    "file or remove it", path, strerror(errno));
		return NULL;
	}
	return real;
}

char *
fs_real_path(const char *path)
{
	char *real = realpath(path, NULL), *copy;

	if (real == NULL)
		return xstrdup(path);
	copy = xstrdup(real);
	free(real);	/* realpath's malloc, not xmalloc's */
	return copy;
}

/* Leftovers of runs that were killed: NAME.SUFFIXxxxxxx beside `path`
 * that no live run holds locked. */
void
fs_clean_leftovers(const char *path, const char *suffix)
{
	char *dir = fs_dirname(path);
	const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;
	size_t blen = strlen(base), slen = strlen(suffix);
	struct strlist names = { 0 };
	struct err ignored;

	fs_list_dir(dir, &names);
	for (size_t i = 0; i < names.n; i++) {
		const char *n = names.v[i];
		char *full;
		int fd;

		if (strlen(n) != blen + slen + 6 || strncmp(n, base, blen) != 0 ||
		    strncmp(n + blen, suffix, slen) != 0)
			continue;
		full = xasprintf("%s/%s", dir, n);
		fd = open(full, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
		if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0)
			fs_remove_tree(full, &ignored);
		if (fd >= 0)
			close(fd);
		free(full);
	}
	sl_free(&names);
	free(dir);
}

int
fs_write_atomic(const char *path, const void *data, size_t len, mode_t mode,
    struct err *e)
{
	char *target = fs_resolve_link(path, e), *tmp, *dir;
	int fd, saved, rc;

	if (target == NULL)
		return -1;
	fs_clean_leftovers(target, ".tmp-");
	tmp = xasprintf("%s.tmp-XXXXXX", target);
	if ((fd = mkstemp(tmp)) < 0) {
		saved = errno;
		free(tmp);
		free(target);
		return err_set(e, ERR_IO, "%s: cannot create a temporary file: %s",
		    path, strerror(saved));
	}
	/* Held until the rename: a later run removes only unlocked leftovers. */
	flock(fd, LOCK_EX);
	if (fchmod(fd, mode) < 0 || write_all(fd, data, len) < 0 ||
	    fsync(fd) < 0 || rename(tmp, target) < 0) {
		saved = errno;
		close(fd);
		unlink(tmp);
		free(tmp);
		free(target);
		return err_set(e, ERR_IO, "%s: cannot write: %s", path,
		    strerror(saved));
	}
	close(fd);
	dir = fs_dirname(target);
	rc = fs_sync_dir(dir, e);
	free(dir);
	free(tmp);
	free(target);
	return rc;
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

void
fs_list_tree(const char *dir, struct strlist *files)
{
	struct strlist pending = { 0 };

	sl_add(&pending, "");
	while (pending.n > 0) {
		char *rel = pending.v[--pending.n];
		char *abs = rel[0] ? xasprintf("%s/%s", dir, rel) : xstrdup(dir);
		struct strlist names = { 0 };
		struct stat st;

		fs_list_dir(abs, &names);
		for (size_t i = 0; i < names.n; i++) {
			char *child = rel[0] ? xasprintf("%s/%s", rel, names.v[i]) :
			    xstrdup(names.v[i]);
			char *full = xasprintf("%s/%s", dir, child);

			if (lstat(full, &st) == 0 && S_ISDIR(st.st_mode))
				sl_add(&pending, child);
			else
				sl_add(files, child);
			free(full);
			free(child);
		}
		sl_free(&names);
		free(abs);
		free(rel);
	}
	sl_free(&pending);
}

int
fs_lock(const char *path, long wait_ms, int *fd, struct err *e)
{
	*fd = open(path, O_RDONLY | O_CLOEXEC);
	if (*fd < 0)
		return err_set(e, ERR_IO, "%s: cannot open to lock: %s", path,
		    strerror(errno));
	for (long waited = 0; flock(*fd, LOCK_EX | LOCK_NB) < 0; waited += 50) {
		struct timespec step = { 0, 50 * 1000000L };

		if (errno != EWOULDBLOCK || waited >= wait_ms) {
			int saved = errno;

			close(*fd);
			*fd = -1;
			if (saved != EWOULDBLOCK)
				return err_set(e, ERR_IO, "%s: cannot lock: %s",
				    path, strerror(saved));
			return err_set(e, ERR_IO, "%s: another sentry-ha-setup run "
			    "holds it; try again once that run has finished", path);
		}
		nanosleep(&step, NULL);
	}
	return 0;
}

int
fs_is_within(const char *path, const char *dir)
{
	char *real = realpath(path, NULL), *real_dir = realpath(dir, NULL);
	size_t n = real_dir ? strlen(real_dir) : 0;
	int inside = real != NULL && real_dir != NULL &&
	    strncmp(real, real_dir, n) == 0 && real[n] == '/';

	free(real);
	free(real_dir);
	return inside;
}

int
fs_is_inside(const char *path, const char *dir)
{
	char *parent = fs_dirname(path), *real_parent = realpath(parent, NULL);
	char *real_dir = realpath(dir, NULL);
	size_t n = real_dir ? strlen(real_dir) : 0;
	int inside = real_parent != NULL && real_dir != NULL &&
	    strncmp(real_parent, real_dir, n) == 0 &&
	    (real_parent[n] == '/' || real_parent[n] == '\0');

	free(parent);
	free(real_parent);
	free(real_dir);
	return inside;
}

char *
fs_private_dir(const char *prefix, struct err *e)
{
	const char *tmp = getenv("TMPDIR");
	char *path = xasprintf("%s/%s-XXXXXX", tmp != NULL && tmp[0] == '/' ?
	    tmp : "/tmp", prefix);

	if (mkdtemp(path) == NULL) {
		err_set(e, ERR_IO, "%s: cannot create: %s", path, strerror(errno));
		free(path);
		return NULL;
	}
	return path;
}

int
fs_keep_copy(const char *path, const char *text, size_t len, char **name,
    struct err *e)
{
	char *bak = xasprintf("%s.bak", path);
	int rc;

	for (int i = 2; fs_exists(bak) && i <= 100; i++) {
		free(bak);
		bak = xasprintf("%s.bak.%d", path, i);
	}
	if (fs_exists(bak)) {
		free(bak);
		return err_set(e, ERR_IO, "%s: a hundred copies (.bak) are there "
		    "already; move them away first", path);
	}
	rc = fs_write_atomic(bak, text, len, 0600, e);
	if (rc == 0) {
		free(*name);
		*name = bak;
	} else {
		free(bak);
	}
	return rc;
}
