# shellcheck shell=bash disable=SC2154  # sourced by run.sh after lib.sh and ui.sh (TCPTALK, ui_* helpers)
# tests/e2e/t_9finorder.sh - who sent FIN first is the kernel's order, not
# the order tcptalk read things in: the peer's FIN arrives while the chat
# is frozen (a freezer cgroup: tmux would continue a stopped pane), Ctrl-D
# is typed meanwhile, and the chat reads the terminal first in the poll
# that wakes it; the notices still say the peer's FIN came first.

# fo_freezer: a freezer cgroup of our own in FO_CG (v1 or v2), or skip (77)
fo_freezer() {
	local v1=/sys/fs/cgroup/freezer v2=/sys/fs/cgroup/unified
	FO_CG=
	if [ "$(id -u)" = 0 ] && [ -w $v1 ] && mkdir "$v1/tt_finorder_$$" 2>/dev/null; then
		FO_CG=$v1/tt_finorder_$$
	elif [ "$(id -u)" = 0 ] && [ -w $v2 ] && mkdir "$v2/tt_finorder_$$" 2>/dev/null; then
		FO_CG=$v2/tt_finorder_$$
	else
		echo "no freezer cgroup to use here"
		return 77
	fi
}
# fo_freeze 1|0: freeze or thaw what is in FO_CG
fo_freeze() {
	if [ -e "$FO_CG/freezer.state" ]; then
		if [ "$1" = 1 ]; then echo FROZEN; else echo THAWED; fi >"$FO_CG/freezer.state"
	else
		echo "$1" >"$FO_CG/cgroup.freeze"
	fi
}
# fo_release: thaw, hand what is in FO_CG back to its parent, remove it
fo_release() {
	local f t
	[ -n "$FO_CG" ] && [ -d "$FO_CG" ] || return 0
	fo_freeze 0
	if [ -e "$FO_CG/tasks" ]; then f=tasks; else f=cgroup.procs; fi
	while read -r t; do echo "$t" >"$FO_CG/../$f"; done <"$FO_CG/$f"
	rmdir "$FO_CG"
}
fo_frozen() { grep -qE '^(FROZEN|1)$' "$FO_CG"/freezer.state "$FO_CG"/cgroup.freeze 2>/dev/null; }
# fo_typed TTY: the terminal holds input not yet read (tmux writes the
# keys to the pane's terminal after send-keys returns)
fo_typed() {
	python3 -c 'import array, fcntl, os, sys, termios
fd = os.open(sys.argv[1], os.O_RDONLY | os.O_NOCTTY | os.O_NONBLOCK)
n = array.array("i", [0])
fcntl.ioctl(fd, termios.FIONREAD, n)
sys.exit(0 if n[0] > 0 else 1)' "$1"
}
# fo_close_wait PORT: our socket on PORT is in CLOSE_WAIT (the peer's FIN came)
fo_close_wait() { ss -Htn state close-wait "sport = :$1" | grep -q .; }
fo_ctrl_d_after_fin() {
	local p c pid
	fo_freezer || return
	ui_setup finorder
	trap 'fo_release; TM kill-server 2>/dev/null; kill_bg' EXIT
	p=$(free_port)
	# the chat listens: its terminal is in the poll before the socket
	ui_start a "$TCP_ENV $TCPTALK --no-history -l 127.0.0.1 $p" || return 1
	wait_port "$p" || return 1
	pid=$(pgrep -f -- "^$TCPTALK --no-history -l 127.0.0.1 $p\$")
	[ -n "$pid" ] || { echo "no chat process"; return 1; }
	mkfifo in
	timeout 20 "$TCPTALK" 127.0.0.1 "$p" <in >/dev/null & c=$!
	bg $c
	exec 8>in		# the peer's stdin: its FIN when closed
	ui_wait a 'connected' || return 1
	echo "$pid" >"$FO_CG/tasks" 2>/dev/null || echo "$pid" >"$FO_CG/cgroup.procs"
	fo_freeze 1
	wait_for 5 fo_frozen || { echo "the chat never froze"; return 1; }
	exec 8>&-		# the peer's FIN, while the chat sleeps
	wait_for 5 fo_close_wait "$p" || { echo "the FIN never came"; return 1; }
	TM send-keys -t T:a C-d
	wait_for 5 fo_typed "$(TM display -p -t T:a '#{pane_tty}')" ||
	    { echo "Ctrl-D never reached the terminal"; return 1; }
	fo_freeze 0
	ui_wait a "closed: the peer sent FIN first, then you did" || return 1
	if cap a | grep -qE 'you sent FIN first|you sent FIN \(FIN_WAIT_1\)'; then
		echo "our FIN named first:"; cap a; return 1
	fi
}
run_test "timeline: the peer's FIN came first even when Ctrl-D is read before it" fo_ctrl_d_after_fin
