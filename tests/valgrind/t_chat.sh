# shellcheck shell=bash disable=SC2154  # sourced by tests/valgrind/run.sh after lib.sh and t_2ui.sh (ui_* helpers)
# tests/valgrind/t_chat.sh - scripted chat sessions for `make valgrind`: each
# chat runs under valgrind ($TCPTALK is scripts/valgrind-tcptalk) and walks
# through most of what a user does, so every path it takes is memchecked.
# Waits are longer than in tests/e2e: valgrind makes the chat ~20x slower.

# vg_status FILE WANT: the chat whose sh wrote FILE left with status WANT
# (99 is valgrind's: an error or a definite leak).
vg_status() {
	wait_for 60 test -s "$1" || { echo "no exit status in $1"; return 1; }
	expect_eq "exit status ($1)" "$(cat "$1")" "$2"
}

# Two chats under valgrind talk; one leaves after views, commands, resizes,
# scrolling, history and a paste; a hostile pipe peer takes its place (-k).
vg_chat_two() {
	ui_setup vg2
	local p; p=$(free_port)
	ui_start a "sh -c '$TCP_ENV $TCPTALK -k -t -l 127.0.0.1 $p; echo \$? >a.status'" || return 1
	wait_for 60 sh -c "ss -Hltn 'sport = :$p' | grep -q ." || { echo "a does not listen"; return 1; }
	ui_start b "sh -c '$TCP_ENV $TCPTALK 127.0.0.1 $p; echo \$? >b.status'" || return 1
	ui_wait a '127\.0\.0\.1:[0-9]+ connected' 60 || return 1
	ui_wait b 'connected to 127\.0\.0\.1' 30 || return 1
	ui_type b '你好 hello 🙂' || return 1
	ui_wait a '你好 hello 🙂' 30 || return 1
	ui_type a 'reply from a' || return 1
	ui_wait b '^reply from a' 30 || return 1
	# views, commands, toggles
	TM send-keys -t T:b F2
	ui_wait b '^ conversation' 30 || return 1
	ui_type b '/timestamps' || return 1
	ui_wait b '^[0-9:]{8} < reply from a' 30 || return 1
	ui_type b '/crlf' || return 1
	ui_wait b 'CRLF' 30 || return 1
	ui_type b '/help' || return 1
	ui_type b '/bogus' || return 1
	ui_wait b "unknown command '/bogus'" 30 || return 1
	ui_type b '/view' || return 1
	ui_wait b '^ you' 30 || return 1
	# a paste of three lines, history recall, Ctrl-R
	TM send-keys -t T:b -l $'one\ntwo\nthree\n'
	ui_wait a 'three' 30 || return 1
	TM send-keys -t T:b Up Up C-r
	TM send-keys -t T:b -l 'hell'
	ui_wait b 'reverse-i-search' 30 || return 1
	TM send-keys -t T:b C-g C-u
	# resizes, too small, repaint, scrolling
	TM resize-window -t T:b -x 60 -y 20
	TM resize-window -t T:b -x 15 -y 5
	ui_wait b '^too small' 30 || return 1
	TM resize-window -t T:b -x 100 -y 30
	ui_wait b '^ you' 30 || return 1
	TM send-keys -t T:b PPage S-Up S-Down End C-l
	ui_type b '/clear' || return 1
	ui_type b '/quit' || return 1
	vg_status b.status 0 || return 1
	ui_wait a 'finished sending' 30 || return 1
	TM send-keys -t T:a C-d
	ui_wait a 'waiting for the next peer' 30 || return 1
	# a hostile peer: escapes, a line over the cap, a line without newline
	( printf 'esc \033]0;x\007 \302\233 \300\257 \342\200\256x\n'
	  head -c 100000 /dev/zero | tr '\0' x
	  printf '\nlogin: '
	  for _ in $(seq 600); do [ -e go ] && break; sleep 0.05; done
	  printf 'rest\n'; sleep 30 ) | timeout 60 "$TCPTALK_REAL" 127.0.0.1 "$p" >got & bg $!
	ui_wait a 'login: ' 30 || return 1
	ui_type a 'alice' || return 1
	wait_for 30 grep -q alice got || { echo "peer got [$(cat got)]"; return 1; }
	touch go
	ui_wait a '^[0-9:]{8} rest' 30 || return 1
	TM send-keys -t T:a C-d
	ui_wait a 'you sent FIN' 30 || return 1
	ui_type a '/quit' || return 1
	vg_status a.status 0
}
run_test "valgrind: two chats talk; views, commands, resizes, paste, -k, hostile peer, /quit" vg_chat_two

# Line mode under valgrind: an open line as the prompt, typing, leaving.
vg_chat_line() {
	ui_setup vgl
	local p; p=$(free_port)
	( printf 'Welcome\nlogin: '; sleep 30 ) | timeout 60 "$TCPTALK_REAL" -l 127.0.0.1 "$p" >got & bg $!
	wait_port "$p" || return 1
	ui_start a "sh -c '$TCP_ENV $TCPTALK --line 127.0.0.1 $p; echo \$? >status'" || return 1
	ui_wait a '^< login:  >' 60 || return 1
	ui_type a 'alice' || return 1
	wait_for 30 grep -q alice got || { echo "peer got [$(cat got)]"; return 1; }
	ui_type a '/timestamps' || return 1
	ui_type a '/view' || return 1
	ui_wait a 'do not apply in line mode' 30 || return 1
	ui_type a '/quit' || return 1
	vg_status status 0
}
run_test "valgrind: line mode session" vg_chat_line

# SIGTERM and Ctrl-Z under valgrind: the exit path after a signal frees all.
vg_chat_signals() {
	ui_setup vgs
	local p; p=$(free_port)
	( printf 'hello\n'; sleep 30 ) | timeout 60 "$TCPTALK_REAL" -l 127.0.0.1 "$p" >/dev/null & bg $!
	wait_port "$p" || return 1
	ui_start a "sh -c '$TCP_ENV $TCPTALK 127.0.0.1 $p; echo \$? >status'" || return 1
	ui_wait a '^hello' 60 || return 1
	pkill -WINCH -f -- "tcptalk 127\.0\.0\.1 $p\$"
	pkill -CONT -f -- "tcptalk 127\.0\.0\.1 $p\$"
	ui_wait a '^hello' 30 || return 1
	pkill -TERM -f -- "tcptalk 127\.0\.0\.1 $p\$"
	vg_status status 143
}
run_test "valgrind: SIGWINCH, SIGCONT, then SIGTERM" vg_chat_signals
