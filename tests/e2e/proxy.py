#!/usr/bin/env python3
"""A small proxy for tests/e2e/t_9proxy.sh: HTTP CONNECT (optional Basic
auth), SOCKS4/4a and SOCKS5 (optional RFC 1929 user/password) on 127.0.0.1.

It writes its port to --port-file once it listens, and one line per request
to --log: "TYPE KIND HOST PORT" (KIND: name, ipv4, ipv6; "-" for HTTP), so a
test can see whether it was asked for a name or an address.  --refuse CODE
answers every request with that code (HTTP status or SOCKS reply);
--mode silent never answers, --mode close hangs up at once; --coalesce
sends the reply together with the target's first bytes in one write.
"""
import argparse
import base64
import ipaddress
import os
import socket
import sys
import threading

HTTP_REASONS = {403: "Forbidden", 407: "Proxy Authentication Required",
                502: "Bad Gateway"}


def recv_exact(s, n):
    buf = b""
    while len(buf) < n:
        d = s.recv(n - len(buf))
        if not d:
            raise EOFError
        buf += d
    return buf


def recv_until_nul(s):
    buf = b""
    while True:
        c = recv_exact(s, 1)
        if c == b"\0":
            return buf
        buf += c


def pump(src, dst):
    try:
        while True:
            d = src.recv(65536)
            if not d:
                break
            dst.sendall(d)
    except OSError:
        pass
    try:
        dst.shutdown(socket.SHUT_WR)
    except OSError:
        pass


def relay(c, t, first=b""):
    if first:
        c.sendall(first)
    a = threading.Thread(target=pump, args=(c, t), daemon=True)
    b = threading.Thread(target=pump, args=(t, c), daemon=True)
    a.start()
    b.start()
    a.join()
    b.join()
    c.close()
    t.close()


