# shellcheck shell=bash disable=SC2154  # sourced by run.sh after lib.sh (TCPTALK, helpers)
# tests/e2e/t_9room.sh - --room and --broker without a terminal: members
# in python (tests/e2e/roompeer.py) and nc; names, UTF-8 kept and escapes
# stripped, /nick /who /me /to, the listener's stdin (and /kick), partial
# lines per member, a full room, a member that stops reading dropped while
# the others go on, 200 members joining and leaving with fds and RSS back
# where they were, the broker's bytes intact, usage errors.

ROOM_PEER_DIR=$PWD/tests/e2e

# room_start ARGS...: a headless room on a free port, stdin a FIFO we
# write with room_say, stdout room.out, stderr room.err; ROOM_PORT and
# ROOM_PID set.
room_start() {
	ROOM_PORT=$(free_port) || return 1
	mkfifo room.in
	"$TCPTALK" -l "$@" 127.0.0.1 "$ROOM_PORT" <room.in >room.out 2>room.err &
	ROOM_PID=$!
	bg $ROOM_PID
	exec 7>room.in		# held open: stdin's end would not end the room
	wait_port "$ROOM_PORT"
}
# (by its path: a background subshell has no fd 7)
room_say() { printf '%s\n' "$1" >>room.in; }
# room_py: run the python scene on stdin with the room's port in PORT
room_py() {
	PYTHONPATH=$ROOM_PEER_DIR PORT=$ROOM_PORT timeout 60 python3 -
}
room_rss() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status"; }
room_fds() { find "/proc/$1/fd" -mindepth 1 | wc -l; }
# for wait_for, which runs its command again and again (a $(...) in its
# arguments would be read once)
room_left_ge() { [ "$(grep -c ' left$' room.out)" -ge "$1" ]; }
room_fds_are() { [ "$(room_fds "$1")" = "$2" ]; }

room_talk() {
	room_start --room -o room.rec || return 1
	room_py <<'PY' || { sed 's/^/room.out: /' room.out; return 1; }
import os, sys
from roompeer import Peer, NcPeer, Fail
port = int(os.environ["PORT"])
try:
    a = Peer(port)
    # the exact first line: a tcptalk chat knows a room by it
    first = a.expect(r".", 5)
    assert first == "* tcptalk room: 2 peers here", first
    b = Peer(port)
    assert b.expect(r".") == "* tcptalk room: 3 peers here"
    c = NcPeer(port)
    c.expect(r"^\* tcptalk room: 4 peers here$")
    a.expect(r"^\* 127\.0\.0\.1:%d joined$" % b.port())
    a.send("/nick alice\n")
    b.expect(r"^\* 127\.0\.0\.1:\d+ is now known as alice$")
    b.send("/nick bob\n")
    # Chinese intact with the name; escapes gone from what others get
    a.send("你好 \x1b[31mred\x1b[0m \x1b]0;title\x07\u202eend\r\n")
    for p in (b, c):
        line = p.expect(r"^<alice> ")
        assert line == "<alice> 你好 red end", repr(line)
    # /me, /who (to the asker only), /to (to one only)
    b.send("/me waves\n/who\n/to alice psst\n")
    a.expect(r"^\* bob waves$")
    c.expect(r"^\* bob waves$")
    who = b.expect(r"^\* in the room: ")
    assert who.startswith("* in the room: host, ") and "alice" in who and "bob" in who, who
    a.expect(r"^\* \(private\) <bob> psst$")
    c.none(r"psst|in the room", 0.3)
    a.none(r"in the room", 0.1)
    # a taken name, a bad one
    c.send("/nick ALICE\n/nick *star\n")
    c.expect(r"^\* the name ALICE is in use\.$")
    c.expect(r"^\* cannot take that name: a name may not start with \* or /\.$")
    # partial lines per member never mix
    a.send("hel")
    b.send("wor")
    a.send("lo\n")
    b.send("ld\n")
    c.expect(r"^<alice> hello$")
    c.expect(r"^<bob> world$")
    assert not any("hewor" in l or "worhel" in l for l in c.seen)
    print("members done")
    sys.stdout.flush()
    # the listener speaks, then kicks bob (stdin, written by the shell)
    open("stage1", "w").close()
    a.expect(r"^<host> hi from the listener$", 10)
    b.expect(r"^<host> hi from the listener$")
    b.expect(r"^\* bob was kicked$", 10)
    b.wait_closed()
    a.expect(r"^\* bob was kicked$")
    c.close()
    a.expect(r"^\* 127\.0\.0\.1:\d+ left$")
except (Fail, AssertionError) as e:
    print("FAIL:", e)
    sys.exit(1)
PY
	expect_grep "stdout: the room as a member sees it" room.out '^<alice> 你好 red end$' || return 1
	expect_grep "stdout: the nick change" room.out '^\* 127\.0\.0\.1:[0-9]+ is now known as alice$' || return 1
	if grep -q $'\e' room.out; then echo "an escape reached stdout"; return 1; fi
	expect_grep "stdout: kicked" room.out '^\* bob was kicked$' || return 1
	# -o: the same lines with their direction, the listener's own too
	expect_grep "-o: a member's line" room.rec '^[0-9:.]+ < <alice> 你好 red end$' || return 1
	expect_grep "-o: our line" room.rec '^[0-9:.]+ > <host> hi from the listener$' || return 1
	expect_grep "-o: a notice" room.rec '^[0-9:.]+ - \* bob was kicked$'
}

