# shellcheck shell=bash
# tests/e2e/t_4input.sh - the input line under pastes: a 40 KB line arrives
# whole and fast, a multi-line paste into a full send queue loses nothing,
# the history file is private.  Private tmux servers, 127.0.0.1 only.

IN_SOCK=
IN_ENV=
in_tm() { tmux -u -L "$IN_SOCK" -f /dev/null "$@"; }
in_setup() {
	IN_SOCK="tt$$_in_$1"
	export HOME=$PWD XDG_STATE_HOME=$PWD/state
	IN_ENV="env LANG=C.UTF-8 TERM=xterm-256color HOME=$PWD XDG_STATE_HOME=$PWD/state"
	trap 'in_tm kill-server 2>/dev/null; kill_bg' EXIT
}
# in_start COMMAND: a 100x30 window running COMMAND
in_start() {
	in_tm new-session -d -s T -n a -x 100 -y 30 "$1" || return 1
	in_tm set-option -t T remain-on-exit on >/dev/null
}
in_cap() { in_tm capture-pane -p -t T:a; }
# in_input_row: the last row, where the input line is
in_input_row() { in_cap | sed -n 30p; }
# in_wait REGEX [SECS]: until the screen shows REGEX
in_wait() {
	local i
	for ((i = 0; i < ${2:-5} * 20; i++)); do
		in_cap | grep -qE -- "$1" && return 0
		sleep 0.05
	done
	echo "screen never showed /$1/:"
	in_cap | sed 's/^/    |/'
	return 1
}
# in_peer PORT [GATE]: accept one connection, append what arrives to ./got
# (as it arrives); with GATE, read nothing until the file GATE exists, with
# a small receive buffer so the sender's queue fills.
in_peer() {
	perl -MIO::Socket::INET -MSocket -e '
		my ($port, $gate) = @ARGV;
		my $s = IO::Socket::INET->new(LocalAddr => "127.0.0.1",
		    LocalPort => $port, Listen => 1, ReuseAddr => 1) or die;
		setsockopt($s, SOL_SOCKET, SO_RCVBUF, 4096) if $gate;
		my $c = $s->accept;
		open my $f, ">", "got" or die;
		if ($gate) { select undef, undef, undef, 0.05 until -e $gate }
		while (my $r = sysread($c, my $buf, 65536)) { syswrite $f, $buf }
	' "$@" & bg $!
}
in_size() { stat -c %s got 2>/dev/null || echo 0; }
in_has() { [ "$(in_size)" -ge "$1" ]; }
# the input row is the same 0.3 s apart (a paste has been taken in)
in_row_still() { local a; a=$(in_input_row); sleep 0.3; [ "$a" = "$(in_input_row)" ]; }
# the peer got more than $1 bytes, or the input line is empty
in_moved() { in_has "$(($1 + 1))" || in_input_row | grep -qE '^>\s*$'; }
in_ms() { echo $(($(date +%s%N) / 1000000)); }

in_long_paste() {
	in_setup long
	local p t0 ms; p=$(free_port)
	in_peer "$p"
	wait_port "$p" || return 1
	in_start "$IN_ENV $TCPTALK 127.0.0.1 $p" || return 1
	in_wait 'connected to 127\.0\.0\.1' || return 1
	# 40 KiB of text, no newline, with some Chinese to keep widths honest
	perl -e 'my $s = ""; $s .= sprintf("%05d-abcdefghij-你好-", $i++) while length($s) < 40960;
		print substr($s, 0, 40960)' >line
	in_tm load-buffer line
	t0=$(in_ms)
	in_tm paste-buffer -t T:a
	# the whole line is in: the row ends with its last characters, cut at
	# the left ('<' right after the prompt), the cursor after them
	in_wait "^> <.*$(tail -c 12 line | sed 's/[^0-9a-j-]/./g')\$" 5 || return 1
	in_tm send-keys -t T:a Enter
	wait_for 10 in_has "$(($(stat -c %s line) + 1))" ||
	    { echo "peer got $(in_size) bytes"; return 1; }
	ms=$(($(in_ms) - t0))
	printf '\n' >>line
	cmp line got || { echo "the peer got other bytes"; return 1; }
	[ "$ms" -le 3000 ] || { echo "40 KiB paste took $ms ms"; return 1; }
	echo "40 KiB paste: $ms ms"
}
run_test "a 40 KB one-line paste shows at once and is sent whole" in_long_paste

