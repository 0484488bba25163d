/* net.c - sockets: resolve, listen, accept and connect with a timeout. */
#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "i18n.h"
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
	hints.ai_socktype = o->udp ? SOCK_DGRAM : SOCK_STREAM;
	hints.ai_protocol = o->udp ? IPPROTO_UDP : IPPROTO_TCP;
	if (passive)
		hints.ai_flags |= AI_PASSIVE;
	if (o->numeric)
		hints.ai_flags |= AI_NUMERICHOST;
	rc = getaddrinfo(host, port, &hints, res);
	if (rc != 0) {
		if (rc == EAI_SYSTEM)
			snprintf(err, errlen, _("cannot resolve %s: %s"),
			    host ? host : "*", strerror(errno));
		else if (o->numeric && rc == EAI_NONAME)
			snprintf(err, errlen, _("'%s' is not a numeric address "
			    "(-n)"), host ? host : "*");
		else
			snprintf(err, errlen, _("cannot resolve %s: %s"),
			    host ? host : "*", gai_strerror(rc));
		return -1;
	}
	return 0;
}

static int
listen_one(const struct addrinfo *ai, int v6only, char *err, size_t errlen)
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
	/* a UDP socket is ready once bound: its first datagram is its peer */
	if (bind(fd, ai->ai_addr, ai->ai_addrlen) == -1 ||
	    (ai->ai_socktype == SOCK_STREAM && listen(fd, 16) == -1))
		goto fail;
	return fd;
fail:
	net_addr_str(ai->ai_addr, ai->ai_addrlen, addr, sizeof addr);
	snprintf(err, errlen, _("cannot listen on %s: %s"), addr,
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
	char addr[NET_ADDRSTRLEN + 8], *both;
	int n = 0, fd;

	desc[0] = '\0';
	if (o->host == NULL && o->family == AF_UNSPEC) {
		/* One dual-stack socket takes IPv4 and IPv6 (nc binds only
		 * 0.0.0.0); fall back to IPv4 where IPv6 is missing. */
		any.family = AF_INET6;
		if (resolve(&any, NULL, o->port, true, &res, err, errlen) == 0) {
			fd = listen_one(res, 0, err, errlen);
			if (fd != -1) {
				net_addr_str(res->ai_addr, res->ai_addrlen, addr,
				    sizeof addr);
				/* "udp" is the protocol's name, as in ss */
				snprintf(desc, desclen, "%s%s",
				    o->udp ? "udp " : "", addr);
				snprintf(addr, sizeof addr, "%s", desc);
				/* TRANSLATORS: %s is the address listened on,
				 * e.g. [::]:8888. */
				snprintf(desc, desclen, _("%s (IPv4 and IPv6)"),
				    addr);
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
		fd = listen_one(ai, 1, err, errlen);
		if (fd == -1)
			continue;
		fds[n++] = fd;
		net_addr_str(ai->ai_addr, ai->ai_addrlen, addr, sizeof addr);
		if (n == 1) {
			snprintf(desc, desclen, "%s%s", o->udp ? "udp " : "",
			    addr);
			continue;
		}
		/* the list so far and one more, as one sentence */
		if ((both = strdup(desc)) == NULL)
			continue;
		/* TRANSLATORS: two addresses listened on (the first may be
		 * a list). */
		snprintf(desc, desclen, _("%s and %s"), both, addr);
		free(both);
	}
	freeaddrinfo(res);
	return n > 0 ? n : -1;
}

/* PATH or "@name" into a sockaddr_un; -1 (ENAMETOOLONG) if it does not fit. */
static int
unix_addr(const char *path, struct sockaddr_un *sun, socklen_t *len)
{
	size_t n = strlen(path);

	memset(sun, 0, sizeof *sun);
	sun->sun_family = AF_UNIX;
	if (path[0] == '@') {
		/* abstract: a NUL, then the name (its length is in len) */
		if (n > sizeof sun->sun_path) {
			errno = ENAMETOOLONG;
			return -1;
		}
		memcpy(sun->sun_path + 1, path + 1, n - 1);
		*len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n);
		return 0;
	}
	if (n >= sizeof sun->sun_path) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(sun->sun_path, path, n);
	*len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + 1);
	return 0;
}