# The shell's part of room_talk: once the members are done, the
# listener's stdin says a line and kicks.
room_talk_driver() {
	(
		wait_for 30 test -e stage1 || exit 1
		room_say "hi from the listener"
		room_say "/kick bob"
	) &
	room_talk
}
run_test "--room: names, UTF-8 kept, escapes stripped, /nick /who /me /to, partial lines, the listener's line and /kick" room_talk_driver

room_full_and_usage() {
	local rc
	room_start --room --max-peers 2 || return 1
	room_py <<'PY' || return 1
import os, sys
from roompeer import Peer, Fail
port = int(os.environ["PORT"])
try:
    a = Peer(port); a.expect(r"^\* tcptalk room:")
    b = Peer(port); b.expect(r"^\* tcptalk room:")
    a.expect(r"joined$")
    c = Peer(port)
    c.expect(r"^\* tcptalk room is full, try again later\.$")
    c.wait_closed()
    a.none(r"joined$", 0.3)   # b's join came before; nothing for c
    b.close()
    a.expect(r"left$")
    d = Peer(port); d.expect(r"^\* tcptalk room: 3 peers here$")
except (Fail, AssertionError) as e:
    print("FAIL:", e); sys.exit(1)
PY
	# usage errors: one line, exit 2
	"$TCPTALK" --room 127.0.0.1 1 2>u1.err; rc=$?
	expect_eq "--room without -l" $rc 2 || return 1
	expect_grep "says why" u1.err '^tcptalk: --room needs -l' || return 1
	"$TCPTALK" -l --room --broker 1 2>u2.err; rc=$?
	expect_eq "--room --broker" $rc 2 || return 1
	expect_grep "choose one" u2.err 'choose one' || return 1
	"$TCPTALK" -l --room -u 1 2>u3.err; rc=$?
	expect_eq "--room -u" $rc 2 || return 1
	"$TCPTALK" -l --room --max-peers 0 1 2>u4.err; rc=$?
	expect_eq "--max-peers 0" $rc 2 || return 1
	"$TCPTALK" -l --broker --peer-queue 5x 1 2>u5.err; rc=$?
	expect_eq "--peer-queue 5x" $rc 2 || return 1
	expect_grep "size message" u5.err "invalid queue size '5x'" || return 1
	"$TCPTALK" -l --room --nick 'a b' 1 2>u6.err; rc=$?
	expect_eq "--nick with a space" $rc 2 || return 1
	"$TCPTALK" -l --max-peers 5 1 2>u7.err; rc=$?
	expect_eq "--max-peers alone" $rc 2 || return 1
	expect_grep "needs a room" u7.err 'needs --room or --broker' || return 1
	"$TCPTALK" -l --room -C 1 2>u8.err; rc=$?
	expect_eq "--room -C" $rc 2 || return 1
	expect_grep "-C refused" u8.err '^tcptalk: -C has no use with --room: '
}
run_test "--room: --max-peers turns the next away with one line; usage errors exit 2" room_full_and_usage

