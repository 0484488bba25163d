# shellcheck shell=bash disable=SC2034  # NS_* are used by the files that source this one
# tests/faults/lib.sh - network namespaces for the fault tests: two
# namespaces joined by a veth pair, built and torn down by the test itself.
# Addresses exist only inside the namespaces (10.231.0.1 and 10.231.0.2);
# the host's interfaces and addresses are never touched.  Sourced after
# tests/e2e/lib.sh (bg, wait_for, ...) by tests/faults/run.sh and
# bench/reliability.sh.

FAULTS_PEERS=${FAULTS_PEERS:-$PWD/tests/faults/peers.py}
# Every name made in this run starts with the tag, so a trap can find them.
FAULTS_TAG=${FAULTS_TAG:-ttf$$}
NS_IPA=10.231.0.1
NS_IPB=10.231.0.2
NS_PORT=5000

# faults_can_netns: 0 if namespaces, veth, iptables and tc can be used;
# else 1 with the reason on stdout.
faults_can_netns() {
	local probe=${FAULTS_TAG}p
	[ "$(id -u)" = 0 ] || { echo "not root: network namespaces need root"; return 1; }
	command -v ip >/dev/null || { echo "ip (iproute2) is not installed"; return 1; }
	command -v iptables >/dev/null || { echo "iptables is not installed (scripts/install-deps)"; return 1; }
	command -v tc >/dev/null || { echo "tc (iproute2) is not installed"; return 1; }
	ip netns add "$probe" 2>/dev/null || { echo "ip netns add is not permitted here"; return 1; }
	if ! ip netns exec "$probe" iptables -L INPUT >/dev/null 2>&1; then
		ip netns del "$probe"
		echo "iptables does not work inside a network namespace here"
		return 1
	fi
	ip netns del "$probe"
}

# faults_can_tbf: 0 if tc can add a tbf qdisc (in a namespace of its own);
# else 1 with the reason on stdout.  (netem, the usual way to add delay,
# is left out of many kernels: the tests that need a delay make one with
# tbf's queue instead.)
faults_can_tbf() {
	local probe=${FAULTS_TAG}t
	ip netns add "$probe" 2>/dev/null || { echo "ip netns add is not permitted here"; return 1; }
	if ! ip netns exec "$probe" tc qdisc add dev lo root tbf rate 1mbit \
	    burst 32kbit latency 100ms 2>/dev/null; then
		ip netns del "$probe"
		echo "tc cannot add a tbf qdisc here (sch_tbf missing)"
		return 1
	fi
	ip netns del "$probe"
}

# ns_up ID: namespaces ${TAG}${ID}a and ...b, veth ${TAG}${ID}x (in a) and
# ...y (in b), addresses NS_IPA and NS_IPB.  Sets NSA NSB VA VB.
ns_up() {
	NSA=${FAULTS_TAG}$1a NSB=${FAULTS_TAG}$1b
	VA=${FAULTS_TAG}$1x VB=${FAULTS_TAG}$1y
	ip netns add "$NSA" && ip netns add "$NSB" &&
	ip link add "$VA" type veth peer name "$VB" &&
	ip link set "$VA" netns "$NSA" && ip link set "$VB" netns "$NSB" &&
	ip -n "$NSA" addr add "$NS_IPA/24" dev "$VA" &&
	ip -n "$NSB" addr add "$NS_IPB/24" dev "$VB" &&
	ip -n "$NSA" link set lo up && ip -n "$NSB" link set lo up &&
	ip -n "$NSA" link set "$VA" up && ip -n "$NSB" link set "$VB" up
}

# ns_down: remove this test's namespaces (the veth pair goes with them).
ns_down() {
	[ -n "${NSA:-}" ] && ip netns del "$NSA" 2>/dev/null
	[ -n "${NSB:-}" ] && ip netns del "$NSB" 2>/dev/null
	return 0
}

# ns_down_all: every namespace of this run, whatever test made it.
ns_down_all() {
	local n
	for n in $(ip netns list 2>/dev/null | awk '{ print $1 }'); do
		case $n in "$FAULTS_TAG"*) ip netns del "$n" 2>/dev/null ;; esac
	done
}

# in_a / in_b CMD...: run CMD inside namespace a (sender) or b (receiver)
in_a() { ip netns exec "$NSA" "$@"; }
in_b() { ip netns exec "$NSB" "$@"; }

# ns_loss P: drop incoming packets at random with probability P, both sides
ns_loss() {
	in_a iptables -A INPUT -m statistic --mode random --probability "$1" -j DROP &&
	in_b iptables -A INPUT -m statistic --mode random --probability "$1" -j DROP
}

# ns_rate RATE: token bucket on a's side of the link (the sending direction)
ns_rate() {
	in_a tc qdisc add dev "$VA" root tbf rate "$1" burst 32kbit latency 100ms
}

# ns_cut / ns_mend: drop everything both ways, then stop dropping
ns_cut() {
	in_a iptables -I INPUT 1 -j DROP && in_b iptables -I INPUT 1 -j DROP
}
ns_mend() {
	in_a iptables -D INPUT -j DROP && in_b iptables -D INPUT -j DROP
}

# ns_wait_port NS PORT: until something listens on PORT in NS (5 s at most)
ns_wait_port() {
	local i
	for ((i = 0; i < 100; i++)); do
		ip netns exec "$1" ss -Hltn "sport = :$2" 2>/dev/null | grep -q . && return 0
		sleep 0.05
	done
	echo "nothing listens on port $2 in $1 after 5 s"
	return 1
}

# size_at_least FILE BYTES: FILE holds at least BYTES
size_at_least() { [ "$(stat -c %s "$1" 2>/dev/null || echo 0)" -ge "$2" ]; }

# meter_cpu FILE: "U+S s in W s (P%)" from a peers.py meter file
meter_cpu() {
	awk '{ printf "%.3f+%.3f s CPU in %.2f s (%d%%)\n", $1, $2, $3, ($1 + $2) * 100 / ($3 > 0 ? $3 : 1) }' "$1"
}
# meter_pct FILE: CPU as a whole percentage of the wall time
meter_pct() { awk '{ printf "%d\n", ($1 + $2) * 100 / ($3 > 0 ? $3 : 1) }' "$1"; }
# meter_rss FILE: peak RSS in KiB
meter_rss() { awk '{ print $4 }' "$1"; }

# proc_kib PID FIELD: a /proc/PID/status field in KiB (VmRSS, VmHWM)
proc_kib() { awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"; }
# proc_fds PID: open file descriptors of PID
proc_fds() { find "/proc/$1/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l; }
# proc_ticks PID: user + system CPU of PID in clock ticks
proc_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# fig NAME TEXT: a figure for the summary (and for bench/reliability.sh)
fig() { printf 'figure: %s: %s\n' "$1" "$2"; }
