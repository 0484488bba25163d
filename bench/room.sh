#!/usr/bin/env bash
# bench/room.sh - fan-out: N peers (bench/roomclient.c, one process) each
# send lines of 64 bytes as fast as the server takes them, and every line
# must reach every other peer.  Servers: tcptalk --broker, tcptalk --room,
# ncat --broker, ncat --chat, interleaved in each round.  Per server and N:
# the median lines/s delivered, the server's CPU (user + sys, while the
# lines flow: joins left out) per GB of payload delivered, and its peak
# RSS; then tcptalk's ratios.
# Usage: bench/room.sh [ROUNDS] [PEER COUNTS...]   (defaults 3, 10 50 200;
# LIMIT=SECS in the environment: how long one run may take, default 60)
# About 9.8 million lines (627 MB) are delivered per run, whatever N.
set -u
cd "$(dirname "$0")/.." || exit 1
ROUNDS=${1:-3}
shift
COUNTS=${*:-10 50 200}
TCPTALK=${TCPTALK:-./tcptalk}
TOTAL=9800000	# lines delivered per run
LINELEN=64
LIMIT=${LIMIT:-60}	# seconds a run may take: then it counts as failed
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

command -v ncat >/dev/null || { echo "bench: ncat missing; run scripts/install-deps" >&2; exit 1; }
cc -O2 -o "$tmp/roomclient" bench/roomclient.c || exit 1
port=$((30000 + RANDOM % 20000))

server_cmd() {	# server port
	case $1 in
	tt-broker) echo "$TCPTALK -l --broker --max-peers 1000 127.0.0.1 $2" ;;
	tt-room)   echo "$TCPTALK -l --room --max-peers 1000 127.0.0.1 $2" ;;
	nc-broker) echo "ncat -l --broker -m 1000 127.0.0.1 $2" ;;
	nc-chat)   echo "ncat -l --chat -m 1000 127.0.0.1 $2" ;;
	esac
}

one() {	# server n -> "lines/s cpu_s_per_GB peak_rss_kB", or "fail"
	local srv=$1 n=$2 s lines out rss
	lines=$((TOTAL / (n * (n - 1))))
	port=$((port + 1))
	while ss -Htan "sport = :$port" 2>/dev/null | grep -q .; do port=$((port + 1)); done
	# shellcheck disable=SC2046,SC2091  # the command line is meant to be split into words
	$(server_cmd "$srv" $port) </dev/null >/dev/null 2>"$tmp/err" &
	s=$!
	for _ in $(seq 100); do
		ss -Hltn "sport = :$port" 2>/dev/null | grep -q . && break
		sleep 0.05
	done
	out=$("$tmp/roomclient" $port "$n" $lines $LINELEN "$LIMIT" "$s") || out=
	rss=$(awk '/^VmHWM/ {print $2}' "/proc/$s/status")
	kill "$s"
	wait "$s" 2>/dev/null
	if [ -z "$out" ]; then
		echo fail
		return
	fi
	echo "$out" | awk -v r="$rss" -v l=$LINELEN \
	    '{printf "%.0f %.4f %d\n", $2 / $1, $3 / ($2 * l / 1e9), r}'
}

median() {	# column file
	awk -v c="$1" '$1 != "fail" {print $c}' "$2" | sort -g |
	    awk '{v[NR] = $1} END {if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}

servers="tt-broker tt-room nc-broker nc-chat"
for n in $COUNTS; do
	for _ in $(seq "$ROUNDS"); do
		for srv in $servers; do
			one "$srv" "$n" >>"$tmp/$srv.$n"
		done
	done
done

printf '%-10s %5s %14s %14s %10s %6s\n' server peers lines/s cpu_s/GB peak_kB fails
for n in $COUNTS; do
	for srv in $servers; do
		f="$tmp/$srv.$n"
		printf '%-10s %5s %14s %14s %10s %6s\n' "$srv" "$n" "$(median 1 "$f")" \
		    "$(median 2 "$f")" "$(median 3 "$f")" "$(grep -c fail "$f")"
	done
done
echo
for n in $COUNTS; do
	awk -v n="$n" -v a="$(median 1 "$tmp/tt-broker.$n")" -v b="$(median 1 "$tmp/nc-broker.$n")" \
	    -v ca="$(median 2 "$tmp/tt-broker.$n")" -v cb="$(median 2 "$tmp/nc-broker.$n")" \
	    -v cr="$(median 2 "$tmp/tt-room.$n")" \
	    'BEGIN {printf "N=%s: --broker %.2fx ncat --broker'"'"'s lines/s at %.2fx its CPU per byte; --room %.2fx --broker'"'"'s CPU per byte\n", n, a / b, ca / cb, cr / ca}'
done
