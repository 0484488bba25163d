#!/usr/bin/env bash
# tests/faults/run.sh - tcptalk's byte pipe under network faults.
#
# Over a veth pair between two network namespaces that this script builds
# (and always removes): 5% random loss, a rate limit, a 5 s cut in the middle
# of a transfer, a permanent partition.  On 127.0.0.1: a peer that resets, a
# peer killed with SIGKILL, a peer that never reads, a slowloris peer, 200
# connections under -k, and both ways at once; most of these against the
# chat too (tests/faults/chat.sh, under tmux).  Each test states its bounds
# (CPU against the wall time, RSS, seconds) and prints its figures.  Without
# root or network namespaces the namespace tests are skipped with the reason.
# Ends with "faults: N passed, N failed, N skipped".
set -u
cd "$(dirname "$0")/../.." || exit 1
# shellcheck source=tests/e2e/lib.sh
. tests/e2e/lib.sh
# shellcheck source=tests/faults/lib.sh
. tests/faults/lib.sh
trap 'ns_down_all; cleanup' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

FAULTS_CPU_PCT=${FAULTS_CPU_PCT:-30}	# CPU over wall time, at most
FAULTS_RSS_KIB=${FAULTS_RSS_KIB:-8192}	# peak RSS of tcptalk, at most
FAULTS_BOTH_MIB=${FAULTS_BOTH_MIB:-256}	# each way at once
FAULTS_GROW_KIB=${FAULTS_GROW_KIB:-64}	# RSS growth over 200 peers
if [ "${SANITIZE:-}" = 1 ]; then
	FAULTS_RSS_KIB=$((256 * 1024))	# ASan's shadow and quarantine
	FAULTS_GROW_KIB=$((128 * 1024))	# quarantine, not leaks: LSan checks those
fi
MIB=$((1024 * 1024))

command -v python3 >/dev/null || { echo "faults: python3 missing; run scripts/install-deps"; exit 1; }
DATA=$E2E_TMP/data50
head -c 50M /dev/urandom >"$DATA"
DATA_SUM=$(sha256sum <"$DATA")
DATA20=$E2E_TMP/data20
head -c 20M "$DATA" >"$DATA20"
DATA20_SUM=$(sha256sum <"$DATA20")

# ftest NAME FUNC: run_test, then the figures the test printed.
# FAULTS_ONLY=cut runs the tests whose function names match.
ftest() {
	local before=$PASSED
	case $2 in *${FAULTS_ONLY:-}*) ;; *) return 0 ;; esac
	run_test "$1" "$2"
	[ "$PASSED" -gt "$before" ] || return 0	# the log was shown
	grep '^figure: ' "$E2E_TMP/$2/log" 2>/dev/null | sed 's/^/     /'
}

# cpu_ok METER-FILE: at most FAULTS_CPU_PCT of a core
cpu_ok() {
	local pct; pct=$(meter_pct "$1")
	[ "$pct" -le "$FAULTS_CPU_PCT" ] && return 0
	echo "tcptalk used $pct% of a core (at most $FAULTS_CPU_PCT%): $(meter_cpu "$1")"
	return 1
}
# comm_is PID NAME: PID runs NAME (exec'd)
comm_is() { [ "$(cat "/proc/$1/comm" 2>/dev/null)" = "$2" ]; }
# rss_ok KIB WHAT: at most FAULTS_RSS_KIB
rss_ok() {
	[ "$1" -gt 0 ] && [ "$1" -le "$FAULTS_RSS_KIB" ] && return 0
	echo "$2: peak RSS $1 KiB (at most $FAULTS_RSS_KIB KiB)"
	return 1
}

# ---- over a veth pair between two namespaces ----

# net_send SECS DATA: receiver in b (stdin /dev/null), sender in a under the
# meter (file m); both must end with 0.  Sets RCV to the receiver's pid.
net_send() {
	in_b timeout "$1" "$TCPTALK" -l "$NS_IPB" "$NS_PORT" </dev/null >got & bg $!
	RCV=$!
	ns_wait_port "$NSB" "$NS_PORT" || return 1
	in_a timeout "$1" python3 "$FAULTS_PEERS" meter m "$TCPTALK" "$NS_IPB" "$NS_PORT" <"$2" >/dev/null
	expect_eq "sender status" "$?" 0 || return 1
	wait_exit "$RCV" 20 || return 1
	expect_eq "receiver status" "$WAIT_STATUS" 0
}

