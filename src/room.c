/*
 * room.c - the rules of a room and a broker, over the member set: names,
 * commands, line assembly, relay through shared chunks, bounded queues,
 * drops.  Pure: the fds are roomsrv.c's, which reads, writes and closes.
 *
 * A message is built once as a reference-counted chunk and queued by
 * reference to every member that gets it, so fan-out copies no payload;
 * the lines one read brings from one member go out as one chunk.  A
 * member whose queue would pass queue_max is dropped on the spot, so the
 * others never wait for it and memory stays bounded (redis networking.c's
 * hard output limit).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "i18n.h"
#include "room.h"
#include "sanitize.h"
#include "width.h"

/* What a queue entry costs beyond its bytes (the reference, the chunk's
 * header): counted against queue_max, so a flood of tiny chunks is bounded
 * in memory too. */
#define ROOM_ENTRY_COST	48

void
room_init(struct room *r, enum room_kind kind, const char *nick,
    int max_peers, size_t queue_max, const struct room_hooks *hooks)
{
	memset(r, 0, sizeof *r);
	r->kind = kind;
	snprintf(r->nick, sizeof r->nick, "%s", nick != NULL ? nick :
	    ROOM_NICK_DEFAULT);
	r->max_peers = max_peers > 0 ? max_peers : ROOM_MAX_PEERS_DEFAULT;
	r->queue_max = queue_max > 0 ? queue_max : ROOM_QUEUE_DEFAULT;
	if (hooks != NULL)
		r->hooks = *hooks;
	r->next_id = 1;
}

/* ---- chunks ---- */

static struct room_chunk *
chunk_new(size_t len)
{
	struct room_chunk *c;

	if ((c = malloc(sizeof *c + len + 1)) == NULL)
		return NULL;
	c->refs = 1;
	c->len = len;
	c->data[len] = '\0';
	return c;
}

static void
chunk_unref(struct room_chunk *c)
{
	if (c != NULL && --c->refs == 0)
		free(c);
}

/* prefix, then the formatted text, then a newline; NULL if no memory. */
static struct room_chunk *
chunk_vline(const char *prefix, const char *fmt, va_list ap)
{
	struct room_chunk *c;
	size_t pl = strlen(prefix);
	va_list aq;
	int n;

	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0 || (c = chunk_new(pl + (size_t)n + 1)) == NULL)
		return NULL;
	memcpy(c->data, prefix, pl);
	vsnprintf(c->data + pl, (size_t)n + 1, fmt, ap);
	c->data[pl + (size_t)n] = '\n';
	return c;
}

/* A line as it is: "<name> text", "* name does x". */
static struct room_chunk * __attribute__((format(printf, 1, 2)))
chunk_printf(const char *fmt, ...)
{
	struct room_chunk *c;
	va_list ap;

	va_start(ap, fmt);
	c = chunk_vline("", fmt, ap);
	va_end(ap);
	return c;
}

/* A line of the room's own: "* " and a sentence in the listener's
 * language.  The "* " stays out of the sentence: it is what marks the
 * line as the room's (roomline.c), whatever the language. */
static struct room_chunk * __attribute__((format(printf, 1, 2)))
chunk_notice(const char *fmt, ...)
{
	struct room_chunk *c;
	va_list ap;

	va_start(ap, fmt);
	c = chunk_vline("* ", fmt, ap);
	va_end(ap);
	return c;
}

/* The same line as text for a hook, when there is no chunk to copy. */
static void __attribute__((format(printf, 3, 4)))
notice_text(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;

	snprintf(buf, len, "* ");
	va_start(ap, fmt);
	vsnprintf(buf + strlen(buf), len - strlen(buf), fmt, ap);
	va_end(ap);
}

/* The chunk's text without its newline, for a hook. */
static const char *
chunk_text(const struct room_chunk *c, char *buf, size_t buflen)
{
	size_t n = c->len > 0 && c->data[c->len - 1] == '\n' ? c->len - 1 :
	    c->len;

	if (n >= buflen)
		n = buflen - 1;
	memcpy(buf, c->data, n);
	buf[n] = '\0';
	return buf;
}

/* ---- queues ---- */

static size_t
queue_cost(const struct room_member *m)
{
	return m->queued + m->qlen * ROOM_ENTRY_COST;
}