room_slow_dropped() {
	local rss
	room_start --room --peer-queue 64k || return 1
	room_py <<'PY' || { tail -5 room.out; return 1; }
import os, socket, sys, time
from roompeer import Peer, Fail
port = int(os.environ["PORT"])
try:
    # s never reads, with small socket buffers so its queue fills soon
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.connect(("127.0.0.1", port))
    a = Peer(port); a.expect(r"^\* tcptalk room:")
    b = Peer(port); b.expect(r"^\* tcptalk room:")
    a.send("/nick flood\n")
    b.expect(r"is now known as flood$")
    line = "x" * 1000 + "\n"
    t0 = time.time()
    sent = 0
    # a talks (8 MB in all) while b reads: s is dropped on the way
    while sent < 8000 and time.time() - t0 < 30:
        a.send(line * 100)
        sent += 100
        while b._fill(0):
            pass
    b.expect(r"^\* 127\.0\.0\.1:%d dropped: not reading$" % s.getsockname()[1], 20)
    a.send("after the drop\n")
    b.expect(r"^<flood> after the drop$", 20)
    n = sum(1 for l in b.seen if l.startswith("<flood> x"))
    assert n == sent, "b got %d of %d lines" % (n, sent)
    print("ok", n)
except (Fail, AssertionError) as e:
    print("FAIL:", e); sys.exit(1)
PY
	expect_grep "stdout: the drop" room.out 'dropped: not reading$' || return 1
	# memory stayed bounded: 8 MB went through a 64 KiB queue
	rss=$(room_rss "$ROOM_PID")
	[ "$rss" -lt 40000 ] || { echo "RSS ${rss} kB after the flood"; return 1; }
}
run_test "--room: a member that stops reading is dropped (--peer-queue 64k), the others get every line, RSS bounded" room_slow_dropped

room_churn() {
	local fd0 rss1 rss fds
	room_start --room --max-peers 300 || return 1
	fd0=$(room_fds "$ROOM_PID")
	room_py <<'PY' || return 1
import os, socket, sys
port = int(os.environ["PORT"])
socks = [socket.create_connection(("127.0.0.1", port)) for _ in range(200)]
for s in socks:
    s.sendall(b"/nick n%d\nhello\n" % s.getsockname()[1])
for s in socks:
    s.close()
PY
	wait_for 10 room_left_ge 200 || { echo "$(grep -c ' left$' room.out) left"; return 1; }
	wait_for 5 room_fds_are "$ROOM_PID" "$fd0" || { echo "fds $(room_fds "$ROOM_PID"), were $fd0"; return 1; }
	rss1=$(room_rss "$ROOM_PID")
	for round in 2 3 4 5 6; do
		room_py <<'PY' || return 1
import os, socket
port = int(os.environ["PORT"])
socks = [socket.create_connection(("127.0.0.1", port)) for _ in range(200)]
for s in socks:
    s.sendall(b"/nick n%d\nhello\n" % s.getsockname()[1])
for s in socks:
    s.close()
PY
		wait_for 10 room_left_ge $((round * 200)) || { echo "round $round: $(grep -c ' left$' room.out) left"; return 1; }
		wait_for 5 room_fds_are "$ROOM_PID" "$fd0" || { echo "round $round: fds $(room_fds "$ROOM_PID"), were $fd0"; return 1; }
	done
	fds=$(room_fds "$ROOM_PID")
	rss=$(room_rss "$ROOM_PID")
	expect_eq "fds after 1200 joins and leaves" "$fds" "$fd0" || return 1
	# RSS after round 1 (the heap has grown to 200 members) and after
	# round 6: the same, give or take 256 kB (not under ASan, whose
	# quarantine keeps what is freed for a while)
	[ "${SANITIZE:-}" = 1 ] || [ $((rss - rss1)) -le 256 ] ||
	    { echo "RSS grew from $rss1 to $rss kB"; return 1; }
	expect_eq "joins seen" "$(grep -c ' joined$' room.out)" 1200
}
run_test "--room: 200 members join and leave, 6 times: fds back to the start, RSS flat" room_churn