class Proxy:
    def __init__(self, args):
        self.a = args

    def log(self, line):
        if self.a.log:
            with open(self.a.log, "a") as f:
                f.write(line + "\n")

    def dial(self, host, port):
        try:
            return socket.create_connection((host, port), timeout=5)
        except OSError:
            return None

    def reply_with_first(self, c, t, reply):
        """The reply, then the relay; --coalesce: with the target's first
        bytes in the same write, to catch a client that reads too much."""
        first = b""
        if self.a.coalesce:
            t.settimeout(3)
            try:
                first = t.recv(4096)
            except OSError:
                first = b""
        t.settimeout(None)
        c.sendall(reply + first)
        relay(c, t)

    def http(self, c):
        hdr = b""
        while b"\r\n\r\n" not in hdr:
            d = c.recv(1)
            if not d:
                return
            hdr += d
        lines = hdr.decode("latin-1").split("\r\n")
        method, target, _ = lines[0].split(" ", 2)
        host, _, port = target.rpartition(":")
        host = host.strip("[]")
        self.log("http - %s %s" % (host, port))
        if method != "CONNECT":
            c.sendall(b"HTTP/1.1 405 Method Not Allowed\r\n\r\n")
            return
        if self.a.auth:
            want = "Basic " + base64.b64encode(self.a.auth.encode()).decode()
            got = [l.split(":", 1)[1].strip() for l in lines[1:]
                   if l.lower().startswith("proxy-authorization:")]
            if got != [want]:
                self.log("auth bad %s" % (got[0] if got else "none"))
                c.sendall(b"HTTP/1.1 407 Proxy Authentication Required\r\n"
                          b"Proxy-Authenticate: Basic realm=\"test\"\r\n"
                          b"Content-Length: 0\r\n\r\n")
                return
            self.log("auth ok")
        if self.a.refuse:
            code = self.a.refuse
            c.sendall(("HTTP/1.1 %d %s\r\n\r\n" % (
                code, HTTP_REASONS.get(code, "Refused"))).encode())
            return
        t = self.dial(host, int(port))
        if t is None:
            c.sendall(b"HTTP/1.1 502 Bad Gateway\r\n\r\n")
            return
        self.reply_with_first(c, t, b"HTTP/1.1 200 Connection established\r\n"
                              b"Proxy-Agent: test\r\n\r\n")

    def socks4(self, c, first4):
        port = int.from_bytes(first4[2:4], "big")
        ip = recv_exact(c, 4)
        user = recv_until_nul(c).decode()
        if ip[:3] == b"\0\0\0" and ip[3] != 0:
            host = recv_until_nul(c).decode()
            kind = "name"
        else:
            host = socket.inet_ntoa(ip)
            kind = "ipv4"
        self.log("socks4 %s %s %d" % (kind, host, port))
        if user:
            self.log("user %s" % user)
        if self.a.refuse:
            c.sendall(bytes([0, self.a.refuse]) + b"\0" * 6)
            return
        t = self.dial(host, port)
        if t is None:
            c.sendall(bytes([0, 0x5B]) + b"\0" * 6)
            return
        self.reply_with_first(c, t, bytes([0, 0x5A]) + b"\0" * 6)

    def socks5(self, c, first):
        n = first[1]
        methods = recv_exact(c, n)
        want = 2 if self.a.auth else 0
        if want not in methods:
            c.sendall(b"\x05\xff")
            return
        c.sendall(bytes([5, want]))
        if want == 2:
            ver, ul = recv_exact(c, 2)
            user = recv_exact(c, ul).decode()
            pl = recv_exact(c, 1)[0]
            pw = recv_exact(c, pl).decode()
            if "%s:%s" % (user, pw) != self.a.auth:
                self.log("auth bad %s:%s" % (user, pw))
                c.sendall(b"\x01\x01")
                return
            self.log("auth ok")
            c.sendall(b"\x01\x00")
        ver, cmd, _, atyp = recv_exact(c, 4)
        if atyp == 1:
            host, kind = socket.inet_ntoa(recv_exact(c, 4)), "ipv4"
        elif atyp == 4:
            host = str(ipaddress.IPv6Address(recv_exact(c, 16)))
            kind = "ipv6"
        elif atyp == 3:
            host, kind = recv_exact(c, recv_exact(c, 1)[0]).decode(), "name"
        else:
            c.sendall(b"\x05\x08\x00\x01\0\0\0\0\0\0")
            return
        port = int.from_bytes(recv_exact(c, 2), "big")
        self.log("socks5 %s %s %d" % (kind, host, port))
        if self.a.refuse:
            c.sendall(bytes([5, self.a.refuse, 0, 1]) + b"\0" * 6)
            return
        t = self.dial(host, port)
        if t is None:
            c.sendall(b"\x05\x05\x00\x01\0\0\0\0\0\0")
            return
        # a name as the bound address: the client must read it all
        self.reply_with_first(c, t, b"\x05\x00\x00\x03\x09127.0.0.1\x00\x00")

    def serve(self, c):
        try:
            if self.a.mode == "silent":
                threading.Event().wait(60)
                return
            if self.a.mode == "close":
                c.close()
                return
            if self.a.type == "http":
                self.http(c)
            else:
                first = recv_exact(c, 2)
                if self.a.type == "socks4" and first[0] == 4:
                    self.socks4(c, first + recv_exact(c, 2))
                elif self.a.type == "socks5" and first[0] == 5:
                    self.socks5(c, first)
        except (EOFError, OSError, ValueError):
            pass
        finally:
            try:
                c.close()
            except OSError:
                pass


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--type", choices=["http", "socks4", "socks5"],
                   default="http")
    p.add_argument("--port-file", required=True)
    p.add_argument("--log")
    p.add_argument("--auth")
    p.add_argument("--refuse", type=int, default=0)
    p.add_argument("--mode", choices=["normal", "silent", "close"],
                   default="normal")
    p.add_argument("--coalesce", action="store_true")
    a = p.parse_args()
    px = Proxy(a)
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("127.0.0.1", 0))
    ls.listen(8)
    with open(a.port_file + ".tmp", "w") as f:
        f.write("%d\n" % ls.getsockname()[1])
    os.rename(a.port_file + ".tmp", a.port_file)
    while True:
        c, _ = ls.accept()
        threading.Thread(target=px.serve, args=(c,), daemon=True).start()


if __name__ == "__main__":
    sys.exit(main())
