# shellcheck shell=bash disable=SC2154  # sourced by run.sh after lib.sh and t_2ui.sh (TCPTALK, WAIT_STATUS, ui_* helpers)
# tests/e2e/t_9send.sh - /send FILE and /cancel in the chat: a 50 MiB file
# arrives SHA-256-equal while the conversation goes on, the progress bar,
# /cancel and Ctrl-C, a file that is missing or a directory, a FIFO that
# waits for its writer, a file that changes size, a path too long.

BIG=52428800	# 50 MiB

# send_receiver PORT OUT: a peer that listens on PORT and keeps what it
# gets in OUT, reading 1 MiB/s until the file "fast" exists (and again once
# it is gone); after the first MiB it says a line to the chat.
send_receiver() {
	cat >recv.py <<'EOF'
import os, socket, sys, time
ls = socket.socket()
ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)
ls.bind(("127.0.0.1", int(sys.argv[1])))
ls.listen(1)
c, _ = ls.accept()
got, said = 0, False
with open(sys.argv[2], "wb") as out:
    while True:
        fast = os.path.exists("fast")
        d = c.recv(1 << 20 if fast else 16384)
        if not d:
            break
        out.write(d)
        out.flush()
        got += len(d)
        if not said and got >= 1 << 20:
            c.sendall(b"hello from the receiver\n")
            said = True
        if not fast:
            time.sleep(len(d) / 1048576)
EOF
	python3 recv.py "$1" "$2" & bg $!
	RECV_PID=$!
	wait_port "$1"
}

# send_size_is FILE N
send_size_is() { [ "$(stat -c %s "$1" 2>/dev/null)" = "$2" ]; }
send_size_of() { stat -c %s "$1"; }
send_size_over() { [ "$(stat -c %s "$1" 2>/dev/null || echo 0)" -gt "$2" ]; }
send_pane_dead() { [ "$(TM display -p -t "T:$1" '#{pane_dead}')" = 1 ]; }
send_pane_status() { [ -n "$(TM display -p -t "T:$1" '#{pane_dead_status}#{pane_dead_signal}')" ]; }

# send_chat_pid WINDOW: the tcptalk in WINDOW (tmux's shell may have exec'd it)
send_chat_pid() {
	local pid; pid=$(TM display -p -t "T:$1" '#{pane_pid}')
	if [ "$(cat "/proc/$pid/comm")" != tcptalk ]; then
		pid=$(pgrep -P "$pid" -x tcptalk)
	fi
	echo "$pid"
}

# send_chat PORT [OPTIONS]: the chat dialling PORT in window a, 200 columns wide so
# a notice with a SHA-256 fits on one row
send_chat() {
	ui_start a "$TCP_ENV $TCPTALK ${2:-} 127.0.0.1 $1" || return 1
	TM resize-window -t T:a -x 200 -y 30
	ui_wait a 'connected to 127\.0\.0\.1'
}

send_big_file() {
	ui_setup sendbig
	local p want hwm pid; p=$(free_port)
	head -c "$BIG" /dev/urandom >big.bin
	want=$(sha256sum big.bin | cut -c1-64)
	send_receiver "$p" got.bin || return 1
	send_chat "$p" || return 1
	ui_type a '/send big.bin' || return 1
	ui_wait a "sending 'big\.bin' \(50\.0 MiB, $BIG bytes\); /cancel or Ctrl-C stops it" || return 1
	# the progress bar, with share, bytes, rate and time left
	ui_wait a 'sending \[[#.]{10}\] [0-9]+% [0-9.]+/50\.0 MiB [0-9.]+ [KM]iB/s [0-9]+:[0-9]{2} left' 10 || return 1
	# the conversation goes on: the peer's line shows, /help answers, a
	# typed line is refused (it would land inside the file) and kept
	ui_wait a '^hello from the receiver$' 10 || return 1
	ui_type a '/help' || return 1
	ui_wait a '/cancel +stop a /send' || return 1
	ui_type a 'typed while sending' || return 1
	ui_wait a 'a file is being sent: nothing else goes until it is done, and the line stays in the input; /cancel stops the file' || return 1
	ui_wait a '^> typed while sending$' || return 1
	# ... all while the file is still going out
	[ "$(send_size_of got.bin)" -lt $((BIG / 2)) ] || { echo "the send ended too soon"; return 1; }
	! cap a | grep -q "sent 'big.bin'" || { echo "the send ended too soon"; return 1; }
	# memory stays bounded: the file is not read into it
	pid=$(send_chat_pid a)
	hwm=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status")
	echo "peak RSS ${hwm} kB"
	[ "$hwm" -lt 40960 ] || { echo "peak RSS ${hwm} kB"; return 1; }
	touch fast
	ui_wait a "sent 'big\.bin': $BIG bytes in [0-9.]+ s \([0-9.]+ MiB/s\), SHA-256 $want$" 60 || return 1
	! cap a | grep -q 'sending \[' || { echo "the bar stayed"; cap a; return 1; }
	# the kept line goes now, after the file
	TM send-keys -t T:a Enter
	wait_for 10 send_size_is got.bin $((BIG + 20)) || { echo "peer has $(send_size_of got.bin) bytes"; return 1; }
	expect_eq "SHA-256 of what arrived" "$(head -c "$BIG" got.bin | sha256sum | cut -c1-64)" "$want" || return 1
	expect_eq "the line after it" "$(tail -c +$((BIG + 1)) got.bin)" "typed while sending"
}
run_test "/send of 50 MiB: progress bar, the chat answers meanwhile, SHA-256-equal, notice with the digest, bounded memory" send_big_file

