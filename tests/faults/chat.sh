# shellcheck shell=bash disable=SC2154  # sourced by tests/faults/run.sh after lib.sh (TCPTALK, WAIT_STATUS, ...)
# tests/faults/chat.sh - the fault cases against the chat: tcptalk inside a
# private tmux server, on 127.0.0.1, against the misbehaving peers of
# tests/faults/peers.py.  A peer SIGKILLed mid-conversation (reset: exit 1;
# orderly close: exit 0), a peer that never reads while 4 MB are pasted, a
# slowloris peer, a flood of lines into the chat, 200 connections into
# `-k -l`.  Each test states its bounds and prints its figures; counted by
# run.sh's ftest like the pipe tests.  Without tmux they are skipped.

# shellcheck source=tests/e2e/ui.sh
. tests/e2e/ui.sh

FAULTS_CHAT_RSS_KIB=${FAULTS_CHAT_RSS_KIB:-32768}	# peak RSS of the chat, at most
FAULTS_CHAT_CPU_PCT=${FAULTS_CHAT_CPU_PCT:-5}	# CPU while it waits, at most
FAULTS_CHAT_FLOOD_MIB=${FAULTS_CHAT_FLOOD_MIB:-100}	# lines into the chat
FAULTS_CHAT_GROW_KIB=${FAULTS_CHAT_GROW_KIB:-64}	# RSS growth over 200 peers
if [ "${SANITIZE:-}" = 1 ]; then
	# ASan's quarantine holds freed memory back: growth is not a leak there
	# (LeakSanitizer at exit is the check that counts)
	FAULTS_CHAT_GROW_KIB=$((128 * 1024))
	FAULTS_CHAT_RSS_KIB=$((512 * 1024))	# ASan's shadow and quarantine
	FAULTS_CHAT_CPU_PCT=20
	FAULTS_CHAT_FLOOD_MIB=16
fi

# chat_pid WINDOW: tcptalk's pid in WINDOW (the pane's process, or its
# child when a shell runs it), once it runs tcptalk (5 s at most)
chat_pid() {
	local pane pid i
	pane=$(TM display -p -t "T:$1" '#{pane_pid}') || return 1
	for ((i = 0; i < 100; i++)); do
		for pid in "$pane" $(pgrep -P "$pane"); do
			comm_is "$pid" "$(basename "$TCPTALK")" && { echo "$pid"; return 0; }
		done
		sleep 0.05
	done
	echo "no tcptalk in window $1" >&2
	return 1
}

# cpu_pct PID C0 T0: CPU of PID since ticks C0 at time T0 (ns), in percent
cpu_pct() {
	local c1 t1
	c1=$(proc_ticks "$1")
	t1=$(date +%s%N)
	echo $(( (c1 - $2) * 100 * 1000000000 / $(getconf CLK_TCK) / (t1 - $3) ))
}

# chat_rss_ok KIB WHAT: at most FAULTS_CHAT_RSS_KIB
chat_rss_ok() {
	[ "$1" -gt 0 ] && [ "$1" -le "$FAULTS_CHAT_RSS_KIB" ] && return 0
	echo "$2: peak RSS $1 KiB (at most $FAULTS_CHAT_RSS_KIB KiB)"
	return 1
}

# peer_unread PORT: the socket on PORT's side holds bytes it has not read
peer_unread() {
	ss -Htn "sport = :$1" | awk '$2 > 0 { f = 1 } END { exit !f }'
}
# peer_read_all PORT: established on PORT, nothing unread
peer_read_all() {
	ss -Htn state established "sport = :$1" | awk 'NF { n++; if ($1 > 0) f = 1 } END { exit !(n && !f) }'
}

