/*
 * fuzz_room.c - a room's rules (room.c) under any traffic from its members.
 *
 * The data: a byte for the kind (room or broker) and the queue bound
 * (small, so drops happen), then operations: a member's bytes in, a
 * member's queue drained in part, the listener's line, /me, /to, /nick and
 * /kick, a member leaving, a new member.  Properties, after every step:
 * every member's queue stays within the bound (or holds one message bigger
 * than it); the room's count and its count of queues past their half agree
 * with the members; and in a room everything a member is sent is safe to
 * print on a terminal: valid UTF-8, no control byte but tab and newline, no
 * C1 or bidi control, every line "<name> ..." or "* ...".
 */
#include <string.h>

#include "fuzz.h"
#include "room.h"
#include "sanitize.h"

#define NMEMBERS	4

struct fx {
	struct room		 r;
	struct room_member	*m[NMEMBERS];
};

static void
check_text(const char *p, size_t n, bool *line_start)
{
	uint32_t cp;
	size_t i = 0, len;

	while (i < n) {
		if (*line_start) {
			CHECK(p[i] == '<' || p[i] == '*', "a line starts with %#x",
			    (unsigned char)p[i]);
			*line_start = false;
		}
		if (p[i] == '\n') {
			*line_start = true;
			i++;
			continue;
		}
		len = fz_utf8((const unsigned char *)p + i, n - i, &cp);
		/* a chunk boundary may split a character only at a queue's
		 * cut, which drain() never makes */
		CHECK(len > 0, "invalid UTF-8 at %zu", i);
		CHECK(cp == '\t' || (cp >= 0x20 && cp != 0x7f), "control %#x",
		    cp);
		CHECK(!(cp >= 0x80 && cp <= 0x9f) && !fz_is_bidi(cp),
		    "format control U+%04X", cp);
		i += len;
	}
}

/* Send up to max bytes of m's queue (whole chunks in a room, so the text
 * checks see whole characters). */
static void
drain(struct fx *x, struct room_member *m, size_t max, bool *line_start)
{
	struct iovec iov[8];
	int i, n;

	n = room_pending(m, iov, 8);
	for (i = 0; i < n && max > 0; i++) {
		size_t take = iov[i].iov_len;

		if (x->r.kind == ROOM_BROKER && take > max)
			take = max;
		if (x->r.kind == ROOM_CHAT)
			check_text(iov[i].iov_base, take, line_start);
		room_sent(m, take);
		max -= take < max ? take : max;
	}
}

static void
check_room(struct fx *x)
{
	const struct room_member *m;
	int count = 0, over = 0;

	for (m = x->r.members; m != NULL; m = m->next) {
		if (m->gone)
			continue;
		count++;
		over += m->over;
		/* within the bound, or one message that alone is bigger */
		CHECK(m->queued <= x->r.queue_max || m->qlen == 1,
		    "queue of %zu bytes in %zu chunks, bound %zu", m->queued,
		    m->qlen, x->r.queue_max);
	}
	CHECK(count == room_count(&x->r), "count %d, room says %d", count,
	    room_count(&x->r));
	CHECK(over == x->r.nover, "%d over, room says %d", over, x->r.nover);
}

static void
add(struct fx *x, int i)
{
	char addr[32];
	bool full;

	snprintf(addr, sizeof addr, "10.0.0.%d:%d", i, 1000 + i);
	x->m[i] = room_add(&x->r, 100 + i, addr, 0, &full);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = { data, size };
	struct fx x;
	bool line_start[NMEMBERS];
	uint8_t k = fz_byte(&f), op, who;
	const char *p;
	size_t n;
	char err[128], name[16];
	int i;

	memset(&x, 0, sizeof x);
	room_init(&x.r, k & 1 ? ROOM_BROKER : ROOM_CHAT, NULL, 3,
	    (size_t)(k >> 1) * 256 + 512, NULL);
	for (i = 0; i < NMEMBERS; i++) {
		line_start[i] = true;
		add(&x, i);	/* the fourth: the room is full */
	}
	CHECK(x.m[3] == NULL, "a fourth member in a room of 3");
	while (f.n > 0) {
		op = fz_byte(&f);
		who = (uint8_t)(op >> 4) % NMEMBERS;
		/* members that ended (dropped, kicked) are freed here */
		for (i = 0; i < NMEMBERS; i++)
			if (x.m[i] != NULL && x.m[i]->gone)
				x.m[i] = NULL;
		room_sweep(&x.r);
		switch (op & 0x7) {
		case 0:
		case 1:
			p = fz_bytes(&f, fz_byte(&f), &n);
			if (x.m[who] != NULL)
				room_input(&x.r, x.m[who], p, n);
			break;
		case 2:
			n = (size_t)fz_u16(&f);
			if (x.m[who] != NULL)
				drain(&x, x.m[who], n, &line_start[who]);
			break;
		case 3:
			p = fz_bytes(&f, fz_byte(&f), &n);
			if (op & 8)
				room_me(&x.r, p, n);
			else {	/* two lines of one stdin read: one chunk */
				room_says_begin(&x.r);
				room_say(&x.r, p, n / 2);
				room_say(&x.r, p + n / 2, n - n / 2);
				room_says_end(&x.r);
			}
			break;
		case 4:
			p = fz_bytes(&f, fz_byte(&f), &n);
			snprintf(name, sizeof name, "%s", x.m[who] != NULL ?
			    x.m[who]->name : "nobody");
			(void)room_to(&x.r, name, p, n, err, sizeof err);
			break;
		case 5:
			p = fz_bytes(&f, fz_byte(&f) % 16, &n);
			snprintf(name, sizeof name, "%.*s", (int)n, p);
			(void)room_nick(&x.r, name, err, sizeof err);
			break;
		case 6:
			if (x.m[who] == NULL)
				break;
			if (op & 8)
				room_end(&x.r, x.m[who], ROOM_END_KICKED);
			else if (fz_byte(&f) & 1)	/* FIN: read no more */
				room_eof(&x.r, x.m[who]);
			else
				room_end(&x.r, x.m[who], ROOM_END_LEFT);
			break;
		default:
			if (x.m[who] == NULL) {
				add(&x, who);
				line_start[who] = true;
			}
			break;
		}
		check_room(&x);
	}
	room_release(&x.r);
	return 0;
}
