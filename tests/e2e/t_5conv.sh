# shellcheck shell=bash disable=SC2154  # sourced by run.sh after lib.sh and t_2ui.sh (ui_* helpers)
# tests/e2e/t_5conv.sh - the conversation shown right: lines without newline,
# notices, /clear, views, line mode, -k, peers leaving, and leaving the chat.

# shoudao_server PORT: the tutorial's server: answers every line with 收到,
# no newline; counts its answers in the file "answers".
shoudao_server() {
	python3 -c '
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen(1)
c, _ = s.accept()
n = 0
for line in c.makefile("rb"):
    c.sendall("收到".encode())
    n += 1
    open("answers", "w").write("%d\n" % n)
' "$1" & bg $!
	wait_port "$1"
}

# count_on WINDOW TEXT N: the screen shows TEXT exactly N times
count_on() { [ "$(cap "$1" | grep -o -- "$2" | wc -l)" -eq "$3" ]; }
# expect_count WINDOW TEXT N: wait (bounded) until it does, else show the screen
expect_count() {
	wait_for 5 count_on "$@" && return 0
	echo "screen of $1 does not show '$2' exactly $3 times:"
	cap "$1" | sed 's/^/    |/'
	return 1
}
answers_are() { [ "$(cat answers 2>/dev/null)" = "$1" ]; }

# Type three messages, each after the previous answer has arrived.
talk_three() {
	local n=1 m
	for m in '你好' again third; do
		ui_type "$1" "$m" || return 1
		wait_for 5 answers_are $n || { echo "server answered $(cat answers 2>/dev/null) of $n"; return 1; }
		n=$((n + 1))
	done
}

conv_shoudao_split_and_merged() {
	ui_setup sd
	local p; p=$(free_port)
	shoudao_server "$p" || return 1
	ui_start a "$TCP_ENV $TCPTALK 127.0.0.1 $p" || return 1
	ui_wait a 'connected to 127\.0\.0\.1' || return 1
	talk_three a || return 1
	ui_wait a '^third ✓$' || return 1	# acknowledged: its mark is final
	expect_count a '收到' 3 || return 1
	# two answered (closed without newline), the last one still open
	expect_count a '^收到 ⏎̸' 2 || return 1
	expect_count a '^收到 …' 1 || return 1
	# a notice (toggling CRLF says so) and a view switch change nothing
	ui_type a '/crlf' || return 1
	ui_wait a 'sent with CRLF' || return 1
	expect_count a '收到' 3 || return 1
	TM send-keys -t T:a F2
	ui_wait a '^ conversation' || return 1
	expect_count a '收到' 3 || return 1
	# each 收到 on its own line, between what we sent
	cap a | grep -E '^[<>] ' >conv
	expect_eq "merged view" "$(sed -n '1,6p' conv | tr '\n' '|')" \
	    "> 你好 ✓|< 收到 ⏎̸|> again ✓|< 收到 ⏎̸|> third ✓|< 收到 …|" || return 1
	# /clear keeps the open line once, and drops the rest
	ui_type a '/clear' || return 1
	expect_count a '收到' 1
}
run_test "a server answering 收到 without newline: three messages show exactly three, marked" conv_shoudao_split_and_merged

conv_shoudao_line_mode() {
	ui_setup sdl
	local p; p=$(free_port)
	shoudao_server "$p" || return 1
	ui_start a "$TCP_ENV TERM=dumb $TCPTALK 127.0.0.1 $p" || return 1
	ui_wait a 'connected to 127\.0\.0\.1' || return 1
	talk_three a || return 1
	expect_count a '收到' 3 || return 1
	expect_count a '^< 收到 ⏎̸$' 2 || return 1
	# the open line is the start of the prompt: the user types after it
	ui_wait a '^< 收到 >$' || return 1
	TM send-keys -t T:a -l 'abc'
	ui_wait a '^< 收到 > abc$' || return 1
	expect_count a '^> again$' 1
}
run_test "line mode shows the open line as the prompt's start, each 收到 once" conv_shoudao_line_mode