/*
 * "unix:/run/x.sock" or "@name" for the socket's own (local) or its
 * peer's address, then the peer process from SO_PEERCRED: "unix:/x.sock
 * (pid 4242 uid 1000)".  An accepted socket's own address is the
 * listener's path: its peer is usually unnamed.
 */
static void
unix_name(int fd, bool local, char *out, size_t outlen)
{
	struct sockaddr_un sun;
	socklen_t len = sizeof sun;
	struct ucred cred;
	socklen_t clen = sizeof cred;
	size_t off = offsetof(struct sockaddr_un, sun_path), i, n;
	char name[sizeof sun.sun_path + 8];

	memset(&sun, 0, sizeof sun);
	if ((local ? getsockname(fd, (struct sockaddr *)&sun, &len) :
	    getpeername(fd, (struct sockaddr *)&sun, &len)) == -1 ||
	    len <= off || len > sizeof sun)
		snprintf(name, sizeof name, "unix:?");
	else if (sun.sun_path[0] == '\0') {
		/* an abstract name may hold any byte: keep it one safe line */
		n = len - off - 1;
		name[0] = '@';
		for (i = 0; i < n; i++) {
			unsigned char c = (unsigned char)sun.sun_path[i + 1];

			name[i + 1] = c >= 0x20 && c < 0x7f ? (char)c : '?';
		}
		name[n + 1] = '\0';
	} else
		snprintf(name, sizeof name, "unix:%.*s", (int)(len - off),
		    sun.sun_path);
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &clen) == 0 &&
	    cred.pid > 0)
		snprintf(out, outlen, _("%s (pid %ld uid %lu)"), name,
		    (long)cred.pid, (unsigned long)cred.uid);
	else
		snprintf(out, outlen, "%s", name);
}

/* One sock_diag answer: does it hold a listener bound to st's file? */
static bool
diag_matches(const struct nlmsghdr *h, const struct stat *st)
{
	const struct unix_diag_msg *m = NLMSG_DATA(h);
	const struct rtattr *a = (const struct rtattr *)(m + 1);
	int len = (int)h->nlmsg_len - NLMSG_LENGTH(sizeof *m);
	const struct unix_diag_vfs *v;

	for (; RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		if (a->rta_type != UNIX_DIAG_VFS ||
		    RTA_PAYLOAD(a) < (int)sizeof *v)
			continue;
		v = RTA_DATA(a);
		/* the kernel's own dev_t: 12 bits major, 20 minor */
		if (v->udiag_vfs_ino == st->st_ino &&
		    v->udiag_vfs_dev >> 20 == major(st->st_dev) &&
		    (v->udiag_vfs_dev & 0xfffff) == minor(st->st_dev))
			return true;
	}
	return false;
}

/*
 * Ask the kernel (sock_diag, as ss -xl does) whether a listening socket is
 * bound to the file st: 1 yes, 0 no, -1 if it cannot say.
 */
static int
unix_listening(const struct stat *st)
{
	struct {
		struct nlmsghdr		nlh;
		struct unix_diag_req	req;
	} q;
	struct sockaddr_nl nl = { .nl_family = AF_NETLINK };
	long buf[2048];
	struct nlmsghdr *h;
	int fd, rc = -1, i;
	ssize_t got;
	unsigned int len;	/* NLMSG_OK compares it with nlmsg_len */

	fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (fd == -1)
		return -1;
	memset(&q, 0, sizeof q);
	q.nlh.nlmsg_len = sizeof q;
	q.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	q.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	q.req.sdiag_family = AF_UNIX;
	q.req.udiag_states = 1 << 10;	/* TCP_LISTEN */
	q.req.udiag_show = UDIAG_SHOW_VFS;
	if (sendto(fd, &q, sizeof q, 0, (struct sockaddr *)&nl, sizeof nl) == -1)
		goto out;
	for (i = 0; i < 100000 && rc == -1; i++) {
		got = recv(fd, buf, sizeof buf, 0);
		if (got <= 0)
			break;
		len = (unsigned int)got;
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, len);
		    h = NLMSG_NEXT(h, len)) {
			if (h->nlmsg_type == NLMSG_DONE) {
				rc = 0;
				break;
			}
			if (h->nlmsg_type == NLMSG_ERROR)
				goto out;
			if (h->nlmsg_type == SOCK_DIAG_BY_FAMILY &&
			    diag_matches(h, st)) {
				rc = 1;
				break;
			}
		}
	}
