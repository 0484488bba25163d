# shellcheck shell=bash disable=SC2154  # sourced by run.sh after lib.sh and ui.sh (TCPTALK, WAIT_STATUS, ui_* helpers)
# tests/e2e/t_9record.sh - the conversation on record: -o FILE in the chat
# and in pipe mode, -k peers each headed by their address, appending, 0600,
# an unwritable FILE, a FIFO (never waited for), and /save in the chat.

# times_as_t FILE: FILE with each entry's time replaced by T, after checking
# that every line starts with HH:MM:SS.mmm and a direction, and that the
# times never go back
times_as_t() {
	if grep -vqE '^[0-2][0-9]:[0-5][0-9]:[0-5][0-9]\.[0-9]{3} [-<>]( |$)' "$1"; then
		echo "a line without 'HH:MM:SS.mmm D' in $1:" >&2
		cat "$1" >&2
	fi
	cut -c1-12 "$1" | sort -c 2>&1 | sed 's/^/times out of order: /' >&2
	sed -E 's/^[0-9:.]{12} /T /' "$1"
}

# no_controls FILE: no control byte but the newlines (no ESC, no BEL, ...)
no_controls() {
	local n
	n=$(tr -d '\n' <"$1" | LC_ALL=C grep -c '[[:cntrl:]]')
	expect_eq "lines of $1 with control bytes" "$n" 0 || { od -c "$1" | head; return 1; }
	expect_eq "ESC in $1" "$(grep -c $'\e' "$1")" 0
}

pane_dead() { [ "$(TM list-panes -t "T:$1" -F '#{pane_dead}')" = 1 ]; }

# lines_are FILE N: FILE has N lines
lines_are() { [ "$(wc -l <"$1")" -eq "$2" ]; }

