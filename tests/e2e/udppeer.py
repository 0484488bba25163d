#!/usr/bin/env python3
"""A UDP peer for tests/e2e/t_9udp.sh, on 127.0.0.1.

echo PORT LOG: bind PORT, append one line per datagram to LOG (its sender's
port, then its bytes as Python's repr: b'a\\n'), and send it back as it came.
Writes LOG.ready once bound.

send PORT SRCPORT DATA... [--wait SECS]: from SRCPORT send each DATA (with
\\n, \\r and \\x escapes) to PORT as one datagram, then print every datagram
received within SECS (default 0: none), one repr a line.
"""
import socket
import sys
import time


def echo(port, log):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", port))
    open(log + ".ready", "w").close()
    while True:
        data, addr = s.recvfrom(65536)
        with open(log, "a") as f:
            f.write("%d %r\n" % (addr[1], data))
        s.sendto(data, addr)


def send(port, srcport, args):
    wait = 0.0
    if len(args) >= 2 and args[-2] == "--wait":
        wait = float(args[-1])
        args = args[:-2]
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", srcport))
    for a in args:
        s.sendto(a.encode().decode("unicode_escape").encode("latin-1"),
                 ("127.0.0.1", port))
    end = time.monotonic() + wait
    while time.monotonic() < end:
        s.settimeout(max(0.01, end - time.monotonic()))
        try:
            data = s.recv(65536)
        except (socket.timeout, ConnectionRefusedError):
            continue
        print(repr(data), flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "echo":
        echo(int(sys.argv[2]), sys.argv[3])
    else:
        send(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:])
