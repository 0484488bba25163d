/* net.c - sockets: resolve, listen, accept and connect with a timeout. */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "net.h"
#include "opts.h"

/* An IPv4 peer on a dual-stack socket comes as ::ffff:a.b.c.d; users
 * write a.b.c.d, so unwrap it. */
static void
unmap_v4(const struct sockaddr_in6 *s6, struct sockaddr_in *s4)
{
	memset(s4, 0, sizeof *s4);
	s4->sin_family = AF_INET;
	s4->sin_port = s6->sin6_port;
	memcpy(&s4->sin_addr, &s6->sin6_addr.s6_addr[12], 4);
}

void
net_addr_str(const struct sockaddr *sa, socklen_t len, char *out, size_t outlen)
{
	char host[NI_MAXHOST], serv[NI_MAXSERV];
	struct sockaddr_in s4;

	if (sa->sa_family == AF_INET6 && len >= sizeof(struct sockaddr_in6) &&
	    IN6_IS_ADDR_V4MAPPED(&((const struct sockaddr_in6 *)sa)->sin6_addr)) {
		unmap_v4((const struct sockaddr_in6 *)sa, &s4);
		sa = (const struct sockaddr *)&s4;
		len = sizeof s4;
	}
	if (getnameinfo(sa, len, host, sizeof host, serv, sizeof serv,
	    NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
		snprintf(out, outlen, "?");
		return;
	}
	if (sa->sa_family == AF_INET6)
		snprintf(out, outlen, "[%s]:%s", host, serv);
	else
		snprintf(out, outlen, "%s:%s", host, serv);
}

int
net_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	return fl == -1 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

static void
tune(int fd)
{
	int one = 1;

	/* Lines typed by a person should leave at once, not wait for an ACK. */
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

static int
resolve(const struct tt_opts *o, const char *host, const char *port, bool passive,
    struct addrinfo **res, char *err, size_t errlen)
{
	struct addrinfo hints;
	int rc;

	memset(&hints, 0, sizeof hints);
	hints.ai_family = o->family;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_protocol = IPPROTO_TCP;
	if (passive)
		hints.ai_flags |= AI_PASSIVE;
	if (o->numeric)
		hints.ai_flags |= AI_NUMERICHOST;
	rc = getaddrinfo(host, port, &hints, res);
	if (rc != 0) {
		if (rc == EAI_SYSTEM)
			snprintf(err, errlen, "cannot resolve %s: %s",
			    host ? host : "*", strerror(errno));
		else if (o->numeric && rc == EAI_NONAME)
			snprintf(err, errlen, "'%s' is not a numeric address (-n)",
			    host ? host : "*");
		else
			snprintf(err, errlen, "cannot resolve %s: %s",
			    host ? host : "*", gai_strerror(rc));
		return -1;
	}
	return 0;
}

static int
listen_one(const struct addrinfo *ai, int v6only, char *err, size_t errlen,
    const char *what)
{
	int fd, one = 1;
	char addr[NET_ADDRSTRLEN];

	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    ai->ai_protocol);
	if (fd == -1)
		goto fail;
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (ai->ai_family == AF_INET6 && v6only >= 0)
		(void)setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only,
		    sizeof v6only);
	if (bind(fd, ai->ai_addr, ai->ai_addrlen) == -1 || listen(fd, 16) == -1)
		goto fail;
	return fd;
fail:
	net_addr_str(ai->ai_addr, ai->ai_addrlen, addr, sizeof addr);
	snprintf(err, errlen, "cannot listen on %s%s: %s", addr, what,
	    strerror(errno));
	if (fd != -1)
		close(fd);
	return -1;
}

