# shellcheck shell=bash disable=SC2154  # sourced by run.sh after lib.sh and ui.sh (TCPTALK, ui_* helpers)
# tests/e2e/t_9tracefilter.sh - --trace follows only our connection: a SYN
# to our port at another address (another listener) is never shown as
# ours; under -k the next peer's handshake and first data, sent while it
# waited to be accepted, are shown once it is; connecting, an idle chat
# whose peer ended is not woken by other traffic to that port elsewhere.
# As root (the capture needs it); 127.0.0.2 is loopback too.

# tf_capture: skip (77) unless this user can capture and tcptalk has pcap
tf_capture() {
	"$TCPTALK" --version | grep -q 'pcap: yes' || { echo "built without libpcap"; return 77; }
	[ "$(id -u)" = 0 ] || { echo "--trace needs root here"; return 77; }
}

tf_not_ours() {
	local p sa sb c
	tf_capture || return
	p=$(free_port)
	# ours: stdin open, nobody connects to it at first
	sleep 20 | timeout 20 "$TCPTALK" --trace -l 127.0.0.1 "$p" >a.out 2>a.err & sa=$!
	bg $sa
	timeout 10 "$TCPTALK" -l 127.0.0.2 "$p" </dev/null >b.out & sb=$!
	bg $sb
	wait_for 5 eval "[ \"\$(ss -Hltn \"sport = :$p\" | wc -l)\" = 2 ]" ||
	    { echo "not two listeners on $p"; ss -Hltn "sport = :$p"; return 1; }
	printf 'not yours\n' | timeout 10 "$TCPTALK" 127.0.0.2 "$p" >/dev/null
	wait_exit $sb 5 || return 1
	expect_eq "the other listener got its line" "$(cat b.out)" "not yours" || return 1
	printf 'mine\n' | timeout 10 "$TCPTALK" 127.0.0.1 "$p" >/dev/null & c=$!
	bg $c
	wait_for 5 grep -q 'len=5$' a.err || { echo "our line's segment never shown:"; cat a.err; return 1; }
	expect_eq "our listener got its line" "$(cat a.out)" "mine" || return 1
	# the other connection's 10 bytes came first: never shown as ours
	if grep -q 'len=10' a.err; then
		echo "the other listener's segments shown as ours:"; cat a.err; return 1
	fi
	expect_eq "one handshake shown" "$(grep -c '< \[SYN\] seq=0 ' a.err)" 1 || return 1
	expect_grep "ours from its SYN" a.err '^tcptalk: trace: 0\.000 ms < \[SYN\] seq=0 ' || return 1
}
run_test "--trace -l: a SYN to our port at another address is not ours" tf_not_ours

# tf_conn_count PORT N: N connected TCP sockets with local port PORT
tf_conn_count() { [ "$(ss -Htn "sport = :$1" | wc -l)" = "$2" ]; }
tf_keep_waiting() {
	local p sa c1 c2
	tf_capture || return
	p=$(free_port)
	timeout 20 "$TCPTALK" -k --trace -l 127.0.0.1 "$p" </dev/null >a.out 2>a.err & sa=$!
	bg $sa
	wait_port "$p" || return 1
	mkfifo f1
	timeout 20 "$TCPTALK" 127.0.0.1 "$p" <f1 >/dev/null & c1=$!
	bg $c1
	exec 8>f1		# the first peer stays while 8 is open
	wait_for 5 tf_conn_count "$p" 1 || { echo "the first never connected"; return 1; }
	# the second connects and sends while the first is on: the kernel
	# accepts it into the backlog, tcptalk does not yet
	printf 'second\n' | timeout 20 "$TCPTALK" 127.0.0.1 "$p" >/dev/null 8>&- & c2=$!
	bg $c2
	wait_for 5 tf_conn_count "$p" 2 || { echo "the second never connected"; return 1; }
	wait_for 5 eval "ss -Htn \"sport = :$p\" | grep -qE '^[A-Z-]+ +[1-9]'" ||
	    { echo "the second's line never waited in the backlog"; ss -Htn "sport = :$p"; return 1; }
	exec 8>&-		# the first ends: the second is accepted
	wait_exit $c1 5 || return 1
	wait_for 5 grep -q 'len=7$' a.err || { echo "the second's line never shown:"; cat a.err; return 1; }
	expect_eq "both handshakes shown" "$(grep -c '< \[SYN\] seq=0 ' a.err)" 2 || return 1
	# the second's: from its SYN at 0 ms, its line numbered from its ISN
	awk '/< \[SYN\] seq=0 / { n++ } n == 2' a.err >second.err
	expect_grep "its SYN first" second.err '^tcptalk: trace: 0\.000 ms < \[SYN\] seq=0 ' || return 1
	expect_grep "its SYN-ACK" second.err '> \[SYN, ACK\] seq=0 ack=1 ' || return 1
	expect_grep "its line" second.err '< \[PSH, ACK\] seq=1 ack=1 win=[0-9]+ len=7$' || return 1
	if grep -q 'ack=?\|unscaled' second.err; then
		echo "caught mid-way:"; cat second.err; return 1
	fi
}
run_test "--trace -k -l: the next peer's handshake and line, sent while it waited, are shown" tf_keep_waiting

# tf_switches PID: its context switches so far (a wake-up is one)
tf_switches() { awk '/ctxt_switches/ { n += $2 } END { print n }' "/proc/$1/status"; }
# tf_quiet PID: no wake-up in half a second
tf_quiet() {
	local n
	n=$(tf_switches "$1")
	sleep 0.5
	[ "$(tf_switches "$1")" = "$n" ]
}
tf_idle_chat() {
	local p sa sb pid before
	tf_capture || return
	ui_setup traceidle
	p=$(free_port)
	timeout 20 "$TCPTALK" -l 127.0.0.1 "$p" </dev/null >/dev/null & sa=$!
	bg $sa
	wait_port "$p" || return 1
	ui_start a "$TCP_ENV $TCPTALK --trace --no-history 127.0.0.1 $p" || return 1
	ui_wait a 'connected to 127\.0\.0\.1' || return 1
	ui_wait a 'sent FIN: it finished sending' || return 1
	TM send-keys -t T:a C-d			# ours: the peer is gone
	wait_exit $sa 5 || return 1
	pid=$(pgrep -f -- "^$TCPTALK --trace --no-history 127.0.0.1 $p\$")
	[ -n "$pid" ] || { echo "no chat process"; return 1; }
	# idle once the close is drawn: no wake-up
	wait_for 5 tf_quiet "$pid" || { echo "the chat never went idle"; return 1; }
	before=$(tf_switches "$pid")
	# a whole connection to the same port at another address
	timeout 10 "$TCPTALK" -l 127.0.0.2 "$p" </dev/null >/dev/null & sb=$!
	bg $sb
	wait_for 5 eval "ss -Hltn \"src 127.0.0.2:$p\" | grep -q ." || return 1
	printf 'other traffic\n' | timeout 10 "$TCPTALK" 127.0.0.2 "$p" >/dev/null
	wait_exit $sb 5 || return 1
	expect_eq "the chat slept through others' traffic" "$(tf_switches "$pid")" "$before" || return 1
}
run_test "--trace, connecting: once the peer ended, others' traffic to the port does not wake the chat" tf_idle_chat
