# shellcheck shell=bash disable=SC2154  # sourced by run.sh after lib.sh and ui.sh (TCPTALK, WAIT_STATUS, ui_* helpers)
# tests/e2e/t_9trace.sh - --trace: this connection's TCP segments, live.
# As root (CI is): pipe mode's lines on stderr (handshake, the data's
# segment and its ACK, both FINs; stdout untouched), the listening side
# with -o and -x, the chat's F6 panel with a typed line's segment and its
# ACK, and under -k a row before the next peer's connection; without privilege (setpriv to nobody) the notice and the talk goes
# on; -u and -U refused; a build without libpcap refuses --trace.

TR_ROOT=$PWD	# run.sh's directory: the repository, for build/nopcap

# tr_capture: skip (77) unless this user can capture and tcptalk has pcap
tr_capture() {
	"$TCPTALK" --version | grep -q 'pcap: yes' || { echo "built without libpcap"; return 77; }
	[ "$(id -u)" = 0 ] || { echo "--trace needs root here"; return 77; }
}
# tr_nobody CMD...: CMD as nobody, without capabilities
tr_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$@"; }
tr_can_drop() {
	if [ "$(id -u)" != 0 ] || ! tr_nobody true 2>/dev/null; then
		echo "cannot run as nobody here (setpriv)"
		return 77
	fi
}

# tr_order FILE REGEX...: each REGEX matches a line of FILE after the line
# the one before it matched
tr_order() {
	local file=$1 from=0 n re
	shift
	for re in "$@"; do
		n=$(grep -nE -- "$re" "$file" | awk -F: -v from="$from" '$1 > from { print $1; exit }')
		if [ -z "$n" ]; then
			echo "no /$re/ after line $from of $file:"
			sed 's/^/    /' "$file" | head -30
			return 1
		fi
		from=$n
	done
}

tr_pipe_connect() {
	local p sp
	tr_capture || return
	p=$(free_port)
	timeout 10 "$TCPTALK" -l 127.0.0.1 "$p" </dev/null >got & sp=$!
	bg $sp
	wait_port "$p" || return 1
	printf 'hello\n' | timeout 10 "$TCPTALK" --trace 127.0.0.1 "$p" >c.out 2>c.err
	expect_eq "the client's exit" "$?" 0 || return 1
	wait_exit $sp 5 || return 1
	expect_eq "the bytes went through" "$(cat got)" hello || return 1
	expect_eq "nothing but data on stdout" "$(wc -c <c.out)" 0 || return 1
	# the listener has nothing to send: its FIN (ack=1) may come before
	# our data (then acked: ack=2) or after our FIN (ack=8)
	tr_order c.err \
	    '^tcptalk: trace: 0\.000 ms > \[SYN\] seq=0 win=[0-9]+ len=0 mss=[0-9]+ .*ws=[0-9]+$' \
	    '^tcptalk: trace: [0-9.]+ ms < \[SYN, ACK\] seq=0 ack=1 win=[0-9]+ len=0 mss=' \
	    '^tcptalk: trace: [0-9.]+ ms > \[ACK\] seq=1 ack=1 win=[0-9]+ len=0$' \
	    '^tcptalk: trace: [0-9.]+ ms > \[PSH, ACK\] seq=1 ack=[12] win=[0-9]+ len=6$' \
	    '^tcptalk: trace: [0-9.]+ ms > \[FIN, ACK\] seq=7 ack=[12] ' || return 1
	tr_order c.err \
	    '^tcptalk: trace: [0-9.]+ ms > \[PSH, ACK\] seq=1 ack=[12] win=[0-9]+ len=6$' \
	    '^tcptalk: trace: [0-9.]+ ms < \[(FIN, )?ACK\] seq=[12] ack=(7|8) ' || return 1
	tr_order c.err \
	    '^tcptalk: trace: [0-9.]+ ms > \[ACK\] seq=1 ack=1 win=[0-9]+ len=0$' \
	    '^tcptalk: trace: [0-9.]+ ms < \[FIN, ACK\] seq=1 ack=(1|7|8) ' || return 1
	if grep -v '^tcptalk: trace: ' c.err | grep -q .; then
		echo "other words on stderr:"; cat c.err; return 1
	fi
	if grep -q 'retransmission' c.err; then
		echo "a retransmission on loopback?"; cat c.err; return 1
	fi
}
run_test "--trace, pipe mode: SYN, SYN-ACK, ACK, the data's segment, both FINs on stderr" tr_pipe_connect