static int
queue_push(struct room_member *m, struct room_chunk *c)
{
	struct room_chunk **nq;
	size_t ncap, i;

	if (m->qlen == m->qcap) {
		ncap = m->qcap ? m->qcap * 2 : 8;
		if ((nq = malloc(ncap * sizeof *nq)) == NULL)
			return -1;
		for (i = 0; i < m->qlen; i++)
			nq[i] = m->q[(m->qhead + i) % m->qcap];
		free(m->q);
		m->q = nq;
		m->qcap = ncap;
		m->qhead = 0;
	}
	m->q[(m->qhead + m->qlen) % m->qcap] = c;
	m->qlen++;
	m->queued += c->len;
	c->refs++;
	return 0;
}

/* Keep over and the room's count of them true to the queue. */
static void
watermark(struct room *r, struct room_member *m)
{
	bool over = !m->gone && queue_cost(m) > r->queue_max / 2;

	if (over == m->over)
		return;
	m->over = over;
	m->over_ms = 0;
	r->nover += over ? 1 : -1;
}

bool
room_held(const struct room *r)
{
	return r->nover > 0;
}

static void
queue_clear(struct room_member *m)
{
	while (m->qlen > 0) {
		chunk_unref(m->q[m->qhead]);
		m->qhead = (m->qhead + 1) % m->qcap;
		m->qlen--;
	}
	free(m->q);
	m->q = NULL;
	m->qcap = m->qhead = m->qoff = 0;
	m->queued = 0;
}

int
room_pending(const struct room_member *m, struct iovec *iov, int max)
{
	size_t i, off = m->qoff;
	int n = 0;

	for (i = 0; i < m->qlen && n < max; i++) {
		const struct room_chunk *c = m->q[(m->qhead + i) % m->qcap];

		iov[n].iov_base = (void *)(c->data + off);
		iov[n++].iov_len = c->len - off;
		off = 0;
	}
	return n;
}

void
room_sent(struct room_member *m, size_t n)
{
	struct room_chunk *c;
	size_t left;

	m->bytes_out += n;
	while (n > 0 && m->qlen > 0) {
		c = m->q[m->qhead];
		left = c->len - m->qoff;
		if (n < left) {
			m->qoff += n;
			m->queued -= n;
			break;
		}
		n -= left;
		m->queued -= left;
		m->qoff = 0;
		m->qhead = (m->qhead + 1) % m->qcap;
		m->qlen--;
		chunk_unref(c);
	}
	if (m->over)
		watermark(m->room, m);
}

static void	end_member(struct room *, struct room_member *, enum room_end,
		    bool hook);
static void	part_flush(struct room *, struct room_member *);

/* Queue c for m; a member that would pass its bound is dropped instead
 * (one message bigger than the bound still goes to an empty queue). */
static void
enqueue(struct room *r, struct room_member *m, struct room_chunk *c)
{
	if (m->gone || c == NULL)
		return;
	if (m->qlen > 0 && queue_cost(m) + c->len + ROOM_ENTRY_COST >
	    r->queue_max) {
		end_member(r, m, ROOM_END_SLOW, true);
		return;
	}
	if (queue_push(m, c) == -1)
		end_member(r, m, ROOM_END_ERROR, true);
	else
		watermark(r, m);
}

/* c to every member but except (NULL: all), then our reference goes. */
static void
broadcast(struct room *r, struct room_chunk *c, const struct room_member *except)
{
	struct room_member *m;

	if (c == NULL)
		return;
	for (m = r->members; m != NULL; m = m->next)
		if (m != except && !m->gone)
			enqueue(r, m, c);
	chunk_unref(c);
}

static void
send_one(struct room *r, struct room_member *m, struct room_chunk *c)
{
	if (c == NULL)
		return;
	enqueue(r, m, c);
	chunk_unref(c);
}

/* ---- names ---- */

/* Unicode's default-ignorable code points: drawn as nothing, so a name
 * holding one looks like another name (or like none). */
