# shellcheck shell=bash disable=SC2154  # sourced by tests/valgrind/run.sh after lib.sh (TCPTALK, WAIT_STATUS)
# tests/valgrind/t_tls.sh - one TLS pipe session for `make valgrind`, both
# ends under valgrind: a listener making its self-signed certificate, a
# client pinning it, 1 MiB one way and a line the other (handshake, records,
# close_notify both ways); then a client refusing an untrusted certificate.
# The certificate helpers are tests/e2e/t_9tls.sh's.

TLS_HELPERS_ONLY=1
# shellcheck source=tests/e2e/t_9tls.sh
. tests/e2e/t_9tls.sh
unset TLS_HELPERS_ONLY

vg_tls_pipe() {
	local p tp fp out
	tls_state
	head -c 1M /dev/urandom >up.bin
	p=$(free_port)
	printf 'from the listener\n' | timeout 120 "$TCPTALK" -v -l --tls 127.0.0.1 "$p" >l.out 2>l.err &
	tp=$!; bg $tp
	wait_for 60 grep -q '^tcptalk: TLS certificate ' l.err || { echo "no fingerprint"; cat l.err; return 1; }
	wait_for 60 sh -c "ss -Hltn 'sport = :$p' | grep -q ." || { echo "nobody listens"; return 1; }
	fp=$(sed -n 's/^tcptalk: TLS certificate //p' l.err)
	timeout 120 "$TCPTALK" --tls --tls-pin "$fp" 127.0.0.1 "$p" <up.bin >c.out 2>c.err
	expect_eq "client exit" "$?" 0 || { cat c.err; return 1; }
	wait_exit $tp 60 || return 1
	expect_eq "listener exit" "$WAIT_STATUS" 0 || { cat l.err; return 1; }
	expect_eq "1 MiB to the listener" "$(sha256sum <l.out)" "$(sha256sum <up.bin)" || return 1
	expect_eq "a line to the client" "$(cat c.out)" "from the listener" || return 1
	# an untrusted certificate: the refusal path
	p=$(free_port) && tls_s_server "$p" srv || return 1
	out=$(timeout 120 "$TCPTALK" --tls localhost "$p" </dev/null 2>&1)
	expect_eq "untrusted: exit" "$?" 1 || { echo "$out"; return 1; }
	expect_grep "untrusted: said" <(echo "$out") 'the certificate is not trusted: unknown CA'
}
if (tls_make_certs) >"$E2E_TMP/tls-certs.log" 2>&1; then
	run_test "TLS pipe under valgrind: a self-signed listener and a pinned client, 1 MiB; an untrusted certificate refused" vg_tls_pipe
else
	vg_tls_no_certs() { cat "$E2E_TMP/tls-certs.log"; return 1; }
	run_test "TLS pipe under valgrind: the test certificates" vg_tls_no_certs
fi
