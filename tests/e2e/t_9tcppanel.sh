# shellcheck shell=bash disable=SC2154  # sourced by run.sh after lib.sh and t_2ui.sh (TCPTALK, ui_* helpers)
# tests/e2e/t_9tcppanel.sh - the /tcp panel (F4) on loopback: the live
# table (state, RTT, a typed line's bytes acknowledged a second later),
# /tcp closing it, /tcp help's notices readable above it, 40 columns,
# the peer's FIN (CLOSE_WAIT) and the last facts once the peer has gone,
# and the words for -U where no TCP runs.

# tp_lacks WINDOW REGEX: until the screen no longer shows REGEX (5 s)
tp_lacks() {
	local i
	for ((i = 0; i < 100; i++)); do
		cap "$1" | grep -qE -- "$2" || return 0
		sleep 0.05
	done
	echo "screen of $1 still shows /$2/:"
	cap "$1" | sed 's/^/    |/'
	return 1
}

# tp_serve PORT: a pipe-mode listener whose input is the fifo srv.in,
# held open by a sleep ($TP_WRITER) until the test kills it (then the
# listener sends FIN); what it receives goes to srv.out
tp_serve() {
	mkfifo srv.in || return 1
	timeout 30 "$TCPTALK" -l 127.0.0.1 "$1" <srv.in >srv.out &
	bg $!
	sleep 30 >srv.in & TP_WRITER=$!
	bg $TP_WRITER
	wait_port "$1"
}

tp_live() {
	ui_setup tcpp
	local p
	p=$(free_port)
	tp_serve "$p" || return 1
	ui_start a "$TCP_ENV $TCPTALK 127.0.0.1 $p" || return 1
	ui_wait a 'connected to' || return 1
	TM send-keys -t T:a F4
	ui_wait a "^ TCP facts of 127\\.0\\.0\\.1:$p: ESTABLISHED, smoothed RTT [0-9.]+ m?s" || return 1
	ui_wait a '^ State +ESTABLISHED: both ' || return 1
	ui_wait a '^ Smoothed RTT +[0-9]+\.[0-9]+ m?s ' || return 1
	ui_wait a "^ Remote address +127\\.0\\.0\\.1:$p " || return 1
	ui_wait a ' Bytes acknowledged +0 B$' || return 1
	# 11 bytes and the newline: acknowledged by the peer's TCP, and the
	# panel shows it at its next second
	ui_type a 'hello panel' || return 1
	wait_for 5 grep -q 'hello panel' srv.out || return 1
	ui_wait a ' Bytes acknowledged +12 B$' 3 || return 1
	ui_wait a ' Bytes sent +12 B$' 1 || return 1
	# the conversation stays above it
	ui_wait a '^> hello panel' 1 || return 1
	# /tcp closes it: our lines' pane is back
	ui_type a '/tcp' || return 1
	tp_lacks a 'Bytes acknowledged' || return 1
	ui_wait a '^ you$' 1
}
run_test "/tcp panel: F4 shows state and RTT, a typed line's bytes acknowledged a second later; /tcp closes it" tp_live

tp_help() {
	ui_setup tcpph
	local p
	p=$(free_port)
	tp_serve "$p" || return 1
	ui_start a "$TCP_ENV $TCPTALK 127.0.0.1 $p" || return 1
	ui_wait a 'connected to' || return 1
	ui_type a '/tcp' || return 1
	ui_wait a '^ State +ESTABLISHED' || return 1
	# the explanations are notices in the conversation above the panel,
	# which stays open
	ui_type a '/tcp help' || return 1
	ui_wait a '^\* The orderly close: each side sends FIN' || return 1
	ui_wait a '^ State +ESTABLISHED' 1 || return 1
	# one concept: only the rows that mention it
	ui_type a '/tcp help slow start' || return 1
	ui_wait a '^\* Slow-start threshold: where slow start gives way' || return 1
	ui_type a '/tcp help nothing-like-it' || return 1
	ui_wait a "^\\* No explanation of the TCP panel mentions 'nothing-like-it'" || return 1
	ui_type a '/tcp what' || return 1
	ui_wait a '^\* /tcp shows or hides the TCP panel \(also F4\)' || return 1
	ui_wait a '^ State +ESTABLISHED' 1
}
run_test "/tcp help: the rows' explanations as notices while the panel stays open; /tcp help WORD" tp_help