conv_line_mode_prompt_visible() {
	ui_setup lmp
	local p; p=$(free_port)
	( printf 'Welcome\nlogin: '; sleep 8 ) | timeout 10 "$TCPTALK" -l 127.0.0.1 "$p" >got & bg $!
	wait_port "$p" || return 1
	ui_start a "$TCP_ENV $TCPTALK --line -t 127.0.0.1 $p" || return 1
	# visible before anything is typed, with -t times on finished lines
	ui_wait a '^< login:  >$' || return 1
	ui_wait a '^[0-9]{2}:[0-9]{2}:[0-9]{2} < Welcome$' || return 1
	ui_type a 'alice' || return 1
	ui_wait a '^[0-9:]{8} < login:  ⏎̸$' || return 1
	ui_wait a '^[0-9:]{8} > alice$' || return 1
	wait_for 5 grep -q alice got || { echo "peer got: $(cat got)"; return 1; }
	# a command that does not apply in line mode says so
	ui_type a '/view' || return 1
	ui_wait a 'do not apply in line mode' || return 1
}
run_test "line mode: a login: prompt shows at once; -t and commands honoured" conv_line_mode_prompt_visible

conv_keep_open_no_glue() {
	ui_setup kg
	local p; p=$(free_port)
	ui_start a "$TCP_ENV $TCPTALK -k -l 127.0.0.1 $p" || return 1
	wait_port "$p" || return 1
	# the first peer sends without newline and finishes sending (FIN)
	printf 'unfinished' | timeout 10 "$TCPTALK" 127.0.0.1 "$p" >/dev/null & bg $!
	ui_wait a '^unfinished ⏎̸' || return 1
	ui_wait a 'finished sending' || return 1
	printf 'second peer\n' | timeout 10 "$TCPTALK" 127.0.0.1 "$p" >/dev/null & bg $!
	ui_wait a '1 peer waiting' || return 1
	# closing our side ends the first peer; the waiting one comes in
	TM send-keys -t T:a C-d
	ui_wait a '^second peer$' || return 1
	! cap a | grep -q 'unfinishedsecond' || { echo "glued"; cap a; return 1; }
	# addresses as users write them
	! cap a | grep -q 'ffff' || { echo "v4-mapped address shown"; cap a; return 1; }
}
run_test "-k: a peer's unfinished line never glues to the next peer's" conv_keep_open_no_glue

conv_keep_open_waiting() {
	ui_setup kw
	local p; p=$(free_port)
	ui_start a "$TCP_ENV $TCPTALK -k -l 127.0.0.1 $p" || return 1
	wait_port "$p" || return 1
	( printf 'first\n'; sleep 8 ) | timeout 10 "$TCPTALK" 127.0.0.1 "$p" >/dev/null & bg $!
	ui_wait a '^first$' || return 1
	( printf 'second\n'; sleep 8 ) | timeout 10 "$TCPTALK" 127.0.0.1 "$p" >/dev/null & bg $!
	ui_wait a '1 peer waiting' || return 1
	! cap a | grep -q '^second$' || { echo "second read before /next"; return 1; }
	ui_type a '/next' || return 1
	ui_wait a '^second$' || return 1
}
run_test "-k: a waiting peer is shown, /next takes it" conv_keep_open_waiting

# reset_server PORT: accepts, says hello, waits for "go" in file, then resets.
reset_server() {
	perl -MIO::Socket::INET -MSocket -e '
		my $s = IO::Socket::INET->new(LocalAddr => "127.0.0.1", LocalPort => $ARGV[0],
		    Listen => 1, ReuseAddr => 1) or die; my $c = $s->accept;
		$c->autoflush(1); print $c "hello\n";
		for (1..200) { last if -e "go"; select(undef, undef, undef, 0.05) }
		setsockopt($c, SOL_SOCKET, SO_LINGER, pack("ii", 1, 0)); close $c;' "$1" & bg $!
	wait_port "$1"
}

conv_reset_exit_status() {
	ui_setup rs
	local p; p=$(free_port)
	reset_server "$p" || return 1
	ui_start a "sh -c '$TCP_ENV $TCPTALK 127.0.0.1 $p; echo exit=\$? >status'" || return 1
	ui_wait a '^hello' || return 1
	touch go
	# reported the moment it happens, without sending anything
	ui_wait a 'reset' || return 1
	# stray keys do not leave
	TM send-keys -t T:a PPage Up Down NPage
	sleep 0.3
	[ ! -e status ] || { echo "a stray key left the chat"; return 1; }
	TM send-keys -t T:a Enter
	wait_for 5 test -s status || { echo "Enter did not leave"; cap a; return 1; }
	expect_eq "exit status after a reset" "$(cat status)" "exit=1" || return 1
	# the conversation stays in the terminal after the screen is restored
	ui_wait a '^< hello$'
}
run_test "a reset is shown at once; stray keys stay, Enter leaves with status 1" conv_reset_exit_status