# A peer SIGKILLed with our line unread in its socket: the kernel resets
# the connection.  Said at once; the status line keeps the peer and the
# totals; stray keys stay; Enter leaves with 1 (a reset, man page EXIT STATUS).
c_kill_reset() {
	ui_setup ckr
	local p peer t0 ms; p=$(free_port)
	python3 "$FAULTS_PEERS" hello 127.0.0.1 "$p" 30 0 >peer.out & bg $!
	peer=$!
	wait_port "$p" || return 1
	ui_start a "sh -c '$TCP_ENV $TCPTALK 127.0.0.1 $p; echo exit=\$? >status'" || return 1
	TM resize-window -t T:a -x 160 -y 30	# room for the totals
	ui_wait a '^hello from the peer$' || return 1
	ui_type a 'are you there?' || return 1
	ui_wait a '^are you there\? ✓$' || return 1	# its kernel has it
	wait_for 5 peer_unread "$p" || { echo "the line never reached the peer"; return 1; }
	t0=$(date +%s%N)
	kill -KILL "$peer"
	# its line was acknowledged (✓): the reset took no line
	ui_wait a '^\* the peer sent RST \(reset\): the connection with 127\.0\.0\.1:[0-9]+ is gone$' 5 || return 1
	ms=$(( ($(date +%s%N) - t0) / 1000000 ))
	ui_wait a '^ 127\.0\.0\.1:[0-9]+ \| reset after [0-9:]+ \| in 20 B  out 15 B \| Enter' || return 1
	TM send-keys -t T:a PPage Up Down NPage
	! wait_for 1 test -e status || { echo "a stray key left the chat"; return 1; }
	TM send-keys -t T:a Enter
	wait_for 5 test -s status || { echo "Enter did not leave"; cap a; return 1; }
	expect_eq "exit status after a reset" "$(cat status)" "exit=1" || return 1
	ui_wait a '^-- 127\.0\.0\.1:[0-9]+ \| reset after [0-9:]+ \| in 20 B  out 15 B$' || return 1
	fig "chat: peer SIGKILLed, our line unread" "reset shown ${ms} ms after the kill (bound 5 s), totals kept, Enter: exit 1"
	[ "$ms" -lt 5000 ]
}

# The same peer, having read everything: its kernel closes in order (FIN).
# Said at once; Ctrl-D ends the conversation; Enter leaves with 0.
c_kill_fin() {
	ui_setup ckf
	local p peer t0 ms; p=$(free_port)
	python3 "$FAULTS_PEERS" hello 127.0.0.1 "$p" 30 1 >peer.out & bg $!
	peer=$!
	wait_port "$p" || return 1
	ui_start a "sh -c '$TCP_ENV $TCPTALK 127.0.0.1 $p; echo exit=\$? >status'" || return 1
	TM resize-window -t T:a -x 160 -y 30	# room for the totals
	ui_wait a '^hello from the peer$' || return 1
	ui_type a 'are you there?' || return 1
	ui_wait a '^are you there\? ✓$' || return 1	# its kernel has it
	wait_for 5 peer_read_all "$p" || { echo "the peer never read the line"; return 1; }
	t0=$(date +%s%N)
	kill -KILL "$peer"
	ui_wait a '127\.0\.0\.1:[0-9]+ sent FIN: it finished sending \(or left\); you can still send \(CLOSE_WAIT\)' 5 || return 1
	ms=$(( ($(date +%s%N) - t0) / 1000000 ))
	ui_wait a '\| the peer finished sending' || return 1
	TM send-keys -t T:a C-d
	ui_wait a 'connection with 127\.0\.0\.1:[0-9]+ closed: the peer sent FIN first, then you did' || return 1
	ui_wait a '^ 127\.0\.0\.1:[0-9]+ \| closed after [0-9:]+ \| in 20 B  out 15 B \| Enter' || return 1
	TM send-keys -t T:a Enter
	wait_for 5 test -s status || { echo "Enter did not leave"; cap a; return 1; }
	expect_eq "exit status after an orderly close" "$(cat status)" "exit=0" || return 1
	fig "chat: peer SIGKILLed, all read" "FIN shown ${ms} ms after the kill (bound 5 s), Ctrl-D then Enter: exit 0"
	[ "$ms" -lt 5000 ]
}

