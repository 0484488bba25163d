#!/usr/bin/env bash
# tests/e2e/run.sh - drive the real tcptalk binary: pipes, loopback sockets,
# and the chat screen inside private tmux servers.  Ends with "N passed, N failed".
set -u
cd "$(dirname "$0")/../.." || exit 1
# shellcheck source=tests/e2e/lib.sh
. tests/e2e/lib.sh
# tmux wants a TERM even for detached sessions; CI may have none.
export TERM=${TERM:-xterm-256color}
# E2E_ONLY=5conv runs the files whose names match (the ui helpers always load).
for f in tests/e2e/t_*.sh; do
	case "$f" in *t_2ui.sh|*${E2E_ONLY:-}*) ;; *) continue ;; esac
	# shellcheck source=/dev/null  # each t_*.sh is checked on its own
	. "$f"
done
echo "e2e: $PASSED passed, $FAILED failed, $SKIPPED skipped"
[ "$FAILED" -eq 0 ]