tr_pipe_listen() {
	local p sp
	tr_capture || return
	p=$(free_port)
	timeout 10 "$TCPTALK" --trace -o rec.txt -x hex.txt -l 127.0.0.1 "$p" \
	    </dev/null >got 2>s.err & sp=$!
	bg $sp
	wait_port "$p" || return 1
	printf 'hello\n' | timeout 10 "$TCPTALK" 127.0.0.1 "$p" || return 1
	wait_exit $sp 5 || return 1
	expect_eq "the listener's exit" "$WAIT_STATUS" 0 || return 1
	expect_eq "the bytes came" "$(cat got)" hello || return 1
	tr_order s.err \
	    '^tcptalk: trace: 0\.000 ms < \[SYN\] seq=0 ' \
	    '^tcptalk: trace: [0-9.]+ ms > \[SYN, ACK\] seq=0 ack=1 ' \
	    '^tcptalk: trace: [0-9.]+ ms < \[ACK\] seq=1 ack=1 ' \
	    '^tcptalk: trace: [0-9.]+ ms < \[PSH, ACK\] seq=1 ack=[12] win=[0-9]+ len=6$' \
	    '^tcptalk: trace: [0-9.]+ ms > \[(FIN, )?ACK\] seq=[12] ack=(7|8) ' || return 1
	# -o: '#' entries between the notices; -x: '# ... trace' lines
	tr_order rec.txt \
	    '^[0-9:]{8}\.[0-9]{3} # 0\.000 ms < \[SYN\] seq=0 ' \
	    '^[0-9:]{8}\.[0-9]{3} # [0-9.]+ ms < \[PSH, ACK\] seq=1 ack=[12] win=[0-9]+ len=6$' || return 1
	expect_grep "the record's text" rec.txt '^[0-9:]{8}\.[0-9]{3} < hello$' || return 1
	tr_order hex.txt \
	    '^# [0-9:]{8}\.[0-9]{3} trace 0\.000 ms < \[SYN\] seq=0 ' \
	    '^# [0-9:]{8}\.[0-9]{3} trace [0-9.]+ ms < \[PSH, ACK\] seq=1 .*len=6$' || return 1
	expect_grep "the hex dump's bytes" hex.txt '^00000000  68 65 6c 6c 6f 0a ' || return 1
}
run_test "--trace -l: the peer's handshake and data, also in the -o and -x files" tr_pipe_listen

tr_pipe_nobody() {
	local p sp
	tr_can_drop || return
	p=$(free_port)
	timeout 10 "$TCPTALK" -l 127.0.0.1 "$p" </dev/null >got & sp=$!
	bg $sp
	wait_port "$p" || return 1
	printf 'hello\n' | tr_nobody timeout 10 "$TCPTALK" --trace 127.0.0.1 "$p" 2>c.err
	expect_eq "the client's exit" "$?" 0 || return 1
	wait_exit $sp 5 || return 1
	expect_eq "the bytes went through anyway" "$(cat got)" hello || return 1
	expect_grep "why there is no trace" c.err \
	    '^tcptalk: --trace needs root or CAP_NET_RAW: .+; the transfer goes on without it$' || return 1
	expect_eq "one line" "$(wc -l <c.err)" 1
}
run_test "--trace without privilege: one line says so, the transfer goes on" tr_pipe_nobody

