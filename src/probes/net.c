/*
 * Plain TCP for the probes, every step bounded by the probe's deadline:
 * name lookup (glibc's asynchronous getaddrinfo_a, since getaddrinfo may
 * block far longer than any deadline), connect, send and receive.
 */
#define _GNU_SOURCE	/* getaddrinfo_a */
#include "probe_internal.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define REPLY_MAX	(1024 * 1024)

static const char resolve_fix[] = "check the host name, or the DNS server "
    "this machine uses";

static int
is_address(const char *host)
{
	unsigned char buf[sizeof(struct in6_addr)];

	return inet_pton(AF_INET, host, buf) == 1 ||
	    inet_pton(AF_INET6, host, buf) == 1;
}

/*
 * Looks `host` up. A lookup still running at the deadline is cancelled;
 * when glibc cannot cancel it, its request block is left to it (a few
 * hundred bytes), since freeing it would pull it from under glibc.
 */
static int
lookup(const struct probe_ctx *c, const char *host, struct addrinfo **res,
    struct probe_result *r)
{
	struct addrinfo *hints = xcalloc(1, sizeof *hints);
	struct gaicb *req = xcalloc(1, sizeof *req), *list[1] = { req };
	struct timespec wait;
	long left = probe_ms_left(c);
	int rc;

	hints->ai_family = AF_UNSPEC;
	hints->ai_socktype = SOCK_STREAM;
	/* An address needs no lookup, and so no time. */
	if (is_address(host)) {
		hints->ai_flags = AI_NUMERICHOST;
		rc = getaddrinfo(host, NULL, hints, res);
		free(hints);
		free(req);
		if (rc != 0)
			probe_fail(r, PF_RESOLVE, resolve_fix, "%s is no address "
			    "(%s)", host, gai_strerror(rc));
		return rc == 0 ? 0 : -1;
	}
	req->ar_name = xstrdup(host);
	req->ar_request = hints;
	if (getaddrinfo_a(GAI_NOWAIT, list, 1, NULL) != 0) {
		free((char *)req->ar_name);
		free(hints);
		free(req);
		probe_fail(r, PF_SETUP, NULL, "cannot start a name lookup");
		return -1;
	}
	wait.tv_sec = left / 1000;
	wait.tv_nsec = (left % 1000) * 1000000L;
	while ((rc = gai_suspend((const struct gaicb *const *)list, 1, &wait)) ==
	    EAI_INTR)
		;
	rc = gai_error(req);
	if (rc == EAI_INPROGRESS) {
		int cancel = gai_cancel(req);

		/* Only a lookup still running keeps its block (see above). */
		if (cancel != EAI_NOTCANCELED) {
			if (cancel == EAI_ALLDONE && req->ar_result != NULL)
				freeaddrinfo(req->ar_result);
			free((char *)req->ar_name);
			free(hints);
			free(req);
		}
		/* The deadline came first: that is a timeout, not an answer
		 * that the name does not exist. */
		probe_fail(r, PF_CONNECT_TIMEOUT, resolve_fix, "the lookup of %s "
		    "did not finish within %ld ms", host, c->timeout_ms);
		return -1;
	}
	*res = req->ar_result;
	free((char *)req->ar_name);
	free(hints);
	free(req);
	if (rc != 0) {
		probe_fail(r, PF_RESOLVE, resolve_fix, "%s does not resolve "
		    "(%s)", host, gai_strerror(rc));
		return -1;
	}
	return 0;
}

int
net_resolve(const struct probe_ctx *c, const char *host, char *ip, size_t size,
    struct probe_result *r)
{
	struct addrinfo *res = NULL;
	int rc;

	if (lookup(c, host, &res, r) < 0)
		return -1;
	rc = getnameinfo(res->ai_addr, res->ai_addrlen, ip, (socklen_t)size,
	    NULL, 0, NI_NUMERICHOST);
	freeaddrinfo(res);
	if (rc != 0) {
		probe_fail(r, PF_RESOLVE, resolve_fix, "%s resolves to an address "
		    "that cannot be written out", host);
		return -1;
	}
	return 0;
}

int
net_wait(const struct probe_ctx *c, int fd, short events)
{
	struct pollfd p = { .fd = fd, .events = events };
	int rc;

	do {
		rc = poll(&p, 1, (int)probe_ms_left(c));
	} while (rc < 0 && errno == EINTR);
	return rc;
}

/* Non-blocking connect to one address; 0, or -1 with errno (ETIMEDOUT when
 * the deadline came first). */
