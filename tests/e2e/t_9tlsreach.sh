# shellcheck shell=bash disable=SC2154  # sourced by run.sh after lib.sh and ui.sh (TCPTALK)
# tests/e2e/t_9tlsreach.sh - TLS over the other transports: a Unix socket
# (-U, where no host name can be checked, so a pin or --tls-sni is needed)
# and a SOCKS5 proxy (tests/e2e/proxy.py: the handshake goes end to end).

TLS_REACH_PY=$PWD/tests/e2e/proxy.py

# tls_reach_listener ARGS...: a pipe-mode TLS listener with its own state dir,
# answering "secret"; its certificate's fingerprint in TLS_REACH_FP
tls_reach_listener() {
	printf 'secret\n' >answer
	XDG_STATE_HOME=$PWD/lstate timeout 10 "$TCPTALK" -v -l --tls "$@" \
	    <answer >listener.got 2>listener.err & bg $!
	wait_for 5 grep -q "TLS certificate sha256:" listener.err ||
	    { echo "no fingerprint: $(cat listener.err)"; return 1; }
	TLS_REACH_FP=$(grep -o 'sha256:[0-9A-F:]*' listener.err)
}

tls_reach_unix() {
	command -v "$TCPTALK" >/dev/null || return 1
	"$TCPTALK" --version | grep -q "TLS: yes" || { echo "built without TLS"; return 77; }
	tls_reach_listener -U "$PWD/s.sock" || return 1
	# the certificate is self-signed and there is no name: refused,
	# with the pin that would accept it
	echo hi | XDG_STATE_HOME=$PWD/cstate timeout 5 "$TCPTALK" --tls \
	    -U "$PWD/s.sock" >out 2>err
	expect_eq "refused: exit status" "$?" 1 || return 1
	expect_grep "says the pin" err "not trusted: self-signed certificate \\(--tls-pin $TLS_REACH_FP would accept it\\)" || return 1
	tls_reach_listener -U "$PWD/s2.sock" || return 1
	echo hi | XDG_STATE_HOME=$PWD/cstate timeout 5 "$TCPTALK" -v -q 2 --tls \
	    --tls-pin "$TLS_REACH_FP" -U "$PWD/s2.sock" >out 2>err
	expect_eq "pinned: exit status (stderr: $(cat err))" "$?" 0 || return 1
	expect_eq "the answer came over TLS" "$(cat out)" secret || return 1
	expect_grep "-v says pinned" err "TLS with unix:.*: TLSv1\\.[23] .*, pinned$" || return 1
	wait_for 5 grep -qx hi listener.got || { echo "listener got [$(cat listener.got)]"; return 1; }
}
run_test "TLS over -U: a self-signed listener refused without a pin (and the pin named), accepted with --tls-pin, a round trip" tls_reach_unix

tls_reach_proxy() {
	"$TCPTALK" --version | grep -q "TLS: yes" || { echo "built without TLS"; return 77; }
	local p
	p=$(free_port)
	tls_reach_listener 127.0.0.1 "$p" || return 1
	python3 "$TLS_REACH_PY" --port-file socks.port --log socks.log \
	    --type socks5 & bg $!
	wait_for 5 test -s socks.port || { echo "the proxy did not start"; return 1; }
	PX_PORT=$(cat socks.port)
	echo hi | XDG_STATE_HOME=$PWD/cstate timeout 5 "$TCPTALK" -v -q 2 --tls \
	    --tls-pin "$TLS_REACH_FP" --proxy "127.0.0.1:$PX_PORT" --proxy-type socks5 \
	    localhost "$p" >out 2>err
	expect_eq "exit status (stderr: $(cat err))" "$?" 0 || return 1
	expect_eq "the answer came over TLS" "$(cat out)" secret || return 1
	expect_grep "through the proxy" err "connected to localhost $p via proxy 127\\.0\\.0\\.1:$PX_PORT \\(socks5\\)" || return 1
	expect_grep "pinned" err "TLS with .*: TLSv1\\.[23] .*, pinned$" || return 1
	expect_grep "the proxy saw the name" socks.log "localhost $p" || return 1
	wait_for 5 grep -qx hi listener.got || { echo "listener got [$(cat listener.got)]"; return 1; }
}
run_test "TLS through a SOCKS5 proxy: the handshake end to end, pinned, a round trip" tls_reach_proxy