static bool
room_ignorable(uint32_t cp)
{
	static const struct { uint32_t lo, hi; } set[] = {
		{ 0xad, 0xad }, { 0x34f, 0x34f }, { 0x61c, 0x61c },
		{ 0x115f, 0x1160 }, { 0x17b4, 0x17b5 }, { 0x180b, 0x180f },
		{ 0x200b, 0x200f }, { 0x202a, 0x202e }, { 0x2060, 0x206f },
		{ 0x3164, 0x3164 }, { 0xfe00, 0xfe0f }, { 0xfeff, 0xfeff },
		{ 0xffa0, 0xffa0 }, { 0x1bca0, 0x1bca3 }, { 0x1d173, 0x1d17a },
		{ 0xe0000, 0xe0fff },
	};
	size_t i;

	for (i = 0; i < sizeof set / sizeof set[0]; i++)
		if (cp >= set[i].lo && cp <= set[i].hi)
			return true;
	return false;
}

const char *
room_bad_name(const char *name, size_t len)
{
	uint32_t cp;
	size_t i;
	int n, width;

	if (len == 0)
		return _("a name needs at least one character.");
	if (len > ROOM_NAME_MAX)
		return _("a name has at most 64 bytes.");
	if (name[0] == '*' || name[0] == '/')
		return _("a name may not start with * or /.");
	for (i = 0, width = 0; i < len; i += (size_t)n) {
		if ((n = width_utf8(name + i, len - i, &cp)) < 0)
			return _("a name must be valid UTF-8.");
		if (room_ignorable(cp))
			return _("a name may not hold invisible characters.");
		width += width_cp(cp);
		if (cp <= 0x20 || cp == 0x7f || cp == 0xa0 ||
		    sanitize_format_control(cp) || (cp >= 0x2000 && cp <= 0x200f) ||
		    cp == 0x3000 || cp == 0xfeff)
			return _("a name may not hold spaces or control characters.");
		if (cp == '<' || cp == '>' || cp == ',')
			return _("a name may not hold <, > or a comma.");
	}
	if (width == 0)
		return _("a name must take some room on the screen.");
	return NULL;
}

static struct room_member *
find(const struct room *r, const char *name)
{
	struct room_member *m;

	for (m = r->members; m != NULL; m = m->next)
		if (!m->gone && strcasecmp(m->name, name) == 0)
			return m;
	return NULL;
}

const struct room_member *
room_find(const struct room *r, const char *name)
{
	return find(r, name);
}

/* Taken by the listener or a member other than self (ASCII case
 * ignored, so "Bob" and "bob" cannot both be here). */
static bool
name_taken(const struct room *r, const char *name,
    const struct room_member *self)
{
	const struct room_member *m = find(r, name);

	return strcasecmp(r->nick, name) == 0 || (m != NULL && m != self);
}

/* The address, spaces made '_' (a -U peer's "unix:PATH (pid N uid N)"),
 * cut to fit; "-ID" after it if someone has it already. */
static void
default_name(const struct room *r, struct room_member *m)
{
	char *p;
	size_t n;

	n = strnlen(m->addr, ROOM_NAME_MAX);
	memcpy(m->name, m->addr, n);
	m->name[n] = '\0';
	for (p = m->name; *p != '\0'; p++)
		if (*p == ' ' || *p == ',' || *p == '<' || *p == '>' ||
		    (unsigned char)*p < 0x20)
			*p = '_';
	if (m->name[0] == '\0' || room_bad_name(m->name, strlen(m->name)) ||
	    name_taken(r, m->name, m)) {
		n = strlen(m->name);
		if (n > ROOM_NAME_MAX - 12)
			n = ROOM_NAME_MAX - 12;
		snprintf(m->name + n, sizeof m->name - n, "-%u", m->id);
	}
}

/* ---- members ---- */

