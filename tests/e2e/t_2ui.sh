# shellcheck shell=bash disable=SC2154  # sourced by run.sh after lib.sh, which sets TCPTALK, WAIT_STATUS, ...
# tests/e2e/t_ui.sh - the chat screen, driven in private tmux servers.

# shellcheck source=tests/e2e/ui.sh
. tests/e2e/ui.sh

ui_chat_both_ways() {
	ui_setup chat
	local p; p=$(free_port)
	ui_start a "$TCP_ENV $TCPTALK -l 127.0.0.1 $p" || return 1
	wait_port "$p" || return 1
	ui_start b "$TCP_ENV $TCPTALK 127.0.0.1 $p" || return 1
	ui_wait a "127.0.0.1:[0-9]+ connected" || return 1
	ui_type b '你好，服务器！' || return 1
	ui_wait a '^你好，服务器！' || return 1
	ui_type a 'héllo 🙂 back' || return 1
	ui_wait b '^héllo 🙂 back' || return 1
	# each side's own line is in its sent pane, below the "you" title
	cap a | sed -n '/^ you/,$p' | grep -q 'héllo 🙂 back' || { echo "sent pane of a"; cap a; return 1; }
	# cursor after wide characters: "> " + "你好 🙂" = 2 + 4 + 1 + 2 columns
	TM send-keys -t T:b -l '你好 🙂'
	ui_wait b '^> 你好 🙂' || return 1
	expect_eq "cursor" "$(TM display -p -t T:b '#{cursor_x},#{cursor_y}')" "9,29"
}
run_test "two chats talk both ways; Chinese and emoji intact, cursor in the right column" ui_chat_both_ways

ui_partial_and_escapes() {
	ui_setup esc
	local p; p=$(free_port)
	ui_start a "$TCP_ENV $TCPTALK -l 127.0.0.1 $p" || return 1
	wait_port "$p" || return 1
	# the rest of the login line comes once the file "go" exists
	( printf 'hostile \033]0;pwned\007\033[2J\233 \377end\n'; printf 'login: '
	  for _ in $(seq 100); do [ -e go ] && break; sleep 0.05; done; printf 'alice\n'; sleep 4 ) |
	    timeout 10 "$TCPTALK" 127.0.0.1 "$p" >/dev/null & bg $!
	ui_wait a '^login:  …$' || return 1
	ui_wait a '^hostile \^\[\]0;pwned\^G\^\[\[2J\\x9b \\xff' || return 1
	# the screen was not cleared and the title not set
	cap a | grep -q 'waiting for a peer' || { echo "screen was cleared"; return 1; }
	[ "$(TM display -p -t T:a '#{pane_title}')" != pwned ] || { echo "title changed"; return 1; }
	# the open line is completed in place when the rest comes: shown once
	touch go
	ui_wait a '^login: alice$' || return 1
	expect_eq "login lines on screen" "$(cap a | grep -c 'login:')" 1
}
run_test "a line without newline shows at once; escapes are shown, not obeyed" ui_partial_and_escapes

# lines_in FILE N: FILE holds N lines
lines_in() { [ "$(wc -l <"$1")" -eq "$2" ]; }

ui_history() {
	ui_setup hist
	local p; p=$(free_port)
	sleep 20 | "$TCPTALK" -l 127.0.0.1 "$p" >got & bg $!
	wait_port "$p" || return 1
	ui_start a "$TCP_ENV $TCPTALK 127.0.0.1 $p" || return 1
	ui_wait a 'connected to 127.0.0.1' || return 1
	ui_type a 'first line' && ui_type a 'second line' || return 1
	TM send-keys -t T:a Up Up
	ui_wait a '^> first line$' || return 1
	TM send-keys -t T:a Down Down C-r
	TM send-keys -t T:a -l 'seco'
	ui_wait a "reverse-i-search.*seco.*second line" || return 1
	TM send-keys -t T:a Enter
	wait_for 5 lines_in got 3 || { echo "peer got [$(cat got)]"; return 1; }
	expect_eq "sent" "$(cat got)" $'first line\nsecond line\nsecond line' || return 1
	TM send-keys -t T:a -l '/quit' && TM send-keys -t T:a Enter
	wait_for 5 test -s state/tcptalk/history || { echo "history not saved"; return 1; }
	expect_eq "history mode" "$(stat -c %a state/tcptalk/history)" 600
}
run_test "history recall with Up, Ctrl-R search; history saved 0600" ui_history

