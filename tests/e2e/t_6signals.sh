# shellcheck shell=bash disable=SC2154  # sourced by run.sh after lib.sh and t_2ui.sh (ui_* helpers)
# tests/e2e/t_6signals.sh - signals on the chat (the terminal comes back as it
# was, the exit status follows the man page's table, Ctrl-Z stops and fg
# redraws) and hostile escape sequences from a peer (shown, never obeyed).

# jobctl.py CMD...: run CMD as an interactive shell runs a job: in its own
# process group, in the terminal's foreground (so Ctrl-C, Ctrl-\ and Ctrl-Z
# reach it alone), its pid in the file "pid".  When it stops, the terminal is
# taken back without touching its modes, which go to the file "stopped"; the
# file "fg" continues it (as fg).  Exits with CMD's status, 128+N for signal N.
jobctl_script() {
	cat <<'EOF'
import os, signal, subprocess, sys, time
signal.signal(signal.SIGTTOU, signal.SIG_IGN)
pid = os.fork()
if pid == 0:
    os.setpgid(0, 0)
    os.tcsetpgrp(0, os.getpid())
    signal.signal(signal.SIGTTOU, signal.SIG_DFL)
    os.execvp(sys.argv[1], sys.argv[1:])
try:
    os.setpgid(pid, pid)
except OSError:
    pass
os.tcsetpgrp(0, pid)
open("pid.tmp", "w").write("%d\n" % pid)
os.rename("pid.tmp", "pid")
while True:
    _, st = os.waitpid(pid, os.WUNTRACED)
    if os.WIFSTOPPED(st):
        os.tcsetpgrp(0, os.getpgrp())
        modes = subprocess.run(["stty", "-g"], capture_output=True, text=True).stdout
        open("stopped.tmp", "w").write(modes)
        os.rename("stopped.tmp", "stopped")
        for _ in range(600):
            if os.path.exists("fg"):
                break
            time.sleep(0.05)
        os.remove("fg")
        os.remove("stopped")
        os.write(1, b"\r\n")       # a shell echoes the fg command
        os.tcsetpgrp(0, pid)
        os.killpg(pid, signal.SIGCONT)
    else:
        sys.exit(os.WEXITSTATUS(st) if os.WIFEXITED(st) else 128 + os.WTERMSIG(st))
EOF
}

alt_is() { [ "$(TM display -p -t T:a '#{alternate_on}')" = "$1" ]; }
tty_modes_are() { [ "$(stty -g -F "$SIG_TTY")" = "$1" ]; }
on_screen() { cap "$1" | grep -qF -- "$2"; }

# sig_chat [OPTIONS]: the chat listening in window a as a job of its own;
# "before" and "after" hold the terminal modes around it, "status" its exit
# status.  A peer (its received bytes in "got") said hello.  Sets SIG_PID,
# SIG_TTY and SIG_MODES (the modes while the chat runs).
sig_chat() {
	local p; p=$(free_port)
	jobctl_script >jobctl.py
	# the final sleep only keeps the pane's terminal for the checks
	ui_start a "sh -c 'stty -g >before; python3 jobctl.py $TCP_ENV $TCPTALK $* -l 127.0.0.1 $p; echo \$? >status; stty -g >after; exec sleep 600'" || return 1
	wait_port "$p" || return 1
	( printf 'hello from peer\n'; sleep 30 ) | timeout 40 "$TCPTALK" 127.0.0.1 "$p" >got & bg $!
	ui_wait a 'hello from peer' || return 1
	SIG_PID=$(cat pid)
	SIG_TTY=$(TM display -p -t T:a '#{pane_tty}')
	SIG_MODES=$(stty -g -F "$SIG_TTY")
	[ "$SIG_MODES" != "$(cat before)" ] || { echo "the chat did not set its terminal modes"; return 1; }
	case " $* " in
	*" --line "*) ;;
	*) alt_is 1 || { echo "the chat is not on the alternate screen"; return 1; } ;;
	esac
}

# sig_left STATUS: the chat exited with STATUS, the terminal modes are as
# before it started and the main screen is back.
sig_left() {
	wait_for 10 test -s after || { echo "the chat did not exit"; cap a; return 1; }
	expect_eq "exit status" "$(cat status)" "$1" || return 1
	expect_eq "terminal modes" "$(cat after)" "$(cat before)" || return 1
	wait_for 5 alt_is 0 || { echo "the alternate screen is still on"; cap a; return 1; }
}

# sig_leave NAME STATUS [OPTIONS] -- HOW...: HOW (a command) ends the chat.
sig_leave() {
	local name=$1 want=$2 opts=()
	shift 2
	while [ "$1" != -- ]; do opts+=("$1"); shift; done
	shift
	ui_setup "$name"
	sig_chat "${opts[@]}" || return 1
	"$@" || return 1
	sig_left "$want"
}
sig_key() { TM send-keys -t T:a "$1"; }
sig_kill() { kill "-$1" "$SIG_PID"; }