cancelled_twice() { [ "$(cap a | grep -c "cancelled sending 'big.bin'")" -eq 2 ]; }

send_cancel() {
	ui_setup sendcancel
	local p n m; p=$(free_port)
	head -c "$BIG" /dev/urandom >big.bin
	send_receiver "$p" got.bin || return 1
	send_chat "$p" || return 1
	ui_type a '/send big.bin' || return 1
	ui_wait a 'sending \[[#.]{10}\] ' 10 || return 1
	ui_type a '/cancel' || return 1
	ui_wait a "cancelled sending 'big\.bin': the peer gets the first [0-9]+ of its $BIG bytes$" || return 1
	n=$(cap a | sed -n "s/.*the peer gets the first \([0-9]*\) of its.*/\1/p")
	{ [ "$n" -gt 0 ] && [ "$n" -lt $((BIG / 2)) ]; } || { echo "cancelled after $n bytes"; return 1; }
	ui_wait a '\| 00:00:[0-9]{2} \|' || return 1
	! cap a | grep -q 'sending \[' || { echo "the bar stayed"; cap a; return 1; }
	# what was queued drains, and no more: the file's first n bytes
	touch fast
	wait_for 10 send_size_is got.bin "$n" || { echo "peer has $(send_size_of got.bin) bytes, not $n"; return 1; }
	cmp -s -n "$n" big.bin got.bin || { echo "not the file's first $n bytes"; return 1; }
	# Ctrl-C once stops a send, and the chat stays
	rm fast
	ui_type a '/send big.bin' || return 1
	ui_wait a 'sending \[[#.]{10}\] ' 10 || return 1
	TM send-keys -t T:a C-c
	wait_for 5 cancelled_twice || { echo "Ctrl-C did not cancel:"; cap a; return 1; }
	m=$(cap a | sed -n "s/.*the peer gets the first \([0-9]*\) of its.*/\1/p" | tail -1)
	{ [ "$m" -gt 0 ] && [ "$m" -lt $((BIG / 2)) ]; } || { echo "cancelled after $m bytes"; return 1; }
	ui_type a 'still here' || return 1
	touch fast
	wait_for 10 send_size_is got.bin $((n + m + 11)) || { echo "peer has $(send_size_of got.bin) bytes, not $n + $m + 11"; cap a; return 1; }
	cmp -s -n "$m" big.bin <(tail -c +$((n + 1)) got.bin) || { echo "not the file's first $m bytes"; return 1; }
	expect_eq "the line after it" "$(tail -c 11 got.bin)" "still here" || return 1
	# a second Ctrl-C (no send now) still leaves
	TM send-keys -t T:a C-c
	wait_for 5 send_pane_dead a || { echo "Ctrl-C did not leave"; cap a; return 1; }
	ui_wait a '^-- 127\.0\.0\.1:[0-9]+ \|' || return 1	# the summary of a normal exit
	# tmux may see the terminal close before it has the exit status
	if wait_for 2 send_pane_status a; then
		expect_eq "exit status (signal)" "$(TM display -p -t T:a '#{pane_dead_status} (#{pane_dead_signal})')" "0 ()"
	fi
}
run_test "/cancel and Ctrl-C stop a /send: the peer gets the first N bytes the notice names; the chat stays" send_cancel