# status_row_is WINDOW ROW: the status line ("peer ADDR | 00:00:01 ...") is on ROW
status_row_is() { cap "$1" | sed -n "$2p" | grep -qE '^ peer 127\.0\.0\.1:[0-9]+ \| [0-9]{2}:'; }

ui_resize() {
	ui_setup resize
	local p s; p=$(free_port)
	ui_start a "$TCP_ENV $TCPTALK -l 127.0.0.1 $p" || return 1
	wait_port "$p" || return 1
	ui_start b "$TCP_ENV $TCPTALK 127.0.0.1 $p" || return 1
	ui_type b 'a line that is long enough to wrap when the window gets narrow: 0123456789 abcdefghij' || return 1
	ui_wait a 'abcdefghij' || return 1
	for s in 60x20 120x40 100x30; do
		TM resize-window -t T:a -x "${s%x*}" -y "${s#*x}"
		# the status line sits just above the input line, on the new size
		wait_for 5 status_row_is a "$((${s#*x} - 1))" ||
		    { echo "no status line on row $((${s#*x} - 1)) at $s"; cap a; return 1; }
		ui_wait a '^ you' || return 1
		ui_wait a 'abcdefghij' || return 1
	done
	TM resize-window -t T:a -x 15 -y 5
	ui_wait a '^too small' || return 1
	# the message fits the width it has
	[ "$(cap a | awk '{ if (length($0) > n) n = length($0) } END { print n }')" -le 15 ] ||
	    { echo "message wider than 15 columns"; cap a; return 1; }
	TM resize-window -t T:a -x 100 -y 30
	ui_wait a '^ you' || return 1
}
run_test "resize 100x30 -> 60x20 -> 120x40 keeps everything readable" ui_resize

ui_half_close_and_leave() {
	ui_setup half
	local p; p=$(free_port)
	ui_start a "$TCP_ENV $TCPTALK -l 127.0.0.1 $p" || return 1
	wait_port "$p" || return 1
	ui_start b "$TCP_ENV $TCPTALK 127.0.0.1 $p" || return 1
	ui_wait a '127\.0\.0\.1:[0-9]+ connected' || return 1
	TM send-keys -t T:b C-d
	ui_wait b 'you closed your sending side' || return 1
	ui_wait b '\| you closed your side' || return 1
	ui_wait a 'finished sending \(or left\); you can still send' || return 1
	ui_type a 'still heard' || return 1
	ui_wait b '^still heard' || return 1
	TM send-keys -t T:a C-d
	ui_wait a 'connection with .* closed' || return 1
	ui_wait b '\| Enter, q or Ctrl-D leaves' || return 1
	# the status line keeps the peer's name; its totals stay after leaving
	ui_wait b '^ 127\.0\.0\.1:[0-9]+ \| closed after [0-9:]+ ' || return 1
	TM send-keys -t T:b q
	ui_wait b '^< still heard$' || return 1
	ui_wait b '^-- 127\.0\.0\.1:[0-9]+ \| closed after [0-9:]+ \| in 12 B  out 0 B$' 
}
run_test "Ctrl-D half-closes and still receives; peer leaving is shown" ui_half_close_and_leave

ui_keep_open() {
	ui_setup keep
	local p; p=$(free_port)
	ui_start a "$TCP_ENV $TCPTALK -k -l 127.0.0.1 $p" || return 1
	wait_port "$p" || return 1
	# a peer that finishes sending is still there: we may answer
	echo "peer one" | timeout 10 "$TCPTALK" 127.0.0.1 "$p" >one & bg $!
	ui_wait a 'finished sending' || return 1
	ui_type a 'answer' || return 1
	wait_for 5 grep -q answer one || { echo "peer one got [$(cat one)]"; return 1; }
	TM send-keys -t T:a C-d
	ui_wait a 'waiting for the next peer' || return 1
	echo "peer two" | timeout 10 "$TCPTALK" 127.0.0.1 "$p" >/dev/null & bg $!
	ui_wait a '^peer two' || return 1
	ui_wait a '^peer one' || return 1
}
run_test "-k accepts the next peer after one leaves" ui_keep_open