sig_term() { sig_leave st 143 -- sig_kill TERM; }
run_test "SIGTERM: terminal restored, main screen back, exit 143" sig_term
sig_hup() { sig_leave sh 129 -- sig_kill HUP; }
run_test "SIGHUP: terminal restored, main screen back, exit 129" sig_hup
sig_int_key() { sig_leave si 0 -- sig_key C-c; }
run_test "Ctrl-C: a normal quit, terminal restored, exit 0" sig_int_key
sig_quit_key() { sig_leave sq 131 -- sig_key "C-\\"; }
run_test "Ctrl-\\ (SIGQUIT): terminal restored, main screen back, exit 131" sig_quit_key
sig_quit_line() { sig_leave sql 131 --line -- sig_key "C-\\"; }
run_test "line mode: Ctrl-\\ restores the terminal, exit 131" sig_quit_line
sig_term_line() { sig_leave stl 143 --line -- sig_kill TERM; }
run_test "line mode: SIGTERM restores the terminal, exit 143" sig_term_line

sig_winch_storm() {
	ui_setup storm
	local s i
	sig_chat || return 1
	for i in 1 2 3; do
		for s in 10x3 300x100 11x4 299x99 20x6 19x5 200x60 40x10 300x3 10x100 \
		    57x13 250x80 21x7 100x30 13x3 280x97; do
			TM resize-window -t T:a -x "${s%x*}" -y "${s#*x}"
		done
		kill -0 "$SIG_PID" || { echo "the chat died in round $i"; return 1; }
	done
	# the last size wins, also the smallest one
	TM resize-window -t T:a -x 10 -y 3
	ui_wait a '^too small$' || return 1
	TM resize-window -t T:a -x 300 -y 100
	wait_for 5 status_row_is a 99 || { echo "no status line on row 99"; cap a; return 1; }
	TM resize-window -t T:a -x 100 -y 30
	wait_for 5 status_row_is a 29 || { echo "no status line on row 29"; cap a; return 1; }
	ui_wait a '^hello from peer' || return 1
	ui_wait a '^ you' || return 1
	# the input still works
	ui_type a 'after the storm' || return 1
	wait_for 5 grep -q 'after the storm' got || { echo "peer got [$(cat got)]"; return 1; }
	sig_key C-c
	sig_left 0
}
run_test "a storm of SIGWINCH from 10x3 to 300x100: the last size drawn, input works" sig_winch_storm

# Ctrl-Z gives the terminal back as it was; fg takes it again and redraws.
sig_tstp_cont() {
	ui_setup tstp
	sig_chat || return 1
	sig_key C-z
	wait_for 5 test -s stopped || { echo "Ctrl-Z did not stop the chat"; return 1; }
	expect_eq "terminal modes while stopped" "$(cat stopped)" "$(cat before)" || return 1
	wait_for 5 alt_is 0 || { echo "stopped on the alternate screen"; cap a; return 1; }
	touch fg
	wait_for 5 alt_is 1 || { echo "fg: not back on the alternate screen"; cap a; return 1; }
	wait_for 5 tty_modes_are "$SIG_MODES" || { echo "fg: terminal modes not taken again"; return 1; }
	ui_wait a '^hello from peer' || return 1
	wait_for 5 status_row_is a 29 || { echo "fg: no status line"; cap a; return 1; }
	ui_type a 'after fg' || return 1
	wait_for 5 grep -q 'after fg' got || { echo "peer got [$(cat got)]"; return 1; }
	ui_wait a '^after fg' || return 1
	sig_key C-c
	sig_left 0
}
run_test "Ctrl-Z: terminal restored while stopped; fg redraws the chat, input works" sig_tstp_cont

sig_tstp_line() {
	ui_setup tstpl
	sig_chat --line || return 1
	TM send-keys -t T:a -l 'half typed'
	ui_wait a '^> half typed$' || return 1
	sig_key C-z
	wait_for 5 test -s stopped || { echo "Ctrl-Z did not stop the chat"; return 1; }
	expect_eq "terminal modes while stopped" "$(cat stopped)" "$(cat before)" || return 1
	touch fg
	wait_for 5 tty_modes_are "$SIG_MODES" || { echo "fg: terminal modes not taken again"; return 1; }
	# the input line is drawn again, on the new line after fg
	wait_for 5 sh -c "[ \$(tmux -u -L $UI_SOCK capture-pane -p -t T:a | grep -c '^> half typed\$') = 2 ]" ||
	    { echo "fg: input line not redrawn"; cap a; return 1; }
	TM send-keys -t T:a Enter
	wait_for 5 grep -q 'half typed' got || { echo "peer got [$(cat got)]"; return 1; }
	sig_key C-c
	sig_left 0
}
run_test "line mode: Ctrl-Z restores the terminal; fg redraws the input line" sig_tstp_line

