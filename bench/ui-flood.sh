#!/usr/bin/env bash
# bench/ui-flood.sh - 200,000 lines of 80 bytes sent to tcptalk's chat screen
# in a 200x50 tmux pane, against `nc -l` printing the same into the same kind
# of pane, interleaved in one run.  Prints the median time until the last
# line is visible for each, the ratio, and tcptalk's peak RSS.
# TCPTALK_BASE=OTHER_BINARY adds it as a third contender, "base" (say, a
# build from before a change: git worktree add /tmp/b REV && make -C /tmp/b),
# and prints tcptalk/base: what the change costs the flood.
# Usage: bench/ui-flood.sh [ROUNDS] [LINES]   (defaults 3 and 200000)
set -u
cd "$(dirname "$0")/.." || exit 1
ROUNDS=${1:-3}
LINES=${2:-200000}
TCPTALK=$(realpath "${TCPTALK:-./tcptalk}")
BASE=${TCPTALK_BASE:+$(realpath "$TCPTALK_BASE")}
tmp=$(mktemp -d)
sock="ttflood$$"
TM() { tmux -u -L "$sock" -f /dev/null "$@"; }
trap 'TM kill-server 2>/dev/null; rm -rf "$tmp"' EXIT

# LINES-1 lines of 79 characters + LF, then a marker line
awk -v n="$LINES" 'BEGIN { for (i = 1; i < n; i++) printf "%07d %071d\n", i, i; print "LAST-LINE-OF-THE-FLOOD" }' >"$tmp/data"
port=$((30000 + RANDOM % 20000))

one() {	# tool -> "seconds peak_rss_kib"
	local tool=$1 t0 t1 pid rss=0
	port=$((port + 1))
	while ss -Htan "sport = :$port" 2>/dev/null | grep -q .; do port=$((port + 1)); done
	case $tool in
	tcptalk) cmd="env LANG=C.UTF-8 TERM=xterm-256color $TCPTALK --no-history -l 127.0.0.1 $port" ;;
	base)    cmd="env LANG=C.UTF-8 TERM=xterm-256color $BASE --no-history -l 127.0.0.1 $port" ;;
	nc)      cmd="env TERM=xterm-256color nc -l 127.0.0.1 $port" ;;
	esac
	TM kill-server 2>/dev/null
	TM new-session -d -s F -x 200 -y 50 "$cmd; sleep 60"
	for _ in $(seq 100); do ss -Hltn "sport = :$port" | grep -q . && break; sleep 0.05; done
	pid=$(pgrep -f "^[^ ]*(tcptalk|nc) .*-l 127.0.0.1 $port" | head -1)
	[ "$tool" = base ] && pid=$(pgrep -f "^$BASE .*-l 127.0.0.1 $port" | head -1)
	t0=$(date +%s%N)
	nc -N 127.0.0.1 "$port" <"$tmp/data" >/dev/null &
	sender=$!
	for _ in $(seq 4000); do	# 120 s at most
		TM capture-pane -p -t F | grep -q LAST-LINE-OF-THE-FLOOD && break
		sleep 0.02
	done
	t1=$(date +%s%N)
	if [ "$tool" = tcptalk ] && [ -n "$pid" ]; then
		rss=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null)
	fi
	kill "$sender" 2>/dev/null
	wait
	TM kill-server 2>/dev/null
	echo "$(( (t1 - t0) / 1000000 )) ${rss:-0}"
}

for _ in $(seq "$ROUNDS"); do
	for t in tcptalk nc ${BASE:+base}; do one "$t" >>"$tmp/$t.txt"; done
done
median() { sort -n | awk '{a[NR]=$1}END{print (NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2}'; }
tt=$(cut -d' ' -f1 "$tmp/tcptalk.txt" | median)
nt=$(cut -d' ' -f1 "$tmp/nc.txt" | median)
rss=$(cut -d' ' -f2 "$tmp/tcptalk.txt" | sort -n | tail -1)
echo "ui flood: $LINES lines of 80 bytes into a 200x50 tmux pane, $ROUNDS rounds interleaved, medians"
echo "machine: $(nproc) cores, $(uname -sr), tmux $(tmux -V | cut -d' ' -f2)"
printf 'tcptalk  %6.2f s to the last line, peak RSS %.1f MiB\n' "$(echo "$tt/1000" | bc -l)" "$(echo "$rss/1024" | bc -l)"
printf 'nc       %6.2f s to the last line\n' "$(echo "$nt/1000" | bc -l)"
awk -v a="$tt" -v b="$nt" 'BEGIN{printf "tcptalk/nc time: %.2fx\n", a/b}'
if [ -n "$BASE" ]; then
	bt=$(cut -d' ' -f1 "$tmp/base.txt" | median)
	printf 'base     %6.2f s to the last line (%s)\n' "$(echo "$bt/1000" | bc -l)" "$BASE"
	awk -v a="$tt" -v b="$bt" 'BEGIN{printf "tcptalk/base time: %.2fx\n", a/b}'
fi
