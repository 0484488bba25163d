# shellcheck shell=bash disable=SC2154  # sourced by run.sh after lib.sh, which sets TCPTALK, WAIT_STATUS, ...
# tests/e2e/t_pipe.sh - the byte pipe (stdin/stdout not a terminal).

pipe_round_trip() {
	local p; p=$(free_port)
	printf 'from server\n' | timeout 10 "$TCPTALK" -l 127.0.0.1 "$p" >s.out & bg $!
	local srv=$!
	wait_port "$p" || return 1
	printf 'from client\n' | timeout 10 "$TCPTALK" 127.0.0.1 "$p" >c.out || return 1
	wait_exit $srv 5 || return 1
	expect_eq "server status" "$WAIT_STATUS" 0 || return 1
	expect_eq "client got" "$(cat c.out)" "from server" || return 1
	expect_eq "server got" "$(cat s.out)" "from client"
}
run_test "round trip both ways" pipe_round_trip

pipe_binary_64m() {
	local p; p=$(free_port)
	head -c 64M /dev/urandom >a.bin
	head -c 64M /dev/urandom >b.bin
	# server reads a regular file, client a pipe: both splice paths
	timeout 60 "$TCPTALK" -l 127.0.0.1 "$p" <a.bin >s.out & bg $!
	local srv=$!
	wait_port "$p" || return 1
	# shellcheck disable=SC2002  # the client must read a pipe, not a file
	cat b.bin | timeout 60 "$TCPTALK" 127.0.0.1 "$p" | cat >c.out || return 1
	wait_exit $srv 30 || return 1
	expect_eq "server status" "$WAIT_STATUS" 0 || return 1
	expect_eq "server received" "$(sha256sum <s.out)" "$(sha256sum <b.bin)" || return 1
	expect_eq "client received" "$(sha256sum <c.out)" "$(sha256sum <a.bin)"
}
run_test "64 MiB of random bytes each way at once, sha256 equal" pipe_binary_64m

pipe_redis() {
	command -v redis-server >/dev/null || { echo "redis-server not installed"; return 77; }
	local p; p=$(free_port)
	redis-server --port "$p" --bind 127.0.0.1 --save '' --appendonly no \
	    --daemonize no --logfile "" >redis.log 2>&1 & bg $!
	wait_port "$p" || return 1
	printf 'PING\r\n' | timeout 10 "$TCPTALK" 127.0.0.1 "$p" >out || return 1
	expect_eq "redis reply" "$(cat out)" $'+PONG\r'
}
run_test "printf 'PING\\r\\n' | tcptalk against redis-server prints +PONG" pipe_redis

pipe_late_reply() {
	local p; p=$(free_port)
	( sleep 1; echo late reply ) | timeout 10 "$TCPTALK" -l 127.0.0.1 "$p" >s.out & bg $!
	wait_port "$p" || return 1
	echo hello | timeout 10 "$TCPTALK" 127.0.0.1 "$p" >c.out || return 1
	expect_eq "late reply heard" "$(cat c.out)" "late reply" || return 1
	expect_eq "server got" "$(cat s.out)" "hello"
}
run_test "a reply one second after our EOF is still heard" pipe_late_reply

pipe_quit_after_eof() {
	local p t0 t1; p=$(free_port)
	sleep 20 | "$TCPTALK" -l 127.0.0.1 "$p" >s.out & bg $!
	wait_port "$p" || return 1
	t0=$(date +%s%N)
	echo hi | timeout 10 "$TCPTALK" -q 0 127.0.0.1 "$p" || { echo "-q 0 status $?"; return 1; }
	t1=$(date +%s%N)
	# generous bound: the peer never closes, so without -q this would hang
	[ $(( (t1 - t0) / 1000000 )) -lt 5000 ] || { echo "-q 0 took too long"; return 1; }
	wait_for 5 grep -q hi s.out || { echo "server did not get the line"; return 1; }
	p=$(free_port)
	sleep 20 | "$TCPTALK" -l 127.0.0.1 "$p" >/dev/null & bg $!
	wait_port "$p" || return 1
	t0=$(date +%s%N)
	echo hi | timeout 10 "$TCPTALK" -q 1 127.0.0.1 "$p" || return 1
	t1=$(date +%s%N)
	[ $(( (t1 - t0) / 1000000 )) -ge 900 ] || { echo "-q 1 quit before 1 s"; return 1; }
}
run_test "-q 0 quits at once after stdin EOF, -q 1 after a second" pipe_quit_after_eof

