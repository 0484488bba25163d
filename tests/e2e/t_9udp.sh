# shellcheck shell=bash disable=SC2154  # sourced by run.sh after lib.sh and t_2ui.sh (TCPTALK, ui_* helpers)
# tests/e2e/t_9udp.sh - -u/--udp: both modes against nc -u and a Python
# UDP peer (tests/e2e/udppeer.py); datagram boundaries kept both ways, an
# ICMP port unreachable shown as "connection refused" (the chat stays, the
# pipe exits 1), the first sender as the peer (others filtered), -k
# answering the last sender, stdin's end plus -q, empty datagrams.

UDP_PY=$PWD/tests/e2e/udppeer.py

# udp_port: a loopback UDP port nobody has bound
udp_port() {
	local p
	for _ in $(seq 100); do
		p=$((20000 + RANDOM % 40000))
		ss -Huan "sport = :$p" 2>/dev/null | grep -q . || { echo "$p"; return 0; }
	done
	return 1
}
# udp_bound PORT: a socket is bound to UDP PORT
udp_bound() { ss -Huan "sport = :$1" 2>/dev/null | grep -q .; }
# udp_echo LOG PORT: the Python echo in the background, until it is bound
udp_echo() {
	python3 "$UDP_PY" echo "$2" "$1" & bg $!
	wait_for 5 test -e "$1.ready" || { echo "udp echo on $2 did not start"; return 1; }
}
# udp_send PORT SRCPORT DATA... [--wait SECS]: datagrams from SRCPORT
udp_send() { python3 "$UDP_PY" send "$@"; }
# udp_has FILE N: FILE has at least N lines
udp_has() { [ -e "$1" ] && [ "$(wc -l <"$1")" -ge "$2" ]; }

udp_nc_both_ways() {
	local p q tp np
	p=$(udp_port) && q=$(udp_port) || return 1
	# tcptalk listens: nc's datagram makes nc the peer, and gets the answer
	printf 'from tcptalk\n' | timeout 10 "$TCPTALK" -v -u -q 1 -l 127.0.0.1 "$p" \
	    >l.out 2>l.err & tp=$!
	bg $tp
	wait_for 5 udp_bound "$p" || return 1
	(printf 'from nc\n'; sleep 3) | timeout 6 nc -u -w 1 127.0.0.1 "$p" >n.out & np=$!
	bg $np
	wait_exit $tp 8 || return 1
	expect_eq "listener's exit (stdin done, -q 1)" "$WAIT_STATUS" 0 || return 1
	expect_eq "received by tcptalk" "$(cat l.out)" "from nc" || return 1
	wait_for 5 grep -q . n.out || { echo "nc got no answer"; return 1; }
	expect_eq "received by nc" "$(cat n.out)" "from tcptalk" || return 1
	expect_grep "-v names the UDP socket" l.err "^tcptalk: listening on udp 127\\.0\\.0\\.1:$p\$" || return 1
	expect_grep "-v names the sender" l.err '^tcptalk: datagrams from 127\.0\.0\.1:[0-9]+; replies go to it$' || return 1

	# nc -u -l listens: our datagram makes us its peer; it answers
	(printf 'from nc -l\n'; sleep 4) | timeout 6 nc -u -l 127.0.0.1 "$q" >nl.out & np=$!
	bg $np
	wait_for 5 udp_bound "$q" || return 1
	printf 'to nc -l\n' | timeout 5 "$TCPTALK" -v -u -q 1 127.0.0.1 "$q" >c.out 2>c.err
	expect_eq "connect side exit" "$?" 0 || return 1
	expect_grep "-v: no connection claimed" c.err "^tcptalk: sending datagrams to 127\\.0\\.0\\.1:$q \\(UDP: nothing says whether anyone listens until one is refused\\)\$" || return 1
	expect_eq "received by tcptalk" "$(cat c.out)" "from nc -l" || return 1
	wait_for 5 grep -q . nl.out || { echo "nc -l got nothing"; return 1; }
	expect_eq "received by nc -l" "$(cat nl.out)" "to nc -l"
}
run_test "-u both ways against nc -u: the first sender is the peer, -q ends the pipe" udp_nc_both_ways