int
net_listen(const struct tt_opts *o, int *fds, int max, char *desc,
    size_t desclen, char *err, size_t errlen)
{
	struct addrinfo *res, *ai;
	struct tt_opts any = *o;
	char addr[NET_ADDRSTRLEN];
	size_t dl = 0;
	int n = 0, fd;

	desc[0] = '\0';
	if (o->host == NULL && o->family == AF_UNSPEC) {
		/* One dual-stack socket takes IPv4 and IPv6 (nc binds only
		 * 0.0.0.0); fall back to IPv4 where IPv6 is missing. */
		any.family = AF_INET6;
		if (resolve(&any, NULL, o->port, true, &res, err, errlen) == 0) {
			fd = listen_one(res, 0, err, errlen, "");
			if (fd != -1) {
				net_addr_str(res->ai_addr, res->ai_addrlen, addr,
				    sizeof addr);
				snprintf(desc, desclen, "%s (IPv4 and IPv6)", addr);
				fds[0] = fd;
				freeaddrinfo(res);
				return 1;
			}
			freeaddrinfo(res);
			if (errno == EADDRINUSE)
				return -1;
		}
		any.family = AF_INET;
		o = &any;
	}
	if (resolve(o, o->host, o->port, true, &res, err, errlen) == -1)
		return -1;
	for (ai = res; ai != NULL && n < max; ai = ai->ai_next) {
		fd = listen_one(ai, 1, err, errlen, "");
		if (fd == -1)
			continue;
		fds[n++] = fd;
		net_addr_str(ai->ai_addr, ai->ai_addrlen, addr, sizeof addr);
		dl += (size_t)snprintf(desc + dl, dl < desclen ? desclen - dl : 0,
		    "%s%s", n > 1 ? " and " : "", addr);
		if (dl >= desclen)
			dl = desclen - 1;
	}
	freeaddrinfo(res);
	return n > 0 ? n : -1;
}

int
net_accept(int lfd, char *peer, size_t peerlen)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	int fd;

	fd = accept4(lfd, (struct sockaddr *)&ss, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd == -1)
		return -1;
	net_addr_str((struct sockaddr *)&ss, len, peer, peerlen);
	tune(fd);
	return fd;
}

/* Wait for a non-blocking connect to finish; 0 or -1 with errno. */
static int
connect_wait(int fd, int timeout_ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLOUT };
	long long deadline = clock_now_ms() + timeout_ms;
	int rc, soerr = 0, left = timeout_ms;
	socklen_t len = sizeof soerr;

	for (;;) {
		rc = poll(&pfd, 1, timeout_ms < 0 ? -1 : left);
		if (rc == 1)
			break;
		if (rc == -1 && errno != EINTR)
			return -1;
		if (timeout_ms >= 0) {
			left = (int)(deadline - clock_now_ms());
			if (rc == 0 || left <= 0) {
				errno = ETIMEDOUT;
				return -1;
			}
		}
	}
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) == -1)
		return -1;
	if (soerr != 0) {
		errno = soerr;
		return -1;
	}
	return 0;
}

static int
bind_source(int fd, const struct addrinfo *ai, const struct tt_opts *o,
    char *err, size_t errlen)
{
	struct tt_opts so = *o;
	struct addrinfo *res;
	int one = 1;

	so.family = ai->ai_family;
	if (resolve(&so, o->source_addr, o->source_port ? o->source_port : "0",
	    true, &res, err, errlen) == -1)
		return -1;
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(fd, res->ai_addr, res->ai_addrlen) == -1) {
		snprintf(err, errlen, "cannot bind source %s port %s: %s",
		    o->source_addr ? o->source_addr : "*",
		    o->source_port ? o->source_port : "any", strerror(errno));
		freeaddrinfo(res);
		return -1;
	}
	freeaddrinfo(res);
	return 0;
}

int
net_connect(const struct tt_opts *o, char *peer, size_t peerlen, char *err,
    size_t errlen)
{
	struct addrinfo *res, *ai;
	int fd = -1;

	if (resolve(o, o->host, o->port, false, &res, err, errlen) == -1)
		return -1;
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK |
		    SOCK_CLOEXEC, ai->ai_protocol);
		if (fd == -1) {
			snprintf(err, errlen, "socket: %s", strerror(errno));
			continue;
		}
		if ((o->source_addr || o->source_port) &&
		    bind_source(fd, ai, o, err, errlen) == -1) {
			close(fd);
			fd = -1;
			continue;
		}
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0 ||
		    ((errno == EINPROGRESS || errno == EINTR) &&
		    connect_wait(fd, o->wait_ms) == 0)) {
			net_addr_str(ai->ai_addr, ai->ai_addrlen, peer, peerlen);
			tune(fd);
			break;
		}
		snprintf(err, errlen, "connect to %s port %s: %s", o->host,
		    o->port, strerror(errno));
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	return fd;
}