out:
	close(fd);
	return rc;
}

/*
 * Someone listens on the socket file at path (st): asked of the kernel, or
 * where it cannot say, by connecting (a stale socket, left by a process
 * that died, refuses; a live one takes it, and its owner sees a peer come
 * and go).  1 live, 0 stale, -1 with errno when it cannot tell.
 */
static int
unix_live(const struct sockaddr_un *sun, socklen_t len, const struct stat *st)
{
	int fd, rc;

	if ((rc = unix_listening(st)) != -1)
		return rc;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1)
		return -1;
	if (connect(fd, (const struct sockaddr *)sun, len) == 0 ||
	    errno == EAGAIN || errno == EINPROGRESS)
		rc = 1;
	else if (errno == ECONNREFUSED)
		rc = 0;
	else
		rc = -1;
	close(fd);
	return rc;
}

int
net_listen_unix(const struct tt_opts *o, struct net_unix_bound *b,
    char *desc, size_t desclen, char *err, size_t errlen)
{
	const char *path = o->unix_path;
	bool abstract = path[0] == '@';
	struct sockaddr_un sun;
	socklen_t len;
	struct stat st;
	int fd, live;

	memset(b, 0, sizeof *b);
	if (unix_addr(path, &sun, &len) == -1) {
		snprintf(err, errlen, _("cannot listen on %s: %s"), path,
		    strerror(errno));
		return -1;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1) {
		snprintf(err, errlen, _("socket: %s"), strerror(errno));
		return -1;
	}
	if (bind(fd, (struct sockaddr *)&sun, len) == -1) {
		if (errno != EADDRINUSE || abstract)
			goto fail;
		if (lstat(path, &st) == -1)
			goto fail;
		if (!S_ISSOCK(st.st_mode)) {
			snprintf(err, errlen, _("cannot listen on %s: it "
			    "exists and is not a socket"), path);
			close(fd);
			return -1;
		}
		if ((live = unix_live(&sun, len, &st)) == -1)
			goto fail;
		if (live) {
			snprintf(err, errlen, _("cannot listen on %s: the "
			    "socket is in use (another program listens on it)"),
			    path);
			close(fd);
			return -1;
		}
		if (unlink(path) == -1 && errno != ENOENT)
			goto fail;
		b->replaced = true;
		if (bind(fd, (struct sockaddr *)&sun, len) == -1)
			goto fail;
	}
	/* Remember the file we made before anything else can fail, so that
	 * every way out removes it. */
	if (!abstract && lstat(path, &st) == 0) {
		snprintf(b->path, sizeof b->path, "%s", path);
		b->dev = st.st_dev;
		b->ino = st.st_ino;
	}
	if (listen(fd, 16) == -1) {
		net_unix_unlink(b);
		goto fail;
	}
	snprintf(desc, desclen, abstract ? "%s" : "unix:%s", path);
	return fd;
fail:
	if (abstract && errno == EADDRINUSE)
		snprintf(err, errlen, _("cannot listen on %s: the name is in "
		    "use"), path);
	else
		snprintf(err, errlen, _("cannot listen on %s: %s"), path,
		    strerror(errno));
	close(fd);
	return -1;
}

void
net_unix_unlink(struct net_unix_bound *b)
{
	struct stat st;

	if (b->path[0] == '\0')
		return;
	/* Not a file someone put there after us, nor one we replaced. */
	if (lstat(b->path, &st) == 0 && S_ISSOCK(st.st_mode) &&
	    st.st_dev == b->dev && st.st_ino == b->ino)
		(void)unlink(b->path);
	b->path[0] = '\0';
}

