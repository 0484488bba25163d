# shellcheck shell=bash disable=SC2154  # sourced by run.sh after lib.sh and t_2ui.sh (TCPTALK, ui_* helpers)
# tests/e2e/t_9marks.sh - the delivery marks of typed lines: ✓ once the
# peer's TCP acknowledged the line, ✗ when the peer was gone before that
# (its kernel answers with RST), none over -U; and the TCP timeline in the
# notices: the handshake (both sides), who sent FIN first and the states
# each close passes through (checked against ss where the kernel keeps
# one: TIME-WAIT), a reset named RST.  Loopback only; a line kept from its
# ✓ by a partition, and one a reset takes, are in tests/faults/.

# mk_gone PORT: accept one connection, close it at once, stay a while
mk_gone() {
	python3 -c 'import socket, sys, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen(1)
c, _ = s.accept()
c.close()
time.sleep(15)' "$1"
}

mk_acked() {
	ui_setup marks
	local p sp
	p=$(free_port)
	sleep 20 | timeout 25 "$TCPTALK" -l 127.0.0.1 "$p" >srv.out & sp=$!
	bg $sp
	wait_port "$p" || return 1
	ui_start a "$TCP_ENV $TCPTALK -t 127.0.0.1 $p" || return 1
	ui_wait a 'connected to' || return 1
	ui_type a 'first line' || return 1
	ui_type a 'second line' || return 1
	ui_wait a '^[0-9:]{8} second line ✓$' || return 1
	ui_wait a '^[0-9:]{8} first line ✓$' || return 1
	wait_for 5 grep -q 'second line' srv.out || return 1
	# the merged view draws it too
	TM send-keys -t T:a F2
	ui_wait a '^[0-9:]{8} > first line ✓$'
}
run_test "marks: a line the peer's TCP acknowledged shows ✓ (split and merged, with -t)" mk_acked

mk_failed() {
	ui_setup marksx
	local p gp
	p=$(free_port)
	mk_gone "$p" & gp=$!
	bg $gp
	wait_port "$p" || return 1
	ui_start a "$TCP_ENV $TCPTALK 127.0.0.1 $p" || return 1
	TM resize-window -t T:a -x 250 -y 30	# a notice on one row
	ui_wait a 'finished sending' || return 1
	ui_type a 'too late' || return 1
	ui_wait a 'has left: it answered with RST \(reset\), and the 9 bytes you sent after its FIN were not delivered$' || return 1
	ui_wait a '^too late ✗$'
}
run_test "marks: a line to a peer that is gone shows ✗ once its RST ends the connection" mk_failed

mk_unix() {
	ui_setup marksu
	local sp
	sleep 20 | timeout 25 "$TCPTALK" -l -U "$PWD/m.sock" >srv.out & sp=$!
	bg $sp
	wait_for 5 test -S m.sock || return 1
	ui_start a "$TCP_ENV $TCPTALK -U $PWD/m.sock" || return 1
	ui_wait a 'connected to' || return 1
	ui_type a 'no tcp here' || return 1
	wait_for 5 grep -q 'no tcp here' srv.out || return 1
	# an absence cannot be waited for: give a mark the time a loopback
	# one takes many times over (the first look is after 5 ms)
	sleep 0.3
	ui_wait a '^no tcp here$' 1
}
run_test "marks: none over -U, where no TCP acknowledges" mk_unix

mk_handshake() {
	ui_setup marksh
	local p sp
	p=$(free_port)
	sleep 20 | timeout 25 "$TCPTALK" -l 127.0.0.1 "$p" >srv.out & sp=$!
	bg $sp
	wait_port "$p" || return 1
	ui_start a "$TCP_ENV $TCPTALK 127.0.0.1 $p" || return 1
	ui_wait a "^\\* connected to 127\\.0\\.0\\.1:$p; the TCP handshake \\(SYN → SYN-ACK → ACK\\) took [0-9]+\\.[0-9]{2} ms; /help" || return 1
}
run_test "connect mode: the first notice says how long the TCP handshake took" mk_handshake

# mk_closer PORT MODE: one connection; "first": sends "bye" and closes at
# once (its FIN first); "second": reads until our FIN, then closes; "rst":
# reads a line, then closes with SO_LINGER 0 (an RST); stays a while
mk_closer() {
	python3 -c 'import socket, struct, sys, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen(1)
c, _ = s.accept()
if sys.argv[2] == "first":
    c.sendall(b"bye\n")
    c.shutdown(socket.SHUT_WR)
    while c.recv(4096):
        pass
elif sys.argv[2] == "second":
    while c.recv(4096):
        pass
else:
    got = b""
    while b"\n" not in got:
        got += c.recv(4096)
    c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
c.close()
time.sleep(15)' "$1" "$2"
}