# A member's FIN: its queue is still written, all of it, then it is
# closed and leaves (echo /who | nc -N prints the answer and exits); its
# last line without a newline is relayed first.
room_half_close() {
	room_start --room --peer-queue 16M -o room.rec || return 1
	nc 127.0.0.1 "$ROOM_PORT" </dev/null >watch.out &
	bg $!
	wait_for 5 grep -q 'joined$' room.out || return 1
	printf '/who\nlast words' | timeout 5 nc -N 127.0.0.1 "$ROOM_PORT" >who.out
	expect_eq "nc -N exits once answered" $? 0 || return 1
	expect_grep "the answer after FIN" who.out '^\* in the room: host, ' || return 1
	wait_for 5 grep -q ' left$' watch.out || { cat watch.out; return 1; }
	expect_grep "the unfinished line relayed" watch.out '^<127\.0\.0\.1:[0-9]+> last words$' || return 1
	[ "$(grep -A1 'last words' watch.out | tail -1 | grep -c ' left$')" = 1 ] ||
	    { echo "no leave right after the last words"; cat watch.out; return 1; }
	# a queue bigger than the socket takes at once (2.8 MB), then FIN: all
	# of it
	( wait_for 10 test -e joined2 || exit 1
	  for i in $(seq 100000); do echo "line $i of the listener"; done >>room.in
	  : >said ) &
	room_py <<'PY' || return 1
import os, socket, sys, time
port = int(os.environ["PORT"])
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
s.connect(("127.0.0.1", port))
open("joined2", "w").close()
end = time.time() + 20
while not os.path.exists("said") and time.time() < end:
    time.sleep(0.05)
# the room has read stdin's lines once -o recorded the last
while time.time() < end and "line 100000 of" not in open("room.rec", errors="replace").read():
    time.sleep(0.05)
s.shutdown(socket.SHUT_WR)
data = b""
s.settimeout(10)
while True:
    b = s.recv(65536)
    if not b:
        break
    data += b
n = data.count(b" of the listener\n")
print("lines after FIN:", n)
sys.exit(0 if n == 100000 else 1)
PY
}
run_test "--room: a member that sent FIN gets all of its queue (/who's answer) and then EOF; its last line without a newline is relayed before it leaves" room_half_close

# The listener's stdin as fast as it comes, one member reading steadily:
# the room slows to its pace, nobody is dropped.
room_stdin_held() {
	local n
	ROOM_PORT=$(free_port) || return 1
	mkfifo go
	{ read -r _ <go; timeout 5 yes hello; } |
	    "$TCPTALK" -l --room 127.0.0.1 "$ROOM_PORT" >room.out 2>room.err &
	bg $!
	wait_port "$ROOM_PORT"
	# a steady reader: 64 KiB every 5 ms (about 10 MB/s) for 3 s
	PORT=$ROOM_PORT timeout 10 python3 - >flood.out <<'PY' &
import os, socket, sys, time
s = socket.create_connection(("127.0.0.1", int(os.environ["PORT"])))
end = time.time() + 4
while time.time() < end:
    b = s.recv(65536)
    if not b:
        break
    sys.stdout.buffer.write(b)
    time.sleep(0.005)
PY
	bg $!
	wait_for 5 grep -q 'joined$' room.out || return 1
	echo go >go
	wait_for 10 grep -q -e ' left$' -e 'dropped' room.out
	n=$(grep -c '^<host> hello$' flood.out)
	[ "$n" -gt 10000 ] || { echo "only $n lines reached nc"; return 1; }
	if grep -q 'dropped' room.out flood.out; then
		echo "a reader was dropped:"; grep dropped room.out | head -3; return 1
	fi
}
run_test "--room: the listener's stdin waits while the room is held: a steady reader is never dropped" room_stdin_held

