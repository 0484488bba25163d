"""tests/e2e/roompeer.py - room members for t_9room.sh's scripted scenes.

Peer(port) is a socket with bounded waits: expect(regex) returns the first
line received that matches (lines before it are kept in seen), none(regex,
secs) fails if such a line comes within secs.  NcPeer does the same through
an `nc` process.  Every wait has a deadline; a failure raises, and the
scene's python exits non-zero with the reason.
"""
import re
import select
import socket
import subprocess
import time


class Fail(Exception):
    pass


class Peer:
    def __init__(self, port, host="127.0.0.1"):
        self.sock = socket.create_connection((host, port), timeout=5)
        self.sock.setblocking(False)
        self.buf = b""
        self.seen = []      # every complete line, in order
        self.closed = False

    def send(self, text):
        data = text.encode() if isinstance(text, str) else text
        self.sock.setblocking(True)
        self.sock.sendall(data)
        self.sock.setblocking(False)

    def _fill(self, secs):
        r, _, _ = select.select([self.sock], [], [], secs)
        if not r:
            return False
        try:
            data = self.sock.recv(65536)
        except ConnectionResetError:
            data = b""
        if not data:
            self.closed = True
            return False
        self.buf += data
        while b"\n" in self.buf:
            line, self.buf = self.buf.split(b"\n", 1)
            self.seen.append(line.decode("utf-8", "replace"))
        return True

    def expect(self, pattern, secs=5, start=0):
        """The first line from seen[start:] on that matches; waits for it."""
        rx = re.compile(pattern)
        deadline = time.time() + secs
        i = start
        while True:
            while i < len(self.seen):
                if rx.search(self.seen[i]):
                    return self.seen[i]
                i += 1
            left = deadline - time.time()
            if left <= 0 or self.closed:
                raise Fail("%s: no line /%s/ in %r" % (self.name(), pattern,
                                                       self.seen[-12:]))
            self._fill(min(left, 0.2))

    def none(self, pattern, secs=0.5):
        """No line that matches comes within secs (from now on)."""
        rx = re.compile(pattern)
        start = len(self.seen)
        deadline = time.time() + secs
        while time.time() < deadline and not self.closed:
            self._fill(0.05)
        for line in self.seen[start:]:
            if rx.search(line):
                raise Fail("%s: unexpected line %r" % (self.name(), line))

    def wait_closed(self, secs=5):
        deadline = time.time() + secs
        while not self.closed and time.time() < deadline:
            self._fill(0.2)
        if not self.closed:
            raise Fail("%s: still open after %s s" % (self.name(), secs))

    def name(self):
        return "peer %s" % (self.sock.getsockname()[1],)

    def port(self):
        return self.sock.getsockname()[1]

    def close(self):
        self.sock.close()


class NcPeer(Peer):
    """The same through netcat, as a user with nc would join."""

    def __init__(self, port, host="127.0.0.1"):
        self.proc = subprocess.Popen(["nc", host, str(port)],
                                     stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE)
        self.sock = self.proc.stdout
        self.buf = b""
        self.seen = []
        self.closed = False

    def send(self, text):
        self.proc.stdin.write(text.encode() if isinstance(text, str) else text)
        self.proc.stdin.flush()

    def _fill(self, secs):
        r, _, _ = select.select([self.sock], [], [], secs)
        if not r:
            return False
        data = self.sock.read1(65536)
        if not data:
            self.closed = True
            return False
        self.buf += data
        while b"\n" in self.buf:
            line, self.buf = self.buf.split(b"\n", 1)
            self.seen.append(line.decode("utf-8", "replace"))
        return True

    def name(self):
        return "nc %d" % self.proc.pid

    def close(self):
        self.proc.stdin.close()
        self.proc.kill()
        self.proc.wait()