send_refused() {
	ui_setup sendref
	local p want; p=$(free_port)
	mkdir adir
	printf 'hello\n' >small.txt
	want=$(sha256sum small.txt | cut -c1-64)
	touch fast
	send_receiver "$p" got.bin || return 1
	send_chat "$p" "-o $PWD/rec.log" || return 1
	ui_type a '/cancel' || return 1
	ui_wait a 'no file is being sent: nothing to cancel' || return 1
	ui_type a '/send nope.bin' || return 1
	ui_wait a "cannot send 'nope\.bin': No such file or directory" || return 1
	ui_type a '/send adir' || return 1
	ui_wait a "cannot send 'adir': it is a directory, and /send takes a file" || return 1
	# ~/ is $HOME (the test's directory); a small file is sent whole
	ui_type a '/send ~/small.txt' || return 1
	ui_wait a "sent '~/small\.txt': 6 bytes in [0-9.]+ s \([0-9.]+ MiB/s\), SHA-256 $want$" || return 1
	wait_for 5 send_size_is got.bin 6 || { echo "peer has $(send_size_of got.bin) bytes"; return 1; }
	# a device without a size: bytes and rate, no bar
	rm fast
	ui_type a '/send /dev/zero' || return 1
	ui_wait a "sending '/dev/zero' until it ends \(a pipe or device: no size known\); /cancel or Ctrl-C stops it" || return 1
	ui_wait a '\| sending [0-9.]+ [KM]iB [0-9.]+ [KM]iB/s' 10 || return 1
	! cap a | grep -q 'sending \[' || { echo "a bar without a size"; cap a; return 1; }
	ui_type a '/send small.txt' || return 1
	ui_wait a "'/dev/zero' is still being sent: one /send at a time \(/cancel stops it\)" || return 1
	ui_type a '/cancel' || return 1
	ui_wait a "cancelled sending '/dev/zero': the peer gets the first [0-9]+ bytes of it$" || return 1
	# -o records the notices, never the file's bytes as sent lines
	wait_for 5 grep -q "^[0-9:.]\{12\} - cancelled sending '/dev/zero'" rec.log || { echo "no notice in the record:"; cat rec.log; return 1; }
	expect_grep "the record" rec.log "^[0-9:.]{12} - sent '~/small\.txt': 6 bytes in " || return 1
	! grep -q '^[0-9:.]\{12\} >' rec.log || { echo "sent lines in the record:"; grep -m3 '^[0-9:.]\{12\} >' rec.log; return 1; }
}
run_test "/send refuses a missing file and a directory; ~/ expands; /dev/zero without a size; one at a time; /cancel with none" send_refused

send_peer_gone() {
	ui_setup sendgone
	local p n; p=$(free_port)
	head -c "$BIG" /dev/urandom >big.bin
	send_receiver "$p" got.bin || return 1
	send_chat "$p" || return 1
	ui_type a '/send big.bin' || return 1
	ui_wait a 'sending \[[#.]{10}\] ' 10 || return 1
	wait_for 10 send_size_over got.bin 1048576 || { echo "the peer got $(send_size_of got.bin) bytes"; return 1; }
	kill -9 "$RECV_PID"
	ui_wait a "the connection ended while sending 'big\.bin': [0-9]+ of its $BIG bytes went out$" || return 1
	n=$(cap a | sed -n "s/.*while sending 'big.bin': \([0-9]*\) of its.*/\1/p")
	# what left us: at least what the peer read, short of the whole file
	{ [ "$n" -ge "$(send_size_of got.bin)" ] && [ "$n" -lt "$BIG" ]; } ||
	    { echo "$n went out, the peer read $(send_size_of got.bin)"; return 1; }
	! cap a | grep -q 'sending \[' || { echo "the bar stayed"; cap a; return 1; }
}
run_test "/send to a peer that dies mid-file: a notice says how much of it went out" send_peer_gone

send_quit() {
	ui_setup sendquit
	local p n; p=$(free_port)
	head -c "$BIG" /dev/urandom >big.bin
	send_receiver "$p" got.bin || return 1
	send_chat "$p" || return 1
	ui_type a '/send big.bin' || return 1
	ui_wait a 'sending \[[#.]{10}\] ' 10 || return 1
	ui_type a '/quit' || return 1
	# no more of the file is read; what is queued has 2 s to go
	wait_for 5 send_pane_dead a || { echo "/quit did not leave"; cap a; return 1; }
	ui_wait a "^\* stopped sending 'big\.bin' on leaving, after [0-9]+ bytes of it were queued$" || return 1
	n=$(cap a | sed -n "s/.*on leaving, after \([0-9]*\) bytes.*/\1/p")
	{ [ "$(send_size_of got.bin)" -le "$n" ] && [ "$n" -lt $((BIG / 2)) ]; } ||
	    { echo "$n queued, the peer read $(send_size_of got.bin)"; return 1; }
}
run_test "/quit during a /send stops reading the file and leaves" send_quit

# send_fifo_write TEXT...: into the FIFO f, each part a moment apart (the
# read between them finds nothing yet, the writer still there)
send_fifo_write() {
	local part
	for part in "$@"; do printf '%s' "$part"; sleep 0.3; done >f
}

