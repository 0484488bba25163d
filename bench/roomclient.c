/*
 * roomclient.c - bench/room.sh's peers: N sockets in one process, each
 * sending L lines as fast as the server takes them and reading all that
 * comes back, until every peer has every other peer's lines.
 *
 * Usage: roomclient PORT N L LINELEN [SECS [PID]]
 * A line is '#' and LINELEN - 2 letters and '\n'; '#' appears nowhere
 * else, so each peer counts the lines it got by counting '#'.  First peer
 * 0 sends "!\n" every 100 ms until every other peer got one: everyone is
 * in the room before the clock starts (a broker accepts in its own time).  Prints "SECONDS LINES" (lines delivered), or
 * exits 1 after SECS (default 300) or a closed connection.  With PID (the
 * server's), a third figure: the server's CPU seconds (user + sys) while
 * the lines were delivered, joins and greetings left out.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct peer {
	int	 fd;
	size_t	 sent;		/* bytes of the payload written */
	long	 got;		/* '#' (or, before the start, '!') seen */
};

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* utime + stime of pid, in seconds; 0 if unknown. */
static double
cpu_of(const char *pid)
{
	char path[64], buf[1024], *p;
	unsigned long ut = 0, st = 0;
	FILE *f;
	int i;

	snprintf(path, sizeof path, "/proc/%s/stat", pid);
	if ((f = fopen(path, "r")) == NULL)
		return 0;
	if (fgets(buf, sizeof buf, f) == NULL || (p = strrchr(buf, ')')) == NULL) {
		fclose(f);
		return 0;
	}
	fclose(f);
	/* after "(comm)": state is field 3, utime 14, stime 15 */
	for (i = 3; i <= 14 && (p = strchr(p + 1, ' ')) != NULL; i++)
		;
	if (p != NULL)
		sscanf(p, "%lu %lu", &ut, &st);
	return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

static long
count(const char *p, size_t n, char c)
{
	long k = 0;
	const char *e = p + n;

	while ((p = memchr(p, c, (size_t)(e - p))) != NULL) {
		k++;
		p++;
	}
	return k;
}

int
main(int argc, char **argv)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	struct peer *ps;
	struct pollfd *pfd;
	static char rbuf[256 * 1024];
	char *payload;
	size_t plen;
	long n, lines, linelen, want, done;
	int i, phase;
	double t0, deadline, tick = 0, cpu0 = 0;
	ssize_t r;

	if (argc < 5 || argc > 7)
		return 2;
	sa.sin_port = htons((unsigned short)atoi(argv[1]));
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	n = atol(argv[2]);
	lines = atol(argv[3]);
	linelen = atol(argv[4]);
	plen = (size_t)(lines * linelen);
	ps = calloc((size_t)n, sizeof *ps);
	pfd = calloc((size_t)n, sizeof *pfd);
	payload = malloc(plen);
	if (ps == NULL || pfd == NULL || payload == NULL)
		return 1;
	for (i = 0; i < lines; i++) {
		memset(payload + i * linelen, 'a' + i % 26, (size_t)linelen);
		payload[i * linelen] = '#';
		payload[(i + 1) * linelen - 1] = '\n';
	}
	for (i = 0; i < n; i++) {
		ps[i].fd = socket(AF_INET, SOCK_STREAM, 0);
		if (connect(ps[i].fd, (struct sockaddr *)&sa, sizeof sa) == -1) {
			perror("connect");
			return 1;
		}
		fcntl(ps[i].fd, F_SETFL, O_NONBLOCK);
	}
	/* phase 0: "!" from peer 0 until the others have one; phase 1: the
	 * lines */
	deadline = now() + (argc >= 6 ? atof(argv[5]) : 300);
	t0 = 0;
	for (phase = 0; phase < 2; phase++) {
		want = phase == 0 ? 1 : (n - 1) * lines;
		ps[0].got = phase == 0 ? 1 : 0;
		if (phase == 1) {
			cpu0 = argc == 7 ? cpu_of(argv[6]) : 0;
			t0 = now();
			for (i = 0; i < n; i++)
				ps[i].got = 0;
		}
		for (;;) {
			for (done = 0, i = 0; i < n; i++) {
				pfd[i].fd = ps[i].fd;
				pfd[i].events = POLLIN;
				if (phase == 1 && ps[i].sent < plen)
					pfd[i].events |= POLLOUT;
				if (ps[i].got >= want && ps[i].sent >= (phase ? plen : 0))
					done++;
			}
			if (done == n)
				break;
			if (phase == 0 && now() > tick) {
				if (write(ps[0].fd, "!\n", 2) != 2)
					return 1;
				tick = now() + 0.1;
			}
			if (now() > deadline) {
				fprintf(stderr, "roomclient: timed out\n");
				return 1;
			}
			if (poll(pfd, (nfds_t)n, phase ? 1000 : 100) == -1)
				return 1;
			for (i = 0; i < n; i++) {
				if (pfd[i].revents & POLLOUT) {
					r = write(ps[i].fd, payload + ps[i].sent,
					    plen - ps[i].sent);
					if (r > 0)
						ps[i].sent += (size_t)r;
				}
				if (pfd[i].revents & (POLLIN | POLLHUP | POLLERR)) {
					r = read(ps[i].fd, rbuf, sizeof rbuf);
					if (r == 0 || (r == -1 && errno != EAGAIN)) {
						fprintf(stderr, "roomclient: peer %d "
						    "lost after %ld lines\n", i,
						    ps[i].got);
						return 1;
					}
					if (r > 0)
						ps[i].got += count(rbuf, (size_t)r,
						    phase ? '#' : '!');
				}
			}
		}
	}
	t0 = now() - t0;
	if (argc == 7)
		printf("%.4f %ld %.2f\n", t0, n * (n - 1) * lines,
		    cpu_of(argv[6]) - cpu0);
	else
		printf("%.4f %ld\n", t0, n * (n - 1) * lines);
	return 0;
}
