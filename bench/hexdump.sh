#!/usr/bin/env bash
# bench/hexdump.sh - what -x costs the byte pipe: SIZE random bytes over
# loopback from tcptalk into `tcptalk -l` writing to /dev/null: without -x,
# with -x /dev/null (the cost of reading into memory and formatting alone)
# and with -x FILE (FILE in DUMP_DIR, default /dev/shm, or /tmp without room
# there: formatting plus writing the text), interleaved in one run, several
# rounds.  Checks each FILE's length (SIZE bytes make ceil(SIZE/16) lines
# plus headers, and no '!' line), then prints per case the median MiB/s,
# the receiver's median CPU seconds (user + system), and the ratios of the
# -x cases over the plain pipe.
# Usage: bench/hexdump.sh [ROUNDS] [SIZE]   (defaults 5 and 256M)
set -u
cd "$(dirname "$0")/.." || exit 1
ROUNDS=${1:-5}
SIZE=${2:-256M}
TCPTALK=${TCPTALK:-./tcptalk}
bytes=$(numfmt --from=iec "$SIZE")
# the dump is about 5 times the data
need=$((bytes * 6 / 1024))
dir=${DUMP_DIR:-/dev/shm}
[ "$(df -Pk "$dir" 2>/dev/null | awk 'NR==2{print $4}')" -gt $((need + bytes / 1024)) ] 2>/dev/null || dir=/tmp
tmp=$(mktemp -d "$dir/tcptalk-hexbench.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
head -c "$SIZE" /dev/urandom >"$tmp/data" || exit 1
port=$((30000 + RANDOM % 20000))

one() {	# plain|null|file -> prints "seconds receiver_cpu_seconds"
	local how=$1 r t0 t1 x=()
	port=$((port + 1))
	while ss -Htan "sport = :$port" 2>/dev/null | grep -q .; do port=$((port + 1)); done
	rm -f "$tmp/dump"
	case $how in
	null)	x=(-x /dev/null) ;;
	file)	x=(-x "$tmp/dump") ;;
	esac
	/usr/bin/time -f "%U %S" -o "$tmp/cpu" "$TCPTALK" "${x[@]}" -l 127.0.0.1 "$port" >/dev/null &
	r=$!
	for _ in $(seq 50); do
		ss -Hltn "sport = :$port" 2>/dev/null | grep -q . && break
		sleep 0.05
	done
	t0=$(date +%s.%N)
	"$TCPTALK" 127.0.0.1 "$port" <"$tmp/data" >/dev/null
	wait $r
	t1=$(date +%s.%N)
	if [ "$how" = file ]; then
		lines=$(grep -vc '^[<>]' "$tmp/dump")
		[ "$lines" -eq $(((bytes + 15) / 16)) ] || [ "$lines" -gt $(((bytes + 15) / 16)) ] ||
		    { echo "bench: the dump has $lines lines for $bytes bytes" >&2; exit 1; }
		grep -q '^!' "$tmp/dump" && { echo "bench: the dump lost bytes" >&2; exit 1; }
	fi
	awk -v a="$t0" -v b="$t1" '{printf "%.4f %.2f\n", b-a, $1+$2}' "$tmp/cpu"
}

for _ in $(seq "$ROUNDS"); do
	for how in plain null file; do
		one "$how" >>"$tmp/$how.txt" || exit 1
	done
done

median() { sort -n | awk '{a[NR]=$1}END{print (NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2}'; }
echo "hex dump benchmark: $SIZE of random bytes over 127.0.0.1, receiver without -x, with -x /dev/null, with -x FILE in $dir; $ROUNDS rounds interleaved, medians"
echo "machine: $(nproc) cores, $(uname -sr), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
printf '%-22s %8s  %10s  %s\n' case MiB/s "recv CPU s" "wall s"
for how in plain null file; do
	sec=$(cut -d' ' -f1 "$tmp/$how.txt" | median)
	cpu=$(cut -d' ' -f2 "$tmp/$how.txt" | median)
	mibs=$(awk -v b="$bytes" -v s="$sec" 'BEGIN{printf "%.0f", b/1048576/s}')
	case $how in
	plain)	name=tcptalk ;;
	null)	name="tcptalk -x /dev/null" ;;
	file)	name="tcptalk -x FILE" ;;
	esac
	printf '%-22s %8s  %10s  %s\n' "$name" "$mibs" "$cpu" "$sec"
	eval "mibs_$how=$mibs"
done
# shellcheck disable=SC2154  # mibs_* are set by the eval above
awk -v p="$mibs_plain" -v n="$mibs_null" -v f="$mibs_file" \
    'BEGIN{printf "with -x FILE / without: %.2f   with -x /dev/null / without: %.2f\n", f/p, n/p}'
