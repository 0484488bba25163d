# shellcheck shell=bash disable=SC2154  # sourced by run.sh after lib.sh and t_2ui.sh (TCPTALK, ui_* helpers)
# tests/e2e/t_9tcpinfo.sh - TCP's facts: pipe mode's -v summary line per
# connection, --stats-json lines (valid JSON, right byte counts, 0600,
# both modes), its refusal with -U, and the chat's status line with the
# RTT.  Loopback only; the lossy link is in tests/faults/.

# ti_lines FILE N: FILE holds at least N lines
ti_lines() { [ -f "$1" ] && [ "$(wc -l <"$1")" -ge "$2" ]; }
# ti_field FILE LINE KEY...: a field of the JSON on that line (KEYs nest)
ti_field() {
	python3 -c 'import json, sys
v = json.loads(open(sys.argv[1]).read().splitlines()[int(sys.argv[2]) - 1])
for k in sys.argv[3:]:
    v = v[k]
print(v)' "$@"
}

ti_summary() {
	local p tp
	p=$(free_port)
	timeout 10 "$TCPTALK" -v -l 127.0.0.1 "$p" </dev/null >got 2>l.err & tp=$!
	bg $tp
	wait_port "$p" || return 1
	head -c 1000 /dev/zero | timeout 10 "$TCPTALK" -v 127.0.0.1 "$p" 2>c.err
	expect_eq "sender's exit" "$?" 0 || return 1
	wait_exit $tp 5 || return 1
	expect_eq "1000 bytes through" "$(wc -c <got)" 1000 || return 1
	expect_grep "the sender's summary: bytes, RTT, retransmissions" c.err \
	    "^tcptalk: 127\\.0\\.0\\.1:$p: received 0 B and sent 1000 B in [0-9.]+ s \\([0-9.]+ [KMG]?i?B/s\\), RTT min [0-9.]+ m?s avg [0-9.]+ m?s, retransmissions: 0" || return 1
	expect_grep "the receiver's summary" l.err \
	    "^tcptalk: 127\\.0\\.0\\.1:[0-9]+: received 1000 B and sent 0 B in .*, RTT min [0-9.]+ m?s avg" || return 1
	# without -v: not a word
	p=$(free_port)
	timeout 10 "$TCPTALK" -l 127.0.0.1 "$p" </dev/null >/dev/null 2>q.err & tp=$!
	bg $tp
	wait_port "$p" || return 1
	printf 'x' | timeout 10 "$TCPTALK" 127.0.0.1 "$p" 2>>q.err || return 1
	wait_exit $tp 5 || return 1
	expect_eq "quiet without -v" "$(cat q.err)" ""
}
run_test "-v: a summary line per connection with bytes each way, RTT and retransmissions" ti_summary

ti_json() {
	local p tp i
	p=$(free_port)
	"$TCPTALK" -k -l --stats-json s.json 127.0.0.1 "$p" < <(sleep 20) >got & tp=$!
	bg $tp
	wait_port "$p" || return 1
	head -c 1000 /dev/zero | timeout 10 "$TCPTALK" --stats-json c.json 127.0.0.1 "$p" || return 1
	wait_for 5 ti_lines s.json 1 || { echo "no first line"; return 1; }
	head -c 250000 /dev/urandom | timeout 10 "$TCPTALK" --stats-json c.json 127.0.0.1 "$p" || return 1
	wait_for 5 ti_lines s.json 2 || { echo "no second line"; return 1; }
	kill -TERM $tp
	wait_exit $tp 5 || return 1
	for i in 1 2; do
		sed -n "${i}p" s.json | python3 -m json.tool >/dev/null || { echo "s.json line $i: $(sed -n "${i}p" s.json)"; return 1; }
		sed -n "${i}p" c.json | python3 -m json.tool >/dev/null || { echo "c.json line $i"; return 1; }
	done
	expect_eq "two lines, one per connection" "$(wc -l <s.json)" 2 || return 1
	expect_eq "first: bytes in" "$(ti_field s.json 1 bytes_in)" 1000 || return 1
	expect_eq "first: TCP received" "$(ti_field s.json 1 tcp bytes_received)" 1001 || return 1
	expect_eq "second: bytes in" "$(ti_field s.json 2 bytes_in)" 250000 || return 1
	expect_eq "second: sent nothing" "$(ti_field s.json 2 bytes_out)" 0 || return 1
	expect_eq "second: the peer" "$(ti_field s.json 2 remote)" "$(ti_field c.json 2 local)" || return 1
	expect_eq "the client's bytes out" "$(ti_field c.json 2 bytes_out)" 250000 || return 1
	expect_eq "the client's bytes acked" "$(ti_field c.json 2 tcp bytes_acked)" 250002 || return 1
	# loopback retransmits now and then too: a count, not necessarily 0
	[[ $(ti_field c.json 2 tcp retransmissions) =~ ^[0-9]+$ ]] || { echo "retransmissions: $(cat c.json)"; return 1; }
	expect_grep "a start time" s.json '^\{"start":"20[0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9:.]+Z",' || return 1
	expect_eq "the file's mode" "$(stat -c %a s.json)" 600
}
run_test "--stats-json: a JSON line per connection, right byte counts, two -k peers, mode 0600" ti_json

ti_refused() {
	timeout 5 "$TCPTALK" --stats-json s.json -U x.sock </dev/null 2>u.err
	expect_eq "-U: usage error" "$?" 2 || return 1
	expect_grep "-U: why" u.err '^tcptalk: --stats-json has no use with -U: a Unix socket has no TCP figures$' || return 1
	[ ! -e s.json ] || { echo "s.json made anyway"; return 1; }
	timeout 5 "$TCPTALK" --stats-json nodir/s.json 127.0.0.1 9 </dev/null 2>d.err
	expect_eq "unwritable: exit 2" "$?" 2 || return 1
	expect_grep "unwritable: why" d.err "^tcptalk: cannot write the statistics to 'nodir/s.json': No such file or directory$"
}
run_test "--stats-json refused with -U, and for a file that cannot be made, before any socket" ti_refused

ti_chat() {
	ui_setup tcpi
	local p sp
	p=$(free_port)
	( printf 'hello\n'; sleep 20 ) | timeout 25 "$TCPTALK" -l 127.0.0.1 "$p" >srv.out & sp=$!
	bg $sp
	wait_port "$p" || return 1
	ui_start a "$TCP_ENV $TCPTALK --stats-json chat.json 127.0.0.1 $p" || return 1
	ui_wait a '^hello$' || return 1
	ui_wait a 'in [0-9]+ B  out 0 B \| rtt [0-9.]+ m?s retrans 0' || return 1
	ui_type a 'line one' || return 1
	wait_for 5 grep -q 'line one' srv.out || return 1
	kill -TERM $sp
	ui_wait a 'the peer finished sending' || return 1
	TM send-keys -t T:a C-d
	ui_wait a "^\\* connection with 127\\.0\\.0\\.1:$p closed" || return 1
	wait_for 5 ti_lines chat.json 1 || { echo "no chat.json line"; return 1; }
	python3 -m json.tool chat.json >/dev/null || return 1
	expect_eq "the chat's bytes out" "$(ti_field chat.json 1 bytes_out)" 9 || return 1
	expect_eq "the chat's bytes in" "$(ti_field chat.json 1 bytes_in)" 6
}
run_test "chat: the status line shows rtt and retransmissions; --stats-json in the chat" ti_chat