f_loss() {
	trap 'kill_bg; ns_down' EXIT
	ns_up l && ns_loss 0.05 && ns_rate 50mbit || return 1
	net_send 90 "$DATA" || return 1
	expect_eq "sha256 of 50 MiB" "$(sha256sum <got)" "$DATA_SUM" || return 1
	fig "5% loss each way, 50 Mbit/s" "50 MiB sha256-equal; sender $(meter_cpu m), peak RSS $(meter_rss m) KiB"
	cpu_ok m && rss_ok "$(meter_rss m)" sender
}

f_rate() {
	trap 'kill_bg; ns_down' EXIT
	ns_up r && ns_rate 20mbit || return 1
	net_send 60 "$DATA20" || return 1
	expect_eq "sha256 of 20 MiB" "$(sha256sum <got)" "$DATA20_SUM" || return 1
	fig "tbf 20 Mbit/s" "20 MiB sha256-equal; sender $(meter_cpu m), peak RSS $(meter_rss m) KiB"
	cpu_ok m
}

f_cut() {
	trap 'kill_bg; ns_down' EXIT
	local snd s1 s2 t0 t1
	ns_up c && ns_rate 50mbit || return 1
	in_b timeout 90 "$TCPTALK" -l "$NS_IPB" "$NS_PORT" </dev/null >got & bg $!
	RCV=$!
	ns_wait_port "$NSB" "$NS_PORT" || return 1
	in_a timeout 90 python3 "$FAULTS_PEERS" meter m "$TCPTALK" "$NS_IPB" "$NS_PORT" <"$DATA" >/dev/null & bg $!
	snd=$!
	wait_for 30 size_at_least got $((5 * MIB)) || { echo "5 MiB never arrived"; return 1; }
	t0=$(date +%s%N)
	ns_cut || return 1
	# the fault lasts 5 s; nothing may cross it meanwhile
	sleep 1
	s1=$(stat -c %s got)
	sleep 4
	s2=$(stat -c %s got)
	ns_mend || return 1
	expect_eq "bytes that crossed the cut" "$((s2 - s1))" 0 || return 1
	wait_exit "$snd" 60 || return 1
	expect_eq "sender status" "$WAIT_STATUS" 0 || return 1
	wait_exit "$RCV" 20 || return 1
	t1=$(date +%s%N)
	expect_eq "receiver status" "$WAIT_STATUS" 0 || return 1
	expect_eq "sha256 of 50 MiB" "$(sha256sum <got)" "$DATA_SUM" || return 1
	fig "5 s cut mid-transfer (50 Mbit/s)" "50 MiB sha256-equal, done $(( (t1 - t0) / 1000000 )) ms after the cut began; sender $(meter_cpu m)"
	cpu_ok m
}

f_partition() {
	trap 'kill_bg; ns_down' EXIT
	local snd t0 t1 ts tr c0 c1 pct
	ns_up p && ns_rate 50mbit || return 1
	in_b timeout 60 "$TCPTALK" -i 2 -l "$NS_IPB" "$NS_PORT" </dev/null >got & bg $!
	RCV=$!
	ns_wait_port "$NSB" "$NS_PORT" || return 1
	# the sender waits longer (-i 4), so its CPU can be read while cut
	# off; its stdin is a pipe this time.  Started directly (no timeout, no
	# function) so $! is tcptalk itself; -i 4 bounds its life.
	ip netns exec "$NSA" "$TCPTALK" -i 4 "$NS_IPB" "$NS_PORT" < <(cat "$DATA") >/dev/null 2>snd.err & bg $!
	snd=$!
	wait_for 5 comm_is "$snd" "$(basename "$TCPTALK")" || { echo "$snd never became tcptalk"; return 1; }
	wait_for 30 size_at_least got $((2 * MIB)) || { echo "2 MiB never arrived"; return 1; }
	t0=$(date +%s%N)
	ns_cut || return 1
	c0=$(proc_ticks "$snd")
	wait_exit "$RCV" 10 || return 1
	# the sender's CPU while cut off, read before its own -i 4 ends it
	c1=$(proc_ticks "$snd")
	t1=$(date +%s%N)
	tr=$(( (t1 - t0) / 1000000 ))
	pct=$(( (c1 - c0) * 100 * 1000000000 / $(getconf CLK_TCK) / (t1 - t0) ))
	expect_eq "receiver status" "$WAIT_STATUS" 1 || return 1
	wait_exit "$snd" 10 || return 1
	ts=$(( ($(date +%s%N) - t0) / 1000000 ))
	expect_eq "sender status" "$WAIT_STATUS" 1 || return 1
	expect_grep "sender's message" snd.err 'no traffic for 4 s' || return 1
	fig "permanent partition" "receiver (-i 2) exit 1 after $tr ms, sender (-i 4) exit 1 after $ts ms (bound 10 s); sender CPU $pct% while cut off"
	if [ "$ts" -ge 10000 ] || [ "$tr" -ge 10000 ]; then
		echo "took $tr / $ts ms"
		return 1
	fi
	[ "$pct" -le "$FAULTS_CPU_PCT" ] || { echo "sender CPU $pct% while cut off"; return 1; }
}