udp_boundaries() {
	local p l tp
	p=$(udp_port) && l=$(udp_port) || return 1
	udp_echo echo.log "$p" || return 1
	# each read of stdin is one datagram: three writes, three datagrams
	mkfifo in
	timeout 10 "$TCPTALK" -u -q 1 127.0.0.1 "$p" <in >out & tp=$!
	bg $tp
	exec 3>in
	printf 'one\n' >&3
	wait_for 5 udp_has echo.log 1 || { echo "first datagram not echoed"; return 1; }
	printf 'two\n' >&3
	wait_for 5 udp_has echo.log 2 || return 1
	printf 'three' >&3
	wait_for 5 udp_has echo.log 3 || return 1
	exec 3>&-
	wait_exit $tp 5 || return 1
	expect_eq "pipe exit" "$WAIT_STATUS" 0 || return 1
	expect_eq "datagrams at the echo" "$(cut -d' ' -f2- echo.log | tr '\n' ,)" \
	    "b'one\\n',b'two\\n',b'three'," || return 1
	expect_eq "echoes on stdout, as they came" "$(cat out)" "$(printf 'one\ntwo\nthree')" || return 1

	# received datagrams are entries of their own in -o's record, even
	# without newline ("a", "b"); one of two lines is two entries
	timeout 10 "$TCPTALK" -u -l -o rec.txt 127.0.0.1 "$l" < <(sleep 8) >l.out & tp=$!
	bg $tp
	wait_for 5 udp_bound "$l" || return 1
	udp_send "$l" "$(udp_port)" 'a' 'b' 'x\ny\n' || return 1
	wait_for 5 grep -q '< y$' rec.txt || { echo "no y in the record"; cat rec.txt; return 1; }
	expect_grep "the sender, said as udp" rec.txt '^[0-9:.]+ - UDP datagrams from 127\.0\.0\.1:[0-9]+$' || return 1
	expect_eq "four entries" "$(grep -c '^[0-9:.]* < ' rec.txt)" 4 || return 1
	expect_eq "their texts" "$(sed -n 's/^[0-9:.]* < //p' rec.txt | tr '\n' ,)" "a,b,x,y," || return 1
	expect_eq "stdout: the bytes as they came" "$(od -An -c l.out | tr -s ' ')" " a b x \\n y \\n"
}
run_test "-u keeps datagram boundaries: a read is a datagram, a datagram an entry (-o)" udp_boundaries

udp_refused() {
	local p out rc
	p=$(udp_port) || return 1
	# nobody there: the ICMP port unreachable ends the pipe, exit 1
	out=$(printf 'anyone?\n' | timeout 5 "$TCPTALK" -u 127.0.0.1 "$p" 2>&1 >/dev/null)
	rc=$?
	expect_eq "pipe exit" "$rc" 1 || return 1
	expect_eq "pipe message" "$out" "tcptalk: 127.0.0.1:$p refused the datagram: connection refused (nothing listens on that UDP port)"
}
run_test "-u to a port with nobody: the pipe says connection refused and exits 1" udp_refused

udp_empty_and_eof() {
	local p tp
	p=$(udp_port) || return 1
	# an empty datagram is no end: what follows it still comes out
	timeout 10 "$TCPTALK" -u -l 127.0.0.1 "$p" </dev/null >out & tp=$!
	bg $tp
	wait_for 5 udp_bound "$p" || return 1
	udp_send "$p" "$(udp_port)" '' 'after\n' || return 1
	wait_for 5 grep -q after out || { echo "the datagram after the empty one is lost"; return 1; }
	# and stdin's end (here at once) is no end either, without -q: nc's way
	kill -0 $tp || { echo "ended on an empty datagram or stdin's end"; return 1; }
	# with -q it is: stdin's end, then -q seconds
	p=$(udp_port) || return 1
	udp_echo echo.log "$p" || return 1
	printf 'hi\n' | timeout 10 "$TCPTALK" -u -q 0.3 127.0.0.1 "$p" >q.out
	expect_eq "exit after -q" "$?" 0 || return 1
	expect_eq "the echo came before" "$(cat q.out)" "hi"
}
run_test "-u: an empty datagram is not EOF; stdin's end stops the pipe only with -q" udp_empty_and_eof

