# shellcheck shell=bash disable=SC2154  # sourced by run.sh after lib.sh and t_2ui.sh (TCPTALK, ui_* helpers)
# tests/e2e/t_9unix.sh - -U/--unix PATH: both modes against socat and
# tcptalk, -k, stale / live / foreign files at the path, the socket file
# removed at exit (and only ours), abstract @names, usage errors, and the
# chat naming the path and the peer's pid and uid.  Every socket lives in
# the test's own directory (run_test gives each a fresh one).

# sock_at PATH: a socket file is there
sock_at() { [ -S "$1" ]; }
# listening NAME: ss sees a listening Unix socket called NAME
listening() { ss -Hxl 2>/dev/null | awk '{ print $5 }' | grep -qxF -- "$1"; }

unix_socat_both_ways() {
	local sp tp
	# tcptalk listens, socat connects
	printf 'from tcptalk\n' |
	    timeout 10 "$TCPTALK" -v -l -U l.sock >l.out 2>l.err &
	tp=$!; bg $tp
	wait_for 5 sock_at l.sock || { echo "no l.sock"; cat l.err; return 1; }
	printf 'from socat\n' | socat -t 5 -T 10 - UNIX-CONNECT:l.sock >s.out & sp=$!
	wait_exit $tp 8 || return 1
	expect_eq "listener's exit" "$WAIT_STATUS" 0 || return 1
	wait "$sp"
	expect_eq "received by tcptalk" "$(cat l.out)" "from socat" || return 1
	expect_eq "received by socat" "$(cat s.out)" "from tcptalk" || return 1
	expect_grep "-v names the socket" l.err '^tcptalk: listening on unix:l\.sock$' || return 1
	expect_grep "-v names the peer" l.err "^tcptalk: connection from unix:l\\.sock \\(pid $sp uid $(id -u)\\)\$" || return 1
	[ ! -e l.sock ] || { echo "l.sock left behind"; return 1; }

	# socat listens, tcptalk connects (and half-closes: socat answers after our EOF)
	socat -T 10 UNIX-LISTEN:c.sock SYSTEM:'cat >c.got; echo reply after EOF' & sp=$!
	bg $sp
	wait_for 5 sock_at c.sock || return 1
	printf 'to socat\n' | timeout 10 "$TCPTALK" -v -U c.sock >c.out 2>c.err
	expect_eq "connect side exit" "$?" 0 || return 1
	wait_exit "$sp" 5 || return 1
	expect_eq "received by socat" "$(cat c.got)" "to socat" || return 1
	expect_eq "received by tcptalk" "$(cat c.out)" "reply after EOF" || return 1
	expect_grep "-v names path and pid" c.err "^tcptalk: connected to unix:c\\.sock \\(pid $sp uid $(id -u)\\)\$"
}
run_test "-U both ways against socat UNIX-LISTEN / UNIX-CONNECT, half-close, -v names the peer" unix_socat_both_ways

unix_tcptalk_pair() {
	local tp
	head -c 3000000 /dev/urandom >big.bin
	timeout 20 "$TCPTALK" -l --unix "$PWD/t.sock" <big.bin >srv.out & tp=$!
	bg $tp
	wait_for 5 sock_at t.sock || return 1
	printf 'hello over unix\n' | timeout 20 "$TCPTALK" -U "$PWD/t.sock" >cli.out
	expect_eq "client exit" "$?" 0 || return 1
	wait_exit $tp 10 || return 1
	expect_eq "server exit" "$WAIT_STATUS" 0 || return 1
	expect_eq "to the server" "$(cat srv.out)" "hello over unix" || return 1
	expect_eq "3 MB to the client, same bytes" "$(sha256sum <cli.out)" "$(sha256sum <big.bin)" || return 1
	# -x sees the bytes (no splice then), -C turns LF into CRLF
	timeout 10 "$TCPTALK" -l -U x.sock -x dump.hex </dev/null >x.out & tp=$!
	bg $tp
	wait_for 5 sock_at x.sock || return 1
	printf 'crlf\n' | timeout 10 "$TCPTALK" -C -U x.sock >/dev/null || return 1
	wait_exit $tp 5 || return 1
	expect_eq "-C over unix" "$(od -An -c x.out | tr -s ' ')" " c r l f \\r \\n" || return 1
	expect_grep "-x dump" dump.hex '^< .* received 6 bytes$'
}
run_test "tcptalk -l -U and tcptalk -U: 3 MB intact, -C and -x work" unix_tcptalk_pair