# A peer that never reads while 4 MB of lines are pasted: the send queue
# fills (1 MiB), the rest stays in the input; RSS bounded, CPU ~0 once the
# paste is in, keys still answer.
c_sink_paste() {
	ui_setup csp
	local p pid c0 t0 tp pct hwm; p=$(free_port)
	python3 "$FAULTS_PEERS" sink 127.0.0.1 "$p" 90 >peer.out & bg $!
	wait_port "$p" || return 1
	ui_start a "$TCP_ENV $TCPTALK 127.0.0.1 $p" || return 1
	ui_wait a 'connected to 127\.0\.0\.1' || return 1
	pid=$(chat_pid a) || return 1
	awk 'BEGIN { for (i = 0; i < 4000; i++) { printf "%06d ", i; for (j = 0; j < 992; j++) printf "y"; printf "\n" }
	    printf "END-OF-PASTE" }' >paste.txt
	c0=$(proc_ticks "$pid")
	t0=$(date +%s%N)
	TM load-buffer paste.txt && TM paste-buffer -t T:a || return 1
	ui_wait a 'END-OF-PASTE$' 60 || return 1
	tp=$(( ($(date +%s%N) - t0) / 1000000 ))
	fig "chat: 4 MB pasted, peer never reads" "in the input after $tp ms, $(( ($(proc_ticks "$pid") - c0) * 1000 / $(getconf CLK_TCK) )) ms CPU"
	ui_wait a 'FULL: the peer is not reading' || return 1
	c0=$(proc_ticks "$pid")
	t0=$(date +%s%N)
	sleep 2		# the measured window
	pct=$(cpu_pct "$pid" "$c0" "$t0")
	TM send-keys -t T:a -l ' still typing'
	ui_wait a 'END-OF-PASTE still typing$' || return 1
	hwm=$(proc_kib "$pid" VmHWM)
	fig "chat: 4 MB pasted, peer never reads" "peak RSS $hwm KiB (bound $FAULTS_CHAT_RSS_KIB KiB), CPU $pct% over 2 s after (bound $FAULTS_CHAT_CPU_PCT%), keys answer"
	chat_rss_ok "$hwm" tcptalk || return 1
	[ "$pct" -le "$FAULTS_CHAT_CPU_PCT" ] || { echo "CPU $pct% while blocked"; return 1; }
}

# A slowloris peer (1 byte/s for 5 s): each byte shows as it comes, the open
# line growing in place; CPU near 0.
c_loris() {
	ui_setup clo
	local p pid c0 t0 pct k; p=$(free_port)
	ui_start a "$TCP_ENV $TCPTALK -l 127.0.0.1 $p" || return 1
	wait_port "$p" || return 1
	pid=$(chat_pid a) || return 1
	c0=$(proc_ticks "$pid")
	t0=$(date +%s%N)
	python3 "$FAULTS_PEERS" loris 127.0.0.1 "$p" 5 >/dev/null & bg $!
	for k in 1 2 3 4 5; do
		# anchored: exactly k bytes, the line still open
		ui_wait a "^x{$k} …$" 3 || return 1
	done
	ui_wait a 'finished sending' 5 || return 1
	pct=$(cpu_pct "$pid" "$c0" "$t0")
	ui_wait a '^xxxxx ⏎̸$' || return 1
	expect_eq "lines of x on screen" "$(cap a | grep -c '^x')" 1 || return 1
	fig "chat: slowloris, 1 byte/s for 5 s" "each byte shown in place, CPU $pct% (bound $FAULTS_CHAT_CPU_PCT%), peak RSS $(proc_kib "$pid" VmHWM) KiB"
	[ "$pct" -le "$FAULTS_CHAT_CPU_PCT" ] || { echo "CPU $pct% (at most $FAULTS_CHAT_CPU_PCT%)"; return 1; }
}

# A flood of lines into the chat: RSS bounded, the last line shown, the
# input still answers.
c_flood() {
	ui_setup cfl
	local p pid c0 t0 ms hwm; p=$(free_port)
	ui_start a "$TCP_ENV $TCPTALK -l 127.0.0.1 $p" || return 1
	wait_port "$p" || return 1
	pid=$(chat_pid a) || return 1
	c0=$(proc_ticks "$pid")
	t0=$(date +%s%N)
	python3 "$FAULTS_PEERS" lines 127.0.0.1 "$p" "$FAULTS_CHAT_FLOOD_MIB" 120 >peer.out & bg $!
	ui_wait a '^the last line$' 100 || return 1
	ms=$(( ($(date +%s%N) - t0) / 1000000 ))
	# every byte was taken: the status line counts them
	ui_wait a "\| in $(awk -v m="$FAULTS_CHAT_FLOOD_MIB" 'BEGIN { printf "%.1f", int(m * 1048576 / 102400) * 102400 / 1048576 }') MiB " || return 1
	expect_grep "flood peer" peer.out '^sent' || return 1
	TM send-keys -t T:a -l 'still answering'
	ui_wait a '^> still answering( [·✓])?$' || return 1
	hwm=$(proc_kib "$pid" VmHWM)
	fig "chat: flood of $FAULTS_CHAT_FLOOD_MIB MiB in 100-byte lines" "last line shown after $ms ms, $(( ($(proc_ticks "$pid") - c0) * 1000 / $(getconf CLK_TCK) )) ms CPU; peak RSS $hwm KiB (bound $FAULTS_CHAT_RSS_KIB KiB); keys answer"
	chat_rss_ok "$hwm" tcptalk
}