# ---- on 127.0.0.1 ----

f_reset() {
	local p; p=$(free_port)
	python3 "$FAULTS_PEERS" reset 127.0.0.1 "$p" $MIB $((256 * 1024)) >peer.out & bg $!
	wait_port "$p" || return 1
	timeout 20 "$TCPTALK" 127.0.0.1 "$p" <"$DATA" >got 2>err
	expect_eq "status after a reset" "$?" 1 || return 1
	expect_grep "message" err 'reset by peer' || return 1
	python3 "$FAULTS_PEERS" pattern $((256 * 1024)) >sent
	[ -s got ] || { echo "nothing the peer sent before the reset was kept"; return 1; }
	cmp -n "$(stat -c %s got)" got sent || { echo "what was kept is not what was sent"; return 1; }
	# the reset throws away what the peer's kernel had not sent yet, so
	# less than all may arrive; what did arrive must be on stdout, in order
	fig "peer resets mid-transfer" "exit 1; what arrived kept in order ($(stat -c %s got) of the $((256 * 1024)) bytes it queued before the reset)"
}

# A peer that never reads: RSS stays bounded, CPU near 0; then it is killed
# with SIGKILL and tcptalk ends with 1 at once.
f_sink_kill() {
	local p tt peer c0 c1 t0 t1 hwm pct; p=$(free_port)
	python3 "$FAULTS_PEERS" sink 127.0.0.1 "$p" 60 >peer.out & bg $!
	peer=$!
	wait_port "$p" || return 1
	"$TCPTALK" 127.0.0.1 "$p" <"$DATA" >/dev/null 2>err & bg $!
	tt=$!
	# connected and stuck: the peer's receive queue holds bytes
	wait_for 5 sh -c "ss -Htn 'sport = :$p' | awk '\$2 > 0 { f = 1 } END { exit !f }'" ||
	    { echo "the peer never got bytes"; return 1; }
	c0=$(proc_ticks "$tt")
	t0=$(date +%s%N)
	sleep 3		# the measured window
	c1=$(proc_ticks "$tt")
	t1=$(date +%s%N)
	hwm=$(proc_kib "$tt" VmHWM)
	pct=$(( (c1 - c0) * 100 * 1000000000 / $(getconf CLK_TCK) / (t1 - t0) ))
	fig "peer never reads" "peak RSS $hwm KiB (bound $FAULTS_RSS_KIB KiB), CPU $pct% over 3 s"
	rss_ok "$hwm" tcptalk || return 1
	[ "$pct" -le 5 ] || { echo "CPU $pct% while blocked"; return 1; }
	t0=$(date +%s%N)
	kill -KILL "$peer"
	wait_exit "$tt" 5 || return 1
	t1=$(date +%s%N)
	expect_eq "status after the peer was killed" "$WAIT_STATUS" 1 || return 1
	fig "peer killed with SIGKILL" "exit 1 after $(( (t1 - t0) / 1000000 )) ms"
}

f_loris() {
	local p; p=$(free_port)
	timeout 30 python3 "$FAULTS_PEERS" meter m "$TCPTALK" -l 127.0.0.1 "$p" </dev/null >got & bg $!
	local tt=$!
	wait_port "$p" || return 1
	python3 "$FAULTS_PEERS" loris 127.0.0.1 "$p" 5 >/dev/null || return 1
	wait_exit "$tt" 5 || return 1
	expect_eq "status" "$WAIT_STATUS" 0 || return 1
	expect_eq "bytes received" "$(cat got)" xxxxx || return 1
	fig "slowloris, 1 byte/s for 5 s" "$(meter_cpu m), peak RSS $(meter_rss m) KiB"
	[ "$(meter_pct m)" -le 2 ] || { echo "CPU above 2%: $(meter_cpu m)"; return 1; }
}