ui_sigterm_restores() {
	ui_setup term
	local p pid; p=$(free_port)
	ui_start a "sh -c 'stty -a > before; $TCP_ENV $TCPTALK -l 127.0.0.1 $p; stty -a > after; sleep 30'" || return 1
	wait_port "$p" || return 1
	pid=$(pgrep -f "^$TCPTALK -l 127.0.0.1 $p" | head -1)
	kill -TERM "$pid"
	wait_for 5 test -s after || { echo "no stty after exit"; return 1; }
	expect_eq "terminal modes" "$(cat after)" "$(cat before)"
}
run_test "SIGTERM leaves the terminal in its original mode" ui_sigterm_restores

ui_stalled_peer() {
	ui_setup stall
	local p i; p=$(free_port)
	# a peer that reads nothing for 3 s, then counts every byte
	perl -MIO::Socket::INET -e '
		my $s = IO::Socket::INET->new(LocalAddr => "127.0.0.1", LocalPort => $ARGV[0],
		    Listen => 1, ReuseAddr => 1) or die; my $c = $s->accept; sleep 3;
		my ($n, $buf) = (0); while (my $r = sysread($c, $buf, 65536)) { $n += $r }
		open my $f, ">", "count"; print $f "$n\n";' "$p" & bg $!
	wait_port "$p" || return 1
	ui_start a "$TCP_ENV $TCPTALK 127.0.0.1 $p" || return 1
	ui_wait a 'connected to 127.0.0.1' || return 1
	local line; line=$(printf 'x%.0s' $(seq 1000))
	for i in $(seq 20); do TM send-keys -t T:a -l "$line" && TM send-keys -t T:a Enter; done
	TM send-keys -t T:a -l 'still typing'
	ui_wait a '^> still typing' || return 1
	TM send-keys -t T:a Enter C-d
	wait_for 15 test -s count || { echo "peer never finished"; return 1; }
	expect_eq "bytes that reached the peer" "$(cat count)" $((20 * 1001 + 13))
}
run_test "a stalled peer does not freeze typing; nothing typed is lost" ui_stalled_peer

ui_line_mode() {
	ui_setup line
	local p; p=$(free_port)
	ui_start a "$TCP_ENV TERM=dumb $TCPTALK -l 127.0.0.1 $p" || return 1
	wait_port "$p" || return 1
	( printf 'hello \033[2J there\n'; sleep 3 ) | timeout 10 "$TCPTALK" 127.0.0.1 "$p" >got & bg $!
	ui_wait a '^< hello \^\[\[2J there$' || return 1
	ui_type a 'typed in line mode' || return 1
	wait_for 5 grep -q 'typed in line mode' got || { echo "peer got: $(cat got)"; return 1; }
	ui_wait a '^> typed in line mode$' || return 1
	TM send-keys -t T:a -l 'half typed'
	ui_wait a '^> half typed$' || return 1
}
run_test "TERM=dumb: line mode, same sanitizing, typed lines sent" ui_line_mode

ui_view_and_commands() {
	ui_setup view
	local p; p=$(free_port)
	( printf 'from peer\n'; sleep 8 ) | "$TCPTALK" -l 127.0.0.1 "$p" >got & bg $!
	wait_port "$p" || return 1
	ui_start a "$TCP_ENV $TCPTALK 127.0.0.1 $p" || return 1
	ui_wait a '^from peer' || return 1
	ui_type a 'to peer' || return 1
	ui_type a '//slash' || return 1
	ui_type a '/bogus' || return 1
	ui_wait a "unknown command '/bogus'" || return 1
	# cleared from the input, not sent, kept in history
	ui_wait a '^>$' || return 1
	TM send-keys -t T:a Up
	ui_wait a '^> /bogus$' || return 1
	TM send-keys -t T:a C-u
	ui_type a '/TimeStamps' || return 1	# any case
	ui_wait a '^[0-9]{2}:[0-9]{2}:[0-9]{2} from peer' || return 1
	ui_type a '/timestamps' || return 1
	TM send-keys -t T:a F2
	ui_wait a '^ conversation with' || return 1
	ui_wait a '^< from peer' || return 1
	ui_wait a '^> to peer' || return 1
	ui_type a '/view' || return 1
	ui_wait a '^ you' || return 1
	ui_type a '/timestamps' || return 1
	ui_wait a '^[0-9]{2}:[0-9]{2}:[0-9]{2} from peer' || return 1
	wait_for 5 grep -q slash got
	expect_eq "peer got" "$(cat got)" $'to peer\n/slash'
}
run_test "F2 and /view merge the panes; //text, unknown commands, /timestamps" ui_view_and_commands