int
net_connect_unix(const struct tt_opts *o, char *peer, size_t peerlen,
    char *err, size_t errlen)
{
	struct sockaddr_un sun;
	struct timeval tv;
	socklen_t len;
	int fd;

	if (unix_addr(o->unix_path, &sun, &len) == -1) {
		snprintf(err, errlen, _("cannot connect to %s: %s"),
		    o->unix_path, strerror(errno));
		return -1;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd == -1) {
		snprintf(err, errlen, _("socket: %s"), strerror(errno));
		return -1;
	}
	/*
	 * Blocking: a Unix connect is done at once, or waits only while the
	 * listener's backlog is full (non-blocking, it would fail with
	 * EAGAIN then).  -w bounds that wait.
	 */
	if (o->wait_ms >= 0) {
		tv.tv_sec = o->wait_ms / 1000;
		tv.tv_usec = (o->wait_ms % 1000) * 1000;
		(void)setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	}
	while (connect(fd, (struct sockaddr *)&sun, len) == -1) {
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN && o->wait_ms >= 0)
			errno = ETIMEDOUT;
		snprintf(err, errlen, _("cannot connect to %s: %s"),
		    o->unix_path, strerror(errno));
		close(fd);
		return -1;
	}
	if (o->wait_ms >= 0) {
		memset(&tv, 0, sizeof tv);
		(void)setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	}
	if (net_nonblock(fd) == -1) {
		snprintf(err, errlen, _("cannot connect to %s: %s"),
		    o->unix_path, strerror(errno));
		close(fd);
		return -1;
	}
	unix_name(fd, false, peer, peerlen);
	return fd;
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
	if (ss.ss_family == AF_UNIX) {
		unix_name(fd, true, peer, peerlen);
		return fd;
	}
	net_addr_str((struct sockaddr *)&ss, len, peer, peerlen);
	tune(fd);
	return fd;
}

int
net_udp_take(int lfd, bool any_sender, char *peer, size_t peerlen)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	int fd;

	/* who sent the first datagram, leaving it for the session to read */
	if (recvfrom(lfd, NULL, 0, MSG_PEEK | MSG_TRUNC,
	    (struct sockaddr *)&ss, &len) == -1)
		return -1;
	if (!any_sender && connect(lfd, (struct sockaddr *)&ss, len) == -1)
		return -1;
	if ((fd = fcntl(lfd, F_DUPFD_CLOEXEC, 0)) == -1)
		return -1;
	net_addr_str((struct sockaddr *)&ss, len, peer, peerlen);
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
		if (o->source_port != NULL)
			snprintf(err, errlen, _("cannot bind source %s port "
			    "%s: %s"), o->source_addr ? o->source_addr : "*",
			    o->source_port, strerror(errno));
		else
			snprintf(err, errlen, _("cannot bind source %s: %s"),
			    o->source_addr ? o->source_addr : "*",
			    strerror(errno));
		freeaddrinfo(res);
		return -1;
	}
	freeaddrinfo(res);
	return 0;
}

int
net_connect(const struct tt_opts *o, char *peer, size_t peerlen, char *err,
    size_t errlen, int64_t *took_us)
{
	struct addrinfo *res, *ai;
	int64_t t0;
	int fd = -1;

	if (resolve(o, o->host, o->port, false, &res, err, errlen) == -1)
		return -1;
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK |
		    SOCK_CLOEXEC, ai->ai_protocol);
		if (fd == -1) {
			snprintf(err, errlen, _("socket: %s"), strerror(errno));
			continue;
		}
		if ((o->source_addr || o->source_port) &&
		    bind_source(fd, ai, o, err, errlen) == -1) {
			close(fd);
			fd = -1;
			continue;
		}
		t0 = clock_now_us();
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0 ||
		    ((errno == EINPROGRESS || errno == EINTR) &&
		    connect_wait(fd, o->wait_ms) == 0)) {
			if (took_us != NULL)
				*took_us = clock_now_us() - t0;
			net_addr_str(ai->ai_addr, ai->ai_addrlen, peer, peerlen);
			tune(fd);
			break;
		}
		snprintf(err, errlen, _("connect to %s port %s: %s"), o->host,
		    o->port, strerror(errno));
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	return fd;
}
