#!/usr/bin/env bash
# bench/pipe.sh - byte pipe throughput over loopback: tcptalk against
# OpenBSD nc and socat, interleaved in one run, several rounds.
#   head -c SIZE /dev/zero | X 127.0.0.1 PORT   into   X -l PORT >/dev/null
# Prints, per tool, the median throughput and the median CPU seconds per GiB
# (sender + receiver, user + system), then tcptalk's ratios against nc.
# "tcptalk+stats" is tcptalk with the TCP facts on (-v summary and
# --stats-json on both ends): its ratio to plain tcptalk is their cost.
# Usage: bench/pipe.sh [ROUNDS] [SIZE]   (defaults 5 and 1G)
set -u
cd "$(dirname "$0")/.." || exit 1
ROUNDS=${1:-5}
SIZE=${2:-1G}
TCPTALK=${TCPTALK:-./tcptalk}
bytes=$(numfmt --from=iec "$SIZE")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

command -v nc >/dev/null || { echo "bench: nc (netcat-openbsd) missing; run scripts/install-deps" >&2; exit 1; }
command -v socat >/dev/null || { echo "bench: socat missing; run scripts/install-deps" >&2; exit 1; }

port=$((30000 + RANDOM % 20000))

recv_cmd() {	# tool port
	case $1 in
	tcptalk) echo "$TCPTALK -l 127.0.0.1 $2" ;;
	tcptalk+stats) echo "$TCPTALK -v --stats-json $tmp/recv.json -l 127.0.0.1 $2" ;;
	nc)      echo "nc -l 127.0.0.1 $2" ;;
	socat)   echo "socat -u TCP-LISTEN:$2,bind=127.0.0.1,reuseaddr STDOUT" ;;
	esac
}
send_cmd() {
	case $1 in
	tcptalk) echo "$TCPTALK 127.0.0.1 $2" ;;
	tcptalk+stats) echo "$TCPTALK -v --stats-json $tmp/send.json 127.0.0.1 $2" ;;
	nc)      echo "nc -N 127.0.0.1 $2" ;;
	socat)   echo "socat -u STDIN TCP:127.0.0.1:$2" ;;
	esac
}

one() {	# tool -> prints "seconds cpu_seconds"
	local tool=$1 r t0 t1
	port=$((port + 1))
	# skip ports still in use or in TIME_WAIT from an earlier round
	while ss -Htan "sport = :$port" 2>/dev/null | grep -q .; do port=$((port + 1)); done
	# shellcheck disable=SC2046  # the command line is meant to be split into words
	/usr/bin/time -f "%U %S" -o "$tmp/r" $(recv_cmd "$tool" $port) >/dev/null 2>>"$tmp/stderr" &
	r=$!
	# wait (bounded) for the listener
	for _ in $(seq 50); do
		ss -Hltn "sport = :$port" 2>/dev/null | grep -q . && break
		sleep 0.05
	done
	t0=$(date +%s.%N)
	# shellcheck disable=SC2046  # the command line is meant to be split into words
	head -c "$SIZE" /dev/zero | /usr/bin/time -f "%U %S" -o "$tmp/s" $(send_cmd "$tool" $port) 2>>"$tmp/stderr"
	wait $r
	t1=$(date +%s.%N)
	awk -v a="$t0" -v b="$t1" 'NR==FNR{c+=$1+$2;next}{c+=$1+$2}END{printf "%.4f %.4f\n", b-a, c}' "$tmp/r" "$tmp/s"
}

tools="tcptalk tcptalk+stats nc socat"
for _ in $(seq "$ROUNDS"); do
	for t in $tools; do
		one "$t" >>"$tmp/$t.txt"
	done
done

median() { sort -n | awk '{a[NR]=$1}END{print (NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2}'; }
echo "pipe benchmark: $SIZE over 127.0.0.1, $ROUNDS rounds interleaved, medians"
echo "machine: $(nproc) cores, $(uname -sr), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
printf '%-14s %12s %14s\n' tool "MiB/s" "CPU s/GiB"
for t in $tools; do
	sec=$(cut -d' ' -f1 "$tmp/$t.txt" | median)
	cpu=$(cut -d' ' -f2 "$tmp/$t.txt" | median)
	mibs=$(awk -v b="$bytes" -v s="$sec" 'BEGIN{printf "%.0f", b/1048576/s}')
	cpg=$(awk -v b="$bytes" -v c="$cpu" 'BEGIN{printf "%.3f", c/(b/1073741824)}')
	printf '%-14s %12s %14s\n' "$t" "$mibs" "$cpg"
	v=${t%+stats}; [ "$v" = "$t" ] || v=${v}_stats
	eval "mibs_$v=$mibs cpg_$v=$cpg"
done
# shellcheck disable=SC2154  # mibs_* and cpg_* are set by the eval above
awk -v a="$mibs_tcptalk_stats" -v b="$mibs_tcptalk" -v c="$cpg_tcptalk_stats" -v d="$cpg_tcptalk" \
    'BEGIN{printf "tcptalk with stats on/off: throughput %.2fx, CPU per GiB %.2fx\n", a/b, c/d}'
# shellcheck disable=SC2154
awk -v a="$mibs_tcptalk" -v b="$mibs_nc" -v c="$cpg_tcptalk" -v d="$cpg_nc" \
    'BEGIN{printf "tcptalk/nc: throughput %.2fx, CPU per GiB %.2fx\n", a/b, c/d}'
