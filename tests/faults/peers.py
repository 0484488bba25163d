#!/usr/bin/env python3
"""tests/faults/peers.py - peers that misbehave on purpose, and a meter.

Listeners print "listening" once bound, dialers "connected" once connected;
each mode ends by itself (a bounded time), so nothing waits forever.

  slow ADDR PORT SECS [MSS [CHUNK [EVERY]]]
      listen with TCP_MAXSEG=MSS (1000) and a 4 KiB receive buffer, take one
      connection, read CHUNK (1000) bytes every EVERY (0.1) s for SECS, close.
  sink ADDR PORT SECS
      take one connection and never read from it; close after SECS.
  reset ADDR PORT READ SEND
      take one connection, read READ bytes of it, send SEND bytes (a
      counter pattern, see "pattern"), then reset it (SO_LINGER 0).
  loris ADDR PORT SECS
      dial and send one byte per second for SECS seconds, then close.
  flood ADDR PORT SECS [MSS]
      dial with TCP_MAXSEG=MSS (1000) and send 1000-byte writes for SECS.
  conns ADDR PORT N [RST]
      N connections one after another: send "hi\\n", half-close, read to EOF.
      With RST 1 (for the chat, which keeps a peer that finished sending):
      send "hi I\\n" (I from 1), then reset it (SO_LINGER 0), no reading.
  hello ADDR PORT SECS DRAIN
      take one connection, send "hello from the peer\\n", then read all
      that comes (DRAIN 1) or nothing (DRAIN 0) for SECS, close.
  lines ADDR PORT MIB SECS
      dial and send MIB MiB of 100-byte numbered lines, then "the last
      line\\n", then read all that comes for SECS, close.
  slowread SECS
      read stdin 1000 bytes every 0.1 s for SECS, then exit.
  pattern BYTES
      write the counter pattern "reset" sends (for comparing prefixes).
  meter OUT CMD ARGS...
      run CMD (stdin/stdout inherited), write "user sys wall peak_rss_kib"
      of it to OUT (the peak from VmHWM, sampled every 50 ms), exit with its
      status (128+N if killed by signal N).
"""
import os
import socket
import struct
import sys
import time


def listener(addr, port, mss=None, rcvbuf=None):
    s = socket.socket(socket.AF_INET6 if ":" in addr else socket.AF_INET)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if mss:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG, mss)
    if rcvbuf:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    s.bind((addr, port))
    s.listen(1)
    s.settimeout(30)
    print("listening", flush=True)
    c, _ = s.accept()
    s.close()
    return c


def dial(addr, port, mss=None):
    s = socket.socket(socket.AF_INET6 if ":" in addr else socket.AF_INET)
    if mss:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG, mss)
    s.settimeout(10)
    s.connect((addr, port))
    print("connected", flush=True)
    return s


def pattern(n):
    out = bytearray()
    i = 0
    while len(out) < n:
        out += b"%09d\n" % i
        i += 1
    return bytes(out[:n])


def slow(addr, port, secs, mss=1000, chunk=1000, every=0.1):
    c = listener(addr, port, mss, 4096)
    end = time.monotonic() + secs
    got = 0
    c.settimeout(every)
    while time.monotonic() < end:
        try:
            b = c.recv(chunk)
        except socket.timeout:
            continue
        if not b:
            break
        got += len(b)
        time.sleep(every)
    print("read %d" % got, flush=True)
    c.close()


def sink(addr, port, secs):
    c = listener(addr, port, None, 4096)
    time.sleep(secs)
    c.close()


def reset(addr, port, nread, nsend):
    c = listener(addr, port)
    got = 0
    c.settimeout(30)
    while got < nread:
        b = c.recv(min(65536, nread - got))
        if not b:
            break
        got += len(b)
    c.sendall(pattern(nsend))
    c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    c.close()
    print("reset after reading %d" % got, flush=True)


def loris(addr, port, secs):
    c = dial(addr, port)
    for _ in range(int(secs)):
        c.sendall(b"x")
        time.sleep(1)
    c.close()