tp_narrow() {
	ui_setup tcppn
	local p
	p=$(free_port)
	tp_serve "$p" || return 1
	ui_start a "$TCP_ENV $TCPTALK 127.0.0.1 $p" || return 1
	ui_wait a 'connected to' || return 1
	TM resize-window -t T:a -x 40 -y 30
	TM send-keys -t T:a F4
	ui_wait a '^ TCP facts of ' || return 1
	# the table is longer than the pane: PgUp and PgDn reach both ends
	# (the scroll stops there)
	TM send-keys -t T:a PPage PPage PPage PPage PPage PPage
	ui_wait a '^ State$' || return 1
	# values too wide beside their labels go below them, whole
	ui_wait a '^   ESTABLISHED: both sides may send$' 1 || return 1
	ui_wait a '^   [0-9]+ B / [0-9]+ B$' 1 || return 1
	TM send-keys -t T:a NPage NPage NPage NPage NPage NPage
	ui_wait a '^ Received, not yet read +0 B$' || return 1
	# back to 100 columns: two halves again
	TM resize-window -t T:a -x 100 -y 30
	TM send-keys -t T:a End
	ui_wait a '^ State +ESTABLISHED: both .* Bytes sent ' 3
}
run_test "/tcp panel at 40 columns: values below their labels, nothing cut; two halves again at 100" tp_narrow

tp_final() {
	ui_setup tcppf
	local p
	p=$(free_port)
	tp_serve "$p" || return 1
	ui_start a "$TCP_ENV $TCPTALK 127.0.0.1 $p" || return 1
	ui_wait a 'connected to' || return 1
	ui_type a 'before the end' || return 1
	TM send-keys -t T:a F4
	ui_wait a ' Bytes acknowledged +15 B$' 3 || return 1
	# the peer's FIN: still connected, our side may send
	kill "$TP_WRITER"
	ui_wait a 'finished sending' || return 1
	ui_wait a '^ State +CLOSE_WAIT: the peer ' 3 || return 1
	# we close ours: the peer ends too; the table keeps the last facts
	TM send-keys -t T:a C-d
	ui_wait a "^\\* connection with 127\\.0\\.0\\.1:$p closed" || return 1
	ui_wait a "^ TCP facts of 127\\.0\\.0\\.1:$p as the connection ended; no peer now" || return 1
	ui_wait a '^ State +(CLOSED|LAST_ACK): ' 1 || return 1
	ui_wait a ' Bytes acknowledged +15 B$' 1 || return 1
	ui_wait a "^ Remote address +127\\.0\\.0\\.1:$p " 1
}
run_test "/tcp panel: CLOSE_WAIT after the peer's FIN, the last facts after the peer has gone" tp_final

tp_notcp() {
	ui_setup tcppu
	local p
	sleep 20 | timeout 25 "$TCPTALK" -l -U "$PWD/p.sock" >/dev/null &
	bg $!
	wait_for 5 test -S p.sock || return 1
	ui_start a "$TCP_ENV $TCPTALK -U $PWD/p.sock" || return 1
	ui_wait a 'connected to' || return 1
	TM send-keys -t T:a F4
	ui_wait a '^TCP facts do not apply: -U talks over a Unix socket' || return 1
	ui_wait a '^ TCP facts$' 1 || return 1
	p=$(free_port)
	sleep 20 | timeout 25 "$TCPTALK" -u -l 127.0.0.1 "$p" >/dev/null &
	bg $!
	wait_for 5 tp_udp_bound "$p" || return 1
	ui_start b "$TCP_ENV $TCPTALK -u 127.0.0.1 $p" || return 1
	ui_type b '/tcp' || return 1
	ui_wait b '^TCP facts do not apply: -u talks UDP, which has no connection'
}
# tp_udp_bound PORT: something has bound UDP PORT
tp_udp_bound() { ss -Hlun "sport = :$1" 2>/dev/null | grep -q .; }
run_test "/tcp panel over -U and -u: TCP facts do not apply" tp_notcp