send_fifo() {
	ui_setup sendfifo
	local p want; p=$(free_port)
	mkfifo f
	want=$(printf 'from the writer\n' | sha256sum | cut -c1-64)
	touch fast
	send_receiver "$p" got.bin || return 1
	send_chat "$p" || return 1
	ui_type a '/send f' || return 1
	ui_wait a "sending 'f' until its writer closes it \(a FIFO: no size known, and nothing goes before a program opens it to write\); /cancel or Ctrl-C stops it" || return 1
	ui_wait a '\| sending: waiting for the FIFO.s writer' || return 1
	# no writer for a second: still waiting, not "sent 0 bytes"
	sleep 1
	! cap a | grep -q "sent 'f'" || { echo "ended before a writer came:"; cap a; return 1; }
	send_fifo_write 'from the ' $'writer\n' & bg $!
	ui_wait a "sent 'f': 16 bytes in [0-9.]+ s \([0-9.]+ MiB/s\), SHA-256 $want$" 10 || return 1
	wait_for 5 send_size_is got.bin 16 || { echo "peer has $(send_size_of got.bin) bytes"; return 1; }
	expect_eq "what the peer got" "$(cat got.bin)" "from the writer" || return 1
	! cap a | grep -q 'waiting for the FIFO' || { echo "still waiting:"; cap a; return 1; }
	# a writer that writes nothing: the end once it has gone
	ui_type a '/send f' || return 1
	ui_wait a '\| sending: waiting for the FIFO.s writer' || return 1
	: >f
	ui_wait a "sent 'f': 0 bytes in [0-9.]+ s" || return 1
	# /cancel while it waits
	ui_type a '/send f' || return 1
	ui_wait a '\| sending: waiting for the FIFO.s writer' || return 1
	ui_type a '/cancel' || return 1
	ui_wait a "cancelled sending 'f': the peer gets the first 0 bytes of it$" || return 1
	! cap a | grep -q 'waiting for the FIFO' || { echo "still waiting:"; cap a; return 1; }
}
run_test "/send of a FIFO waits for its writer (status line says so, /cancel works), then sends what it writes until it closes" send_fifo

send_resized() {
	ui_setup sendsize
	local p want; p=$(free_port)
	head -c 16777216 /dev/urandom >shrink.bin
	send_receiver "$p" got.bin || return 1
	send_chat "$p" || return 1
	# truncated while it is read (at most some MiB in: the peer is slow)
	ui_type a '/send shrink.bin' || return 1
	ui_wait a 'sending \[[#.]{10}\] ' 10 || return 1
	truncate -s 12582912 shrink.bin
	want=$(sha256sum shrink.bin | cut -c1-64)
	touch fast
	ui_wait a "sent 'shrink\.bin', which changed size while being sent: 12582912 of the 16777216 bytes it had, in [0-9.]+ s \([0-9.]+ MiB/s\), SHA-256 $want$" 30 || return 1
	wait_for 10 send_size_is got.bin 12582912 || { echo "peer has $(send_size_of got.bin) bytes"; return 1; }
	cmp -s shrink.bin got.bin || { echo "not the truncated file"; return 1; }
	# grown while it is read: all of it goes, and the notice says so
	rm fast
	head -c 16777216 /dev/urandom >grow.bin
	ui_type a '/send grow.bin' || return 1
	ui_wait a 'sending \[[#.]{10}\] ' 10 || return 1
	head -c 1048576 /dev/urandom >>grow.bin
	want=$(sha256sum grow.bin | cut -c1-64)
	touch fast
	ui_wait a "sent 'grow\.bin', which changed size while being sent: 17825792 bytes, more than the 16777216 it had, in [0-9.]+ s \([0-9.]+ MiB/s\), SHA-256 $want$" 30 || return 1
	wait_for 10 send_size_is got.bin $((12582912 + 17825792)) || { echo "peer has $(send_size_of got.bin) bytes"; return 1; }
	cmp -s grow.bin <(tail -c +12582913 got.bin) || { echo "not the grown file"; return 1; }
}
run_test "/send of a file truncated or grown while it is read: the notice says it changed size, with what went out" send_resized

send_long_path() {
	ui_setup sendlong
	local p long; p=$(free_port)
	printf 'hello\n' >small.txt
	# its first 4095 bytes name small.txt, the whole path nothing
	long=$(printf './%.0s' $(seq 2043))small.txt-not-this
	touch fast
	send_receiver "$p" got.bin || return 1
	send_chat "$p" || return 1
	ui_type a "/send $long" || return 1
	ui_wait a 'cannot send that file: the path is too long \(at most 4095 bytes\)' || return 1
	! cap a | grep -q "sent '" || { echo "a cut path was sent:"; cap a; return 1; }
	ui_type a '/send small.txt' || return 1
	ui_wait a "sent 'small\.txt': 6 bytes in " || return 1
	wait_for 5 send_size_is got.bin 6 || { echo "peer has $(send_size_of got.bin) bytes"; return 1; }
}
run_test "/send of a path longer than 4095 bytes says it is too long and sends nothing" send_long_path