pipe_keep_open() {
	local p i; p=$(free_port)
	sleep 30 | "$TCPTALK" -k -l 127.0.0.1 "$p" >s.out & bg $!
	local srv=$!
	wait_port "$p" || return 1
	for i in 1 2 3; do
		echo "client $i" | timeout 10 "$TCPTALK" 127.0.0.1 "$p" || { echo "client $i failed"; return 1; }
	done
	wait_for 5 grep -q "client 3" s.out || true
	expect_eq "server got" "$(cat s.out)" $'client 1\nclient 2\nclient 3' || return 1
	kill -0 $srv || { echo "server exited"; return 1; }
}
run_test "-k serves three clients in turn" pipe_keep_open

pipe_refused() {
	local p rc; p=$(free_port)
	timeout 10 "$TCPTALK" 127.0.0.1 "$p" </dev/null 2>err; rc=$?
	expect_eq "status" "$rc" 1 || return 1
	expect_grep "message" err "^tcptalk: connect to 127.0.0.1 port $p: Connection refused$"
}
run_test "refused connection: exit 1 and a message" pipe_refused

pipe_usage_errors() {
	local rc
	"$TCPTALK" 127.0.0.1 99999 </dev/null 2>e1; rc=$?
	expect_eq "bad port status" $rc 2 || return 1
	expect_grep "bad port" e1 "invalid port '99999'" || return 1
	expect_grep "hint" e1 "Try 'tcptalk --help'" || return 1
	"$TCPTALK" 8888 </dev/null 2>e2; rc=$?
	expect_eq "missing host status" $rc 2 || return 1
	expect_grep "missing host" e2 "missing PORT after '8888'" || return 1
	"$TCPTALK" --frobnicate 127.0.0.1 1 </dev/null 2>e3; rc=$?
	expect_eq "unknown flag status" $rc 2 || return 1
	expect_grep "unknown flag" e3 "unknown option '--frobnicate'" || return 1
	"$TCPTALK" --help >h; rc=$?
	expect_eq "help status" $rc 0 || return 1
	expect_grep "help" h "--keep-open" || return 1
	"$TCPTALK" -n no.such.host 80 </dev/null 2>e4; rc=$?
	expect_eq "-n with a name" $rc 1 || return 1
	expect_grep "-n message" e4 "not a numeric address"
}
run_test "bad port, missing host, unknown flag: exit 2 with a hint" pipe_usage_errors

pipe_idle_timeout() {
	local p rc t0 t1; p=$(free_port)
	sleep 20 | "$TCPTALK" -l 127.0.0.1 "$p" >/dev/null & bg $!
	wait_port "$p" || return 1
	t0=$(date +%s%N)
	timeout 10 "$TCPTALK" -i 1 127.0.0.1 "$p" 2>err < <(sleep 20); rc=$?
	t1=$(date +%s%N)
	expect_eq "status" "$rc" 1 || return 1
	expect_grep "message" err "no traffic for 1 s" || return 1
	[ $(( (t1 - t0) / 1000000 )) -ge 900 ] || { echo "idle timeout fired early"; return 1; }
}
run_test "-i idle timeout closes with exit 1" pipe_idle_timeout

pipe_ipv6() {
	ip -6 addr show lo 2>/dev/null | grep -q '::1' || { echo "no ::1 on lo"; return 77; }
	local p; p=$(free_port)
	echo six | timeout 10 "$TCPTALK" -l ::1 "$p" >s.out & bg $!
	wait_port "$p" || return 1
	echo client | timeout 10 "$TCPTALK" ::1 "$p" >c.out || return 1
	expect_eq "over ::1" "$(cat c.out)" six
}
run_test "IPv6 on ::1" pipe_ipv6