unix_keep_open() {
	local tp
	"$TCPTALK" -k -l -U k.sock < <(sleep 10) >k.out 2>k.err & tp=$!
	bg $tp
	wait_for 5 sock_at k.sock || return 1
	printf 'first\n' | timeout 5 socat - UNIX-CONNECT:k.sock || return 1
	wait_for 5 grep -q first k.out || { echo "first not received"; return 1; }
	printf 'second\n' | timeout 5 "$TCPTALK" -q 0 -U k.sock || return 1
	wait_for 5 grep -q second k.out || { echo "second not received"; return 1; }
	sock_at k.sock || { echo "k.sock gone while still listening"; return 1; }
	wait_catches $tp TERM || return 1
	kill -TERM $tp
	wait_exit $tp 5 || return 1
	expect_eq "exit on SIGTERM" "$WAIT_STATUS" 143 || return 1
	[ ! -e k.sock ] || { echo "k.sock left after SIGTERM"; return 1; }
	expect_eq "both peers' lines" "$(tr '\n' , <k.out)" "first,second,"
}
run_test "-k -l -U takes two clients; SIGTERM removes the socket file" unix_keep_open

unix_existing_paths() {
	local tp out
	# a stale socket (its process is gone) is replaced, said with -v
	python3 -c 'import socket; socket.socket(socket.AF_UNIX).bind("s.sock")' || return 1
	sock_at s.sock || return 1
	timeout 15 "$TCPTALK" -v -l -U s.sock < <(sleep 10) >s.out 2>s.err & tp=$!
	bg $tp
	wait_for 5 listening s.sock || { echo "stale socket not replaced"; cat s.err; return 1; }
	wait_for 5 grep -q "listening on" s.err || { echo "no -v messages"; return 1; }
	expect_grep "said with -v" s.err '^tcptalk: replaced the stale socket s\.sock \(nobody listened on it\)$' || return 1
	# a live one is refused, and its listener sees no peer come and go
	out=$(timeout 5 "$TCPTALK" -l -U s.sock </dev/null 2>&1)
	expect_eq "live socket exit" "$?" 1 || return 1
	expect_eq "live socket message" "$out" "tcptalk: cannot listen on s.sock: the socket is in use (another program listens on it)" || return 1
	sleep 0.2	# a probe connection would show in s.err by now
	if grep -q "connection from" s.err; then echo "the live listener saw a probe:"; cat s.err; return 1; fi
	kill -0 $tp || { echo "the live listener is gone"; return 1; }
	# a regular file is never replaced
	printf 'keep me\n' >file.txt
	out=$(timeout 5 "$TCPTALK" -l -U file.txt </dev/null 2>&1)
	expect_eq "regular file exit" "$?" 1 || return 1
	expect_eq "regular file message" "$out" "tcptalk: cannot listen on file.txt: it exists and is not a socket" || return 1
	expect_eq "regular file kept" "$(cat file.txt)" "keep me" || return 1
	# connecting to nothing
	out=$("$TCPTALK" -U "$PWD/missing.sock" </dev/null 2>&1)
	expect_eq "missing path exit" "$?" 1 || return 1
	expect_eq "missing path message" "$out" "tcptalk: cannot connect to $PWD/missing.sock: No such file or directory" || return 1
	out=$("$TCPTALK" -U file.txt </dev/null 2>&1)
	expect_eq "not a socket exit" "$?" 1 || return 1
	expect_eq "not a socket message" "$out" "tcptalk: cannot connect to file.txt: Connection refused"
}
run_test "-l -U replaces a stale socket (-v says so), refuses a live one and a regular file" unix_existing_paths

