# shellcheck shell=bash
# tests/e2e/lib.sh - helpers for the end-to-end tests: free ports, bounded
# waits, process clean-up, pass/fail counting.  Only 127.0.0.1 and ::1.

TCPTALK=${TCPTALK:-$PWD/tcptalk}
E2E_TMP=$(mktemp -d "${TMPDIR:-/tmp}/tcptalk-e2e.XXXXXX")
PASSED=0
FAILED=0
SKIPPED=0
PIDS=()

cleanup() {
	rm -rf "$E2E_TMP"
}
trap cleanup EXIT

# Remember a background process so it is killed at the end whatever happens.
bg() { PIDS+=("$1"); }

# A loopback port nobody listens on.
free_port() {
	local p
	for _ in $(seq 100); do
		p=$((20000 + RANDOM % 40000))
		ss -Htan "sport = :$p" 2>/dev/null | grep -q . || { echo "$p"; return 0; }
	done
	return 1
}

# wait_port PORT: until something listens on PORT (5 s at most).
wait_port() {
	for _ in $(seq 100); do
		ss -Hltn "sport = :$1" 2>/dev/null | grep -q . && return 0
		sleep 0.05
	done
	echo "nothing listens on port $1 after 5 s"
	return 1
}

# wait_for SECS CMD...: until CMD succeeds (SECS at most).
wait_for() {
	local secs=$1 i
	shift
	for ((i = 0; i < secs * 20; i++)); do
		"$@" && return 0
		sleep 0.05
	done
	return 1
}

# wait_exit PID SECS: until PID is gone; its exit status in $WAIT_STATUS.
wait_exit() {
	local i
	for ((i = 0; i < $2 * 20; i++)); do
		if ! kill -0 "$1" 2>/dev/null; then
			wait "$1"
			# shellcheck disable=SC2034  # read by the t_*.sh files
			WAIT_STATUS=$?
			return 0
		fi
		sleep 0.05
	done
	echo "process $1 still running after $2 s"
	return 1
}

# catches PID SIG: PID has its own handler for SIG (SigCgt in /proc) and
# sleeps in its poll loop (under valgrind SigCgt is valgrind's: every bit is
# set from the start, so the loop is what says the handlers are in)
catches() {
	local mask n
	mask=$(awk '/^SigCgt:/ { print $2 }' "/proc/$1/status" 2>/dev/null) || return 1
	[ -n "$mask" ] || return 1
	n=$(kill -l "$2")
	(( (16#$mask >> (n - 1)) & 1 )) || return 1
	grep -q poll "/proc/$1/wchan" 2>/dev/null
}

# wait_catches PID SIG...: until PID handles each SIG itself (5 s at most):
# a signal sent before that meets the default action, or is ignored in a
# background job (SIGINT), and the test would race the start-up.
wait_catches() {
	local pid=$1 sig
	shift
	for sig in "$@"; do
		wait_for 5 catches "$pid" "$sig" || { echo "$pid never caught SIG$sig"; return 1; }
	done
}

# expect_eq WHAT GOT WANT
expect_eq() {
	[ "$2" == "$3" ] && return 0
	printf '%s: got [%s], want [%s]\n' "$1" "$2" "$3"
	return 1
}

# expect_grep WHAT FILE PATTERN
expect_grep() {
	grep -qE -- "$3" "$2" && return 0
	printf '%s: no match for /%s/ in:\n' "$1" "$3"
	sed 's/^/    /' "$2" | head -20
	return 1
}

# Inside a test: kill every remembered process (the test's subshell exit trap).
kill_bg() {
	local p
	for p in "${PIDS[@]}"; do
		pkill -P "$p" 2>/dev/null
		kill "$p" 2>/dev/null
	done
	# and every other child, such as the `sleep` feeding a server's stdin
	pkill -P "$BASHPID" 2>/dev/null
	wait 2>/dev/null
}

# run_test NAME FUNC: run FUNC in a subshell in its own dir, output to a log
# (so a background process cannot hold a pipe open); count the result.
run_test() {
	local name=$1 fn=$2 dir rc t0 ms
	dir=$E2E_TMP/$fn
	t0=$(date +%s%N)
	mkdir -p "$dir"
	( cd "$dir" && PIDS=() && trap kill_bg EXIT && set +e && "$fn" ) >"$dir/log" 2>&1 </dev/null
	rc=$?
	ms=$(( ($(date +%s%N) - t0) / 1000000 ))
	if [ $rc -eq 0 ]; then
		PASSED=$((PASSED + 1))
		echo "ok   - $name (${ms} ms)"
	elif [ $rc -eq 77 ]; then
		SKIPPED=$((SKIPPED + 1))
		echo "skip - $name: $(tail -1 "$dir/log")"
	else
		FAILED=$((FAILED + 1))
		echo "FAIL - $name"
		sed 's/^/    /' "$dir/log" | tail -30
	fi
}
