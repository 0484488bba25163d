# shellcheck shell=bash disable=SC2154  # sourced by run.sh after lib.sh and ui.sh (TCPTALK, TCP_ENV, ui_* helpers)
# tests/e2e/t_9hex.sh - /hex and F5: the kept raw bytes as hexdump -C rows
# in the chat, received and sent told apart, /find of hex bytes marked,
# words of hex letters found as text, and a flood that keeps memory bounded.

# hex_pid WINDOW: tcptalk's pid in WINDOW (the pane's process or its child)
hex_pid() {
	local pane pid i
	pane=$(TM display -p -t "T:$1" '#{pane_pid}') || return 1
	for ((i = 0; i < 100; i++)); do
		for pid in "$pane" $(pgrep -P "$pane"); do
			[ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$(basename "$TCPTALK")" ] &&
			    { echo "$pid"; return 0; }
		done
		sleep 0.05
	done
	echo "no tcptalk in window $1" >&2
	return 1
}

# hex_rows WINDOW FILE: every line of FILE is on the screen of WINDOW
hex_rows() {
	local l
	while IFS= read -r l; do
		cap "$1" | grep -qxF -- "$l" || {
			echo "not on screen: '$l'"; cap "$1" | sed 's/^/    |/'; return 1; }
	done <"$2"
}

hex_view() {
	ui_setup hexv
	local p; p=$(free_port)
	ui_start a "$TCP_ENV $TCPTALK -l 127.0.0.1 $p" || return 1
	wait_port "$p" || return 1
	printf 'Hello world.\r\n\0收到' >hello.bin
	{ cat hello.bin; sleep 10; } | timeout 12 "$TCPTALK" 127.0.0.1 "$p" >peer.out & bg $!
	ui_wait a '^< Hello world\.|^Hello world\.' || return 1
	ui_type a '/hex' || return 1
	ui_wait a '^ hex received from 127\.0\.0\.1:' || return 1
	# the rows hexdump -C makes of the same bytes, under their header
	hexdump -C hello.bin | sed '$d' >want.rows
	expect_eq "rows" "$(wc -l <want.rows)" 2 || return 1
	hex_rows a want.rows || return 1
	ui_wait a '^< [0-2][0-9]:[0-5][0-9]:[0-5][0-9]\.[0-9]{3} received 21 bytes$' || return 1
	# F5: the text again
	TM send-keys -t T:a F5 || return 1
	ui_wait a '^ peer 127\.0\.0\.1:' || return 1
	if cap a | grep -q '^00000000  '; then
		echo "hex rows left after F5:"; cap a | sed 's/^/    |/'; return 1
	fi
	# merged: both ways, told apart by the gutter
	ui_type a 'hello' || return 1
	wait_for 5 grep -q '^hello$' peer.out || { echo "peer never got the typed line"; return 1; }
	ui_type a '/view' || return 1
	TM send-keys -t T:a F5 || return 1
	ui_wait a '^ hex both ways with 127\.0\.0\.1:' || return 1
	sed 's/^/< /' want.rows >want.merged
	printf 'hello\n' | hexdump -C | sed '$d; s/^/> /' >>want.merged
	hex_rows a want.merged || return 1
	ui_wait a '^> [0-9:.]{12} sent 6 bytes$' || return 1
	# the sent rows come after the received ones, in the order they crossed
	cap a >merged.screen
	[ "$(grep -n '^< 00000010' merged.screen | cut -d: -f1)" -lt \
	    "$(grep -n '^> 00000000' merged.screen | cut -d: -f1)" ] ||
	    { echo "sent rows before received ones:"; sed 's/^/    |/' merged.screen; return 1; }
	# /find 0d 0a: the match said in the title and marked in reverse video
	ui_type a '/find 0d 0a' || return 1
	ui_wait a 'match at received offset 0000000c' || return 1
	TM capture-pane -e -p -t T:a >marked
	if ! grep -q $'\e\\[7m0d' marked || ! grep -q $'\e\\[7m0a' marked; then
		echo "0d 0a not in reverse video:"; cat -v marked | sed 's/^/    |/'; return 1
	fi
	# text of the bytes (folded) finds the sent line's bytes too
	ui_type a '/find HELLO' || return 1
	ui_wait a 'no match in the kept bytes' || return 1
	ui_type a '/find hello' || return 1
	ui_wait a 'match at sent offset 00000000' || return 1
}
run_test "/hex and F5: hexdump -C rows of the kept bytes (收到, NUL, CRLF), merged both ways with < >, /find 0d 0a marked" hex_view

# /find in the hex view: a word of hex letters is text, bytes need spaces
# between pairs or a 0x / \x prefix
hex_find_words() {
	ui_setup hexw
	local p; p=$(free_port)
	ui_start a "$TCP_ENV $TCPTALK -l 127.0.0.1 $p" || return 1
	wait_port "$p" || return 1
	# "cafe" at 6, the bytes ca fe at 0c
	{ printf 'order cafe\r\n\xca\xfe\n'; sleep 10; } | timeout 12 "$TCPTALK" 127.0.0.1 "$p" >/dev/null & bg $!
	ui_wait a 'order cafe' || return 1
	ui_type a '/hex' || return 1
	ui_wait a '^ hex received from 127\.0\.0\.1:' || return 1
	ui_type a '/find cafe' || return 1
	ui_wait a 'match at received offset 00000006' || return 1
	ui_type a '/find ca fe' || return 1
	ui_wait a 'match at received offset 0000000c' || return 1
	ui_type a '/find fe' || return 1
	ui_wait a 'match at received offset 00000008' || return 1
	ui_type a '/find 0xcafe' || return 1
	ui_wait a 'match at received offset 0000000c' || return 1
	ui_type a '/find CAFE' || return 1
	ui_wait a '^ hex received from [0-9.:]+ -- no match in the kept bytes' || return 1
	ui_type a '/find \xca\xfe' || return 1
	ui_wait a 'match at received offset 0000000c' || return 1
	ui_type a '/find be' || return 1
	ui_wait a '^ hex received from [0-9.:]+ -- no match in the kept bytes' || return 1
}
run_test "/find in the hex view: cafe and fe are text, ca fe, 0xcafe and \\xca\\xfe are bytes" hex_find_words

hex_flood() {
	ui_setup hexf
	local p pid rss top limit=16384; p=$(free_port)
	[ "${SANITIZE:-}" = 1 ] && limit=$((512 * 1024))	# ASan's shadow and quarantine
	ui_start a "$TCP_ENV $TCPTALK --scrollback 100 -l 127.0.0.1 $p" || return 1
	wait_port "$p" || return 1
	pid=$(hex_pid a) || return 1
	ui_type a '/help' || return 1
	ui_wait a 'keeps the last 1600 bytes each way' || return 1
	# 20 MiB of lines, then a last line
	{ yes 'flood 0123456789abcdef' | head -c $((20 * 1024 * 1024)); printf 'THE END\r\n'; sleep 20; } |
	    timeout 60 "$TCPTALK" 127.0.0.1 "$p" >/dev/null & bg $!
	ui_wait a 'THE END$' 30 || return 1
	ui_type a '/hex' || return 1
	ui_wait a '^ hex received from' || return 1
	rss=$(awk '$1 == "VmHWM:" { print $2 }' "/proc/$pid/status")
	echo "peak RSS $rss KiB"
	if [ "$rss" -le 0 ] || [ "$rss" -gt "$limit" ]; then
		echo "peak RSS $rss KiB, at most $limit"; return 1
	fi
	# the last row ends with the last byte: THE END\r\n
	ui_wait a ' 0a +\|[^|]*\.\|$' || return 1
	# far up: only the ring's tail is kept, the oldest row at the top
	TM send-keys -t T:a PPage PPage PPage PPage PPage PPage PPage PPage PPage PPage || return 1
	ui_wait a 'scrolled up, End: live' || return 1
	top=$(cap a | sed -n 2,3p | grep -oE '^[0-9a-f]{8}' | head -1)
	if [ -z "$top" ] || [ $((16#$top)) -lt $((20 * 1024 * 1024 + 9 - 1600 - 16)) ] ||
	    [ $((16#$top)) -gt $((20 * 1024 * 1024 + 9 - 1000)) ]; then
		echo "oldest row shown is at '$top':"; cap a | sed 's/^/    |/'; return 1
	fi
	ui_type a '/find 0d 0a' || return 1
	ui_wait a 'match at received offset 01400007' || return 1
	TM send-keys -t T:a End || return 1
	ui_wait a '^ hex received from [0-9.:]+ *$' || return 1
	TM send-keys -t T:a F5 || return 1
	ui_wait a '^< THE END|THE END' || return 1
}
run_test "/hex after a 20 MiB flood: RSS bounded, the ring keeps the tail (--scrollback 100: 1600 bytes), scrolling and /find still work" hex_flood