# 200 connections one after another into `-k -l` (each says "hi N" and
# resets: a chat keeps a peer that only finished sending).  Measured after
# 20 first, with --scrollback 10, so a full transcript is the baseline.
c_keep200() {
	ui_setup ck2
	local p pid fd0 rss0 fd1 rss1; p=$(free_port)
	ui_start a "$TCP_ENV $TCPTALK -k -l --scrollback 10 127.0.0.1 $p" || return 1
	wait_port "$p" || return 1
	pid=$(chat_pid a) || return 1
	timeout 30 python3 "$FAULTS_PEERS" conns 127.0.0.1 "$p" 20 1 >/dev/null || return 1
	ui_wait a '^hi 20$' || return 1
	ui_wait a 'waiting for the next peer' || return 1
	wait_for 5 sh -c "[ \$(ss -Htn state established 'sport = :$p' | wc -l) -eq 0 ]"
	fd0=$(proc_fds "$pid")
	rss0=$(proc_kib "$pid" VmRSS)
	timeout 60 python3 "$FAULTS_PEERS" conns 127.0.0.1 "$p" 200 1 >/dev/null || return 1
	ui_wait a '^hi 200$' 10 || return 1
	ui_wait a 'waiting for the next peer' || return 1
	wait_for 5 sh -c "[ \$(find /proc/$pid/fd -mindepth 1 | wc -l) -le $fd0 ]"
	fd1=$(proc_fds "$pid")
	rss1=$(proc_kib "$pid" VmRSS)
	fig "chat: 200 connections under -k" "fds $fd0 -> $fd1, RSS $rss0 -> $rss1 KiB"
	expect_eq "open fds" "$fd1" "$fd0" || return 1
	[ "$rss1" -le $((rss0 + FAULTS_CHAT_GROW_KIB)) ] || { echo "RSS grew from $rss0 to $rss1 KiB"; return 1; }
}

# A line typed while the link is cut keeps its "·" (written, never
# acknowledged) however long the cut lasts; mended, TCP's retransmission
# gets it through and it gets its "✓".  The chat in namespace a, the peer
# in b; iptables DROP both ways.
c_marks_cut() {
	trap 'TM kill-server 2>/dev/null; kill_bg; ns_down' EXIT
	ui_setup cmc
	ns_up m || return 1
	sleep 40 | in_b timeout 45 "$TCPTALK" -l "$NS_IPB" "$NS_PORT" >got & bg $!
	ns_wait_port "$NSB" "$NS_PORT" || return 1
	ui_start a "ip netns exec $NSA $TCP_ENV $TCPTALK $NS_IPB $NS_PORT" || return 1
	ui_wait a 'connected to' || return 1
	ui_type a 'before the cut' || return 1
	ui_wait a '^before the cut ✓$' || return 1
	ns_cut || return 1
	ui_type a 'into the cut' || return 1
	ui_wait a '^into the cut ·$' || return 1
	# an absence cannot be waited for: 3 s, several retransmissions
	sleep 3
	ui_wait a '^into the cut ·$' 1 || return 1
	grep -q 'into the cut' got && { echo "the line crossed the cut"; return 1; }
	ns_mend || return 1
	# the next retransmission (the RTO backs off: up to ~3 s) carries it
	ui_wait a '^into the cut ✓$' 15 || return 1
	wait_for 5 grep -q 'into the cut' got || { echo "the peer never got the line"; return 1; }
	fig "chat: a line typed into a 3 s cut" "· while cut, ✓ after the link mended"
}