in_paste_full_queue() {
	in_setup full
	local p i n t0; p=$(free_port)
	in_peer "$p" go
	wait_port "$p" || return 1
	in_start "$IN_ENV $TCPTALK 127.0.0.1 $p" || return 1
	in_wait 'connected to 127\.0\.0\.1' || return 1
	# more than the send queue (1 MiB) and the socket buffers hold
	perl -e 'printf "line %06d %s\n", $_, "x" x 90 for 1 .. 40000' >lines
	in_tm load-buffer lines
	t0=$(in_ms)
	in_tm paste-buffer -t T:a
	in_wait 'send queue full' 20 || return 1
	echo "queue full after $(($(in_ms) - t0)) ms" 
	# the paste is over when the input row stops changing
	wait_for 20 in_row_still
	in_input_row | grep -q '\^J' || { echo "no kept lines in the input:"; in_input_row; return 1; }
	echo "paste over after $(($(in_ms) - t0)) ms" 
	touch go			# the peer reads from now on
	# Enter sends what is kept, as much as fits each time
	for ((i = 0; i < 200; i++)); do
		# a slow redraw (ASan) must not look like text still to send:
		# an Enter on an empty input would send an empty line
		in_has "$(stat -c %s lines)" && break
		wait_for 5 in_row_still
		in_input_row | grep -qE '^>\s*$' && break
		in_tm send-keys -t T:a Enter
		n=$(in_size)
		wait_for 5 in_moved "$n"
	done
	wait_for 20 in_has "$(stat -c %s lines)"
	echo "all sent after $(($(in_ms) - t0)) ms, $i Enter presses"
	cmp lines got || { echo "lost, doubled or reordered:"; diff lines got | head -5; return 1; }
}
run_test "a multi-line paste into a full send queue: every line once, in order" in_paste_full_queue

# A refused line whose text and Enter came in one read (an input method
# commits text and Enter together; tmux send-keys too) stays in the input
# as it was: no newline of its own, so the next key goes on the same line.
in_refused_one_read() {
	in_setup one
	local p; p=$(free_port)
	in_peer "$p" go		# reads nothing: it never sees our FIN and stays
	wait_port "$p" || return 1
	in_start "$IN_ENV $TCPTALK 127.0.0.1 $p" || return 1
	in_wait 'connected to 127\.0\.0\.1' || return 1
	in_tm send-keys -t T:a C-d
	in_wait 'you closed your side' || return 1
	in_tm send-keys -t T:a '第一行' Enter
	in_wait 'nothing more can be sent' || return 1
	in_tm send-keys -t T:a X
	wait_for 5 eval 'in_input_row | grep -q X' || { echo "X never came"; in_input_row; return 1; }
	expect_eq "the input after the refusal" "$(in_input_row | sed 's/ *$//')" "> 第一行X" || return 1
}
run_test "a line refused with its Enter in the same read stays as it was, without a newline" in_refused_one_read

in_history_private() {
	in_setup hist
	local p; p=$(free_port)
	in_peer "$p"
	wait_port "$p" || return 1
	in_start "$IN_ENV $TCPTALK 127.0.0.1 $p" || return 1
	in_wait 'connected to 127\.0\.0\.1' || return 1
	in_tm send-keys -t T:a -l 'kept line' && in_tm send-keys -t T:a Enter
	in_tm send-keys -t T:a -l ' secret line' && in_tm send-keys -t T:a Enter
	wait_for 5 grep -q secret got || { echo "not sent"; return 1; }
	in_tm send-keys -t T:a -l '/quit' && in_tm send-keys -t T:a Enter
	wait_for 5 test -s state/tcptalk/history || { echo "history not saved"; return 1; }
	expect_eq "history mode" "$(stat -c %a state/tcptalk/history)" 600 || return 1
	expect_eq "directory mode" "$(stat -c %a state/tcptalk)" 700 || return 1
	expect_eq "history" "$(cat state/tcptalk/history)" $'kept line\n/quit' || return 1
	expect_eq "files beside it" "$(ls -A state/tcptalk)" history
}
run_test "history file is private (0600 in a 0700 directory), no space-led lines" in_history_private