struct room_member *
room_add(struct room *r, int fd, const char *addr, int64_t now_ms, bool *full)
{
	struct room_member *m;
	struct room_chunk *c;
	char text[ROOM_NAME_MAX + 128], greet[128];
	int n;

	*full = r->nmembers >= r->max_peers;
	if (*full)
		return NULL;
	if (r->scratch == NULL &&
	    (r->scratch = malloc(ROOM_LINE_MAX + 64)) == NULL)
		return NULL;
	if ((m = calloc(1, sizeof *m)) == NULL)
		return NULL;
	m->id = r->next_id++;
	m->fd = fd;
	m->room = r;
	m->since_ms = now_ms;
	snprintf(m->addr, sizeof m->addr, "%s", addr);
	default_name(r, m);
	m->next = r->members;
	r->members = m;
	r->nmembers++;
	if (r->kind == ROOM_CHAT) {
		/* the first line is the greeting: clients key on its English
		 * prefix, so only the words after it are translated */
		n = r->nmembers + 1;
		/* TRANSLATORS: the end of a room's greeting, after the
		 * untranslated "* tcptalk room: ": everyone here, the new
		 * member and the listener included. */
		snprintf(greet, sizeof greet, P_("%d peer here", "%d peers here",
		    (unsigned long)n), n);
		send_one(r, m, chunk_printf("%s %s", ROOM_GREETING, greet));
		send_one(r, m, chunk_notice(_("you are %s; commands: /nick NAME, "
		    "/who, /me TEXT, /to NAME TEXT."), m->name));
		m->greeted = true;
		c = chunk_notice(_("%s joined"), m->name);
		if (c != NULL) {
			chunk_text(c, text, sizeof text);
			broadcast(r, c, m);
		} else
			notice_text(text, sizeof text, _("%s joined"), m->name);
	} else
		notice_text(text, sizeof text, _("%s joined"), m->name);
	if (r->hooks.joined != NULL)
		r->hooks.joined(r->hooks.arg, m, text);
	return m;
}

static void
end_member(struct room *r, struct room_member *m, enum room_end why, bool hook)
{
	struct room_chunk *c = NULL;
	char text[ROOM_NAME_MAX + 128];

	if (m->gone)
		return;
	/* Its last line had no newline: still said, before it leaves (not
	 * while a batch of another read is being built). */
	if ((why == ROOM_END_LEFT || why == ROOM_END_ERROR) && r->blen == 0 &&
	    r->kind == ROOM_CHAT) {
		part_flush(r, m);
		if (m->gone)	/* its own answer overflowed its queue */
			return;
	}
	m->gone = true;
	m->why = why;
	r->nmembers--;
	watermark(r, m);
	switch (why) {
	case ROOM_END_KICKED:
		notice_text(text, sizeof text, _("%s was kicked"), m->name);
		break;
	case ROOM_END_SLOW:
		notice_text(text, sizeof text, _("%s dropped: not reading"),
		    m->name);
		break;
	default:
		notice_text(text, sizeof text, _("%s left"), m->name);
		break;
	}
	if (r->kind == ROOM_CHAT && why != ROOM_END_CLOSING) {
		c = chunk_printf("%s", text);
		if (why == ROOM_END_KICKED && c != NULL)
			(void)queue_push(m, c);	/* else it learns from the close */
		broadcast(r, c, m);
	}
	if (hook && r->hooks.left != NULL)
		r->hooks.left(r->hooks.arg, m, why, text);
	if (r->close_member != NULL)
		r->close_member(r, m);
	m->fd = -1;
}

void
room_end(struct room *r, struct room_member *m, enum room_end why)
{
	end_member(r, m, why, why != ROOM_END_CLOSING);
}

static void
member_free(struct room_member *m)
{
	queue_clear(m);
	free(m->part);
	free(m);
}

void
room_sweep(struct room *r)
{
	struct room_member **pp = &r->members, *m;

	while ((m = *pp) != NULL) {
		if (m->gone) {
			*pp = m->next;
			member_free(m);
		} else
			pp = &m->next;
	}
}

void
room_release(struct room *r)
{
	struct room_member *m;

	for (m = r->members; m != NULL; m = m->next)
		end_member(r, m, ROOM_END_CLOSING, false);
	room_sweep(r);
	free(r->rbuf);
	r->rbuf = NULL;
	free(r->scratch);
	free(r->batch);
	r->scratch = r->batch = NULL;
	r->blen = r->bcap = 0;
}

const struct room_member *
room_first(const struct room *r)
{
	const struct room_member *m = r->members;

	while (m != NULL && m->gone)
		m = m->next;
	return m;
}

const struct room_member *
room_next(const struct room *r, const struct room_member *m)
{
	(void)r;
	for (m = m->next; m != NULL && m->gone; m = m->next)
		;
	return m;
}

int
room_count(const struct room *r)
{
	return r->nmembers;
}

/* ---- lines ---- */

/* The marker a cut line ends in; "" when nothing was cut. */
static int
cut_marker(char *buf, size_t len, uint64_t dropped)
{
	if (dropped == 0) {
		buf[0] = '\0';
		return 0;
	}
	/* TRANSLATORS: after a line cut at its limit: the bytes cut off. */
	return (int)width_snprintf_len(buf, snprintf(buf, len,
	    P_(" [+%llu byte]", " [+%llu bytes]", (unsigned long)dropped),
	    (unsigned long long)dropped), len);
}

