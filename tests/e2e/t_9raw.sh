# shellcheck shell=bash disable=SC2154  # sourced by run.sh after lib.sh and t_2ui.sh (TCPTALK, ui_* helpers)
# tests/e2e/t_9raw.sh - bytes a keyboard cannot type and characters a screen
# does not show: /raw with every escape, malformed escapes, Ctrl-V, /show
# and the CRLF hint, against a pipe-mode peer that keeps what it gets.

# raw_input_is WINDOW TEXT: the input row is "> TEXT" exactly
raw_input_is() {
	local row; row=$(cap "$1" | tail -1)
	[ "$row" == "> $2" ] && return 0
	printf 'input row of %s: got [%s], want [> %s]\n' "$1" "$row" "$2"
	return 1
}

# raw_clear_input WINDOW: Ctrl-U alone (right after a refused line, keys that
# come with it would be taken as the rest of a paste), until the row is empty
raw_clear_input() {
	TM send-keys -t "T:$1" C-u
	ui_wait "$1" '^>$'
}

# raw_type_enter WINDOW TEXT: TEXT, then Enter once it shows: an Enter read
# with the text would look like a paste, whose refused line keeps its
# newline in the input
raw_type_enter() {
	TM send-keys -t "T:$1" -l -- "$2" || return 1
	wait_for 5 raw_input_is "$1" "$2" >/dev/null || { raw_input_is "$1" "$2"; return 1; }
	TM send-keys -t "T:$1" Enter
}

raw_every_escape() {
	ui_setup raw
	local p; p=$(free_port)
	{ sleep 15; } | timeout 20 "$TCPTALK" -l 127.0.0.1 "$p" >peer.bin & bg $!
	wait_port "$p" || return 1
	ui_start a "$TCP_ENV $TCPTALK 127.0.0.1 $p" || return 1
	ui_wait a 'connected to' || return 1
	ui_type a '/raw' || return 1
	ui_wait a '^\* /raw TEXT sends TEXT as it is, with no line end added' || return 1
	# every escape kind, bytes no keyboard types, and no line end at the end
	ui_type a '/raw a\r\n\t\0\e\\b\x16\x03\x01\xFF\x00\u00e9\u{1F600}\u6536|' || return 1
	printf 'a\r\n\t\0\033\\b\x16\x03\x01\xff\x00\xc3\xa9\xf0\x9f\x98\x80\xe6\x94\xb6|' >want.bin
	wait_for 5 cmp -s want.bin peer.bin ||
	    { echo "the peer got:"; od -c peer.bin; echo "want:"; od -c want.bin; return 1; }
	# shown as sent: cut at the newline, the tail marked as having none
	ui_wait a '^        \^@\^\[\\b\^V\^C\^A\\xff\^@é😀收\| ⏎̸$' || return 1
	# malformed: said with the escape and its column, nothing sent, the
	# line kept in the input to be fixed
	raw_type_enter a '/raw ok\x4' || return 1
	ui_wait a '^\* nothing sent: the escape \\x4 at column 8 is malformed \(\\x needs two hex' || return 1
	raw_input_is a '/raw ok\x4' || return 1
	raw_clear_input a || return 1
	raw_type_enter a '/raw 收\q' || return 1
	ui_wait a '^\* nothing sent: the escape \\q at column 8 is malformed \(Unknown escape' || return 1
	raw_input_is a '/raw 收\q' || return 1
	raw_clear_input a || return 1
	raw_type_enter a '/raw \u{110000}' || return 1
	ui_wait a '^\* nothing sent: the escape \\u\{110000\} at column 6 is malformed \(\\u is U\+110000, above' || return 1
	raw_input_is a '/raw \u{110000}' || return 1
	raw_clear_input a || return 1
	# nothing of those went: the next bytes follow the first ones directly
	ui_type a '/raw END' || return 1
	printf 'END' >>want.bin
	wait_for 5 cmp -s want.bin peer.bin ||
	    { echo "the peer got:"; od -c peer.bin; echo "want:"; od -c want.bin; return 1; }
}
run_test "/raw: every escape kind arrives exactly, no line end; malformed escapes said with their column, nothing sent, line kept" raw_every_escape