tr_refused() {
	timeout 5 "$TCPTALK" --trace -u 127.0.0.1 9 </dev/null 2>u.err
	expect_eq "-u: usage error" "$?" 2 || return 1
	expect_grep "-u: why" u.err '^tcptalk: --trace has no use with -u: UDP has no TCP segments$' || return 1
	timeout 5 "$TCPTALK" --trace -U x.sock </dev/null 2>U.err
	expect_eq "-U: usage error" "$?" 2 || return 1
	expect_grep "-U: why" U.err '^tcptalk: --trace has no use with -U: a Unix socket sends no packets$' || return 1
	[ -x "$TR_ROOT/build/nopcap/tcptalk" ] || { echo "no build/nopcap (make NO_PCAP=1)"; return 77; }
	timeout 5 "$TR_ROOT/build/nopcap/tcptalk" --trace 127.0.0.1 9 </dev/null 2>n.err
	expect_eq "without libpcap: usage error" "$?" 2 || return 1
	expect_grep "without libpcap: why" n.err \
	    '^tcptalk: this tcptalk was built without libpcap: --trace is not available'
}
run_test "--trace refused with -u, -U, and in a build without libpcap" tr_refused

tr_chat() {
	local p sp
	tr_capture || return
	ui_setup trace
	p=$(free_port)
	sleep 20 | timeout 25 "$TCPTALK" -l 127.0.0.1 "$p" >srv.out & sp=$!
	bg $sp
	wait_port "$p" || return 1
	ui_start a "$TCP_ENV $TCPTALK --trace --no-history 127.0.0.1 $p" || return 1
	ui_wait a 'connected to 127\.0\.0\.1' || return 1
	TM send-keys -t T:a F6
	ui_wait a 'capturing on lo: [0-9]+ segments' || return 1
	ui_wait a '^0\.000 ms > \[SYN\] seq=0 win=[0-9]+ len=0 mss=' || return 1
	ui_wait a '^[0-9.]+ ms < \[SYN, ACK\] seq=0 ack=1 ' || return 1
	ui_wait a '^[0-9.]+ ms > \[ACK\] seq=1 ack=1 win=[0-9]+ len=0' || return 1
	ui_type a 'hi there' || return 1
	wait_for 5 grep -q 'hi there' srv.out || { echo "the line never came"; return 1; }
	ui_wait a '^[0-9.]+ ms > \[PSH, ACK\] seq=1 ack=1 win=[0-9]+ len=9' || return 1
	ui_wait a '^[0-9.]+ ms < \[ACK\] seq=1 ack=10 win=[0-9]+ len=0' || return 1
	ui_wait a 'capturing on lo: 5 segments' || return 1
	TM send-keys -t T:a F6		# the panel goes, the chat stays
	ui_wait a '^hi there' || return 1
	if cap a | grep -q 'capturing on lo'; then
		echo "the panel is still there:"; cap a; return 1
	fi
}
run_test "--trace, chat: F6 shows the handshake, a typed line's segment and its ACK" tr_chat

tr_chat_nobody() {
	local p sp
	tr_can_drop || return
	ui_setup tracenb
	p=$(free_port)
	sleep 20 | timeout 25 "$TCPTALK" -l 127.0.0.1 "$p" >srv.out & sp=$!
	bg $sp
	wait_port "$p" || return 1
	ui_start a "$TCP_ENV setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all $TCPTALK --trace --no-history 127.0.0.1 $p" || return 1
	ui_wait a 'trace needs root or CAP_NET_RAW: .*' || return 1
	ui_wait a 'the chat goes on without it' || return 1
	ui_type a 'still here' || return 1
	wait_for 5 grep -q 'still here' srv.out || { echo "the line never came"; return 1; }
	TM send-keys -t T:a F6
	ui_wait a 'not capturing: needs root or CAP_NET_RAW' || return 1
}
run_test "--trace, chat without privilege: the notice, the chat goes on, the panel says why" tr_chat_nobody