pipe_dual_stack() {
	ip -6 addr show lo 2>/dev/null | grep -q '::1' || { echo "no ::1 on lo"; return 77; }
	local p; p=$(free_port)
	sleep 20 | timeout 20 "$TCPTALK" -v -k -l "$p" >s.out 2>s.err & bg $!
	wait_port "$p" || return 1
	echo v4 | timeout 10 "$TCPTALK" 127.0.0.1 "$p" || return 1
	echo v6 | timeout 10 "$TCPTALK" ::1 "$p" || return 1
	wait_for 5 grep -q v6 s.out
	expect_eq "both families" "$(cat s.out)" $'v4\nv6' || return 1
	expect_grep "-v says what it bound" s.err "listening on \[::\]:$p \(IPv4 and IPv6\)"
}
run_test "listen with no ADDR takes IPv4 and IPv6" pipe_dual_stack

pipe_stdout_closed() {
	local p rc; p=$(free_port)
	head -c 50M /dev/zero | timeout 20 "$TCPTALK" -l 127.0.0.1 "$p" >/dev/null & bg $!
	wait_port "$p" || return 1
	timeout 10 "$TCPTALK" 127.0.0.1 "$p" </dev/null 2>err | head -c 10 >out
	rc=${PIPESTATUS[0]}
	expect_eq "status" "$rc" 0 || return 1
	expect_eq "bytes" "$(wc -c <out)" 10 || return 1
	expect_eq "stderr" "$(cat err)" ""
}
run_test "stdout closed (| head -c 10): quiet exit" pipe_stdout_closed

pipe_crlf() {
	local p; p=$(free_port)
	timeout 10 "$TCPTALK" -l 127.0.0.1 "$p" </dev/null >s.out & bg $!
	wait_port "$p" || return 1
	printf 'one\ntwo\r\nthree\n' | timeout 10 "$TCPTALK" -C 127.0.0.1 "$p" || return 1
	wait_for 5 grep -q three s.out
	expect_eq "CRLF on the wire" "$(od -An -c s.out | tr -s ' ')" \
	    "$(printf 'one\r\ntwo\r\nthree\r\n' | od -An -c | tr -s ' ')"
}
run_test "-C sends CRLF line ends" pipe_crlf

pipe_reset() {
	local p rc; p=$(free_port)
	# a peer that answers, then resets the connection (SO_LINGER 0)
	perl -MIO::Socket::INET -MSocket -e '
		my $s = IO::Socket::INET->new(LocalAddr => "127.0.0.1", LocalPort => $ARGV[0],
		    Listen => 1, ReuseAddr => 1) or die;
		my $c = $s->accept; print $c "partial\n"; sleep 1;
		setsockopt($c, SOL_SOCKET, SO_LINGER, pack("ii", 1, 0)); close $c;' "$p" & bg $!
	wait_port "$p" || return 1
	timeout 10 "$TCPTALK" 127.0.0.1 "$p" >out 2>err < <(sleep 20); rc=$?
	expect_eq "status" "$rc" 1 || return 1
	expect_eq "what came before the reset" "$(cat out)" partial || return 1
	expect_grep "message" err "Connection reset by peer"
}
run_test "peer reset: what arrived is kept, message, exit 1" pipe_reset

pipe_file_transfer() {
	local p; p=$(free_port)
	head -c 3M /dev/urandom >f.bin
	# the receiver half-closes at once (stdin /dev/null); the sender must
	# still deliver the whole file
	timeout 20 "$TCPTALK" -l 127.0.0.1 "$p" <f.bin >/dev/null & bg $!
	wait_port "$p" || return 1
	timeout 20 "$TCPTALK" 127.0.0.1 "$p" </dev/null >got.bin || return 1
	expect_eq "file" "$(sha256sum <got.bin)" "$(sha256sum <f.bin)"
}
run_test "a file is sent whole even after the peer's FIN" pipe_file_transfer