record_chat() {
	ui_setup rec
	local p cp; p=$(free_port); cp=$(free_port)
	ui_start a "$TCP_ENV $TCPTALK -o $PWD/chat.log -l 127.0.0.1 $p" || return 1
	wait_port "$p" || return 1
	# Chinese, an escape injection (window title, clear screen), then a
	# prompt without newline that our answer closes
	# shellcheck disable=SC2094  # the peer waits for what it received
	{ printf '你好 world\n\033]0;pwned\a\033[2J after\nlogin: '
	  wait_for 5 grep -q '^secret$' peer.out; printf 'thanks\nbye now'; sleep 8; } |
	    timeout 10 "$TCPTALK" -p "$cp" 127.0.0.1 "$p" >peer.out & bg $!
	ui_wait a 'login: ' || return 1
	ui_type a 'secret' || return 1
	# read while tcptalk still runs: each entry is there once final (the
	# line still arriving is not, yet)
	wait_for 5 grep -q '< thanks$' chat.log || { echo "no live entry:"; cat chat.log; return 1; }
	ui_wait a '^bye now …' || return 1
	expect_eq "the chat still runs" "$(TM list-panes -t T:a -F '#{pane_dead}')" 0 || return 1
	# the accept notice's round trip varies: R
	expect_eq "chat's record" "$(times_as_t chat.log | sed -E 's/a round trip of [0-9]+\.[0-9]{2} ms$/a round trip of R ms/')" \
"T - waiting for a peer on 127.0.0.1:$p; /help lists keys and commands
T - 127.0.0.1:$cp connected; the kernel completed the TCP handshake (SYN → SYN-ACK → ACK) before tcptalk accepted it, a round trip of R ms
T < 你好 world
T < ^[]0;pwned^G^[[2J after
T < login:  ⏎̸
T > secret
T < thanks" || return 1
	no_controls chat.log || return 1
	expect_eq "mode" "$(stat -c %a chat.log)" 600 || return 1
	# leaving ends the record: the open line closed, the connection too
	ui_type a '/quit' || return 1
	wait_for 5 pane_dead a || { echo "the chat did not leave"; return 1; }
	tail -2 chat.log >end.log
	expect_eq "the record's end" "$(times_as_t end.log)" \
"T < bye now ⏎̸
T - you closed the connection with 127.0.0.1:$cp"
}
run_test "-o in the chat: Chinese, an escape injection sanitized, a line without newline marked, written while it runs" record_chat

record_pipe() {
	local p; p=$(free_port)
	printf 'hello\n\033[31mred\033[0m 收到\n' >q.txt
	printf 'earlier\n' >b.log		# an existing file is appended to
	# the listener answers once the question is in its record: a fixed
	# order, and proof that the file is written as it happens
	{ wait_for 5 grep -qs '< ^\[\[31mred^\[\[0m 收到$' a.log || touch late
	  printf 'ok 收到\nbye'; } |
	    timeout 10 "$TCPTALK" -o a.log -l 127.0.0.1 "$p" >a.out 2>a.err & bg $!
	wait_port "$p" || return 1
	timeout 10 "$TCPTALK" --output b.log 127.0.0.1 "$p" <q.txt >b.out 2>b.err ||
	    { echo "connecting side failed"; cat b.err; return 1; }
	wait_exit "$!" 5 || return 1
	expect_eq "listener status" "$WAIT_STATUS" 0 || return 1
	[ ! -e late ] || { echo "the received lines were not written as they came"; return 1; }
	# the bytes themselves go through untouched
	cmp -s q.txt a.out || { echo "the bytes did not arrive intact"; return 1; }
	expect_eq "reply" "$(cat b.out)" "$(printf 'ok 收到\nbye')" || return 1
	local cp; cp=$(sed -nE 's/.* - 127\.0\.0\.1:([0-9]+) connected$/\1/p' a.log)
	expect_eq "listener's record" "$(times_as_t a.log)" \
"T - 127.0.0.1:$cp connected
T < hello
T < ^[[31mred^[[0m 收到
T > ok 收到
T > bye ⏎̸
T - connection with 127.0.0.1:$cp closed" || return 1
	sed 1d b.log >b.new
	expect_eq "connecting side's record" "$(times_as_t b.new)" \
"T - connected to 127.0.0.1:$p
T > hello
T > ^[[31mred^[[0m 收到
T < ok 收到
T < bye ⏎̸
T - connection with 127.0.0.1:$p closed" || return 1
	expect_eq "appended" "$(head -1 b.log)" "earlier" || return 1
	expect_eq "mode of a new record" "$(stat -c %a a.log)" 600 || return 1
	no_controls a.log || return 1
	no_controls b.log || return 1
	if [ -s a.err ] || [ -s b.err ]; then
		echo "messages:"; cat a.err b.err; return 1
	fi
}
run_test "-o in pipe mode: both directions as lines, a tail without newline marked, the close; 0600, appended" record_pipe

record_keep_open() {
	local p c1 c2; p=$(free_port); c1=$(free_port); c2=$(free_port)
	timeout 10 "$TCPTALK" -k -o k.log -l 127.0.0.1 "$p" </dev/null >k.out 2>k.err & bg $!
	wait_port "$p" || return 1
	printf 'one\nfirst tail' | timeout 5 "$TCPTALK" -p "$c1" 127.0.0.1 "$p" >/dev/null ||
	    { echo "first peer failed"; return 1; }
	wait_for 5 grep -q "closed$" k.log || { echo "first peer's end not recorded:"; cat k.log; return 1; }
	printf 'two\n' | timeout 5 "$TCPTALK" -p "$c2" 127.0.0.1 "$p" >/dev/null ||
	    { echo "second peer failed"; return 1; }
	wait_for 5 grep -q "$c2 closed$" k.log || { echo "second peer's end not recorded:"; cat k.log; return 1; }
	expect_eq "two peers' parts" "$(times_as_t k.log)" \
"T - 127.0.0.1:$c1 connected
T < one
T < first tail ⏎̸
T - connection with 127.0.0.1:$c1 closed
T - 127.0.0.1:$c2 connected
T < two
T - connection with 127.0.0.1:$c2 closed" || return 1
	cmp -s k.out <(printf 'one\nfirst tailtwo\n') || { echo "bytes:"; od -c k.out; return 1; }
}
run_test "-o with -k: each peer's part headed and ended by its address" record_keep_open

# The chat under -k: each peer's part between its connect and close lines.
record_chat_keep_open() {
	ui_setup reck
	local p c1 c2; p=$(free_port); c1=$(free_port); c2=$(free_port)
	ui_start a "$TCP_ENV $TCPTALK -k -o $PWD/chat.log -l 127.0.0.1 $p" || return 1
	wait_port "$p" || return 1
	printf 'one\n' | timeout 10 "$TCPTALK" -p "$c1" 127.0.0.1 "$p" >/dev/null & bg $!
	ui_wait a 'finished sending' || return 1
	TM send-keys -t T:a C-d		# our FIN: the first peer is done
	wait_for 5 grep -q "connection with 127.0.0.1:$c1 closed: the peer sent FIN first, then you did" chat.log ||
	    { echo "first peer's end not recorded:"; cat chat.log; return 1; }
	printf 'two\n' | timeout 10 "$TCPTALK" -p "$c2" 127.0.0.1 "$p" >/dev/null & bg $!
	wait_for 5 grep -q '< two$' chat.log || { echo "second peer not recorded:"; cat chat.log; return 1; }
	ui_wait a "127.0.0.1:$c2 sent FIN: it finished sending" || return 1
	TM send-keys -t T:a C-d
	wait_for 5 grep -q "connection with 127.0.0.1:$c2 closed: the peer sent FIN first, then you did" chat.log ||
	    { echo "second peer's end not recorded:"; cat chat.log; return 1; }
	# each notice to its first words (their timeline is t_9marks.sh's)
	grep -E " (- 127\.0\.0\.1:[0-9]+ connected; |< |- connection with .* closed: )" chat.log |
	    sed -E 's/ (connected|closed)[;:] .*$/ \1/' >parts.log
	expect_eq "two peers' parts" "$(times_as_t parts.log)" \
"T - 127.0.0.1:$c1 connected
T < one
T - connection with 127.0.0.1:$c1 closed
T - 127.0.0.1:$c2 connected
T < two
T - connection with 127.0.0.1:$c2 closed"
}
run_test "-o in the chat with -k: each peer's part headed and ended by its address" record_chat_keep_open

record_unwritable() {
	local p rc; p=$(free_port)
	timeout 10 "$TCPTALK" -v -l 127.0.0.1 "$p" </dev/null >/dev/null 2>srv.err & bg $!
	wait_port "$p" || return 1
	timeout 10 "$TCPTALK" -o "$PWD/no/such/dir/t.log" 127.0.0.1 "$p" </dev/null 2>e1; rc=$?
	expect_eq "status" "$rc" 2 || return 1
	expect_eq "message" "$(cat e1)" \
	    "tcptalk: cannot write the transcript to '$PWD/no/such/dir/t.log': No such file or directory" || return 1
	mkdir d
	timeout 10 "$TCPTALK" --output d -l 127.0.0.1 "$(free_port)" </dev/null 2>e2; rc=$?
	expect_eq "directory status" "$rc" 2 || return 1
	expect_eq "directory message" "$(cat e2)" \
	    "tcptalk: cannot write the transcript to 'd': Is a directory" || return 1
	# before any network activity: the listener never saw a peer
	sleep 0.2
	! grep -q 'connection from' srv.err || { echo "it connected first:"; cat srv.err; return 1; }
}
run_test "-o to an unwritable path: exit 2 with one line, before connecting" record_unwritable

# A write that fails later (a full disk) is said once; the bytes still flow.
record_write_fails() {
	[ -w /dev/full ] || { echo "no /dev/full"; return 77; }
	local p; p=$(free_port)
	seq 1 1000 >lines.txt
	timeout 10 "$TCPTALK" -o /dev/full -l 127.0.0.1 "$p" </dev/null >a.out 2>a.err & bg $!
	wait_port "$p" || return 1
	timeout 10 "$TCPTALK" 127.0.0.1 "$p" <lines.txt >/dev/null || { echo "sender failed"; return 1; }
	wait_exit "$!" 5 || return 1
	expect_eq "status" "$WAIT_STATUS" 0 || return 1
	cmp -s lines.txt a.out || { echo "the bytes did not arrive intact"; return 1; }
	expect_eq "said once" "$(cat a.err)" \
	    "tcptalk: cannot write the transcript to '/dev/full' (No space left on device): nothing more is recorded there" || return 1
	# the chat says it once too, and goes on
	ui_setup full
	p=$(free_port)
	ui_start a "$TCP_ENV $TCPTALK -o /dev/full -l 127.0.0.1 $p" || return 1
	wait_port "$p" || return 1
	{ printf 'one\ntwo\n'; sleep 8; } | timeout 10 "$TCPTALK" 127.0.0.1 "$p" >peer.out & bg $!
	ui_wait a '^two$' || return 1
	ui_type a 'typed' || return 1
	wait_for 5 grep -q '^typed$' peer.out || { echo "the peer never got the typed line"; return 1; }
	# (wrapped: the notice is wider than the screen)
	expect_eq "notices" "$(cap a | grep -c "cannot write the transcript to '/dev/full' (No space")" 1
}
run_test "-o to a file that fails later: said once, in pipe mode and in the chat, and the talk goes on" record_write_fails

record_save() {
	ui_setup save
	local p n; p=$(free_port)
	ui_start a "$TCP_ENV $TCPTALK -o $PWD/chat.log -l 127.0.0.1 $p" || return 1
	wait_port "$p" || return 1
	# shellcheck disable=SC2094  # the peer waits for what it received
	{ printf 'hi 收到\n\033[2Jthere\n'; wait_for 5 grep -q '^fine$' peer.out
	  printf 'prompt> '; sleep 8; } |
	    timeout 10 "$TCPTALK" 127.0.0.1 "$p" >peer.out & bg $!
	ui_wait a 'there' || return 1
	ui_type a 'fine' || return 1
	ui_wait a 'prompt>  …' || return 1
	ui_type a '/save' || return 1
	ui_wait a '/save needs a file name' || return 1
	ui_type a '/save ~/saved.txt' || return 1
	ui_wait a "saved [0-9]+ lines to $PWD/saved.txt" || return 1
	# the kept conversation merged in order, as -o writes it, and the line
	# still arriving as the screen shows it
	n=$(cap a | sed -nE 's/.*saved ([0-9]+) lines to.*/\1/p' | head -1)
	expect_eq "lines said" "$n" "$(wc -l <saved.txt)" || return 1
	# -o has every entry but the open line, which is not final yet
	expect_eq "saved like -o" "$(grep -v ' …$' saved.txt)" "$(head -n $((n - 1)) chat.log)" || return 1
	grep ' …$' saved.txt >open.txt
	expect_eq "the open line" "$(times_as_t open.txt)" "T < prompt>  …" || return 1
	expect_eq "saved" "$(times_as_t saved.txt | grep -E '^T [<>]')" \
"T < hi 收到
T < ^[[2Jthere
T > fine
T < prompt>  …" || return 1
	expect_grep "headed by the peer" saved.txt '^[0-9:.]{12} - 127\.0\.0\.1:[0-9]+ connected; the kernel completed the TCP handshake' || return 1
	no_controls saved.txt || return 1
	expect_eq "mode" "$(stat -c %a saved.txt)" 600 || return 1
	# again: appended (the first save's notice is one more line)
	cp saved.txt first.txt
	ui_type a '/save ~/saved.txt' || return 1
	wait_for 5 lines_are saved.txt $((2 * n + 1)) ||
	    { echo "not appended:"; cat saved.txt; return 1; }
	expect_eq "first save kept" "$(head -n "$n" saved.txt)" "$(cat first.txt)"
}
run_test "/save in the chat: the kept conversation as -o writes it, ~/ expanded, 0600, appended" record_save

# fifo_with_reader F: a reader holds FIFO F open and reads it (into F.out)
# only once the file F.go exists, F.done when it met the end; back once
# it has the FIFO open.
fifo_with_reader() {
	mkfifo "$1"
	{ exec 3<"$1"; wait_for 30 test -e "$1.go"; cat <&3 >"$1.out"; touch "$1.done"; } & bg $!
	# a writer of our own for a moment: back once the reader has it open
	exec 4>"$1"
	exec 4>&-
}

# notes_sum FILE: the lines said lost in FILE's '!' lines, added up
notes_sum() {
	sed -nE 's/^[0-9:.]{12} ! ([0-9]+) lines not recorded: the file did not keep up$/\1/p' "$1" |
	    awk '{ n += $1 } END { print n + 0 }'
}

# -o to a FIFO whose reader does not read: the bytes go on flowing, SIGTERM
# still ends the run, and the lines that did not fit are counted.
record_fifo_not_read() {
	local p pid n; p=$(free_port)
	seq -f 'line %g of a flood that the record cannot keep up with' 1 20000 >flood.txt
	fifo_with_reader f
	timeout 20 "$TCPTALK" -o f -l 127.0.0.1 "$p" </dev/null >a.out 2>a.err & pid=$!; bg $pid
	wait_port "$p" || return 1
	{ cat flood.txt; sleep 15; } | timeout 20 "$TCPTALK" 127.0.0.1 "$p" >/dev/null & bg $!
	# 1.2 MB of record, and the reader has taken none of it
	wait_for 10 cmp -s flood.txt a.out || { echo "the bytes stopped: $(wc -l <a.out) of 20000 lines"; return 1; }
	touch f.go
	wait_for 5 test -s f.out || { echo "the reader did not start"; return 1; }
	kill -TERM "$pid"
	wait_exit "$pid" 3 || return 1
	expect_eq "status" "$WAIT_STATUS" 143 || return 1
	wait_for 5 test -e f.done || { echo "the reader never met the end"; return 1; }
	grep -q ' ! [0-9]* lines not recorded' f.out ||
	    { echo "no note in the record:"; tail -3 f.out; cat a.err; return 1; }
	n=$(notes_sum f.out)
	expect_eq "said at exit" "$(cat a.err)" \
	    "tcptalk: the transcript to 'f' lacks $n lines: it did not keep up" || return 1
	# the connect, 20000 lines, the close by the signal: there or counted
	expect_eq "entries recorded and said lost" \
	    "$(( $(grep -cv ' ! [0-9]* lines not recorded' f.out) + n ))" 20002 || return 1
	expect_grep "the flood's start" f.out ' < line 1 of a flood that the record cannot keep up with$' || return 1
	# the lines there are whole and in order
	grep ' < ' f.out | sed -E 's/^[0-9:.]{12} < line ([0-9]+) .*/\1/' >nums
	sort -nc nums || return 1
	expect_eq "whole lines" "$(grep -cvE '^[0-9:.]{12} ([-<>!]) ' f.out)" 0
}
run_test "-o to a FIFO nobody reads: the bytes flow, SIGTERM ends it, the lines left out are counted in the file and at exit" record_fifo_not_read

# The same in the chat: keys still work while the record is stuck.
record_fifo_chat() {
	ui_setup recf
	local p; p=$(free_port)
	seq -f 'line %g of a flood that the record cannot keep up with' 1 20000 >flood.txt
	fifo_with_reader f
	ui_start a "$TCP_ENV $TCPTALK -o $PWD/f -l 127.0.0.1 $p" || return 1
	wait_port "$p" || return 1
	# shellcheck disable=SC2094  # the peer waits for what it received
	{ cat flood.txt; wait_for 10 grep -q '^typed$' peer.out; echo after; sleep 8; } |
	    timeout 20 "$TCPTALK" 127.0.0.1 "$p" >peer.out & bg $!
	ui_wait a 'line 20000 of a flood' || return 1
	ui_type a 'typed' || return 1
	wait_for 5 grep -q '^typed$' peer.out || { echo "the peer never got the typed line"; return 1; }
	ui_wait a '^after$' || return 1
	touch f.go
	wait_for 5 test -s f.out || { echo "the reader did not start"; return 1; }
	ui_type a '/quit' || return 1
	wait_for 5 pane_dead a || { echo "the chat did not leave"; return 1; }
	wait_for 5 test -e f.done || { echo "the reader never met the end"; return 1; }
	grep -q ' ! [0-9]* lines not recorded' f.out ||
	    { echo "no note in the record:"; tail -3 f.out; return 1; }
	expect_grep "the flood's start" f.out ' < line 1 of a flood that the record cannot keep up with$' || return 1
	expect_eq "whole lines" "$(grep -cvE '^[0-9:.]{12} ([-<>!]) ' f.out)" 0
}
run_test "-o to a FIFO nobody reads, in the chat: keys still work, the lines left out are counted" record_fifo_chat

# A FIFO with no reader: said at start, before any socket, never waited on.
record_fifo_no_reader() {
	local p rc; p=$(free_port)
	timeout 10 "$TCPTALK" -v -l 127.0.0.1 "$p" </dev/null >/dev/null 2>srv.err & bg $!
	wait_port "$p" || return 1
	mkfifo f
	timeout 3 "$TCPTALK" -o f 127.0.0.1 "$p" </dev/null 2>e1; rc=$?
	expect_eq "status" "$rc" 2 || return 1
	expect_eq "message" "$(cat e1)" \
	    "tcptalk: cannot write the transcript to 'f': it is a FIFO with no reader (start the reader first)" || return 1
	sleep 0.2
	! grep -q 'connection from' srv.err || { echo "it connected first:"; cat srv.err; return 1; }
}
run_test "-o to a FIFO with no reader: exit 2 with one line, before connecting" record_fifo_no_reader

# /save writes only to a regular file: a FIFO (read or not) or /dev/null is
# refused with a notice, and the chat goes on.
record_save_fifo() {
	ui_setup savef
	local p; p=$(free_port)
	mkfifo f
	ui_start a "$TCP_ENV $TCPTALK -l 127.0.0.1 $p" || return 1
	wait_port "$p" || return 1
	{ printf 'hello\n'; sleep 8; } | timeout 10 "$TCPTALK" 127.0.0.1 "$p" >peer.out & bg $!
	ui_wait a '^hello$' || return 1
	ui_type a "/save $PWD/f" || return 1
	ui_wait a "/save writes only to a regular file, and '$PWD/f' is" || return 1
	ui_type a 'still here' || return 1
	wait_for 5 grep -q '^still here$' peer.out || { echo "the chat stopped"; return 1; }
	# with a reader: refused too, and the reader sees only the end
	{ exec 3<f; cat <&3 >f.out; touch f.done; } & bg $!
	ui_type a "/save $PWD/f" || return 1
	wait_for 5 test "$(cap a | grep -c '/save writes only to a regular file')" -ge 2 || return 1
	ui_type a '/save /dev/null' || return 1
	ui_wait a "and '/dev/null' is not one" || return 1
	ui_type a 'and here' || return 1
	wait_for 5 grep -q '^and here$' peer.out || { echo "the chat stopped"; return 1; }
	exec 4>f; exec 4>&-	# our reader gets its end of file
	wait_for 5 test -e f.done || return 1
	expect_eq "nothing written to the FIFO" "$(wc -c <f.out)" 0
}
run_test "/save to a FIFO or /dev/null: refused with a notice, never waited on; the chat goes on" record_save_fifo
