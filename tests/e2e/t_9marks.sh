# shellcheck shell=bash disable=SC2154  # sourced by run.sh after lib.sh and t_2ui.sh (TCPTALK, ui_* helpers)
# tests/e2e/t_9marks.sh - the delivery marks of typed lines: ✓ once the
# peer's TCP acknowledged the line, ✗ when the peer was gone before that
# (its kernel answers with RST), none over -U.  Loopback only; a line kept
# from its ✓ by a partition is in tests/faults/.

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
	ui_wait a 'finished sending' || return 1
	ui_type a 'too late' || return 1
	ui_wait a 'has left \(it reset the connection\)' || return 1
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