# Out of fds: a peer past them is told the room is full (a spare fd), and
# the listener does not spin.
room_fd_limit() {
	local ticks
	ROOM_PORT=$(free_port) || return 1
	(ulimit -n 24 && exec "$TCPTALK" -l --room 127.0.0.1 "$ROOM_PORT" </dev/null >room.out 2>room.err) &
	ROOM_PID=$!
	bg $ROOM_PID
	wait_port "$ROOM_PORT"
	room_py <<'PY' || return 1
import os, select, socket, sys, time
port = int(os.environ["PORT"])
socks = [socket.create_connection(("127.0.0.1", port)) for _ in range(30)]
got = {s: b"" for s in socks}
end = time.time() + 5
while time.time() < end and not all(b"\n" in v for v in got.values()):
    r, _, _ = select.select([s for s in socks if b"\n" not in got[s]], [], [], 0.2)
    for s in r:
        got[s] += s.recv(4096) or b"\n"
greeted = sum(1 for v in got.values() if v.startswith(b"* tcptalk room: "))
full = sum(1 for v in got.values() if v.startswith(b"* tcptalk room is full"))
print("greeted", greeted, "full", full)
time.sleep(1)   # a second more with peers pending: a spin would show
sys.exit(0 if greeted + full == 30 and full > 0 else 1)
PY
	ticks=$(awk '{ print $14 + $15 }' "/proc/$ROOM_PID/stat")
	[ "$ticks" -lt 50 ] || { echo "$ticks CPU ticks: the listener spins"; return 1; }
}
run_test "--room: out of fds (ulimit -n 24), the peers past them are told the room is full, no CPU spin" room_fd_limit

room_size_ge() { [ "$(stat -c %s room.out)" -ge "$1" ]; }
room_broker_bytes() {
	head -c 5000000 /dev/urandom >big.bin
	room_start --broker || return 1
	room_py <<'PY' || return 1
import hashlib, os, socket, sys, time
from roompeer import Peer, Fail
port = int(os.environ["PORT"])
try:
    a = Peer(port); b = Peer(port); c = Peer(port)
    # nothing is said on join: a broker has no lines of its own; b sends
    # "r" until a and c both get one (all three are in), and counts them
    t0 = time.time()
    rs = 0
    while time.time() - t0 < 10:
        b.send(b"r")
        rs += 1
        for p in (a, c):
            p._fill(0.1)
        if b"r" in a.buf and b"r" in c.buf:
            break
    open("rcount", "w").write("%d\n" % rs)
    while len(c.buf) < rs and time.time() - t0 < 10:
        c._fill(0.1)
    assert c.buf == b"r" * rs, c.buf
    c.buf = b""
    data = open("big.bin", "rb").read()
    # a sends 5 MB while b and c read
    off = 0
    gotb = bytearray(); gotc = bytearray()
    t0 = time.time()
    while (len(gotb) < len(data) or len(gotc) < len(data)) and time.time() - t0 < 30:
        if off < len(data):
            try:
                off += a.sock.send(data[off:off + 65536])
            except BlockingIOError:
                pass
        for p, g in ((b, gotb), (c, gotc)):
            try:
                g += p.sock.recv(1 << 20)
            except BlockingIOError:
                pass
    h = hashlib.sha256(data).hexdigest()
    assert hashlib.sha256(gotb).hexdigest() == h, "b: %d bytes, differ" % len(gotb)
    assert hashlib.sha256(gotc).hexdigest() == h, "c: %d bytes, differ" % len(gotc)
    # a got nothing of its own back, only b's r's
    while a._fill(0.2):
        pass
    assert a.buf == b"r" * rs, a.buf[:40]
    open("stage1", "w").close()
    c.sock.setblocking(True); c.sock.settimeout(10)
    got = b""
    while b"from the host\n" not in got:
        more = c.sock.recv(65536)
        if not more:
            break
        got += more
    assert got.endswith(b"from the host\n"), got[-40:]
    print("ok")
except (Fail, AssertionError) as e:
    print("FAIL:", e); sys.exit(1)
PY
	# the listener is a member: stdout got the 5 MB too, after b's r's
	local rs
	rs=$(cat rcount)
	wait_for 10 room_size_ge $((5000000 + rs)) || return 1
	expect_eq "stdout: b's r's first" "$(head -c "$rs" room.out)" "$(printf "%${rs}s" "" | tr ' ' r)" || return 1
	expect_eq "stdout: the bytes, unchanged" "$(tail -c +$((rs + 1)) room.out | head -c 5000000 | sha256sum)" "$(sha256sum <big.bin)"
}
room_broker_driver() {
	(
		wait_for 40 test -e stage1 || exit 1
		room_say "from the host"
	) &
	room_broker_bytes
}
run_test "--broker: 5 MB through it, sha256 the same for every other member and stdout; the listener's stdin to all" room_broker_driver