udp_listen_filters_and_k() {
	local p k tp a b
	p=$(udp_port) && k=$(udp_port) && a=$(udp_port) && b=$(udp_port) || return 1
	# without -k the first sender is the peer: the kernel drops the others
	timeout 10 "$TCPTALK" -u -l 127.0.0.1 "$p" < <(sleep 8) >l.out & tp=$!
	bg $tp
	wait_for 5 udp_bound "$p" || return 1
	udp_send "$p" "$a" 'first\n' || return 1
	wait_for 5 grep -q first l.out || return 1
	udp_send "$p" "$b" 'intruder\n' || return 1
	udp_send "$p" "$a" 'first again\n' || return 1
	wait_for 5 grep -q 'first again' l.out || return 1
	expect_eq "only the peer's datagrams" "$(tr '\n' , <l.out)" "first,first again," || return 1

	# -k: any sender; a reply goes to the one that sent last
	mkfifo in
	timeout 10 "$TCPTALK" -v -u -k -l 127.0.0.1 "$k" <in >k.out 2>k.err & tp=$!
	bg $tp
	exec 3>in
	wait_for 5 udp_bound "$k" || return 1
	udp_send "$k" "$a" 'from a\n' || return 1
	wait_for 5 grep -q 'from a' k.out || return 1
	udp_send "$k" "$b" 'from b\n' --wait 4 >b.got & bg $!
	wait_for 5 grep -q 'from b' k.out || return 1
	printf 'reply\n' >&3
	wait_for 5 grep -q reply b.got || { echo "b, the last sender, got no reply"; return 1; }
	expect_grep "-v says the sender changed" k.err "^tcptalk: datagrams now come from 127\\.0\\.0\\.1:$b; replies go to it\$"
}
run_test "-u -l takes only the first sender; -k takes any and replies to the last" udp_listen_filters_and_k

udp_idle() {
	local p q a b tp
	p=$(udp_port) && q=$(udp_port) && a=$(udp_port) && b=$(udp_port) || return 1
	# -i: silence ends the peer; with -k the next sender is taken after it
	timeout 10 "$TCPTALK" -v -u -k -l -i 0.5 127.0.0.1 "$p" < <(sleep 8) \
	    >i.out 2>i.err & tp=$!
	bg $tp
	wait_for 5 udp_bound "$p" || return 1
	udp_send "$p" "$a" 'one\n' || return 1
	wait_for 5 grep -q 'no traffic for 0.5 s' i.err || { echo "-i never fired"; cat i.err; return 1; }
	udp_send "$p" "$b" 'two\n' || return 1
	wait_for 5 grep -q two i.out || { echo "no datagram taken after -i"; cat i.err; return 1; }
	expect_grep "the next sender is the peer" i.err "^tcptalk: datagrams from 127\\.0\\.0\\.1:$b; replies go to it\$" || return 1
	# without -k, -i ends the pipe: exit 1
	timeout 10 "$TCPTALK" -u -l -i 0.5 127.0.0.1 "$q" </dev/null >/dev/null 2>j.err & tp=$!
	bg $tp
	wait_for 5 udp_bound "$q" || return 1
	udp_send "$q" "$a" 'x' || return 1
	wait_exit $tp 5 || return 1
	expect_eq "exit after -i" "$WAIT_STATUS" 1 || return 1
	expect_grep "-i said" j.err '^tcptalk: no traffic for 0\.5 s, closing 127\.0\.0\.1:'
}
run_test "-u with -i: silence ends the peer; -k takes the next sender after it" udp_idle