unix_removed_at_exit() {
	local tp
	# normal end
	timeout 10 "$TCPTALK" -l -U n.sock </dev/null >/dev/null & tp=$!
	bg $tp
	wait_for 5 sock_at n.sock || return 1
	timeout 5 "$TCPTALK" -U n.sock </dev/null || return 1
	wait_exit $tp 5 || return 1
	expect_eq "normal end exit" "$WAIT_STATUS" 0 || return 1
	[ ! -e n.sock ] || { echo "n.sock left after a normal end"; return 1; }
	# SIGTERM while waiting for a peer
	"$TCPTALK" -l -U t.sock < <(sleep 10) >/dev/null & tp=$!
	bg $tp
	wait_for 5 sock_at t.sock || return 1
	wait_catches $tp TERM || return 1
	kill -TERM $tp
	wait_exit $tp 5 || return 1
	expect_eq "SIGTERM exit" "$WAIT_STATUS" 143 || return 1
	[ ! -e t.sock ] || { echo "t.sock left after SIGTERM"; return 1; }
	# -i ends it with an error: removed too
	timeout 10 "$TCPTALK" -i 0.3 -l -U i.sock </dev/null >/dev/null & tp=$!
	bg $tp
	wait_for 5 sock_at i.sock || return 1
	( sleep 3 ) | timeout 5 socat - UNIX-CONNECT:i.sock & bg $!
	wait_exit $tp 5 || return 1
	expect_eq "-i exit" "$WAIT_STATUS" 1 || return 1
	[ ! -e i.sock ] || { echo "i.sock left after -i"; return 1; }
	# a file someone else put at the path after us is not ours to remove
	"$TCPTALK" -l -U o.sock < <(sleep 10) >/dev/null & tp=$!
	bg $tp
	wait_for 5 sock_at o.sock || return 1
	rm o.sock && printf 'not yours\n' >o.sock
	wait_catches $tp TERM || return 1
	kill -TERM $tp
	wait_exit $tp 5 || return 1
	expect_eq "a file we did not create" "$(cat o.sock 2>&1)" "not yours"
}
run_test "the socket file is removed at a normal end, on SIGTERM and -i, but not someone else's" unix_removed_at_exit

unix_abstract() {
	local tp sp name="tt-e2e-$$-$RANDOM"
	printf 'abstract hello\n' |
	    timeout 10 "$TCPTALK" -v -l -U "@$name" >a.out 2>a.err & tp=$!
	bg $tp
	wait_for 5 listening "@$name" || { echo "ss -xl shows no @$name"; cat a.err; return 1; }
	expect_grep "-v names it" a.err "^tcptalk: listening on @$name\$" || return 1
	printf 'to abstract\n' | socat -t 5 -T 10 - "ABSTRACT-CONNECT:$name" >s.out & sp=$!
	wait_exit $tp 8 || return 1
	expect_eq "abstract listener exit" "$WAIT_STATUS" 0 || return 1
	wait $sp
	expect_eq "received by tcptalk" "$(cat a.out)" "to abstract" || return 1
	expect_eq "received by socat" "$(cat s.out)" "abstract hello" || return 1
	expect_grep "-v names the peer" a.err "^tcptalk: connection from @$name \\(pid $sp uid $(id -u)\\)\$" || return 1
	expect_eq "no file made" "$(ls)" "$(printf 'a.err\na.out\nlog\ns.out')" || return 1
	# tcptalk connects to socat's abstract listener
	socat -T 10 "ABSTRACT-LISTEN:$name" SYSTEM:'echo abstract reply; cat >got' & sp=$!
	bg $sp
	wait_for 5 listening "@$name" || return 1
	printf 'to socat\n' | timeout 5 "$TCPTALK" -U "@$name" >c.out || return 1
	wait_exit $sp 5 || return 1
	expect_eq "reply" "$(cat c.out)" "abstract reply" || return 1
	expect_eq "received by socat" "$(cat got)" "to socat"
}
run_test "-U @name: the abstract namespace, both modes, no file" unix_abstract