mk_fin_peer_first() {
	ui_setup marksf1
	local p gp
	p=$(free_port)
	mk_closer "$p" first & gp=$!
	bg $gp
	wait_port "$p" || return 1
	ui_start a "$TCP_ENV $TCPTALK 127.0.0.1 $p" || return 1
	TM resize-window -t T:a -x 250 -y 30	# a notice on one row
	ui_wait a "^\\* 127\\.0\\.0\\.1:$p sent FIN: it finished sending \\(or left\\); you can still send \\(CLOSE_WAIT\\): Ctrl-D sends your FIN, /quit leaves" || return 1
	ss -Htn state close-wait "dport = :$p" | grep -q . || { echo "not in CLOSE-WAIT:"; ss -tan "dport = :$p"; return 1; }
	TM send-keys -t T:a C-d
	ui_wait a "^\\* connection with 127\\.0\\.0\\.1:$p closed: the peer sent FIN first, then you did(, and it acknowledged yours)? \\(CLOSE_WAIT → LAST_ACK" || return 1
	# no notice of our own FIN besides: the close says it
	! cap a | grep -q 'you closed your sending side' || { echo "Ctrl-D's notice repeats the close"; return 1; }
}
run_test "timeline: the peer's FIN first (CLOSE_WAIT), then ours (LAST_ACK)" mk_fin_peer_first

mk_fin_ours_first() {
	ui_setup marksf2
	local p gp
	p=$(free_port)
	mk_closer "$p" second & gp=$!
	bg $gp
	wait_port "$p" || return 1
	ui_start a "$TCP_ENV $TCPTALK 127.0.0.1 $p" || return 1
	TM resize-window -t T:a -x 250 -y 30	# a notice on one row
	ui_wait a 'connected to' || return 1
	TM send-keys -t T:a C-d
	ui_wait a '^\* you closed your sending side: you sent FIN \(FIN_WAIT_1\) and send nothing more; the peer may still send and you still receive \(FIN_WAIT_2 once it ACKs your FIN\)' || return 1
	ui_wait a "^\\* connection with 127\\.0\\.0\\.1:$p closed: you sent FIN first, then the peer did \\(FIN_WAIT_1 → FIN_WAIT_2 → TIME_WAIT\\); this side waits in TIME_WAIT for 60 s" || return 1
	# the words are the kernel's: our side of it sits in TIME-WAIT
	ss -Htn state time-wait "dport = :$p" | grep -q . || { echo "no TIME-WAIT:"; ss -tan "dport = :$p"; return 1; }
}
run_test "timeline: our FIN first (FIN_WAIT_1, FIN_WAIT_2), then the peer's: TIME_WAIT, as ss shows" mk_fin_ours_first

mk_rst() {
	ui_setup marksr
	local p gp
	p=$(free_port)
	mk_closer "$p" rst & gp=$!
	bg $gp
	wait_port "$p" || return 1
	ui_start a "$TCP_ENV $TCPTALK 127.0.0.1 $p" || return 1
	TM resize-window -t T:a -x 250 -y 30	# a notice on one row
	ui_wait a 'connected to' || return 1
	ui_type a 'reset me' || return 1
	ui_wait a "^\\* the peer sent RST \\(reset\\): the connection with 127\\.0\\.0\\.1:$p is gone$" || return 1
	ui_wait a '^reset me ✓$' 1
}
run_test "timeline: a reset is named RST; a line its TCP acknowledged keeps ✓" mk_rst

mk_accepted() {
	ui_setup marksa
	local p
	p=$(free_port)
	ui_start a "$TCP_ENV $TCPTALK -l 127.0.0.1 $p" || return 1
	TM resize-window -t T:a -x 250 -y 30	# a notice on one row
	wait_port "$p" || return 1
	sleep 20 | timeout 25 "$TCPTALK" 127.0.0.1 "$p" >/dev/null & bg $!
	ui_wait a "^\\* 127\\.0\\.0\\.1:[0-9]+ connected; the kernel completed the TCP handshake \\(SYN → SYN-ACK → ACK\\) before tcptalk accepted it, a round trip of [0-9]+\\.[0-9]{2} ms$"
}
run_test "listen mode: the accept notice says the kernel did the handshake, and its round trip" mk_accepted
