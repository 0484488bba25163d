# tests/e2e/t_3peer.sh - the peer's life in pipe mode: the exit-status
# table, addresses as users write them, -k serving peers in turn.
# shellcheck shell=bash

# A peer that accepts, says hello, then resets the connection (SO_LINGER 0)
# once the file "go" exists: no timing guesses.
reset_server() {
	perl -MIO::Socket::INET -MSocket -e '
		my $s = IO::Socket::INET->new(LocalAddr => "127.0.0.1", LocalPort => $ARGV[0],
		    Listen => 1, ReuseAddr => 1) or die;
		my $c = $s->accept; $c->autoflush(1); print $c "hello\n";
		select(undef, undef, undef, 0.02) until -e "go";
		setsockopt($c, SOL_SOCKET, SO_LINGER, pack("ii", 1, 0)); close $c;' "$1"
}

peer_status_table() {
	local p rc
	# refused
	p=$(free_port)
	timeout 10 "$TCPTALK" 127.0.0.1 "$p" </dev/null >/dev/null 2>err; rc=$?
	expect_eq "refused" "$rc" 1 || return 1
	# reset by the peer
	p=$(free_port)
	reset_server "$p" & bg $!
	wait_port "$p" || return 1
	timeout 10 "$TCPTALK" 127.0.0.1 "$p" >out 2>err < <(sleep 20) & bg $!
	local cli=$!
	wait_for 5 grep -q hello out || { echo "no hello"; return 1; }
	touch go
	wait_exit $cli 5 || return 1
	expect_eq "reset" "$WAIT_STATUS" 1 || return 1
	expect_grep "reset message" err "Connection reset by peer" || return 1
	# -i idle timeout
	p=$(free_port)
	sleep 20 | "$TCPTALK" -l 127.0.0.1 "$p" >/dev/null & bg $!
	wait_port "$p" || return 1
	timeout 10 "$TCPTALK" -i 0.3 127.0.0.1 "$p" </dev/null >/dev/null 2>err
	rc=$?
	# stdin at EOF still waits for the peer; -i ends it
	expect_eq "-i timeout" "$rc" 1 || return 1
	expect_grep "idle message" err "no traffic for 0.3 s" || return 1
	# normal end, both ways
	p=$(free_port)
	echo bye | timeout 10 "$TCPTALK" -l 127.0.0.1 "$p" >s.out & bg $!
	local srv=$!
	wait_port "$p" || return 1
	echo hi | timeout 10 "$TCPTALK" 127.0.0.1 "$p" >c.out; rc=$?
	expect_eq "normal client" "$rc" 0 || return 1
	wait_exit $srv 5 || return 1
	expect_eq "normal server" "$WAIT_STATUS" 0 || return 1
	# bad option
	"$TCPTALK" --no-such-option 127.0.0.1 1 </dev/null 2>/dev/null; rc=$?
	expect_eq "usage" "$rc" 2
}
run_test "exit status: refused 1, reset 1, -i 1, normal 0, usage 2" peer_status_table

peer_signals() {
	local p sig want
	for sig in TERM INT HUP; do
		p=$(free_port)
		"$TCPTALK" -l 127.0.0.1 "$p" < <(sleep 20) >/dev/null 2>&1 & bg $!
		local srv=$!
		wait_port "$p" || return 1
		wait_catches $srv "$sig" || return 1
		kill -s "$sig" $srv
		wait_exit $srv 5 || return 1
		want=$((128 + $(kill -l "$sig")))
		expect_eq "SIG$sig" "$WAIT_STATUS" "$want" || return 1
	done
	# and while a peer is connected
	p=$(free_port)
	"$TCPTALK" -l 127.0.0.1 "$p" < <(sleep 20) >s.out 2>&1 & bg $!
	srv=$!
	wait_port "$p" || return 1
	(echo hi; sleep 20) | "$TCPTALK" 127.0.0.1 "$p" >/dev/null & bg $!
	wait_for 5 grep -q hi s.out || { echo "no data"; return 1; }
	wait_catches $srv TERM || return 1
	kill -TERM $srv
	wait_exit $srv 5 || return 1
	expect_eq "SIGTERM with a peer" "$WAIT_STATUS" 143
}
run_test "SIGTERM 143, SIGINT 130, SIGHUP 129 in pipe mode" peer_signals