# A SIGSTOP cannot be caught: the shell resets the modes itself; on SIGCONT
# the chat takes its modes again.
sig_stop_cont() {
	ui_setup stop
	sig_chat || return 1
	sig_kill STOP
	wait_for 5 test -s stopped || { echo "SIGSTOP did not stop the chat"; return 1; }
	stty -F "$SIG_TTY" "$(cat before)"	# what bash does for a stopped job
	touch fg
	wait_for 5 tty_modes_are "$SIG_MODES" || { echo "SIGCONT: terminal modes not taken again"; return 1; }
	ui_type a 'after stop' || return 1
	wait_for 5 grep -q 'after stop' got || { echo "peer got [$(cat got)]"; return 1; }
	sig_kill TERM
	sig_left 143
}
run_test "SIGSTOP then SIGCONT: the chat takes its terminal modes again" sig_stop_cont

# ---- escape sequences from a peer ----

# esc_payload: lines a hostile peer sends, one vector each.
esc_payload() {
	printf 'osc52 \033]52;c;cHduZWQ=\007\n'
	printf 'title0 \033]0;pwned0\007\n'
	printf 'title2 \033]2;pwned2\033\\\n'
	printf 'link \033]8;;http://evil.example/\007click\033]8;;\007\n'
	printf 'dcs \033P+q544e\033\\\n'
	printf 'apc \033_hidden\033\\ pm \033^private\033\\\n'
	printf 'clear \033[2J\033[H\n'
	printf 'paste \033[201~\n'
	printf 'c1 \302\2332J raw \233\n'
	printf 'overlong \300\257\n'
	printf 'bidi \342\200\256evil \342\201\246x\342\201\251 \342\200\217rlm \330\234alm\n'
	printf 'marks a'
	printf '\314\201%.0s' $(seq 10000)
	printf ' end\n'
	printf 'last line\n'
}

# What each vector looks like on the screen (as capture-pane shows it).
ESC_SHOWN=(
	'osc52 ^[]52;c;cHduZWQ=^G'
	'title0 ^[]0;pwned0^G'
	"title2 ^[]2;pwned2^[\\"
	'link ^[]8;;http://evil.example/^Gclick^[]8;;^G'
	"dcs ^[P+q544e^[\\"
	"apc ^[_hidden^[\\ pm ^[^private^[\\"
	'clear ^[[2J^[[H'
	'paste ^[[201~'
	'c1 \u009b2J raw \x9b'
	'overlong \xc0\xaf'
	'bidi \u202eevil \u2066x\u2069 \u200frlm \u061calm'
	'last line'
)

# esc_vectors OPTIONS: the chat with OPTIONS gets every vector; each shows,
# nothing reaches the terminal: no title, no clipboard, no cleared screen.
esc_vectors() {
	local p s title; p=$(free_port)
	ui_start a "$TCP_ENV $TCPTALK $1 -l 127.0.0.1 $p" || return 1
	# room for every line in the received pane; OSC 52 would make a buffer
	TM resize-window -t T:a -x 120 -y 50
	TM set-option -g set-clipboard on
	TM pipe-pane -O -t T:a 'cat >>raw'
	wait_port "$p" || return 1
	title=$(TM display -p -t T:a '#{pane_title}')
	esc_payload >payload
	( cat payload; sleep 30 ) | timeout 40 "$TCPTALK" 127.0.0.1 "$p" >/dev/null & bg $!
	ui_wait a 'last line' || return 1
	for s in "${ESC_SHOWN[@]}"; do
		on_screen a "$s" || { echo "not shown: $s"; cap a; return 1; }
	done
	ui_wait a '^(< )?marks a.* end$' || return 1
	on_screen a 'waiting for a peer' || { echo "the screen was cleared"; cap a; return 1; }
	expect_eq "pane title" "$(TM display -p -t T:a '#{pane_title}')" "$title" || return 1
	expect_eq "tmux buffers" "$(TM list-buffers)" "" || return 1
	# and the bytes themselves never reached the terminal
	TM pipe-pane -t T:a
	[ -s raw ] || { echo "nothing recorded from the pane"; return 1; }
	! grep -qaE $'\e[]P_^]|\e\\[201~|\xc2\x9b' raw ||
	    { echo "escape bytes reached the terminal:"; grep -aoE $'.{0,10}(\e[]P_^]|\e\\[201~|\xc2\x9b).{0,20}' raw | cat -v | head; return 1; }
}

esc_split() {
	ui_setup escs
	esc_vectors ""
}
run_test "escape vectors (OSC 52/0/2/8, DCS, APC, PM, CSI 2J, paste end, C1, overlong, bidi, 10,000 marks) shown, not obeyed" esc_split

esc_line() {
	ui_setup escl
	esc_vectors --line
}
run_test "line mode: the same escape vectors shown, not obeyed" esc_line
