# shellcheck shell=bash disable=SC2154  # sourced by run.sh after lib.sh and t_2ui.sh (TCPTALK, E2E_TMP, ui_* helpers)
# tests/e2e/t_9tlsmarks.sh - delivery marks over TLS: the kernel's queue
# holds records (handshake, each line's record, close_notify), so a line's
# ✓ is reckoned in wire bytes.  The case that once showed ✗: a TLS server
# that answers 收到 without a newline and closes at once, so our
# close_notify, written after its close, sits unacknowledged when its RST
# ends the connection.  The line itself was acknowledged: ✓.

TLSMK_DIR=$E2E_TMP/tlsmarks-certs

# tlsmk_certs: a self-signed certificate for the server, once
tlsmk_certs() {
	[ -f "$TLSMK_DIR/c.pem" ] && return 0
	mkdir -p "$TLSMK_DIR" &&
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	    -keyout "$TLSMK_DIR/k.pem" -out "$TLSMK_DIR/c.pem" -days 3 \
	    -subj /CN=localhost 2>/dev/null
}

# tlsmk_server PORT: one TLS client; its first line answered with 收到 (no
# newline), then the socket closed without close_notify; stays a while
tlsmk_server() {
	python3 -c 'import socket, ssl, sys, time
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(sys.argv[2], sys.argv[3])
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen(1)
c, _ = s.accept()
t = ctx.wrap_socket(c, server_side=True)
got = b""
while b"\n" not in got:
    d = t.recv(4096)
    if not d:
        break
    got += d
t.sendall("收到".encode())
t.close()
time.sleep(15)' "$1" "$TLSMK_DIR/c.pem" "$TLSMK_DIR/k.pem"
}

tlsmk_closed_at_once() {
	ui_setup tlsmarks
	local p sp
	tlsmk_certs || { echo "openssl could not make a certificate"; return 1; }
	p=$(free_port)
	tlsmk_server "$p" & sp=$!
	bg $sp
	wait_port "$p" || return 1
	ui_start a "$TCP_ENV $TCPTALK --tls --tls-insecure 127.0.0.1 $p" || return 1
	ui_wait a 'TLS with 127\.0\.0\.1' || return 1
	ui_type a '你好' || return 1
	ui_wait a '^收到 ⏎̸$' || return 1
	# the end, then the mark it leaves
	ui_wait a "has left: it answered with RST|connection with 127\\.0\\.0\\.1:$p" || return 1
	ui_wait a '^你好 ✓$' 2
}

if "$TCPTALK" --version 2>/dev/null | grep -q 'TLS: no'; then
	echo "skip - marks over TLS: this tcptalk has no TLS"
	SKIPPED=$((SKIPPED + 1))
else
	run_test "marks over TLS: a line acknowledged before the server closed at once shows ✓, not ✗" tlsmk_closed_at_once
fi
