# shellcheck shell=bash disable=SC2154,SC2034  # sourced after tests/e2e/lib.sh (TCPTALK, kill_bg, ...); TCP_ENV is for the tests
# tests/e2e/ui.sh - the chat screen in private tmux servers: the helpers of
# tests/e2e/t_2ui.sh and the chat fault tests (tests/faults/chat.sh).

# TM ARGS...: tmux on this test's private server
TM() { tmux -u -L "$UI_SOCK" -f /dev/null "$@"; }

# ui_start WINDOW-NAME COMMAND: a 100x30 window running COMMAND (first one makes the server)
ui_start() {
	local name=$1 cmd=$2
	if ! TM has-session -t T 2>/dev/null; then
		TM new-session -d -s T -n "$name" -x 100 -y 30 "$cmd" || return 1
		TM set-option -t T remain-on-exit on >/dev/null
	else
		TM new-window -d -t T -n "$name" "$cmd" || return 1
		TM set-option -w -t "T:$name" remain-on-exit on >/dev/null
	fi
}
cap() { TM capture-pane -p -t "T:$1"; }
# ui_wait WINDOW REGEX [SECS]: until the screen shows REGEX
ui_wait() {
	local i
	for ((i = 0; i < ${3:-5} * 20; i++)); do
		cap "$1" | grep -qE -- "$2" && return 0
		sleep 0.05
	done
	echo "screen of $1 never showed /$2/:"
	cap "$1" | sed 's/^/    |/'
	return 1
}
# ui_type WINDOW TEXT: type TEXT literally, then Enter
ui_type() { TM send-keys -t "T:$1" -l -- "$2" && TM send-keys -t "T:$1" Enter; }
ui_setup() {
	UI_SOCK="tt$$_$1"
	export HOME=$PWD XDG_STATE_HOME=$PWD/state
	TCP_ENV="env LANG=C.UTF-8 TERM=xterm-256color HOME=$PWD XDG_STATE_HOME=$PWD/state"
	trap 'TM kill-server 2>/dev/null; kill_bg' EXIT
}