static int
batch_reserve(struct room *r, size_t more)
{
	char *nb;
	size_t ncap;

	if (r->blen + more <= r->bcap)
		return 0;
	ncap = r->bcap * 2 > r->blen + more ? r->bcap * 2 : r->blen + more + 4096;
	if ((nb = realloc(r->batch, ncap)) == NULL)
		return -1;
	r->batch = nb;
	r->bcap = ncap;
	return 0;
}

/* The lines gathered from m go out as one chunk to everyone else. */
static void
batch_flush(struct room *r, struct room_member *m)
{
	struct room_chunk *c;

	if (r->blen == 0)
		return;
	if ((c = chunk_new(r->blen)) != NULL) {
		memcpy(c->data, r->batch, r->blen);
		broadcast(r, c, m);
	}
	r->blen = 0;
}

/* "<name> text[marker]\n" into the batch; the line hook sees it. */
static void
batch_say(struct room *r, struct room_member *m, const char *raw, size_t rawlen,
    uint64_t dropped, const char *s, size_t slen)
{
	size_t nlen = strlen(m->name), start = r->blen;
	char mark[48];
	int mlen = cut_marker(mark, sizeof mark, dropped);

	if (batch_reserve(r, nlen + slen + (size_t)mlen + 5) == -1)
		return;
	r->batch[r->blen++] = '<';
	memcpy(r->batch + r->blen, m->name, nlen);
	r->blen += nlen;
	r->batch[r->blen++] = '>';
	r->batch[r->blen++] = ' ';
	memcpy(r->batch + r->blen, s, slen);
	r->blen += slen;
	memcpy(r->batch + r->blen, mark, (size_t)mlen);
	r->blen += (size_t)mlen;
	r->batch[r->blen] = '\0';	/* the hook's text, then the newline */
	if (r->hooks.line != NULL)
		r->hooks.line(r->hooks.arg, m, ROOM_LINE_SAY, raw, rawlen,
		    dropped, r->batch + start);
	r->batch[r->blen++] = '\n';
}

/* At most max bytes of s (n long), not cutting a UTF-8 character. */
static int
utf8_cut(const char *s, size_t n, size_t max)
{
	if (n <= max)
		return (int)n;
	while (max > 0 && ((unsigned char)s[max] & 0xc0) == 0x80)
		max--;
	return (int)max;
}

/* The word after a command and where the rest starts. */
static size_t
word(const char *s, size_t len, size_t *rest)
{
	size_t n = 0;

	while (n < len && s[n] != ' ' && s[n] != '\t')
		n++;
	*rest = n;
	while (*rest < len && (s[*rest] == ' ' || s[*rest] == '\t'))
		(*rest)++;
	return n;
}

/* Where the same text starts in raw: after as many non-blank words as
 * the stripped line had before it (close enough for escapes inside a
 * command word, which only make it unknown). */
static size_t
raw_skip(const char *raw, size_t rawlen, int words)
{
	size_t i = 0;

	while (words-- > 0) {
		while (i < rawlen && (raw[i] == ' ' || raw[i] == '\t'))
			i++;
		while (i < rawlen && raw[i] != ' ' && raw[i] != '\t')
			i++;
	}
	while (i < rawlen && (raw[i] == ' ' || raw[i] == '\t'))
		i++;
	return i;
}

static void
cmd_nick(struct room *r, struct room_member *m, const char *arg, size_t len)
{
	char name[ROOM_NAME_MAX + 1], old[ROOM_NAME_MAX + 1];
	char text[2 * ROOM_NAME_MAX + 128];
	const char *why;
	struct room_chunk *c;

	if ((why = room_bad_name(arg, len)) != NULL) {
		send_one(r, m, chunk_notice(_("cannot take that name: %s"), why));
		return;
	}
	memcpy(name, arg, len);
	name[len] = '\0';
	if (strcmp(name, m->name) == 0)
		return;
	if (name_taken(r, name, m)) {
		send_one(r, m, chunk_notice(_("the name %s is in use."), name));
		return;
	}
	memcpy(old, m->name, sizeof old);
	memcpy(m->name, name, len + 1);
	if ((c = chunk_notice(_("%s is now known as %s"), old, name)) == NULL)
		return;
	chunk_text(c, text, sizeof text);
	broadcast(r, c, NULL);
	if (r->hooks.nick != NULL)
		r->hooks.nick(r->hooks.arg, m, old, text);
}