f_keep200() {
	local p tt fd0 rss0 fd1 rss1; p=$(free_port)
	sleep 60 | "$TCPTALK" -k -l 127.0.0.1 "$p" >got & bg $!
	tt=$!
	wait_port "$p" || return 1
	python3 "$FAULTS_PEERS" conns 127.0.0.1 "$p" 1 >/dev/null || return 1
	wait_for 5 test -s got || return 1
	fd0=$(proc_fds "$tt")
	rss0=$(proc_kib "$tt" VmRSS)
	timeout 60 python3 "$FAULTS_PEERS" conns 127.0.0.1 "$p" 200 >/dev/null || return 1
	# shellcheck disable=SC2016  # expanded by sh -c, each try
	wait_for 5 sh -c '[ "$(grep -c hi got)" -ge 201 ]' || { echo "got $(grep -c hi got) lines"; return 1; }
	# the last peer's socket is closed once it is done with
	wait_for 5 sh -c "[ \$(find /proc/$tt/fd -mindepth 1 | wc -l) -le $fd0 ]"
	fd1=$(proc_fds "$tt")
	rss1=$(proc_kib "$tt" VmRSS)
	fig "200 connections under -k" "fds $fd0 -> $fd1, RSS $rss0 -> $rss1 KiB"
	expect_eq "open fds" "$fd1" "$fd0" || return 1
	[ "$rss1" -le $((rss0 + FAULTS_GROW_KIB)) ] || { echo "RSS grew from $rss0 to $rss1 KiB"; return 1; }
}

f_both() {
	local p t0 t1 srv; p=$(free_port)
	head -c "${FAULTS_BOTH_MIB}M" /dev/urandom >a
	head -c "${FAULTS_BOTH_MIB}M" /dev/urandom >b
	t0=$(date +%s%N)
	timeout 120 python3 "$FAULTS_PEERS" meter ms "$TCPTALK" -l 127.0.0.1 "$p" <a >got.s & bg $!
	srv=$!
	wait_port "$p" || return 1
	timeout 120 python3 "$FAULTS_PEERS" meter mc "$TCPTALK" 127.0.0.1 "$p" <b >got.c
	expect_eq "client status" "$?" 0 || return 1
	wait_exit "$srv" 30 || return 1
	t1=$(date +%s%N)
	expect_eq "server status" "$WAIT_STATUS" 0 || return 1
	expect_eq "server received" "$(sha256sum <got.s)" "$(sha256sum <b)" || return 1
	expect_eq "client received" "$(sha256sum <got.c)" "$(sha256sum <a)" || return 1
	fig "$FAULTS_BOTH_MIB MiB each way at once" "sha256-equal in $(( (t1 - t0) / 1000000 )) ms; peak RSS $(meter_rss ms) / $(meter_rss mc) KiB"
	rss_ok "$(meter_rss ms)" server && rss_ok "$(meter_rss mc)" client
}

# TCP's facts under loss: the sender's -v summary and --stats-json count
# the retransmissions the loss caused.
f_stats() {
	trap 'kill_bg; ns_down' EXIT
	local n
	ns_up s && ns_loss 0.05 && ns_rate 50mbit || return 1
	head -c 5M "$DATA" >d5
	in_b timeout 60 "$TCPTALK" -l --stats-json r.json "$NS_IPB" "$NS_PORT" </dev/null >got & bg $!
	RCV=$!
	ns_wait_port "$NSB" "$NS_PORT" || return 1
	in_a timeout 60 "$TCPTALK" -v --stats-json s.json "$NS_IPB" "$NS_PORT" <d5 >/dev/null 2>s.err
	expect_eq "sender status" "$?" 0 || return 1
	wait_exit "$RCV" 20 || return 1
	expect_eq "receiver status" "$WAIT_STATUS" 0 || return 1
	python3 -m json.tool s.json >/dev/null && python3 -m json.tool r.json >/dev/null || return 1
	n=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["tcp"]["retransmissions"])' s.json)
	[ "$n" -gt 0 ] || { echo "no retransmissions in s.json: $(cat s.json)"; return 1; }
	expect_grep "-v: retransmissions counted" s.err "sent 5\.0 MiB in .*, retransmissions: $n;" || return 1
	expect_eq "the receiver's bytes in" "$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["bytes_in"])' r.json)" $((5 * MIB)) || return 1
	fig "5% loss, 50 Mbit/s, 5 MiB" "$(sed 's/^tcptalk: //' s.err | tail -1)"
}