def flood(addr, port, secs, mss=1000):
    c = dial(addr, port, mss)
    data = b"x" * 1000
    end = time.monotonic() + secs
    c.settimeout(0.2)
    while time.monotonic() < end:
        try:
            c.send(data)
        except socket.timeout:
            pass
        except OSError:
            break
    c.close()


def conns(addr, port, n, rst=0):
    for i in range(n):
        c = socket.create_connection((addr, port), timeout=10)
        if rst:
            c.sendall(b"hi %d\n" % (i + 1))
            c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                         struct.pack("ii", 1, 0))
            c.close()
            continue
        c.sendall(b"hi\n")
        c.shutdown(socket.SHUT_WR)
        while c.recv(65536):
            pass
        c.close()
    print("done %d" % n, flush=True)


def drain(c, secs):
    end = time.monotonic() + secs
    c.settimeout(0.2)
    while time.monotonic() < end:
        try:
            if not c.recv(65536):
                break
        except socket.timeout:
            pass


def hello(addr, port, secs, read):
    c = listener(addr, port, None, None if read else 4096)
    c.sendall(b"hello from the peer\n")
    if read:
        drain(c, secs)
    else:
        time.sleep(secs)
    c.close()


def lines(addr, port, mib, secs):
    c = dial(addr, port)
    c.settimeout(60)
    block = b"".join(b"line %09d %s\n" % (i, b"." * 84) for i in range(1024))
    for _ in range(int(mib * 1024 * 1024) // len(block)):
        c.sendall(block)
    c.sendall(b"the last line\n")
    print("sent", flush=True)
    drain(c, secs)
    c.close()


def slowread(secs):
    end = time.monotonic() + secs
    while time.monotonic() < end:
        if not os.read(0, 1000):
            break
        time.sleep(0.1)


def vmhwm(pid, name):
    """Peak resident set of pid in KiB once it runs name, else 0."""
    try:
        with open("/proc/%d/comm" % pid) as f:
            if f.read().strip() != name[:15]:
                return 0     # not exec'd yet: that is our own memory
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def meter(out, argv):
    t0 = time.monotonic()
    pid = os.fork()
    if pid == 0:
        try:
            os.execvp(argv[0], argv)
        finally:
            os._exit(127)
    hwm = 0
    while True:
        wpid, status, ru = os.wait4(pid, os.WNOHANG)
        if wpid == pid:
            break
        hwm = max(hwm, vmhwm(pid, os.path.basename(argv[0])))
        time.sleep(0.05)
    wall = time.monotonic() - t0
    with open(out, "w") as f:
        f.write("%.3f %.3f %.3f %d\n" % (ru.ru_utime, ru.ru_stime, wall,
                                          hwm))
    if os.WIFSIGNALED(status):
        return 128 + os.WTERMSIG(status)
    return os.WEXITSTATUS(status)


def main(argv):
    mode = argv[1]
    if mode == "meter":
        return meter(argv[2], argv[3:])
    if mode == "slowread":
        return slowread(float(argv[2]))
    if mode == "pattern":
        sys.stdout.buffer.write(pattern(int(argv[2])))
        return 0
    addr, port = argv[2], int(argv[3])
    num = [float(a) for a in argv[4:]]
    if mode == "slow":
        slow(addr, port, num[0], *[int(v) for v in num[1:3]],
             *(num[3:4]))
    elif mode == "sink":
        sink(addr, port, num[0])
    elif mode == "reset":
        reset(addr, port, int(num[0]), int(num[1]))
    elif mode == "loris":
        loris(addr, port, num[0])
    elif mode == "flood":
        flood(addr, port, num[0], *[int(v) for v in num[1:2]])
    elif mode == "conns":
        conns(addr, port, *[int(v) for v in num[0:2]])
    elif mode == "hello":
        hello(addr, port, num[0], int(num[1]))
    elif mode == "lines":
        lines(addr, port, num[0], num[1])
    else:
        sys.exit("peers.py: unknown mode " + mode)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