static void
cmd_who(struct room *r, struct room_member *m)
{
	const struct room_member *o;
	size_t len = strlen(r->nick) + 1;
	struct room_chunk *c;
	char *list, *p;

	for (o = room_first(r); o != NULL; o = room_next(r, o))
		len += strlen(o->name) + 2;
	if ((p = list = malloc(len)) == NULL)
		return;
	p += sprintf(p, "%s", r->nick);
	for (o = room_first(r); o != NULL; o = room_next(r, o))
		p += sprintf(p, ", %s", o->name);
	/* TRANSLATORS: the names, the listener's first, comma-separated. */
	c = chunk_notice(_("in the room: %s"), list);
	free(list);
	send_one(r, m, c);
}

static void
cmd_me(struct room *r, struct room_member *m, const char *raw, size_t rawlen,
    uint64_t dropped, const char *s, size_t slen)
{
	struct room_chunk *c;
	char mark[48];

	cut_marker(mark, sizeof mark, dropped);
	if ((c = chunk_printf("* %s %.*s%s", m->name, (int)slen, s, mark)) ==
	    NULL)
		return;
	c->data[c->len - 1] = '\0';
	if (r->hooks.line != NULL)
		r->hooks.line(r->hooks.arg, m, ROOM_LINE_ME, raw, rawlen,
		    dropped, c->data);
	c->data[c->len - 1] = '\n';
	broadcast(r, c, m);
}

static void
cmd_to(struct room *r, struct room_member *m, const char *raw, size_t rawlen,
    uint64_t dropped, const char *s, size_t slen)
{
	char name[ROOM_NAME_MAX + 1], mark[48];
	struct room_member *to;
	struct room_chunk *c;
	size_t rest, n = word(s, slen, &rest);

	if (n == 0 || n > ROOM_NAME_MAX || rest == slen) {
		send_one(r, m, chunk_notice(_("usage: /to NAME TEXT")));
		return;
	}
	memcpy(name, s, n);
	name[n] = '\0';
	to = find(r, name);
	if (to == NULL && strcasecmp(name, r->nick) != 0) {
		send_one(r, m, chunk_notice(_("no one here is called %s."), name));
		return;
	}
	cut_marker(mark, sizeof mark, dropped);
	/* TRANSLATORS: a line to one member alone: "(private) <name> text". */
	c = chunk_notice(_("(private) <%s> %.*s%s"), m->name,
	    (int)(slen - rest), s + rest, mark);
	if (c == NULL)
		return;
	if (to == NULL) {	/* the listener */
		c->data[c->len - 1] = '\0';
		if (r->hooks.line != NULL)
			r->hooks.line(r->hooks.arg, m, ROOM_LINE_PRIVATE, raw,
			    rawlen, dropped, c->data);
		chunk_unref(c);
	} else
		send_one(r, to, c);
}

/* One complete line from m (raw: as sent, without its line end). */
static void
room_line(struct room *r, struct room_member *m, const char *raw, size_t rawlen,
    uint64_t dropped)
{
	char *s = r->scratch;
	size_t slen, rest, n;

	slen = sanitize_strip(raw, rawlen, s);
	if (slen == 0 && dropped == 0)
		return;		/* an empty line says nothing */
	if (slen < 2 || s[0] != '/' || s[1] == '/') {
		/* "//x" says "/x" */
		n = slen >= 2 && s[0] == '/' ? 1 : 0;
		batch_say(r, m, raw + n, rawlen - n, dropped, s + n, slen - n);
		return;
	}
	/* a command: what was gathered goes first */
	batch_flush(r, m);
	n = word(s, slen, &rest);
	if (n == 5 && strncasecmp(s, "/nick", 5) == 0) {
		size_t end = word(s + rest, slen - rest, &n);

		cmd_nick(r, m, s + rest, end);
	} else if (n == 4 && strncasecmp(s, "/who", 4) == 0) {
		cmd_who(r, m);
	} else if (n == 3 && strncasecmp(s, "/me", 3) == 0 && rest < slen) {
		n = raw_skip(raw, rawlen, 1);
		cmd_me(r, m, raw + n, rawlen - n, dropped, s + rest, slen - rest);
	} else if (n == 3 && strncasecmp(s, "/to", 3) == 0) {
		n = raw_skip(raw, rawlen, 2);
		cmd_to(r, m, raw + n, rawlen - n, dropped, s + rest, slen - rest);
	} else if (n == 5 && strncasecmp(s, "/help", 5) == 0) {
		send_one(r, m, chunk_notice(_("commands: /nick NAME, /who, "
		    "/me TEXT, /to NAME TEXT; //TEXT says /TEXT.")));
	} else {
		send_one(r, m, chunk_notice(_("unknown command %.*s; commands: "
		    "/nick NAME, /who, /me TEXT, /to NAME TEXT."),
		    utf8_cut(s, n, 32), s));
	}
}

