#!/usr/bin/env python3
"""A scripted SMTP, IMAP or POP3 server for the STARTTLS e2e tests.

Listens on 127.0.0.1:PORT, prints "ready" once listening, serves one
connection and exits.  It greets, answers EHLO/HELO (SMTP), CAPABILITY
(IMAP) or CAPA (POP3), and on STARTTLS (STLS) gives the go-ahead, wraps the
socket in TLS and from then on echoes every line it receives as
"echo: LINE", so a test sees that data went through TLS.

  --no-starttls  STARTTLS is not in the capabilities (and refused if tried)
  --refuse       STARTTLS is offered but answered 454 / NO / -ERR
  --inject       one more line is sent right after the go-ahead, in the
                 same write (a STARTTLS injection the client must refuse)

Exit status: 0 after a session that ended normally, 1 when the TLS
handshake failed or a timeout passed, 2 for bad arguments.  What happened
goes to stderr, one line each.
"""
import argparse
import socket
import ssl
import sys

LINE_MAX = 65536
TLS_RECORD = b"\x16\x03"	# a handshake record: a ClientHello


def note(msg):
    print("smtp_server: " + msg, file=sys.stderr, flush=True)


class Conn:
    """Lines over a socket (plain, then TLS) with our own buffer, so that
    nothing read before the TLS go-ahead can leak into the TLS session."""

    def __init__(self, sock):
        self.sock = sock
        self.buf = b""
        self.eof = False

    def line(self):
        """The next line with its ending, the last bytes without one, or
        None at the end."""
        while b"\n" not in self.buf and not self.eof and \
                len(self.buf) < LINE_MAX and \
                not self.buf.startswith(TLS_RECORD):
            data = self.sock.recv(16384)
            if not data:
                self.eof = True
            self.buf += data
        if not self.buf:
            return None
        i = self.buf.find(b"\n")
        i = len(self.buf) if i == -1 else i + 1
        line, self.buf = self.buf[:i], self.buf[i:]
        return line

    def send(self, *lines):
        self.sock.sendall(b"".join(s.encode() + b"\r\n" for s in lines))


def words(line):
    return line.decode("latin-1").strip().split()


class Smtp:
    greeting = ["220-localhost ESMTP tcptalk test server",
                "220 localhost ready"]

    def __init__(self, args):
        self.args = args

    def answer(self, line):
        """(reply lines, what next: None, "tls" or "quit")."""
        w = words(line)
        cmd = w[0].upper() if w else ""
        if cmd == "EHLO":
            name = w[1] if len(w) > 1 else "nobody"
            exts = ["PIPELINING", "SIZE 10240000"]
            if not self.args.no_starttls:
                exts.append("STARTTLS")
            exts.append("8BITMIME")
            return (["250-localhost greets " + name] +
                    ["250-" + e for e in exts[:-1]] + ["250 " + exts[-1]],
                    None)
        if cmd == "HELO":
            return ["250 localhost"], None
        if cmd == "STARTTLS":
            if self.args.no_starttls:
                return ["502 5.5.1 STARTTLS is not implemented"], None
            if self.args.refuse:
                return ["454 4.7.0 TLS not available due to temporary "
                        "reason"], None
            return ["220 2.0.0 Ready to start TLS"], "tls"
        if cmd in ("NOOP", "RSET"):
            return ["250 2.0.0 OK"], None
        if cmd == "QUIT":
            return ["221 2.0.0 Bye"], "quit"
        return ["500 5.5.2 Command not recognized"], None

    injected = "250 injected before the TLS handshake"


class Imap:
    def __init__(self, args):
        self.args = args
        self.caps = "IMAP4rev1 LITERAL+" + \
            ("" if args.no_starttls else " STARTTLS") + " LOGINDISABLED"
        self.greeting = ["* OK [CAPABILITY %s] tcptalk test server ready"
                         % self.caps]

    def answer(self, line):
        w = words(line)
        if len(w) < 2:
            return ["* BAD missing tag or command"], None
        tag, cmd = w[0], w[1].upper()
        if cmd == "CAPABILITY":
            return ["* CAPABILITY " + self.caps,
                    tag + " OK CAPABILITY completed"], None
        if cmd == "STARTTLS":
            if self.args.no_starttls:
                return [tag + " BAD STARTTLS is not supported"], None
            if self.args.refuse:
                return [tag + " NO [UNAVAILABLE] TLS is not available "
                        "now"], None
            return [tag + " OK Begin TLS negotiation now"], "tls"
        if cmd == "NOOP":
            return [tag + " OK NOOP completed"], None
        if cmd == "LOGOUT":
            return ["* BYE logging out", tag + " OK LOGOUT completed"], \
                "quit"
        return [tag + " BAD command not recognized"], None

    injected = "* OK injected before the TLS handshake"