# A reset during a partition: a line typed into the cut keeps its "·";
# meanwhile the peer's side of the connection is destroyed (ss -K in its
# namespace: the RST it sends is lost in the cut).  Mended, the line's
# retransmission meets a kernel that knows no such connection and answers
# RST: the line gets "✗", the notice names RST and the line it took.
# c_out_rsts: the RSTs namespace b's TCP has sent (/proc/net/snmp, OutRsts)
c_out_rsts() {
	# shellcheck disable=SC2016  # awk's fields, not the shell's
	in_b awk '$1 == "Tcp:" { if (!c) { for (i = 2; i <= NF; i++) if ($i == "OutRsts") c = i } else print $c }' /proc/net/snmp
}
# c_rsts_since N: namespace b sent more RSTs than N
c_rsts_since() { [ "$(c_out_rsts)" -gt "$1" ]; }
c_marks_reset() {
	local rst0
	trap 'TM kill-server 2>/dev/null; kill_bg; ns_down' EXIT
	ui_setup cmr
	ns_up k || return 1
	sleep 40 | in_b timeout 45 "$TCPTALK" -l "$NS_IPB" "$NS_PORT" >got & bg $!
	ns_wait_port "$NSB" "$NS_PORT" || return 1
	ui_start a "ip netns exec $NSA $TCP_ENV $TCPTALK $NS_IPB $NS_PORT" || return 1
	TM resize-window -t T:a -x 200 -y 30	# the notice on one row
	ui_wait a 'connected to' || return 1
	ui_type a 'before the cut' || return 1
	ui_wait a '^before the cut ✓$' || return 1
	ns_cut || return 1
	ui_type a 'into the cut' || return 1
	ui_wait a '^into the cut ·$' || return 1
	rst0=$(c_out_rsts)
	in_b ss -K -tn "sport = :$NS_PORT" >/dev/null || return 1
	! in_b ss -Htn "sport = :$NS_PORT" | grep -q . || { echo "ss -K left the peer's socket"; return 1; }
	# its RST went out (the counter says) and is lost in the cut: our
	# side's socket stays, nothing changes here
	wait_for 5 c_rsts_since "$rst0" || { echo "the peer's side sent no RST"; return 1; }
	in_a ss -Htn state established "dport = :$NS_PORT" | grep -q . ||
	    { echo "an RST crossed the cut: our socket is gone"; return 1; }
	ui_wait a '^into the cut ·$' 1 || return 1
	! cap a | grep -q 'RST' || { echo "an RST crossed the cut"; return 1; }
	ns_mend || return 1
	# the next retransmission (the RTO backs off: up to ~3 s) meets it
	ui_wait a "^\\* the peer sent RST \\(reset\\): the connection with $NS_IPB:$NS_PORT is gone, and the line not yet acknowledged is lost \\(✗\\)$" 15 || return 1
	ui_wait a '^into the cut ✗$' 1 || return 1
	ui_wait a '^before the cut ✓$' 1 || return 1
	fig "chat: a reset during a cut" "· while cut, ✗ and the RST notice once the link mended"
}

if command -v tmux >/dev/null && faults_can_netns >/dev/null; then
	ftest "chat: a line typed into a cut link keeps its · until the link mends, then ✓" c_marks_cut
	ftest "chat: a reset during a cut: the line's · becomes ✗ once the link mends, the notice names RST" c_marks_reset
else
	for t in marks_cut marks_reset; do
		case c_$t in *${FAULTS_ONLY:-}*)
			SKIPPED=$((SKIPPED + 1))
			echo "skip - chat $t: needs tmux, and network namespaces as root" ;;
		esac
	done
fi
if command -v tmux >/dev/null; then
	export TERM=${TERM:-xterm-256color}	# tmux wants one, even detached
	ftest "chat: a peer SIGKILLed with our line unread: reset shown at once, totals kept, exit 1" c_kill_reset
	ftest "chat: a peer SIGKILLed after reading all: closed shown at once, exit 0" c_kill_fin
	ftest "chat: 4 MB pasted to a peer that never reads: RSS bounded, CPU ~0, keys answer" c_sink_paste
	ftest "chat: a slowloris peer: each byte shown in place, CPU near 0" c_loris
	ftest "chat: a flood of lines: RSS bounded, last line shown, keys answer" c_flood
	ftest "chat: 200 connections into -k -l: fds and RSS back to where they were" c_keep200
else
	for t in kill_reset kill_fin sink_paste loris flood keep200; do
		case c_$t in *${FAULTS_ONLY:-}*) ;; *) continue ;; esac
		SKIPPED=$((SKIPPED + 1))
		echo "skip - chat $t: tmux is not installed (scripts/install-deps)"
	done
fi
