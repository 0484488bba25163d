#!/usr/bin/env bash
# tests/valgrind/run.sh - `make valgrind`: the pipe e2e tests and scripted chat
# sessions (tests/valgrind/t_chat.sh) with every tcptalk under valgrind
# memcheck (scripts/valgrind-tcptalk).  Fails on a failed test and on any
# memory error or definite leak, whichever process it was in.
set -u
cd "$(dirname "$0")/../.." || exit 1
command -v valgrind >/dev/null || { echo "valgrind: not installed (scripts/install-deps)" >&2; exit 1; }
TCPTALK_REAL=${TCPTALK_REAL:-$PWD/tcptalk}
VALGRIND_LOGS=$(mktemp -d "${TMPDIR:-/tmp}/tcptalk-vg.XXXXXX")
TCPTALK=$PWD/scripts/valgrind-tcptalk
export TCPTALK TCPTALK_REAL VALGRIND_LOGS
# shellcheck source=tests/e2e/lib.sh
. tests/e2e/lib.sh
trap 'cleanup; rm -rf "$VALGRIND_LOGS"' EXIT
export TERM=${TERM:-xterm-256color}

# The ui helpers of t_2ui.sh without its tests.
eval "real_$(declare -f run_test)"
run_test() { :; }
# shellcheck source=tests/e2e/t_2ui.sh
. tests/e2e/t_2ui.sh
run_test() { real_run_test "$@"; }

# VG_ONLY=pipe, VG_ONLY=chat or VG_ONLY=room runs one part.
for f in tests/e2e/t_1pipe.sh tests/e2e/t_3peer.sh tests/valgrind/t_tls.sh tests/valgrind/t_chat.sh \
    tests/valgrind/t_room.sh; do
	case "$f:${VG_ONLY:-}" in
	*:|*pipe.sh:pipe|*peer.sh:pipe|*tls.sh:pipe|*chat.sh:chat|*room.sh:room) ;;
	*) continue ;;
	esac
	# shellcheck source=/dev/null  # each file is checked on its own
	. "$f"
done

reports=0 checked=0
for f in "$VALGRIND_LOGS"/*.log; do
	[ -e "$f" ] && checked=$((checked + 1))
	[ -s "$f" ] || continue
	reports=$((reports + 1))
	echo "valgrind report ($(basename "$f")):"
	sed 's/^/    /' "$f" | head -60
done
echo "valgrind: $PASSED passed, $FAILED failed, $SKIPPED skipped;" \
    "$checked processes checked, $reports with errors or definite leaks"
[ "$FAILED" -eq 0 ] && [ "$reports" -eq 0 ] && [ "$checked" -gt 0 ]
