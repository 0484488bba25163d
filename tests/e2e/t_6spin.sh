# shellcheck shell=bash disable=SC2154  # sourced by run.sh after lib.sh, which sets TCPTALK, WAIT_STATUS, ...
# tests/e2e/t_6spin.sh - no busy loop against a slow peer with a real-sized
# MSS: a kernel pipe counts its room in page slots, so a splice into it can be
# refused while the byte count says there is room (issue 12).  Each test
# measures tcptalk's CPU (user + system) over a ~3 s slow transfer and fails
# above 30% of the wall time (the spin used ~100%).

SPIN_PEERS=$PWD/tests/faults/peers.py
SPIN_MAX_PCT=30

# spin_pct METER-FILE: CPU as a percentage of the wall time, from peers.py meter
spin_pct() { awk '{ printf "%d\n", ($1 + $2) * 100 / ($3 > 0 ? $3 : 1) }' "$1"; }

# spin_check METER-FILE: print the figure; fail above SPIN_MAX_PCT
spin_check() {
	local pct; pct=$(spin_pct "$1")
	echo "cpu: $(awk '{ print $1 "+" $2 " s in " $3 " s" }' "$1") ($pct%)"
	[ "$pct" -le "$SPIN_MAX_PCT" ] || { echo "tcptalk used $pct% of a core (max $SPIN_MAX_PCT%)"; return 1; }
}

# spin_send FEED: FEED is "file" or "pipe" (how stdin reaches tcptalk)
spin_send() {
	local p; p=$(free_port)
	head -c 20M /dev/zero >data
	python3 "$SPIN_PEERS" slow 127.0.0.1 "$p" 3 >peer.out & bg $!
	local peer=$!
	wait_port "$p" || return 1
	if [ "$1" = file ]; then
		timeout 20 python3 "$SPIN_PEERS" meter m "$TCPTALK" 127.0.0.1 "$p" <data >/dev/null
	else
		# shellcheck disable=SC2002  # stdin must be a pipe here
		cat data | timeout 20 python3 "$SPIN_PEERS" meter m "$TCPTALK" 127.0.0.1 "$p" >/dev/null
	fi
	wait_exit "$peer" 10 || return 1
	expect_grep "slow peer" peer.out '^read [1-9]' || return 1
	spin_check m
}
spin_send_file() { spin_send file; }
spin_send_pipe() { spin_send pipe; }
run_test "pipe, stdin a file, slow small-MSS peer: no busy loop" spin_send_file
run_test "pipe, stdin a pipe, slow small-MSS peer: no busy loop" spin_send_pipe

# The other direction: small segments fill the receive pipe's slots while a
# slow reader holds stdout.
spin_recv() {
	local p; p=$(free_port)
	timeout 20 python3 "$SPIN_PEERS" meter m "$TCPTALK" -l 127.0.0.1 "$p" </dev/null |
	    python3 "$SPIN_PEERS" slowread 3 & bg $!
	local rd=$!
	wait_port "$p" || return 1
	python3 "$SPIN_PEERS" flood 127.0.0.1 "$p" 4 >/dev/null & bg $!
	wait_exit "$rd" 15 || return 1
	wait_for 10 test -s m || { echo "no figures from the meter"; return 1; }
	spin_check m
}
run_test "pipe, slow stdout, small segments in: no busy loop" spin_recv

# The chat's send path: 300 KB pasted into the queue, a slow peer.
spin_chat() {
	ui_setup spin
	local p pid t0 t1 c0 c1 pct hz; p=$(free_port)
	python3 "$SPIN_PEERS" slow 127.0.0.1 "$p" 4 >peer.out & bg $!
	local peer=$!
	wait_port "$p" || return 1
	ui_start a "$TCP_ENV $TCPTALK 127.0.0.1 $p" || return 1
	ui_wait a 'connected to 127.0.0.1' || return 1
	pid=$(TM display -p -t T:a '#{pane_pid}')
	awk 'BEGIN { for (i = 0; i < 300; i++) { for (j = 0; j < 999; j++) printf "y"; printf "\n" } }' >paste.txt
	TM load-buffer paste.txt && TM paste-buffer -t T:a
	hz=$(getconf CLK_TCK)
	t0=$(date +%s%N)
	c0=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
	wait_exit "$peer" 10 || return 1
	c1=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
	t1=$(date +%s%N)
	expect_grep "slow peer" peer.out '^read [1-9]' || return 1
	pct=$(( (c1 - c0) * 100 * 1000000000 / hz / (t1 - t0) ))
	echo "chat cpu: $((c1 - c0)) ticks in $(( (t1 - t0) / 1000000 )) ms ($pct%)"
	[ "$pct" -le "$SPIN_MAX_PCT" ] || { echo "the chat used $pct% of a core"; return 1; }
}
run_test "chat, 300 KB pasted to a slow small-MSS peer: no busy loop" spin_chat
