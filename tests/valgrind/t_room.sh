# shellcheck shell=bash disable=SC2154  # sourced by tests/valgrind/run.sh after lib.sh (TCPTALK)
# tests/valgrind/t_room.sh - rooms for `make valgrind`: the room and broker
# scenes of tests/e2e/t_9room.sh with the listener under valgrind (members
# join, talk, /nick /who /me /to, are kicked and leave; shared chunks fanned
# out and released; the broker's bytes), so every path that frees a member
# or a chunk is checked for errors and leaks.

# t_9room.sh's helpers and scenes without running its tests
eval "vgroom_$(declare -f run_test)"
run_test() { :; }
# shellcheck source=tests/e2e/t_9room.sh
. tests/e2e/t_9room.sh
run_test() { vgroom_run_test "$@"; }

run_test "valgrind: a room's members talk, are kicked and leave" room_talk_driver
run_test "valgrind: a full room turns a peer away" room_full_and_usage
run_test "valgrind: the broker's bytes to every other member" room_broker_driver