# tr_count FILE REGEX N: FILE has N lines matching REGEX
tr_count() { [ "$(grep -cE -- "$2" "$1")" = "$3" ]; }

tr_keep_v6() {
	local p sp
	tr_capture || return
	ip -6 addr show dev lo 2>/dev/null | grep -q '::1' || { echo "no ::1 here"; return 77; }
	p=$(free_port)
	sleep 20 | "$TCPTALK" -k --trace -l ::1 "$p" >got 2>s.err & sp=$!
	bg $sp
	wait_port "$p" || return 1
	printf 'one\n' | timeout 10 "$TCPTALK" ::1 "$p" || return 1
	wait_for 5 tr_count s.err '^tcptalk: trace: [0-9.]+ ms > \[FIN, ACK\] ' 1 ||
	    { echo "the first peer's close never showed:"; cat s.err; return 1; }
	printf 'two\n' | timeout 10 "$TCPTALK" ::1 "$p" || return 1
	wait_for 5 tr_count s.err '^tcptalk: trace: [0-9.]+ ms > \[FIN, ACK\] ' 2 ||
	    { echo "the second peer's close never showed:"; cat s.err; return 1; }
	expect_eq "both peers' bytes" "$(cat got)" "one
two" || return 1
	# each peer's connection from its own SYN, numbered from 0 again
	expect_eq "two handshakes" "$(grep -cE '^tcptalk: trace: 0\.000 ms < \[SYN\] seq=0 win=[0-9]+ len=0 mss=' s.err)" 2 || return 1
	expect_eq "two lines of 4 bytes" "$(grep -cE '< \[PSH, ACK\] seq=1 ack=1 win=[0-9]+ len=4$' s.err)" 2 || return 1
	expect_eq "each acked" "$(grep -cE '> \[(FIN, )?ACK\] seq=1 ack=5 ' s.err)" 2
}
run_test "--trace -k over IPv6: each peer's handshake, line and close" tr_keep_v6

tr_no_panel() { ! cap "$1" | grep -q 'start with --trace'; }
tr_chat_off() {
	local p sp
	ui_setup traceoff
	p=$(free_port)
	sleep 20 | timeout 25 "$TCPTALK" -l 127.0.0.1 "$p" >srv.out & sp=$!
	bg $sp
	wait_port "$p" || return 1
	ui_start a "$TCP_ENV $TCPTALK --no-history 127.0.0.1 $p" || return 1
	ui_wait a 'connected to 127\.0\.0\.1' || return 1
	ui_type a '/trace' || return 1
	ui_wait a 'packets: start with --trace to capture them' || return 1
	ui_wait a 'Start tcptalk with --trace \(as root or with CAP_NET_RAW\)' || return 1
	ui_type a '/trace' || return 1
	wait_for 5 tr_no_panel a || { echo "/trace again did not close the panel:"; cap a; return 1; }
}
run_test "chat without --trace: /trace's panel says how to start it, /trace again closes it" tr_chat_off

