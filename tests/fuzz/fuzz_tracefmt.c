/*
 * fuzz_tracefmt.c - --trace's frames from the wire: any bytes as frames of
 * any link type, followed as one connection (connecting or listening, the
 * 4-tuple known from the start or named after a SYN was held, the held
 * segments then replayed), each taken one formatted.
 *
 * Input: a byte for the link type and the role, then frames, each a length
 * byte and that many bytes (copied to memory of exactly that size, so a
 * read past the captured length is ASan's).  Properties: a parsed segment
 * has ports and a family of 4 or 6; a followed or replayed one goes the
 * way its addresses say, and only the named connection's are replayed; a retransmission carries sequence space (data, SYN or
 * FIN); the line is printable ASCII, shorter than TRACEFMT_LINE_MAX, and
 * the same, cut and NUL-ended, in a smaller buffer.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "tracefmt.h"

static bool
same(const struct tracefmt_end *a, const struct tracefmt_end *b)
{
	return a->family == b->family && a->port == b->port &&
	    memcmp(a->addr, b->addr, 16) == 0;
}

static void
check_line(const struct tracefmt_seg *s, size_t cut)
{
	char line[TRACEFMT_LINE_MAX], small[TRACEFMT_LINE_MAX];
	size_t n = tracefmt_line(s, line, sizeof line), i;

	CHECK(n < sizeof line, "line of %zu bytes", n);
	CHECK(strlen(line) == n, "length %zu, returned %zu", strlen(line), n);
	for (i = 0; i < n; i++)
		CHECK(line[i] >= 0x20 && line[i] < 0x7f, "byte %02x at %zu",
		    (unsigned char)line[i], i);
	cut = cut % sizeof small + 1;
	CHECK(tracefmt_line(s, small, cut) == n, "cut to %zu: another length",
	    cut);
	CHECK(strlen(small) == (n < cut ? n : cut - 1) &&
	    memcmp(small, line, strlen(small)) == 0, "cut to %zu", cut);
}

/* A segment of the followed connection: its properties and its line. */
static void
check_seg(const struct tracefmt_conn *c, const struct tracefmt_seg *s,
    size_t cut)
{
	const struct tracefmt_pkt *p = s->pkt;

	CHECK(same(s->out ? &p->src : &p->dst, &c->local) &&
	    same(s->out ? &p->dst : &p->src, &c->remote), "direction");
	CHECK(!s->retransmission || p->len > 0 ||
	    (p->flags & (TRACEFMT_SYN | TRACEFMT_FIN)),
	    "a retransmission of nothing");
	CHECK(s->t_us >= 0, "time %lld", (long long)s->t_us);
	check_line(s, cut);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = { data, size };
	static struct tracefmt_conn c;	/* large: held segments */
	struct tracefmt_end l = { .family = 4, .addr = { 127, 0, 0, 1 },
	    .port = 40000 }, r = l;
	struct tracefmt_pkt pkt;
	struct tracefmt_seg s;
	uint8_t how = fz_byte(&f), n;
	enum tracefmt_link link = (enum tracefmt_link)(how % 5);
	const char *bytes;
	unsigned char *frame;
	size_t len, frames;
	int64_t t = 0;
	int replays;

	r.port = 8888;
	tracefmt_conn_init(&c, 8888, how & 0x10);
	if (how & 0x20)
		tracefmt_conn_set(&c, how & 0x10 ? &r : &l, how & 0x10 ? &l : &r);
	for (frames = 0; f.n > 0 && frames < 64; frames++) {
		n = fz_byte(&f);
		bytes = fz_bytes(&f, n, &len);
		if ((frame = malloc(len > 0 ? len : 1)) == NULL)
			return 0;
		memcpy(frame, bytes, len);
		if (tracefmt_parse(link, frame, len, &pkt) == 0) {
			CHECK(pkt.src.family == 4 || pkt.src.family == 6,
			    "family %d", pkt.src.family);
			CHECK(pkt.dst.family == pkt.src.family, "mixed families");
			t += n * 37;
			if (tracefmt_seg(&c, &pkt, t, &s) == 0) {
				check_seg(&c, &s, n);
			} else if ((how & 0x40) && (n & 1) &&
			    (pkt.flags & TRACEFMT_SYN)) {
				/* accept() or connect() names this one */
				tracefmt_conn_set(&c, how & 0x10 ? &pkt.dst :
				    &pkt.src, how & 0x10 ? &pkt.src : &pkt.dst);
				for (replays = 0; tracefmt_replay(&c, &s) == 0;
				    replays++) {
					CHECK(replays < TRACEFMT_HELD, "replayed "
					    "%d", replays);
					check_seg(&c, &s, n + (size_t)replays);
				}
			}
		}
		free(frame);
	}
	return 0;
}