static int
connect_one(const struct probe_ctx *c, const struct addrinfo *ai, int *out)
{
	int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
	    ai->ai_protocol), flags, err = 0;
	socklen_t len = sizeof err;

	if (fd < 0)
		return -1;
	flags = fcntl(fd, F_GETFL);
	fcntl(fd, F_SETFL, flags | O_NONBLOCK);
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
		if (errno != EINPROGRESS) {
			err = errno;
		} else if (net_wait(c, fd, POLLOUT) <= 0) {
			err = ETIMEDOUT;
		} else if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0) {
			err = errno;
		}
	}
	if (err != 0) {
		close(fd);
		errno = err;
		return -1;
	}
	fcntl(fd, F_SETFL, flags);
	*out = fd;
	return 0;
}

void
net_close(const struct probe_ctx *c, int fd)
{
	probe_release_socket(c, fd);
	close(fd);
}

int
net_connect(const struct probe_ctx *c, const char *host, long port,
    struct probe_result *r)
{
	struct addrinfo *res = NULL;
	char *where = probe_hostport(host, port);
	int fd = -1, err = 0;

	if (lookup(c, host, &res, r) < 0) {
		free(where);
		return -1;
	}
	for (struct addrinfo *ai = res; ai != NULL && fd < 0; ai = ai->ai_next) {
		if (ai->ai_family == AF_INET)
			((struct sockaddr_in *)(void *)ai->ai_addr)->sin_port =
			    htons((unsigned short)port);
		else if (ai->ai_family == AF_INET6)
			((struct sockaddr_in6 *)(void *)ai->ai_addr)->sin6_port =
			    htons((unsigned short)port);
		else
			continue;
		if (connect_one(c, ai, &fd) < 0) {
			fd = -1;
			/* Keep the most telling reason over all addresses. */
			if (err != ECONNREFUSED)
				err = errno;
		}
	}
	freeaddrinfo(res);
	if (fd >= 0)
		probe_hold_socket(c, fd);
	if (fd < 0 && err == ECONNREFUSED)
		probe_fail(r, PF_REFUSED, "check the port, and that the server "
		    "listens on an address this machine reaches", "%s refused the "
		    "connection", where);
	else if (fd < 0 && err == ETIMEDOUT)
		probe_fail(r, PF_CONNECT_TIMEOUT, "check the address, and that no "
		    "firewall drops the packets", "no connection to %s within "
		    "%ld ms", where, c->timeout_ms);
	else if (fd < 0)
		probe_fail(r, PF_REFUSED, "check the address and the network "
		    "route", "cannot connect to %s: %s", where, strerror(err));
	free(where);
	return fd;
}

int
net_exchange(const struct probe_ctx *c, int fd, const char *data,
    int (*done)(const char *reply, size_t len), char **reply,
    struct probe_result *r)
{
	struct strbuf in = STRBUF_INIT;
	size_t sent = 0, len = strlen(data);
	char buf[4096];

	*reply = NULL;
	while (sent < len) {
		ssize_t n;

		if (net_wait(c, fd, POLLOUT) <= 0)
			goto timeout;
		n = send(fd, data + sent, len - sent, MSG_NOSIGNAL);
		if (n < 0 && errno != EINTR && errno != EAGAIN)
			goto broken;
		sent += n > 0 ? (size_t)n : 0;
	}
	sb_add(&in, "");
	for (;;) {
		ssize_t n;

		if (done != NULL && done(in.s, in.len))
			break;
		if (net_wait(c, fd, POLLIN) <= 0)
			goto timeout;
		n = recv(fd, buf, sizeof buf, 0);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0)
			goto broken;
		if (n == 0) {
			if (done == NULL)
				break;
			sb_free(&in);
			probe_fail(r, PF_PROTOCOL, NULL, "the server closed the "
			    "connection before it answered");
			return -1;
		}
		if (in.len + (size_t)n > REPLY_MAX)
			break;
		sb_addn(&in, buf, (size_t)n);
	}
	*reply = sb_take(&in);
	return 0;
timeout:
	sb_free(&in);
	probe_fail(r, PF_REPLY_TIMEOUT, "check that the port is this server's "
	    "and that the server is not overloaded", "connected, but no reply "
	    "within %ld ms", c->timeout_ms);
	return -1;
broken:
	sb_free(&in);
	probe_fail(r, PF_PROTOCOL, NULL, "the connection broke: %s",
	    strerror(errno));
	return -1;
}