raw_not_connected() {
	ui_setup rawnc
	local p; p=$(free_port)
	ui_start a "$TCP_ENV $TCPTALK -l 127.0.0.1 $p" || return 1
	wait_port "$p" || return 1
	raw_type_enter a '/raw x\r\n' || return 1
	ui_wait a '^\* no peer yet: nothing sent' || return 1
	raw_input_is a '/raw x\r\n'
}
run_test "/raw with no peer: the same notice as a line, the text kept" raw_not_connected

# the input row, and whether it stays the same for a moment
raw_row() { cap "$1" | tail -1; }
raw_row_still() { local r; r=$(raw_row "$1"); sleep 0.5; [ "$r" == "$(raw_row "$1")" ]; }
raw_size_of() { stat -c %s "$1" 2>/dev/null || echo 0; }
raw_have_all() { [ "$(raw_size_of got)" -ge "$(raw_size_of want)" ]; }
raw_paste_over() { raw_row "$1" | grep -qE '^> <.*[0-9](\^J)?$' && raw_row_still "$1"; }
raw_last_sent() { cap "$1" | grep -oE '[0-9]{4} ⏎̸$' | tail -1; }
raw_queue_empty() { ! cap "$1" | grep -qE 'queued [1-9]'; }
raw_enter_done() { [ "$(raw_last_sent "$1")" != "$2" ] || raw_row "$1" | grep -qE '^>\s*$'; }

raw_queue_full() {
	ui_setup rawfull
	local p i n; p=$(free_port)
	# a peer that takes the connection and reads nothing (a small window)
	# until the file go exists, then appends all it gets to got
	timeout 60 python3 -c 'import os, socket, sys, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen(1)
c, _ = s.accept()
while not os.path.exists("go"):
    time.sleep(0.05)
with open("got", "wb") as f:
    while True:
        d = c.recv(65536)
        if not d:
            break
        f.write(d)
        f.flush()' "$p" & bg $!
	wait_port "$p" || return 1
	ui_start a "$TCP_ENV $TCPTALK 127.0.0.1 $p" || return 1
	ui_wait a 'connected to' || return 1
	# more than the whole queue at once: said so, nothing queued
	{ printf '/raw '; head -c $((1100 * 1024)) /dev/zero | tr '\0' x; } >big
	TM load-buffer big && TM paste-buffer -t T:a && TM send-keys -t T:a Enter
	ui_wait a '^\* the text is 1100 KiB once decoded, more than the send queue holds \(1024 KiB\)' 20 || return 1
	ui_wait a 'out 0 B' || return 1
	raw_clear_input a || return 1
	# /raw lines until the queue is full (the kernel takes some MiB first):
	# the refused line and the rest stay in the input, then go as the peer
	# reads, each byte once
	perl -e 'printf "/raw %s %04d\n", "z" x 2000, $_ for 1 .. 3000' >lines
	perl -e 'printf "%s %04d", "z" x 2000, $_ for 1 .. 3000' >want
	TM load-buffer lines && TM paste-buffer -t T:a
	ui_wait a '^\* send queue full \([0-9]+ KiB waiting, the peer is not reading\): the line stays' 30 || return 1
	# the paste is over: the input ends where a line does, and stays so
	wait_for 60 raw_paste_over a || { echo "the paste never ended:"; raw_row a; return 1; }
	touch go
	# Enter sends what is kept, as much as fits each time, never twice;
	# pressed once the queue is empty, each Enter is over when a newer line
	# is the last one sent (each line ends with its number) or the input
	# is empty
	for ((i = 0; i < 20; i++)); do
		wait_for 30 raw_queue_empty a || { echo "the queue never drained"; cap a; return 1; }
		n=$(raw_last_sent a)
		TM send-keys -t T:a Enter
		wait_for 30 raw_enter_done a "$n" || { echo "Enter $i never ended"; cap a; return 1; }
		raw_row a | grep -qE '^>\s*$' && break
	done
	wait_for 20 raw_have_all
	echo "$i Enter presses"
	cmp want got || { echo "lost, doubled or reordered: $(raw_size_of got) bytes, want $(raw_size_of want)"; tail -c 100 got | od -c | tail -4; return 1; }
}
run_test "/raw: more than the queue holds is said and not sent; a full queue refuses it and keeps the line" raw_queue_full