# A retransmission, seen: in a network namespace of its own (its lo only),
# the receiver's INPUT drops segments with PSH to the listening port; the
# capture has seen the first one (it taps lo before netfilter), then the
# rule goes and TCP sends the line again.
tr_retransmit() {
	local p sp cp ns=tttr$$
	tr_capture || return
	command -v iptables >/dev/null || { echo "no iptables"; return 77; }
	ip netns add "$ns" 2>/dev/null || { echo "network namespaces not permitted here"; return 77; }
	# shellcheck disable=SC2064  # the name now
	trap "ip netns del $ns 2>/dev/null; kill_bg" EXIT
	ip -n "$ns" link set lo up || return 1
	p=$((20000 + RANDOM % 40000))
	ip netns exec "$ns" iptables -A INPUT -p tcp --dport "$p" --tcp-flags PSH PSH -j DROP ||
	    { echo "iptables does not work here"; return 77; }
	ip netns exec "$ns" timeout 20 "$TCPTALK" -l 127.0.0.1 "$p" </dev/null >got & sp=$!
	bg $sp
	wait_for 5 ip netns exec "$ns" sh -c "ss -Hltn 'sport = :$p' | grep -q ." || { echo "no listener"; return 1; }
	( printf 'hello\n'; sleep 20 ) | ip netns exec "$ns" timeout 20 "$TCPTALK" --trace 127.0.0.1 "$p" 2>c.err & cp=$!
	bg $cp
	wait_for 5 grep -qE '> \[PSH, ACK\] seq=1 ack=[12] win=[0-9]+ len=6$' c.err ||
	    { echo "the first send never showed:"; cat c.err; return 1; }
	ip netns exec "$ns" iptables -F INPUT || return 1
	wait_for 10 grep -qE '> \[PSH, ACK\] seq=1 ack=[12] win=[0-9]+ len=6 retransmission$' c.err ||
	    { echo "no retransmission shown:"; cat c.err; return 1; }
	wait_for 5 grep -q hello got || { echo "the line never came"; return 1; }
	expect_grep "then its ACK" c.err '< \[ACK\] seq=[12] ack=7 '
}
run_test "--trace marks a retransmission (a namespace whose INPUT drops the first send)" tr_retransmit

# tr_sep_count WINDOW N: the screen shows N separator rows
# tr_row_count WINDOW REGEX N: the screen shows N rows matching REGEX
tr_row_count() { [ "$(cap "$1" | grep -cE -- "$2")" = "$3" ]; }
tr_sep_count() { [ "$(cap "$1" | grep -cE '^— a new connection: 127\.0\.0\.1:[0-9]+ → 127\.0\.0\.1:[0-9]+ —')" = "$2" ]; }
tr_chat_keep() {
	local p c1 c2
	tr_capture || return
	ui_setup tracek
	p=$(free_port)
	ui_start a "$TCP_ENV $TCPTALK -k --trace --no-history -l 127.0.0.1 $p" || return 1
	wait_port "$p" || return 1
	printf 'one\n' | timeout 10 "$TCPTALK" 127.0.0.1 "$p" & c1=$!
	bg $c1
	ui_wait a 'sent FIN: it finished sending' || return 1
	TM send-keys -t T:a C-d			# our FIN: the first one ends
	wait_exit $c1 5 || return 1
	TM send-keys -t T:a F6
	ui_wait a '^[0-9.]+ ms < \[PSH, ACK\] seq=1 ack=1 win=[0-9]+ len=4' || return 1
	# the first connection has the legend above it, no separator
	if ! tr_sep_count a 0; then
		echo "a separator above the first connection:"; cap a; return 1
	fi
	printf 'two\n' | timeout 10 "$TCPTALK" 127.0.0.1 "$p" & c2=$!
	bg $c2
	ui_wait a "^— a new connection: 127\.0\.0\.1:[0-9]+ → 127\.0\.0\.1:$p —" || return 1
	# the second's line may come a moment after its handshake
	wait_for 5 tr_row_count a '^[0-9.]+ ms < \[PSH, ACK\] seq=1 ack=1 win=[0-9]+ len=4' 2 ||
	    { echo "the second line's segment never shown:"; cap a; return 1; }
	# the second connection's segments below the separator, from its SYN
	cap a >k.cap
	tr_order k.cap '^— a new connection: ' \
	    '^0\.000 ms < \[SYN\] seq=0 ' \
	    '^[0-9.]+ ms < \[PSH, ACK\] seq=1 ack=1 win=[0-9]+ len=4' || return 1
	tr_order k.cap '^[0-9.]+ ms < \[PSH, ACK\] seq=1 ack=1 win=[0-9]+ len=4' \
	    '^— a new connection: ' || return 1
	tr_sep_count a 1 || { echo "not one separator:"; cat k.cap; return 1; }
}
run_test "--trace -k, chat: a row separates the next peer's connection from the last one's" tr_chat_keep