conv_quit_sends_queued() {
	ui_setup qs
	local p; p=$(free_port)
	timeout 10 "$TCPTALK" -l 127.0.0.1 "$p" </dev/null >got & bg $!
	wait_port "$p" || return 1
	ui_start a "sh -c '$TCP_ENV $TCPTALK 127.0.0.1 $p; echo exit=\$? >status'" || return 1
	ui_wait a 'connected to' || return 1
	# typed ahead in one burst, as a paste
	TM send-keys -t T:a -l 'hello there' \; send-keys -t T:a Enter \; \
	    send-keys -t T:a -l '/quit' \; send-keys -t T:a Enter
	wait_for 5 test -s status || { echo "did not leave"; return 1; }
	expect_eq "exit status" "$(cat status)" "exit=0" || return 1
	wait_for 5 grep -q 'hello there' got || { echo "peer got [$(cat got)]"; return 1; }
	ui_wait a '^> hello there$'
}
run_test "pasting 'hello there⏎/quit⏎' delivers hello there, exit 0" conv_quit_sends_queued

conv_scroll_stops_at_oldest() {
	ui_setup sc
	local p; p=$(free_port)
	( seq 1 5 | sed 's/^/line /'; sleep 8 ) | timeout 10 "$TCPTALK" -l 127.0.0.1 "$p" >/dev/null & bg $!
	wait_port "$p" || return 1
	ui_start a "$TCP_ENV $TCPTALK 127.0.0.1 $p" || return 1
	ui_wait a '^line 5' || return 1
	TM send-keys -t T:a PPage PPage PPage S-Up S-Up S-Up
	# the oldest kept entry stays at the top row: no blank rows past it
	wait_for 5 sh -c "tmux -u -L $UI_SOCK capture-pane -p -t T:a | sed -n 2p | grep -q '^\* connected to'" ||
	    { echo "top row:"; cap a | sed -n 1,4p; return 1; }
	ui_wait a '^line 5' || return 1
	# scrolled "up" as far as it goes means nothing is hidden below
	! cap a | grep -q 'new below' || { echo "counts lines that are not there"; return 1; }
}
run_test "scrolling stops at the oldest kept line" conv_scroll_stops_at_oldest

conv_exit_status_table() {
	ui_setup ex
	local p; p=$(free_port)
	# -i: the idle timeout is a network failure: 1, after Enter
	( sleep 8 ) | timeout 10 "$TCPTALK" -l 127.0.0.1 "$p" >/dev/null & bg $!
	wait_port "$p" || return 1
	ui_start a "sh -c '$TCP_ENV $TCPTALK -i 0.5 127.0.0.1 $p; echo exit=\$? >idle'" || return 1
	ui_wait a 'no traffic for 0.5 s' || return 1
	TM send-keys -t T:a Enter
	wait_for 5 test -s idle || { echo "did not leave"; cap a; return 1; }
	expect_eq "after -i" "$(cat idle)" "exit=1" || return 1
	# SIGTERM: 128 + 15
	p=$(free_port)
	ui_start b "sh -c '$TCP_ENV $TCPTALK -l 127.0.0.1 $p; echo exit=\$? >term'" || return 1
	wait_port "$p" || return 1
	pkill -TERM -f "^$TCPTALK -l 127.0.0.1 $p\$"
	wait_for 5 test -s term || { echo "SIGTERM did not end it"; return 1; }
	expect_eq "after SIGTERM" "$(cat term)" "exit=143" || return 1
	# the peer closing normally, then q: 0
	p=$(free_port)
	printf 'bye\n' | timeout 10 "$TCPTALK" -l 127.0.0.1 "$p" >/dev/null & bg $!
	wait_port "$p" || return 1
	ui_start c "sh -c '$TCP_ENV $TCPTALK 127.0.0.1 $p; echo exit=\$? >normal'" || return 1
	ui_wait c 'finished sending' || return 1
	TM send-keys -t T:c C-d
	ui_wait c '\| Enter, q or Ctrl-D leaves' || return 1
	TM send-keys -t T:c q
	wait_for 5 test -s normal || { echo "q did not leave"; cap c; return 1; }
	expect_eq "after a normal close" "$(cat normal)" "exit=0"
}
run_test "chat exit status: -i timeout 1, SIGTERM 143, normal close 0" conv_exit_status_table

