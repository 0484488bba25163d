#!/usr/bin/env bash
# bench/reliability.sh - the figures of README's "Reliability" section.
#
# 1. tests/faults/run.sh, which prints a figure per fault (loss, rate limit,
#    cut, partition, reset, silent peer, SIGKILL, slowloris, -k, both ways).
# 2. tcptalk against OpenBSD nc as the sender, the same way, interleaved,
#    ROUNDS rounds, medians: CPU (user + system) of the sender for 20 MiB over
#    a veth pair with 5% loss each way at 20 Mbit/s, and for 3 s against a slow
#    small-MSS peer on 127.0.0.1; wall time of 1 GiB each way at once between
#    two tcptalk, and between tcptalk and nc.
# Needs root for the namespaces (part 2's loss figure is skipped otherwise).
# Usage: bench/reliability.sh [ROUNDS]   (default 3)
#   TCPTALK_OLD=/path/to/an/older/tcptalk adds it (on both sides) to the 1 GiB
#   runs, e.g. a build of the commit before a fix, made from `git archive`.
set -u
cd "$(dirname "$0")/.." || exit 1
ROUNDS=${1:-3}
TCPTALK=${TCPTALK:-$PWD/tcptalk}
export TCPTALK
# shellcheck source=tests/e2e/lib.sh
. tests/e2e/lib.sh
# shellcheck source=tests/faults/lib.sh
. tests/faults/lib.sh
trap 'ns_down_all; cleanup' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
command -v nc >/dev/null || { echo "bench: nc (netcat-openbsd) missing; run scripts/install-deps" >&2; exit 1; }
[ -x "$TCPTALK" ] || { echo "bench: build tcptalk first (make)" >&2; exit 1; }
T=$E2E_TMP

echo "reliability: $(nproc) cores, Linux $(uname -r), $ROUNDS rounds interleaved, medians"
echo
echo "== faults (tests/faults/run.sh)"
bash tests/faults/run.sh | grep -E '^(ok|FAIL|skip)|figure:|^faults:'
echo

# median: of the numbers on stdin
median() { sort -n | awk '{ a[NR] = $1 } END { if (NR) print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
cpu_of() { awk '{ printf "%.3f\n", $1 + $2 }' "$1"; }
wall_of() { awk '{ printf "%.2f\n", $3 }' "$1"; }

# sender command line for a tool
send_cmd() {
	case $1 in
	tcptalk) echo "$TCPTALK" ;;
	old) echo "$TCPTALK_OLD" ;;
	nc) echo "nc -N" ;;
	esac
}

head -c 20M /dev/urandom >"$T/d20"

# loss_one TOOL ROUND: 20 MiB, 5% loss each way, 20 Mbit/s; "cpu wall"
loss_one() {
	local sum; sum=$(sha256sum <"$T/d20")
	ns_up "$2" && ns_loss 0.05 && ns_rate 20mbit || return 1
	in_b timeout 120 "$TCPTALK" -l "$NS_IPB" "$NS_PORT" </dev/null >"$T/got" &
	local r=$!
	ns_wait_port "$NSB" "$NS_PORT" >/dev/null || return 1
	# shellcheck disable=SC2046  # the command line is meant to be split
	in_a timeout 120 python3 "$FAULTS_PEERS" meter "$T/m" $(send_cmd "$1") "$NS_IPB" "$NS_PORT" <"$T/d20" >/dev/null
	wait "$r"
	ns_down
	[ "$(sha256sum <"$T/got")" = "$sum" ] || { echo "bench: $1 under loss: data differs" >&2; return 1; }
	echo "$(cpu_of "$T/m") $(wall_of "$T/m")"
}

# slow_one TOOL: 3 s against a slow small-MSS peer; "cpu wall"
slow_one() {
	local p; p=$(free_port)
	python3 "$FAULTS_PEERS" slow 127.0.0.1 "$p" 3 >/dev/null &
	local peer=$!
	wait_port "$p" >/dev/null || return 1
	# shellcheck disable=SC2046  # the command line is meant to be split
	head -c 20M /dev/zero | timeout 20 python3 "$FAULTS_PEERS" meter "$T/m" $(send_cmd "$1") 127.0.0.1 "$p" >/dev/null 2>&1
	wait "$peer"
	echo "$(cpu_of "$T/m") $(wall_of "$T/m")"
}