udp_pair_v6() {
	local p tp
	p=$(udp_port) || return 1
	ip -6 addr show lo 2>/dev/null | grep -q '::1' || { echo "no ::1 here"; return 77; }
	# no ADDR: one dual-stack socket; an IPv6 sender is the peer
	printf 'pong\n' | timeout 10 "$TCPTALK" -v -u -q 1 -l "$p" >l.out 2>l.err & tp=$!
	bg $tp
	wait_for 5 udp_bound "$p" || return 1
	printf 'ping\n' | timeout 5 "$TCPTALK" -u -q 1 ::1 "$p" >c.out
	expect_eq "client exit" "$?" 0 || return 1
	wait_exit $tp 5 || return 1
	expect_eq "listener exit" "$WAIT_STATUS" 0 || return 1
	expect_eq "to the listener" "$(cat l.out)" "ping" || return 1
	expect_eq "to the client" "$(cat c.out)" "pong" || return 1
	expect_grep "-v: both families" l.err "^tcptalk: listening on udp \\[::\\]:$p \\(IPv4 and IPv6\\)\$" || return 1
	expect_grep "-v: the IPv6 peer" l.err '^tcptalk: datagrams from \[::1\]:[0-9]+; replies go to it$'
}
run_test "tcptalk -u -l (IPv4 and IPv6) and tcptalk -u ::1 talk both ways" udp_pair_v6

udp_source_and_crlf() {
	local p s
	p=$(udp_port) && s=$(udp_port) || return 1
	udp_echo echo.log "$p" || return 1
	printf 'x\n' | timeout 5 "$TCPTALK" -u -C -q 0.3 -p "$s" -s 127.0.0.1 127.0.0.1 "$p" >/dev/null
	expect_eq "exit" "$?" 0 || return 1
	expect_eq "from -p, with CRLF" "$(cat echo.log)" "$s b'x\\r\\n'"
}
run_test "-u with -s, -p and -C: the datagram leaves from that port, CRLF-ended" udp_source_and_crlf

udp_usage() {
	local out
	out=$("$TCPTALK" -u -w 1 127.0.0.1 9 2>&1 </dev/null)
	expect_eq "-u -w exit" "$?" 2 || return 1
	expect_grep "-u -w message" <(echo "$out") '^tcptalk: -w has no use with -u: UDP has no connection' || return 1
	out=$("$TCPTALK" -u -U x.sock 2>&1 </dev/null)
	expect_eq "-u -U exit" "$?" 2 || return 1
	expect_grep "-u -U message" <(echo "$out") '^tcptalk: -u and -U together' || return 1
	out=$("$TCPTALK" -u --proxy 127.0.0.1:1 127.0.0.1 9 2>&1 </dev/null)
	expect_eq "-u --proxy exit" "$?" 2 || return 1
	expect_grep "-u --proxy message" <(echo "$out") '^tcptalk: --proxy has no use with -u' || return 1
	out=$("$TCPTALK" -u --tls 127.0.0.1 9 2>&1 </dev/null)
	expect_eq "-u --tls exit" "$?" 2 || return 1
	expect_grep "-u --tls message" <(echo "$out") '^tcptalk: --tls has no use with -u'
}
run_test "-u refuses -w, -U, --proxy and --tls with a reason" udp_usage

# ---- the chat ----