raw_ctrl_v() {
	ui_setup ctrlv
	local p; p=$(free_port)
	{ printf 'lf only\n'; sleep 15; } | timeout 20 "$TCPTALK" -l 127.0.0.1 "$p" >peer.bin & bg $!
	wait_port "$p" || return 1
	ui_start a "$TCP_ENV $TCPTALK 127.0.0.1 $p" || return 1
	ui_wait a '^lf only$' || return 1
	# the terminal's own literal-next (VLNEXT) is off while we own it: on
	# BSD it would swallow Ctrl-V even outside canonical mode
	stty -a -F "$(TM display -p -t T:a '#{pane_tty}')" | grep -q 'lnext = <undef>' ||
	    { echo "VLNEXT still set:"; stty -a -F "$(TM display -p -t T:a '#{pane_tty}')"; return 1; }
	# quoted insert: the next key as the byte it is, shown as ^X
	TM send-keys -t T:a x C-v C-a C-v Tab C-v Escape y
	ui_wait a '^> x\^A\^I\^\[y$' || return 1
	TM send-keys -t T:a Enter
	printf 'x\001\t\033y\n' >want.bin
	wait_for 5 cmp -s want.bin peer.bin ||
	    { echo "the peer got:"; od -c peer.bin; echo "want:"; od -c want.bin; return 1; }
	ui_wait a '^x\^A +\^\[y( [·✓])?$' || return 1
	# the peer ends its lines with LF: no CRLF hint
	if cap a | grep -q 'ends its lines with CRLF'; then
		echo "a CRLF hint for a peer that sends LF:"; cap a; return 1
	fi
}
run_test "Ctrl-V Ctrl-A / Tab / Esc: shown as ^A ^I ^[ in the input, sent as 0x01 0x09 0x1b" raw_ctrl_v

raw_ctrl_v_line_mode() {
	ui_setup ctrlvl
	local p; p=$(free_port)
	{ sleep 15; } | timeout 20 "$TCPTALK" -l 127.0.0.1 "$p" >peer.bin & bg $!
	wait_port "$p" || return 1
	ui_start a "$TCP_ENV $TCPTALK --line 127.0.0.1 $p" || return 1
	ui_wait a 'connected to' || return 1
	TM send-keys -t T:a x C-v C-a C-v Escape y
	ui_wait a '^> x\^A\^\[y$' || return 1
	TM send-keys -t T:a Enter
	printf 'x\001\033y\n' >want.bin
	wait_for 5 cmp -s want.bin peer.bin ||
	    { echo "the peer got:"; od -c peer.bin; echo "want:"; od -c want.bin; return 1; }
}
run_test "Ctrl-V in line mode: readline's quoted insert, sent as the bytes" raw_ctrl_v_line_mode

raw_show() {
	ui_setup show
	local p; p=$(free_port)
	{ printf 'a\tb  \r\nn\xc2\xa0b z\xe2\x80\x8bw\nthird\r\n'; sleep 15; } |
	    timeout 20 "$TCPTALK" -l 127.0.0.1 "$p" >peer.bin & bg $!
	wait_port "$p" || return 1
	ui_start a "$TCP_ENV $TCPTALK 127.0.0.1 $p" || return 1
	ui_wait a '^third$' || return 1
	ui_wait a '^a       b$' || return 1
	ui_type a '/show' || return 1
	# tab, trailing spaces, CRLF; no-break space, zero-width space, LF
	ui_wait a '^a→      b··␍␊$' || return 1
	ui_wait a '^n⍽b z\\u200bw␊$' || return 1
	ui_wait a '^third␍␊$' || return 1
	ui_type a '/show' || return 1
	ui_wait a '^\* invisible characters are no longer marked' || return 1
	ui_wait a '^third$' || return 1
	if cap a | grep -qE '^a→|^n⍽'; then
		echo "still marked after /show again:"; cap a; return 1
	fi
	ui_wait a '^a       b$' || return 1
	# two of three lines came with CRLF and we send LF: said once
	ui_type a 'one' || return 1
	wait_for 5 grep -q '^one$' peer.bin || { echo "peer never got one"; return 1; }
	ui_wait a '^\* the peer ends its lines with CRLF and you send LF; /crlf sends CRLF' || return 1
	ui_type a 'two' || return 1
	wait_for 5 grep -q '^two$' peer.bin || { echo "peer never got two"; return 1; }
	ui_wait a '^two( [·✓])?$' || return 1
	expect_eq "CRLF hints" "$(cap a | grep -c 'the peer ends its lines with CRLF')" 1
}
run_test "/show marks a tab, trailing spaces, NBSP, U+200B and CRLF/LF ends, and toggles back; the CRLF hint once" raw_show
