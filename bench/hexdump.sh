#!/usr/bin/env bash
# bench/hexdump.sh - what -x costs the byte pipe: SIZE random bytes over
# loopback from tcptalk into `tcptalk -l` writing to /dev/null, without and
# with -x on the receiver (the dump to a file in /dev/shm, or /tmp without
# room there), interleaved in one run, several rounds.  Checks each dump's
# length (SIZE bytes make ceil(SIZE/16) lines of 79 bytes plus headers), then
# prints the median MiB/s of each and their ratio (-x over plain).
# Usage: bench/hexdump.sh [ROUNDS] [SIZE]   (defaults 5 and 256M)
set -u
cd "$(dirname "$0")/.." || exit 1
ROUNDS=${1:-5}
SIZE=${2:-256M}
TCPTALK=${TCPTALK:-./tcptalk}
bytes=$(numfmt --from=iec "$SIZE")
# the dump is about 5 times the data
need=$((bytes * 6 / 1024))
dir=/dev/shm
[ "$(df -Pk /dev/shm 2>/dev/null | awk 'NR==2{print $4}')" -gt $((need + bytes / 1024)) ] 2>/dev/null || dir=/tmp
tmp=$(mktemp -d "$dir/tcptalk-hexbench.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
head -c "$SIZE" /dev/urandom >"$tmp/data" || exit 1
port=$((30000 + RANDOM % 20000))

one() {	# plain|hex -> prints seconds
	local how=$1 r t0 t1 x=()
	port=$((port + 1))
	while ss -Htan "sport = :$port" 2>/dev/null | grep -q .; do port=$((port + 1)); done
	rm -f "$tmp/dump"
	[ "$how" = hex ] && x=(-x "$tmp/dump")
	"$TCPTALK" "${x[@]}" -l 127.0.0.1 "$port" >/dev/null &
	r=$!
	for _ in $(seq 50); do
		ss -Hltn "sport = :$port" 2>/dev/null | grep -q . && break
		sleep 0.05
	done
	t0=$(date +%s.%N)
	"$TCPTALK" 127.0.0.1 "$port" <"$tmp/data" >/dev/null
	wait $r
	t1=$(date +%s.%N)
	if [ "$how" = hex ]; then
		lines=$(grep -vc '^[<>]' "$tmp/dump")
		[ "$lines" -eq $(((bytes + 15) / 16)) ] || [ "$lines" -gt $(((bytes + 15) / 16)) ] ||
		    { echo "bench: the dump has $lines lines for $bytes bytes" >&2; exit 1; }
		grep -q '^!' "$tmp/dump" && { echo "bench: the dump lost bytes" >&2; exit 1; }
	fi
	awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.4f\n", b-a}'
}

for _ in $(seq "$ROUNDS"); do
	for how in plain hex; do
		one "$how" >>"$tmp/$how.txt" || exit 1
	done
done

median() { sort -n | awk '{a[NR]=$1}END{print (NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2}'; }
echo "hex dump benchmark: $SIZE of random bytes over 127.0.0.1, receiver with and without -x (dump in $dir), $ROUNDS rounds interleaved, medians"
echo "machine: $(nproc) cores, $(uname -sr), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
for how in plain hex; do
	sec=$(median <"$tmp/$how.txt")
	mibs=$(awk -v b="$bytes" -v s="$sec" 'BEGIN{printf "%.0f", b/1048576/s}')
	printf '%-22s %8s MiB/s  (%s s)\n' "$([ $how = plain ] && echo tcptalk || echo "tcptalk -x FILE")" "$mibs" "$sec"
	eval "mibs_$how=$mibs"
done
# shellcheck disable=SC2154  # mibs_* are set by the eval above
awk -v a="$mibs_hex" -v b="$mibs_plain" 'BEGIN{printf "with -x / without: %.2f\n", a/b}'