/* Keep an unfinished line's bytes, at most ROOM_LINE_MAX of them. */
static int
part_keep(struct room_member *m, const char *p, size_t n)
{
	size_t room = ROOM_LINE_MAX - m->plen, ncap;
	char *np;

	if (n > room) {
		m->pdropped += n - room;
		n = room;
	}
	if (m->plen + n > m->pcap) {
		ncap = m->pcap * 2 > m->plen + n ? m->pcap * 2 : m->plen + n + 256;
		if (ncap > ROOM_LINE_MAX)
			ncap = ROOM_LINE_MAX;
		if ((np = realloc(m->part, ncap)) == NULL)
			return -1;
		m->part = np;
		m->pcap = ncap;
	}
	memcpy(m->part + m->plen, p, n);
	m->plen += n;
	return 0;
}

/* A member's unfinished line, relayed as it is (it is leaving). */
static void
part_flush(struct room *r, struct room_member *m)
{
	if ((m->plen == 0 && m->pdropped == 0) || (r->scratch == NULL &&
	    (r->scratch = malloc(ROOM_LINE_MAX + 64)) == NULL))
		return;
	room_line(r, m, m->part, m->plen, m->pdropped);
	m->plen = 0;
	m->pdropped = 0;
	batch_flush(r, m);
	r->blen = 0;
}

static void
chat_input(struct room *r, struct room_member *m, const char *p, size_t n)
{
	const char *nl, *line;
	size_t len;
	uint64_t dropped;

	r->blen = 0;
	while (n > 0 && !m->gone) {
		if ((nl = memchr(p, '\n', n)) == NULL) {
			if (part_keep(m, p, n) == -1)
				end_member(r, m, ROOM_END_ERROR, true);
			break;
		}
		len = (size_t)(nl - p);
		if (m->plen == 0 && m->pdropped == 0) {
			/* the common case: the whole line is in this read */
			line = p;
			dropped = len > ROOM_LINE_MAX ? len - ROOM_LINE_MAX : 0;
			len -= dropped;
		} else {
			if (part_keep(m, p, len) == -1) {
				end_member(r, m, ROOM_END_ERROR, true);
				break;
			}
			line = m->part;
			len = m->plen;
			dropped = m->pdropped;
		}
		if (len > 0 && line[len - 1] == '\r' && dropped == 0)
			len--;
		room_line(r, m, line, len, dropped);
		m->plen = 0;
		m->pdropped = 0;
		n -= (size_t)(nl - p) + 1;
		p = nl + 1;
	}
	if (!m->gone)
		batch_flush(r, m);
	r->blen = 0;
	/* a long-idle member holds no line buffer */
	if (m->plen == 0 && m->pcap > 4096) {
		free(m->part);
		m->part = NULL;
		m->pcap = 0;
	}
}

size_t
room_read_size(const struct room *r, size_t nlen, size_t max)
{
	size_t n = r->queue_max / 4;

	/* A chunk within a quarter: a member below half gets it and stays
	 * within its bound (reads wait while one is past half). */
	if (r->kind == ROOM_CHAT)
		n = n * 2 / (nlen + 5);
	if (n == 0)
		n = 1;
	return n < max ? n : max;
}

void
room_eof(struct room *r, struct room_member *m)
{
	if (m->gone || m->eof)
		return;
	m->eof = true;
	if (r->kind == ROOM_CHAT && r->blen == 0)
		part_flush(r, m);
	if (m->queued == 0)
		end_member(r, m, ROOM_END_LEFT, true);
}

