/*
 * fuzz_starttls.c - the STARTTLS exchange fed arbitrary server bytes in
 * arbitrary chunks.
 *
 * Input: a byte choosing the protocol, a byte count and that many bytes of
 * EHLO name, then chunks, each a header byte (bit 7: do not take the output
 * after this feed; the low 7 bits its length, 127: a 16-bit length follows,
 * 0: the server's EOF) and its bytes.
 *
 * Properties: *used is at most n, all of it on MORE; the log is NUL-ended at
 * loglen inside its array and holds printable ASCII and newlines only, err
 * printable ASCII; what we send is always a prefix of the protocol's script
 * (EHLO name, STARTTLS; a1 CAPABILITY, a2 STARTTLS; STLS), one whole
 * command per feed; DONE only once the STARTTLS command has been taken, on a
 * go-ahead line ending at *used, with STARTTLS offered where there are
 * capabilities; DONE and FAILED stay and take nothing more.
 */
#include <string.h>
#include <strings.h>

#include "fuzz.h"
#include "starttls.h"

static void
check_text(const struct starttls *st)
{
	size_t i;

	CHECK(st->loglen < sizeof st->log, "loglen %zu", st->loglen);
	CHECK(memchr(st->log, '\0', sizeof st->log) == st->log + st->loglen,
	    "log not NUL-ended at loglen %zu", st->loglen);
	for (i = 0; i < st->loglen; i++)
		CHECK(st->log[i] == '\n' || (st->log[i] >= 0x20 &&
		    st->log[i] < 0x7f), "log byte 0x%02x at %zu",
		    (unsigned char)st->log[i], i);
	CHECK(memchr(st->err, '\0', sizeof st->err) != NULL, "err not ended");
	for (i = 0; st->err[i] != '\0'; i++)
		CHECK(st->err[i] >= 0x20 && st->err[i] < 0x7f,
		    "err byte 0x%02x at %zu", (unsigned char)st->err[i], i);
}

/* The line ending just before p + used, CR and LF off. */
static void
last_line(const char *all, size_t end, const char **s, size_t *n)
{
	size_t b;

	CHECK(end > 0 && all[end - 1] == '\n', "DONE not after a line end");
	end--;
	for (b = end; b > 0 && all[b - 1] != '\n'; b--)
		;
	if (end > b && all[end - 1] == '\r')
		end--;
	*s = all + b;
	*n = end - b;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = { data, size };
	static struct starttls st;
	static char all[1 << 17];	/* every byte the machine took */
	char name[32], script[600], sent[600];
	const char *chunk, *out, *gl;
	size_t alllen = 0, sentlen = 0, namelen, len, used, outlen, gn;
	enum starttls_proto proto = (enum starttls_proto)(fz_byte(&f) % 3);
	enum starttls_result r = STARTTLS_MORE;
	uint8_t h;
	bool take;

	memcpy(name, fz_bytes(&f, fz_byte(&f) % 20, &namelen), namelen);
	name[namelen] = '\0';
	starttls_init(&st, proto, name);
	for (len = 0; st.name[len] != '\0'; len++)
		CHECK(st.name[len] > ' ' && st.name[len] < 0x7f, "name byte");
	snprintf(script, sizeof script, "%s", proto == STARTTLS_SMTP ?
	    "EHLO " : proto == STARTTLS_IMAP ? "a1 CAPABILITY\r\n"
	    "a2 STARTTLS\r\n" : "STLS\r\n");
	if (proto == STARTTLS_SMTP)
		snprintf(script + 5, sizeof script - 5, "%s\r\nSTARTTLS\r\n",
		    st.name);

	while (f.n > 0 && r == STARTTLS_MORE) {
		h = fz_byte(&f);
		take = !(h & 0x80);
		len = h & 0x7f;
		if (len == 0x7f)
			len = fz_u16(&f) % 4096;
		chunk = fz_bytes(&f, len, &len);
		r = starttls_feed(&st, len > 0 ? chunk : NULL, len, &used);
		CHECK(used <= len, "used %zu of %zu", used, len);
		CHECK(r != STARTTLS_MORE || used == len, "MORE took %zu of %zu",
		    used, len);
		CHECK(r == STARTTLS_FAILED || len > 0, "EOF not FAILED");
		CHECK(alllen + used <= sizeof all, "too much input");
		memcpy(all + alllen, chunk, used);
		alllen += used;
		check_text(&st);
		if (r == STARTTLS_DONE) {
			/* the command was taken before its answer came */
			CHECK(st.outlen == 0, "DONE with %zu bytes unsent",
			    st.outlen);
			CHECK(sentlen == strlen(script) &&
			    memcmp(sent, script, sentlen) == 0,
			    "DONE after sending only %zu bytes", sentlen);
			CHECK(proto == STARTTLS_POP3 || st.offered,
			    "DONE without STARTTLS offered");
			last_line(all, alllen, &gl, &gn);
			CHECK(proto == STARTTLS_SMTP ? gn >= 3 &&
			    memcmp(gl, "220", 3) == 0 : proto == STARTTLS_IMAP ?
			    gn >= 5 && strncasecmp(gl, "a2 OK", 5) == 0 :
			    gn >= 3 && memcmp(gl, "+OK", 3) == 0,
			    "DONE on another line (%zu bytes)", gn);
		}
		if (!take)
			continue;
		out = starttls_out(&st, &outlen);
		CHECK(st.outlen == 0, "out not emptied");
		CHECK(outlen == 0 || (outlen >= 2 &&
		    memcmp(out + outlen - 2, "\r\n", 2) == 0 &&
		    memchr(out, '\n', outlen) == out + outlen - 1),
		    "not one command line (%zu bytes)", outlen);
		CHECK(sentlen + outlen <= strlen(script) &&
		    memcmp(script + sentlen, out, outlen) == 0,
		    "sent off script at %zu", sentlen);
		memcpy(sent + sentlen, out, outlen);
		sentlen += outlen;
	}
	if (r != STARTTLS_MORE) {
		CHECK(starttls_feed(&st, "x", 1, &used) == r && used == 0,
		    "result %d not kept", (int)r);
		CHECK(r != STARTTLS_FAILED || st.err[0] != '\0', "no err");
	}
	return 0;
}