class Pop3:
    greeting = ["+OK tcptalk test server ready"]

    def __init__(self, args):
        self.args = args

    def answer(self, line):
        w = words(line)
        cmd = w[0].upper() if w else ""
        if cmd == "CAPA":
            caps = ["USER", "TOP", "UIDL"]
            if not self.args.no_starttls:
                caps.append("STLS")
            return ["+OK capability list follows"] + caps + ["."], None
        if cmd == "STLS":
            if self.args.no_starttls:
                return ["-ERR STLS is not supported"], None
            if self.args.refuse:
                return ["-ERR [SYS/TEMP] TLS is not available now"], None
            return ["+OK Begin TLS negotiation"], "tls"
        if cmd == "NOOP":
            return ["+OK"], None
        if cmd == "QUIT":
            return ["+OK bye"], "quit"
        return ["-ERR command not recognized"], None

    injected = "+OK injected before the TLS handshake"


def echo(conn):
    """Every line back with "echo: " before it, until the client ends."""
    while True:
        try:
            line = conn.line()
        except ssl.SSLEOFError:
            note("the client ended TLS without close_notify")
            return
        if line is None:
            note("the client ended TLS with close_notify")
            break
        conn.sock.sendall(b"echo: " + line)
    try:
        conn.sock.unwrap()	# our close_notify
    except (OSError, ssl.SSLError, ValueError):
        pass


def serve(sock, args, ctx):
    proto = {"smtp": Smtp, "imap": Imap, "pop3": Pop3}[args.proto](args)
    conn = Conn(sock)
    conn.send(*proto.greeting)
    while True:
        line = conn.line()
        if line is None:
            note("the client closed the connection before STARTTLS")
            return 0
        if line.startswith(TLS_RECORD):
            note("the client started TLS without the go-ahead")
            return 1
        reply, then = proto.answer(line)
        if then == "tls" and args.inject:
            reply = reply + [proto.injected]
        conn.send(*reply)	# one write, the injected line with it
        if then == "quit":
            return 0
        if then == "tls":
            break
    if conn.buf:
        # what a client sent before the handshake is not part of it
        # (CVE-2011-0411): dropped, as Postfix does
        note("dropped %d bytes sent before the TLS handshake" %
             len(conn.buf))
    try:
        tls = ctx.wrap_socket(sock, server_side=True)
    except (OSError, ssl.SSLError) as e:
        note("the TLS handshake failed: %s" % e)
        return 1
    note("TLS established: %s %s" % (tls.version(), tls.cipher()[0]))
    echo(Conn(tls))
    return 0


def main():
    ap = argparse.ArgumentParser(description="scripted STARTTLS server")
    ap.add_argument("--proto", choices=["smtp", "imap", "pop3"],
                    required=True)
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--cert", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--no-starttls", action="store_true")
    ap.add_argument("--refuse", action="store_true")
    ap.add_argument("--inject", action="store_true")
    ap.add_argument("--timeout", type=float, default=20.0,
                    help="seconds to wait for the client and each read")
    args = ap.parse_args()

    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.load_cert_chain(args.cert, args.key)

    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("127.0.0.1", args.port))
    ls.listen(1)
    ls.settimeout(args.timeout)
    print("ready", flush=True)
    try:
        sock, _ = ls.accept()
    except socket.timeout:
        note("no client came in %g seconds" % args.timeout)
        return 1
    ls.close()
    sock.settimeout(args.timeout)
    try:
        return serve(sock, args, ctx)
    except socket.timeout:
        note("the client was silent for %g seconds" % args.timeout)
        return 1
    except (ConnectionError, ssl.SSLError) as e:
        note("the connection ended: %s" % e)
        return 1
    finally:
        sock.close()


if __name__ == "__main__":
    sys.exit(main())