peer_v4_mapped() {
	ip -6 addr show lo 2>/dev/null | grep -q '::1' || { echo "no ::1 on lo"; return 77; }
	local p; p=$(free_port)
	sleep 20 | timeout 20 "$TCPTALK" -v -k -l "$p" >s.out 2>s.err & bg $!
	wait_port "$p" || return 1
	echo v4 | timeout 10 "$TCPTALK" 127.0.0.1 "$p" || return 1
	wait_for 5 grep -q "connection from" s.err || { cat s.err; return 1; }
	expect_grep "plain IPv4" s.err "^tcptalk: connection from 127\.0\.0\.1:[0-9]+$" || return 1
	if grep -q 'ffff' s.err; then echo "::ffff: shown"; cat s.err; return 1; fi
}
run_test "an IPv4 peer on a dual-stack listener shows as 127.0.0.1:port" peer_v4_mapped

peer_keep_open_in_turn() {
	local p; p=$(free_port)
	sleep 30 | "$TCPTALK" -v -k -l 127.0.0.1 "$p" >s.out 2>s.err & bg $!
	local srv=$!
	wait_port "$p" || return 1
	# first: connected and held open while the second dials
	(echo one; sleep 30) | "$TCPTALK" 127.0.0.1 "$p" >/dev/null & bg $!
	local c1=$!
	wait_for 5 grep -q one s.out || { echo "first not served"; return 1; }
	echo two | timeout 10 "$TCPTALK" -q 5 127.0.0.1 "$p" >/dev/null & bg $!
	local c2=$!
	wait_for 5 grep -q "waits for its turn" s.err || { echo "second not held"; cat s.err; return 1; }
	expect_eq "second not served yet" "$(cat s.out)" one || return 1
	kill "$c1"; pkill -P "$c1" 2>/dev/null
	wait_for 5 grep -q two s.out || { echo "second not served"; cat s.err; return 1; }
	wait_exit $c2 10 || return 1
	expect_eq "second client" "$WAIT_STATUS" 0 || return 1
	expect_eq "in turn" "$(cat s.out)" $'one\ntwo' || return 1
	kill -0 $srv || { echo "server exited"; return 1; }
}
run_test "-k holds the second peer while the first is connected, then serves it" peer_keep_open_in_turn

peer_half_close_then_next() {
	local p; p=$(free_port)
	sleep 30 | "$TCPTALK" -k -l 127.0.0.1 "$p" >s.out 2>s.err & bg $!
	local srv=$!
	wait_port "$p" || return 1
	# first half-closes (stdin EOF -> FIN) and waits for the server's side
	echo first | timeout 10 "$TCPTALK" 127.0.0.1 "$p" >c1.out & bg $!
	local c1=$!
	wait_for 5 grep -q first s.out || { echo "first not served"; return 1; }
	# the server closes its side too under -k: the first client ends, status 0
	wait_exit $c1 5 || return 1
	expect_eq "first client" "$WAIT_STATUS" 0 || return 1
	echo second | timeout 10 "$TCPTALK" 127.0.0.1 "$p" >/dev/null || return 1
	wait_for 5 grep -q second s.out || { echo "second not served"; return 1; }
	expect_eq "both" "$(cat s.out)" $'first\nsecond' || return 1
	kill -0 $srv || { echo "server exited"; return 1; }
}
run_test "-k: first peer half-closes, then a second peer is served" peer_half_close_then_next

peer_keep_open_survives_reset() {
	local p; p=$(free_port)
	sleep 30 | "$TCPTALK" -k -l 127.0.0.1 "$p" >s.out 2>s.err & bg $!
	local srv=$!
	wait_port "$p" || return 1
	perl -MIO::Socket::INET -MSocket -e '
		my $c = IO::Socket::INET->new(PeerAddr => "127.0.0.1", PeerPort => $ARGV[0]) or die;
		setsockopt($c, SOL_SOCKET, SO_LINGER, pack("ii", 1, 0)); close $c;' "$p"
	wait_for 5 grep -q "reset" s.err || { echo "reset not reported"; cat s.err; return 1; }
	kill -0 $srv || { echo "server exited on a reset under -k"; return 1; }
	echo after | timeout 10 "$TCPTALK" 127.0.0.1 "$p" >/dev/null || return 1
	wait_for 5 grep -q after s.out || { echo "not served after the reset"; return 1; }
}
run_test "-k: a peer's reset is reported and the next peer is served" peer_keep_open_survives_reset