# rtt_send JSON: 4 MiB from a to b (file d4), the sender's -v line in
# JSON.err and its figures in JSON
rtt_send() {
	in_b timeout 30 "$TCPTALK" -l "$NS_IPB" "$NS_PORT" </dev/null >/dev/null & bg $!
	RCV=$!
	ns_wait_port "$NSB" "$NS_PORT" || return 1
	in_a timeout 30 "$TCPTALK" -v --stats-json "$1" "$NS_IPB" "$NS_PORT" <d4 >/dev/null 2>"$1.err"
	expect_eq "sender status" "$?" 0 || return 1
	wait_exit "$RCV" 20 || return 1
	expect_eq "receiver status" "$WAIT_STATUS" 0
}

# jtcp FILE KEY: a figure of --stats-json's "tcp" object
jtcp() { python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["tcp"][sys.argv[2]])' "$1" "$2"; }

# RTT rises with an added delay.  netem, the usual way to add one, is not
# in every kernel (not in the one these tests were written on); a queue
# delays as well: tbf at 20 Mbit/s with a deep queue (latency 400ms) that
# a bulk transfer keeps filled, so each segment waits behind those before
# it (a 1448-byte segment alone takes 0.58 ms at that rate).  The sender's
# smoothed RTT, in --stats-json and -v, without the limit and with it.
f_rtt() {
	trap 'kill_bg; ns_down' EXIT
	local r0 r1 v
	ns_up q || return 1
	head -c 4M "$DATA" >d4
	rtt_send base.json || return 1
	in_a tc qdisc add dev "$VA" root tbf rate 20mbit burst 32kbit latency 400ms || return 1
	rtt_send tbf.json || return 1
	r0=$(jtcp base.json rtt_us) && r1=$(jtcp tbf.json rtt_us) || return 1
	fig "RTT without and with a 20 Mbit/s queue" "$r0 us -> $r1 us (4 MiB each)"
	# -v says the same figure (rounded)
	v=$(sed -nE 's/.*, RTT min [0-9.]+ ms avg ([0-9.]+) ms, .*/\1/p' tbf.json.err)
	awk -v v="$v" -v u="$r1" 'BEGIN { d = v * 1000 - u; exit !(v != "" && d * d <= (u / 100 + 1) ^ 2) }' ||
	    { echo "-v's RTT avg '$v' ms is not the JSON's $r1 us:"; cat tbf.json.err; return 1; }
	[ "$r1" -ge 2000 ] || { echo "RTT $r1 us behind the queue: not above 2 ms"; return 1; }
	[ "$r1" -ge $((r0 * 10)) ] || { echo "RTT $r0 us -> $r1 us: not 10 times more"; return 1; }
}

echo "faults: tcptalk $TCPTALK"
if why=$(faults_can_netns); then
	ftest "5% random loss each way at 50 Mbit/s: 50 MiB sha256-equal, CPU low" f_loss
	ftest "rate limit (tbf 20 Mbit/s): 20 MiB arrives, CPU low" f_rate
	ftest "5 s link cut mid-transfer: 50 MiB sha256-equal" f_cut
	ftest "permanent partition: -i ends both sides with 1 within 10 s, CPU low" f_partition
	ftest "5% loss: -v and --stats-json count retransmissions (> 0)" f_stats
	if why=$(faults_can_tbf); then
		ftest "RTT rises behind a queue (tbf): --stats-json and -v, 10 times or more" f_rtt
	else
		t=f_rtt
		case $t in *${FAULTS_ONLY:-}*)
			SKIPPED=$((SKIPPED + 1))
			echo "skip - rtt behind a queue: $why" ;;
		esac
	fi
else
	for t in loss rate cut partition stats rtt; do
		SKIPPED=$((SKIPPED + 1))
		echo "skip - $t over a veth pair: $why"
	done
fi
ftest "a peer resets mid-transfer: exit 1, what arrived kept" f_reset
ftest "a peer that never reads (RSS bounded, CPU ~0), then SIGKILLed (exit 1)" f_sink_kill
ftest "a slowloris peer (1 byte/s): CPU near 0" f_loris
ftest "200 connections under -k: fds and RSS back to where they were" f_keep200
ftest "$FAULTS_BOTH_MIB MiB each way at once: sha256-equal, RSS bounded" f_both
# the same faults against the chat, under tmux
# shellcheck source=tests/faults/chat.sh
. tests/faults/chat.sh
echo "faults: $PASSED passed, $FAILED failed, $SKIPPED skipped"
[ "$FAILED" -eq 0 ]