conv_reconnect() {
	ui_setup rc
	local p; p=$(free_port)
	printf 'first server\n' | timeout 10 "$TCPTALK" -l 127.0.0.1 "$p" >/dev/null & bg $!
	wait_port "$p" || return 1
	ui_start a "$TCP_ENV $TCPTALK 127.0.0.1 $p" || return 1
	ui_wait a '^first server$' || return 1
	TM send-keys -t T:a C-d
	ui_wait a '/reconnect dials again' || return 1
	# not connected: a line is not sent, not listed, and stays in the input
	ui_type a 'lost?' || return 1
	ui_wait a 'not connected: nothing sent' || return 1
	ui_wait a '^> lost\?$' || return 1
	TM send-keys -t T:a C-u
	( printf 'second server\n'; sleep 8 ) | timeout 10 "$TCPTALK" -l 127.0.0.1 "$p" >got & bg $!
	wait_port "$p" || return 1
	ui_type a '/reconnect' || return 1
	ui_wait a '^second server$' || return 1
	# the same conversation goes on
	ui_wait a '^first server$' || return 1
	ui_type a 'hello again' || return 1
	wait_for 5 grep -q 'hello again' got || { echo "got [$(cat got)]"; return 1; }
}
run_test "/reconnect dials again and the conversation goes on" conv_reconnect

conv_new_below_bounded() {
	ui_setup nb
	local p; p=$(free_port)
	( seq 1 30 | sed 's/^/line /'
	  for _ in $(seq 100); do [ -e go ] && break; sleep 0.05; done
	  seq 31 80 | sed 's/^/line /'; sleep 8 ) | timeout 12 "$TCPTALK" -l 127.0.0.1 "$p" >/dev/null & bg $!
	wait_port "$p" || return 1
	ui_start a "$TCP_ENV $TCPTALK --scrollback 30 127.0.0.1 $p" || return 1
	ui_wait a '^line 30$' || return 1
	TM send-keys -t T:a S-Up
	ui_wait a 'scrolled up' || return 1
	touch go
	ui_wait a '[0-9]+ new below' || return 1
	local n; n=$(cap a | grep -oE '[0-9]+ new below' | cut -d' ' -f1)
	[ "$n" -le 30 ] || { echo "$n new below, but only 30 lines are kept"; return 1; }
	TM send-keys -t T:a End
	ui_wait a '^line 80$'
}
run_test "'N new below' never counts more lines than are kept" conv_new_below_bounded

conv_wrap_under_text() {
	ui_setup wr
	local p; p=$(free_port)
	( printf 'a long line that is long enough to wrap when the window is narrow: 0123456789 abcdefghij\n'; sleep 8 ) |
	    timeout 10 "$TCPTALK" -l 127.0.0.1 "$p" >/dev/null & bg $!
	wait_port "$p" || return 1
	ui_start a "$TCP_ENV $TCPTALK -t 127.0.0.1 $p" || return 1
	TM resize-window -t T:a -x 50 -y 20
	# the continuation starts under the text, not under the time, and
	# words are not cut where a space allows
	ui_wait a '^[0-9:]{8} a long line that is long enough to wrap$' || return 1
	ui_wait a '^         when the window is narrow: 0123456789$'
}
run_test "-t: wrapped lines continue under the text, words whole" conv_wrap_under_text

conv_peer_left() {
	ui_setup pl
	local p; p=$(free_port)
	ui_start a "sh -c '$TCP_ENV $TCPTALK -l 127.0.0.1 $p; echo exit=\$? >status'" || return 1
	wait_port "$p" || return 1
	ui_start b "$TCP_ENV $TCPTALK 127.0.0.1 $p" || return 1
	ui_wait a '127\.0\.0\.1:[0-9]+ connected' || return 1
	ui_type b 'bye for now' || return 1
	ui_wait a '^bye for now$' || return 1
	ui_type b '/quit' || return 1
	ui_wait a 'finished sending \(or left\)' || return 1
	# what we send then meets the reset of a peer that left: said so,
	# and it is the normal end of a conversation, not a failure
	ui_type a 'anyone?' || return 1
	ui_wait a 'has left: it answered with RST \(reset\), and the 8 bytes you sent' || return 1
	ui_wait a '\| closed after' || return 1
	TM send-keys -t T:a q
	wait_for 5 test -s status || { echo "q did not leave"; cap a; return 1; }
	expect_eq "exit status" "$(cat status)" "exit=0" || return 1
	# left on the terminal: the conversation and the facts at its foot
	ui_wait a '^< bye for now$' || return 1
	ui_wait a '^-- peer 127\.0\.0\.1:[0-9]+ \| closed after [0-9:]+ \| in 12 B  out 8 B$'
}
run_test "a peer that left: its reset after our line is said plainly, exit 0, facts kept" conv_peer_left
