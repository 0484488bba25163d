# shellcheck shell=bash disable=SC2154  # sourced by run.sh after lib.sh and t_2ui.sh (TCPTALK, WAIT_STATUS, ui_* helpers)
# tests/e2e/t_8bytes.sh - bytes you can see: -x FILE, the hex dump of every
# byte both ways, in pipe mode and in the chat; an unwritable FILE.

# dump_times FILE: FILE with each header's time replaced by T (after
# checking that every header has a HH:MM:SS.mmm time)
dump_times() {
	if grep -E '^[<>] ' "$1" | grep -vqE '^[<>] [0-2][0-9]:[0-5][0-9]:[0-5][0-9]\.[0-9]{3} (received|sent) '; then
		echo "a header without HH:MM:SS.mmm in $1:" >&2
		cat "$1" >&2
	fi
	sed -E 's/^([<>]) [0-9:.]{12} /\1 T /' "$1"
}

bytes_hex_pipe() {
	local p; p=$(free_port)
	printf 'Hello world.\n\0收到' >hello.bin
	printf 'earlier\n' >b.hex		# an existing file is appended to
	# the listener answers once the question is in its dump: a fixed order
	{ wait_for 5 grep -q '^< .* received 20 bytes$' a.hex; printf 'ok 收到\0\n'; } |
	    timeout 10 "$TCPTALK" -x a.hex -l 127.0.0.1 "$p" >a.out 2>a.err & bg $!
	wait_port "$p" || return 1
	timeout 10 "$TCPTALK" --hex-dump b.hex 127.0.0.1 "$p" <hello.bin >b.out 2>b.err ||
	    { echo "connecting side failed"; cat b.err; return 1; }
	wait_exit "$!" 5 || return 1
	expect_eq "listener status" "$WAIT_STATUS" 0 || return 1
	cmp -s hello.bin a.out || { echo "the bytes did not arrive intact"; return 1; }
	expect_eq "reply" "$(od -An -c b.out | tr -s ' ')" " o k 346 224 266 345 210 260 \\0 \\n" || return 1
	expect_eq "listener's dump" "$(dump_times a.hex)" \
"< T received 20 bytes
00000000  48 65 6c 6c 6f 20 77 6f  72 6c 64 2e 0a 00 e6 94  |Hello world.....|
00000010  b6 e5 88 b0                                       |....|
> T sent 11 bytes
00000000  6f 6b 20 e6 94 b6 e5 88  b0 00 0a                 |ok ........|" || return 1
	expect_eq "connecting side's dump" "$(dump_times b.hex)" \
"earlier
> T sent 20 bytes
00000000  48 65 6c 6c 6f 20 77 6f  72 6c 64 2e 0a 00 e6 94  |Hello world.....|
00000010  b6 e5 88 b0                                       |....|
< T received 11 bytes
00000000  6f 6b 20 e6 94 b6 e5 88  b0 00 0a                 |ok ........|" || return 1
	# the lines are what hexdump -C makes of the same bytes
	if command -v hexdump >/dev/null; then
		expect_eq "as hexdump -C" "$(sed -n 2,3p a.hex)" \
		    "$(hexdump -C hello.bin | sed '$d')" || return 1
	fi
	expect_eq "mode of a new dump" "$(stat -c %a a.hex)" 600 || return 1
	if [ -s a.err ] || [ -s b.err ]; then
		echo "messages:"; cat a.err b.err; return 1
	fi
}
run_test "-x in pipe mode: both directions as hexdump -C blocks with headers; 收到 and NUL; 0600, appended" bytes_hex_pipe

bytes_hex_chat() {
	ui_setup hex
	local p; p=$(free_port)
	ui_start a "$TCP_ENV $TCPTALK -x $PWD/chat.hex -l 127.0.0.1 $p" || return 1
	wait_port "$p" || return 1
	{ printf 'hi 收到\n'; sleep 8; } | timeout 10 "$TCPTALK" 127.0.0.1 "$p" >peer.out & bg $!
	ui_wait a '^hi 收到$' || return 1
	ui_type a 'hello' || return 1
	wait_for 5 grep -q '^hello$' peer.out || { echo "peer never got the typed line"; return 1; }
	# written as it happens: the chat is still running
	wait_for 5 grep -q '^> .* sent 6 bytes$' chat.hex || { echo "no sent block:"; cat chat.hex; return 1; }
	expect_eq "chat's dump" "$(dump_times chat.hex)" \
"< T received 10 bytes
00000000  68 69 20 e6 94 b6 e5 88  b0 0a                    |hi .......|
> T sent 6 bytes
00000000  68 65 6c 6c 6f 0a                                 |hello.|"
}
run_test "-x in the chat: a received and a typed line, written while it runs" bytes_hex_chat

bytes_hex_unwritable() {
	local p rc; p=$(free_port)
	timeout 10 "$TCPTALK" -v -l 127.0.0.1 "$p" </dev/null >/dev/null 2>srv.err & bg $!
	wait_port "$p" || return 1
	timeout 10 "$TCPTALK" -x "$PWD/no/such/dir/x.hex" 127.0.0.1 "$p" </dev/null 2>e1; rc=$?
	expect_eq "status" "$rc" 2 || return 1
	expect_eq "message" "$(cat e1)" \
	    "tcptalk: cannot write the hex dump to '$PWD/no/such/dir/x.hex': No such file or directory" || return 1
	mkdir d
	timeout 10 "$TCPTALK" -x d -l 127.0.0.1 "$(free_port)" </dev/null 2>e2; rc=$?
	expect_eq "directory status" "$rc" 2 || return 1
	expect_eq "directory message" "$(cat e2)" \
	    "tcptalk: cannot write the hex dump to 'd': Is a directory" || return 1
	# a FIFO with no reader: said, never waited on
	mkfifo f
	timeout 3 "$TCPTALK" -x f 127.0.0.1 "$p" </dev/null 2>e3; rc=$?
	expect_eq "FIFO status" "$rc" 2 || return 1
	expect_eq "FIFO message" "$(cat e3)" \
	    "tcptalk: cannot write the hex dump to 'f': it is a FIFO with no reader (start the reader first)" || return 1
	# before any network activity: the listener never saw a peer
	sleep 0.2
	! grep -q 'connection from' srv.err || { echo "it connected first:"; cat srv.err; return 1; }
}
run_test "-x to an unwritable path or a FIFO with no reader: exit 2 with one line, before connecting" bytes_hex_unwritable