void
room_input(struct room *r, struct room_member *m, const char *p, size_t n)
{
	struct room_chunk *c;

	if (m->gone || m->eof)	/* nothing comes after a FIN */
		return;
	m->bytes_in += n;
	if (r->kind == ROOM_CHAT) {
		chat_input(r, m, p, n);
		return;
	}
	if ((c = chunk_new(n)) == NULL)
		return;
	memcpy(c->data, p, n);
	broadcast(r, c, m);
	if (r->hooks.relayed != NULL)
		r->hooks.relayed(r->hooks.arg, m, p, n);
}

/* ---- the listener ---- */

void
room_says_begin(struct room *r)
{
	r->says = r->kind == ROOM_CHAT;
	r->blen = 0;
}

void
room_says_end(struct room *r)
{
	if (!r->says)
		return;
	r->says = false;
	batch_flush(r, NULL);
}

/* The listener's text as members get it, in r->scratch: at most
 * ROOM_LINE_MAX bytes, escapes and controls gone; its length, or -1 when
 * there is no memory for the scratch. */
static long
listener_text(struct room *r, const char *text, size_t len)
{
	if (r->scratch == NULL &&
	    (r->scratch = malloc(ROOM_LINE_MAX + 64)) == NULL)
		return -1;
	if (len > ROOM_LINE_MAX)
		len = ROOM_LINE_MAX;
	return (long)sanitize_strip(text, len, r->scratch);
}

void
room_say(struct room *r, const char *text, size_t len)
{
	size_t slen, nlen = strlen(r->nick);
	long got;

	if ((got = listener_text(r, text, len)) < 0)
		return;
	slen = (size_t)got;
	if (r->says) {
		if (batch_reserve(r, nlen + slen + 4) == -1)
			return;
		r->blen += (size_t)snprintf(r->batch + r->blen, nlen + slen + 4,
		    "<%s> %.*s", r->nick, (int)slen, r->scratch);
		r->batch[r->blen++] = '\n';
		return;
	}
	broadcast(r, chunk_printf("<%s> %.*s", r->nick, (int)slen, r->scratch),
	    NULL);
}

void
room_me(struct room *r, const char *text, size_t len)
{
	long slen;

	if ((slen = listener_text(r, text, len)) < 0)
		return;
	broadcast(r, chunk_printf("* %s %.*s", r->nick, (int)slen, r->scratch),
	    NULL);
}

int
room_to(struct room *r, const char *name, const char *text, size_t len,
    char *err, size_t errlen)
{
	struct room_member *m = find(r, name);
	long slen;

	if (m == NULL) {
		snprintf(err, errlen, _("no one here is called %s."), name);
		return -1;
	}
	if ((slen = listener_text(r, text, len)) < 0) {
		snprintf(err, errlen, "%s", _("out of memory."));
		return -1;
	}
	send_one(r, m, chunk_notice(_("(private) <%s> %.*s%s"), r->nick,
	    (int)slen, r->scratch, ""));
	return 0;
}

int
room_kick(struct room *r, const char *name, char *err, size_t errlen)
{
	struct room_member *m = find(r, name);

	if (m == NULL) {
		snprintf(err, errlen, _("no one here is called %s."), name);
		return -1;
	}
	end_member(r, m, ROOM_END_KICKED, true);
	return 0;
}

int
room_nick(struct room *r, const char *name, char *err, size_t errlen)
{
	const char *why = room_bad_name(name, strlen(name));
	char old[ROOM_NAME_MAX + 1];

	if (why != NULL) {
		snprintf(err, errlen, _("cannot take that name: %s"), why);
		return -1;
	}
	if (strcmp(name, r->nick) == 0)
		return 0;
	if (find(r, name) != NULL) {
		snprintf(err, errlen, _("the name %s is in use."), name);
		return -1;
	}
	memcpy(old, r->nick, sizeof old);
	snprintf(r->nick, sizeof r->nick, "%s", name);
	if (r->kind == ROOM_CHAT)
		broadcast(r, chunk_notice(_("%s is now known as %s"), old,
		    r->nick), NULL);
	return 0;
}

void
room_send(struct room *r, const char *bytes, size_t len)
{
	struct room_chunk *c;

	if (len == 0 || (c = chunk_new(len)) == NULL)
		return;
	memcpy(c->data, bytes, len);
	broadcast(r, c, NULL);
}