unix_usage() {
	local long args
	long=$(printf 'd%.0s' {1..108})
	for args in "-U x.sock localhost 80" "-l -U x.sock 9000" "-4 -U x.sock" \
	    "-6 -l -U x.sock" "-s 127.0.0.1 -U x.sock" "-p 9000 -l -U x.sock" \
	    "-n -U x.sock" "-k -U x.sock" "-l -w 1 -U x.sock" "-U $long" \
	    "-U @$long" "-U @" "-U"; do
		# shellcheck disable=SC2086  # the words of args are the options
		"$TCPTALK" $args </dev/null >out 2>err
		expect_eq "exit of tcptalk $args" "$?" 2 || return 1
		expect_grep "message of tcptalk $args" err "^Try 'tcptalk --help'" || return 1
	done
	"$TCPTALK" -U "" </dev/null 2>err
	expect_eq "empty path" "$?" 2 || return 1
	expect_grep "empty path message" err '^tcptalk: empty PATH \(-U\)$' || return 1
	"$TCPTALK" -U x.sock localhost 80 </dev/null 2>err
	expect_grep "operands message" err '^tcptalk: too many arguments: -U PATH takes no HOST or PORT$' || return 1
	"$TCPTALK" -U "$long" </dev/null 2>err
	expect_grep "too long message" err '^tcptalk: Unix socket path too long: 108 bytes, at most 107$' || return 1
	[ ! -e x.sock ] || { echo "a usage error made x.sock"; return 1; }
	"$TCPTALK" --help | grep -q -- '-U, --unix PATH' || { echo "--help has no -U"; return 1; }
}
run_test "-U with HOST/PORT, -4/-6/-s/-p/-n, -k without -l, a too-long path: usage errors, exit 2" unix_usage

unix_chat() {
	local pa pb pc
	ui_setup unix
	ui_start a "$TCP_ENV $TCPTALK -l -U $PWD/chat.sock" || return 1
	wait_for 5 sock_at chat.sock || return 1
	ui_wait a "listening on unix:$PWD/chat\\.sock" || return 1
	ui_start b "$TCP_ENV $TCPTALK -U $PWD/chat.sock" || return 1
	pa=$(TM display-message -p -t T:a '#{pane_pid}')
	pb=$(TM display-message -p -t T:b '#{pane_pid}')
	# each names the path and the other's pid and uid
	ui_wait a "unix:$PWD/chat\\.sock \\(pid $pb uid $(id -u)\\) connected" || return 1
	ui_wait b "connected to unix:$PWD/chat\\.sock \\(pid $pa uid $(id -u)\\)" || return 1
	ui_type b "hello over a unix socket" || return 1
	ui_wait a '^hello over a unix socket$' || return 1
	ui_type a "和你好" || return 1
	ui_wait b '^和你好$' || return 1
	# the listener leaves (the file went when it took b: without -k it
	# listens for no one else)
	ui_type a "/quit" || return 1
	[ ! -e chat.sock ] || { echo "chat.sock left after a took its peer"; return 1; }
	ui_wait b 'finished sending' || return 1
	TM send-keys -t T:b C-d
	ui_wait b "connection with unix:$PWD/chat\\.sock .* closed" || return 1
	# a new listener, and /reconnect in b dials the path again
	# (-k: c keeps listening, so the file is there until c ends; its exit
	# status goes to a file: tmux's pane_dead_status is sometimes empty)
	ui_start c "sh -c '$TCP_ENV $TCPTALK -k -l -U $PWD/chat.sock; echo \$? >c.status'" || return 1
	wait_for 5 sock_at chat.sock || return 1
	ui_type b "/reconnect" || return 1
	ui_wait b "dialling $PWD/chat\\.sock again" || return 1
	ui_wait b "connected again to unix:$PWD/chat\\.sock" || return 1
	ui_wait c "unix:$PWD/chat\\.sock \\(pid $pb uid" || return 1
	# SIGTERM in the chat: the screen is restored and the file removed
	sock_at chat.sock || { echo "c's socket file is gone while it listens"; return 1; }
	pc=$(pgrep -P "$(TM display-message -p -t T:c '#{pane_pid}')" tcptalk)
	wait_catches "$pc" TERM || return 1
	kill -TERM "$pc"
	wait_for 5 eval '[ ! -e chat.sock ]' || { echo "chat.sock left after SIGTERM"; return 1; }
	wait_for 5 test -s c.status || { echo "c never ended"; return 1; }
	expect_eq "c's exit on SIGTERM" "$(cat c.status)" 143
}
run_test "chat over -U: both sides name the path and the peer's pid/uid; /reconnect; file removed on /quit and SIGTERM" unix_chat