udp_chat_entries_and_refused() {
	ui_setup udp
	local p a
	p=$(udp_port) && a=$(udp_port) || return 1
	# listening: two datagrams without newline are two lines; one of two
	# lines is two; the first sender is named, with "udp" in the status
	ui_start l "$TCP_ENV $TCPTALK -u -l 127.0.0.1 $p" || return 1
	ui_wait l "waiting for the first datagram on udp 127\\.0\\.0\\.1:$p" || return 1
	udp_send "$p" "$a" 'a' 'b' 'x\ny\n' '' --wait 5 >a.got & bg $!
	ui_wait l '^y$' || return 1
	expect_eq "lines in the peer pane" "$(cap l | sed -n '2,/^ you/p' | grep -E '^[abxy]$' | tr '\n' ,)" "a,b,x,y," || return 1
	ui_wait l "UDP datagrams from 127\\.0\\.0\\.1:$a; your lines go to it" || return 1
	ui_wait l "127\\.0\\.0\\.1:$a sent an empty datagram" || return 1
	ui_wait l "UDP peer 127\\.0\\.0\\.1:$a" || return 1
	ui_type l 'back to a' || return 1
	wait_for 5 grep -q 'back to a' a.got || { echo "a got no reply"; return 1; }
	# connecting to nobody: refused is a notice, the chat stays, and a
	# server started later gets the next line
	p=$(udp_port) || return 1
	ui_start c "$TCP_ENV $TCPTALK -u 127.0.0.1 $p" || return 1
	ui_wait c "talking with udp 127\\.0\\.0\\.1:$p: each line you send is one datagram" || return 1
	ui_type c 'anyone?' || return 1
	ui_wait c "127\\.0\\.0\\.1:$p: connection refused \\(nothing listens on that UDP port now\\)" || return 1
	udp_echo echo.log "$p" || return 1
	ui_type c 'now?' || return 1
	wait_for 5 grep -q "now" echo.log || { echo "the echo got nothing"; cap c; return 1; }
	ui_wait c '^now\?$' || return 1
	# /send: each chunk of the file is one whole datagram
	head -c 100000 /dev/zero | tr '\0' x >f.txt
	ui_type c "/send $PWD/f.txt" || return 1
	wait_for 5 udp_has echo.log 3 || { echo "the file did not come"; awk '{ print length($2) }' echo.log; return 1; }
	expect_eq "datagram sizes of /send" "$(tail -n 2 echo.log | awk '{ print length($2) - 3 }' | tr '\n' ,)" "65507,34493,"
}
run_test "chat -u: a datagram is an entry, never joined; refused is a notice and the chat stays" udp_chat_entries_and_refused

udp_chat_keep_open() {
	ui_setup udpk
	local p a b
	p=$(udp_port) && a=$(udp_port) && b=$(udp_port) || return 1
	ui_start k "$TCP_ENV $TCPTALK -u -k -l 127.0.0.1 $p" || return 1
	ui_wait k "waiting for the first datagram" || return 1
	udp_send "$p" "$a" 'hi from a\n' || return 1
	ui_wait k "UDP datagrams from 127\\.0\\.0\\.1:$a; with -k any sender is shown" || return 1
	udp_send "$p" "$b" 'hi from b\n' --wait 5 >b.got & bg $!
	ui_wait k "UDP datagrams now come from 127\\.0\\.0\\.1:$b; your lines go to it" || return 1
	ui_wait k "UDP peer 127\\.0\\.0\\.1:$b" || return 1
	ui_type k 'to the last' || return 1
	wait_for 5 grep -q 'to the last' b.got || { echo "b got no reply"; return 1; }
	ui_type k '/help' || return 1
	ui_wait k 'UDP with -k: datagrams from any sender are shown' || return 1
	if cap k | grep -q '^\* /next'; then echo "/help offers /next under -u"; return 1; fi
}
run_test "chat -u -k: a new sender is said, the reply goes to it; /help says so" udp_chat_keep_open

udp_chat_idle() {
	ui_setup udpi
	local p a
	p=$(udp_port) && a=$(udp_port) || return 1
	ui_start i "$TCP_ENV $TCPTALK -u -l -i 0.5 127.0.0.1 $p" || return 1
	ui_wait i "waiting for the first datagram" || return 1
	udp_send "$p" "$a" 'hello\n' || return 1
	ui_wait i '^hello$' || return 1
	ui_wait i "no traffic for 0\\.5 s: stopped taking UDP datagrams from 127\\.0\\.0\\.1:$a" || return 1
	ui_wait i "UDP peer 127\\.0\\.0\\.1:$a \\| idle after"
}
run_test "chat -u -i: silence ends the peer, said in UDP's words" udp_chat_idle