# both_one TOOL: 1 GiB each way at once, tcptalk -l against TOOL; seconds.
# TOOL "old": $TCPTALK_OLD on both sides (a build to compare with).
both_one() {
	local p s t0 t1 srv=$TCPTALK; p=$(free_port)
	[ "$1" = old ] && srv=$TCPTALK_OLD
	t0=$(date +%s%N)
	"$srv" -l 127.0.0.1 "$p" <"$BIG/a" | sha256sum >"$T/s.sum" &
	s=$!
	wait_port "$p" >/dev/null || return 1
	# shellcheck disable=SC2046  # the command line is meant to be split
	$(send_cmd "$1") 127.0.0.1 "$p" <"$BIG/b" | sha256sum >"$T/c.sum"
	wait "$s"
	t1=$(date +%s%N)
	if [ "$(cat "$T/s.sum")" != "$BSUM" ] || [ "$(cat "$T/c.sum")" != "$ASUM" ]; then
		echo "bench: both ways with $1: data differs" >&2
		return 1
	fi
	awk -v n=$((t1 - t0)) 'BEGIN { printf "%.2f\n", n / 1e9 }'
}

netns=yes
why=$(faults_can_netns) || netns=no
: >"$T/loss.tcptalk"; : >"$T/loss.nc"; : >"$T/slow.tcptalk"; : >"$T/slow.nc"
: >"$T/both.tcptalk"; : >"$T/both.nc"; : >"$T/both.old"
for r in $(seq "$ROUNDS"); do
	for tool in tcptalk nc; do
		[ $netns = yes ] && loss_one $tool "b$r${tool:0:1}" >>"$T/loss.$tool"
		slow_one $tool >>"$T/slow.$tool"
	done
done
echo "== sender CPU (user + system), medians"
if [ $netns = yes ]; then
	for tool in tcptalk nc; do
		printf '%-8s 20 MiB, 5%% loss each way, 20 Mbit/s: %s s CPU in %s s\n' "$tool" \
		    "$(cut -d' ' -f1 "$T/loss.$tool" | median)" "$(cut -d' ' -f2 "$T/loss.$tool" | median)"
	done
else
	echo "(loss over a veth pair skipped: $why)"
fi
for tool in tcptalk nc; do
	printf '%-8s 3 s to a slow peer (MSS 1000, 1000 B per 0.1 s): %s s CPU in %s s\n' "$tool" \
	    "$(cut -d' ' -f1 "$T/slow.$tool" | median)" "$(cut -d' ' -f2 "$T/slow.$tool" | median)"
done
echo

# The 1 GiB files in memory (/dev/shm) when it has room: no disk in the way.
BIG=$T
if [ "$(df -k --output=avail /dev/shm 2>/dev/null | tail -1)" -gt $((3 * 1024 * 1024)) ] 2>/dev/null; then
	BIG=$(mktemp -d /dev/shm/tcptalk-bench.XXXXXX) && trap 'rm -rf "$BIG"; ns_down_all; cleanup' EXIT
fi
head -c 1G /dev/urandom >"$BIG/a"
head -c 1G /dev/urandom >"$BIG/b"
ASUM=$(sha256sum <"$BIG/a")
BSUM=$(sha256sum <"$BIG/b")
both_tools="tcptalk nc"
[ -n "${TCPTALK_OLD:-}" ] && both_tools="$both_tools old"
for _ in $(seq "$ROUNDS"); do
	for tool in $both_tools; do
		both_one "$tool" >>"$T/both.$tool"
	done
done
rm -f "$BIG/a" "$BIG/b"
where=disk
[ "$BIG" != "$T" ] && where=/dev/shm
echo "== 1 GiB each way at once over 127.0.0.1 (each side: a file in $where in, sha256sum out), medians"
for tool in $both_tools; do
	case $tool in
	old) printf 'old -l <-> old          %s s (TCPTALK_OLD=%s)\n' "$(median <"$T/both.$tool")" "$TCPTALK_OLD" ;;
	*) printf 'tcptalk -l <-> %-8s  %s s\n' "$tool" "$(median <"$T/both.$tool")" ;;
	esac
done
