# shellcheck shell=bash disable=SC2154  # sourced by run.sh after lib.sh (TCPTALK, E2E_TMP, WAIT_STATUS)
# tests/e2e/t_9tls.sh - --tls in pipe mode against openssl s_server and
# s_client, ncat --ssl, a Python TLS peer (for close_notify, which the
# others cannot be told to withhold) and tests/e2e/smtp_server.py
# (STARTTLS), with certificates made here by the openssl CLI: a CA, a
# server certificate for localhost and 127.0.0.1, one for another host,
# an expired one, a self-signed one and a client certificate.  Every test
# has its own XDG_STATE_HOME, so the listener's self-signed certificate and
# the known hosts are the test's own.

TLS_DIR=$E2E_TMP/tls-certs
TLS_SRCDIR=$PWD

# tls_key FILE: a new EC P-256 key
tls_key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

# tls_sign NAME CN SAN EKU [STARTDATE ENDDATE]: NAME.pem and NAME.key signed
# by the test CA (openssl ca: the only CLI of OpenSSL 3.0 that takes dates
# in the past, for the expired one).
tls_sign() {
	local name=$1 cn=$2 san=$3 eku=$4 start=${5:-} end=${6:-}
	tls_key "$name.key" || return 1
	openssl req -new -config ca.cnf -key "$name.key" -subj "/CN=$cn" \
	    -out "$name.csr" 2>/dev/null || return 1
	printf '[ext]\nsubjectAltName = %s\nextendedKeyUsage = %s\n' "$san" "$eku" >"$name.ext"
	if [ -n "$start" ]; then
		set -- -startdate "$start" -enddate "$end"
	else
		set -- -days 30
	fi
	openssl ca -batch -config ca.cnf -cert ca.pem -keyfile ca.key -notext \
	    -in "$name.csr" -extfile "$name.ext" -extensions ext "$@" \
	    -out "$name.pem" 2>"$name.err" || { cat "$name.err"; return 1; }
}

# tls_make_certs: every certificate the tests use, once, into TLS_DIR.
tls_make_certs() {
	mkdir -p "$TLS_DIR" && cd "$TLS_DIR" || return 1
	cat >ca.cnf <<-'EOF'
	[ req ]
	distinguished_name = dn
	prompt = no
	[ dn ]
	CN = unused
	[ ca_ext ]
	basicConstraints = critical, CA:TRUE
	keyUsage = critical, keyCertSign, cRLSign
	subjectKeyIdentifier = hash
	[ ca ]
	default_ca = testca
	[ testca ]
	database = ./index.txt
	new_certs_dir = .
	serial = ./serial
	default_md = sha256
	policy = anything
	unique_subject = no
	[ anything ]
	commonName = supplied
	EOF
	: >index.txt
	echo 01 >serial
	tls_key ca.key || return 1
	openssl req -x509 -config ca.cnf -new -key ca.key -subj "/CN=tcptalk test CA" \
	    -days 30 -extensions ca_ext -out ca.pem 2>/dev/null || return 1
	tls_sign srv localhost "DNS:localhost, IP:127.0.0.1" serverAuth || return 1
	tls_sign other other.example "DNS:other.example" serverAuth || return 1
	tls_sign expired localhost "DNS:localhost, IP:127.0.0.1" serverAuth \
	    20200101000000Z 20200201000000Z || return 1
	tls_sign future localhost "DNS:localhost, IP:127.0.0.1" serverAuth \
	    20990101000000Z 20991231000000Z || return 1
	tls_sign client "tcptalk test client" "DNS:client.example" clientAuth || return 1
	tls_key self.key || return 1
	openssl req -x509 -config ca.cnf -new -key self.key -subj /CN=localhost \
	    -addext "subjectAltName = DNS:localhost, IP:127.0.0.1" -days 30 \
	    -out self.pem 2>/dev/null || return 1
	cd - >/dev/null || return 1
}

# tls_fp CERT: its fingerprint as tcptalk writes it (sha256:AB:CD:...)
tls_fp() { openssl x509 -in "$1" -noout -fingerprint -sha256 | sed 's/^.*=/sha256:/'; }

# tls_state: a state directory of the test's own
tls_state() { mkdir -p "$PWD/state" && export XDG_STATE_HOME=$PWD/state; }

# tls_s_server PORT CERT [ARGS...]: openssl s_server for one connection,
# reversing each line it gets (-rev), in the background; waits for it.
tls_s_server() {
	local port=$1 cert=$2
	shift 2
	timeout 20 openssl s_server -accept "127.0.0.1:$port" -naccept 1 -rev \
	    -cert "$TLS_DIR/$cert.pem" -key "$TLS_DIR/$cert.key" "$@" \
	    >"s_server.$port.out" 2>&1 </dev/null &
	bg $!
	wait_port "$port"
}

# tls_one_line WHAT FILE: FILE is exactly one line
tls_one_line() { expect_eq "$1: lines" "$(wc -l <"$2")" 1 || { cat "$2"; return 1; }; }

# tls_py_peer MODE PORT CERT: a Python TLS server for one connection, in
# the background.  MODE notify: read to the end, say how the stream ended
# ("got N bytes, then close_notify" or "..., then truncated"), then send
# our own close_notify.  MODE truncate: the same, but close the socket
# after the answer with no close_notify.
tls_py_peer() {
	cat >tls_peer.py <<-'EOF'
	import socket, ssl, sys
	mode, port, cert, key = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
	ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
	ctx.load_cert_chain(cert, key)
	s = socket.socket()
	s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
	s.bind(("127.0.0.1", port))
	s.listen(1)
	c, _ = s.accept()
	c.settimeout(10)
	t = ctx.wrap_socket(c, server_side=True, suppress_ragged_eofs=False)
	n, how = 0, "close_notify"
	try:
	    while True:
	        d = t.recv(65536)
	        if not d:
	            break
	        n += len(d)
	except ssl.SSLEOFError:
	    how = "truncated"
	print("got %d bytes, then %s" % (n, how), flush=True)
	t.sendall(("got %d bytes, then %s\n" % (n, how)).encode())
	if mode == "notify":
	    t.unwrap()
	else:
	    t.shutdown(socket.SHUT_RDWR)
	t.close()
	EOF
	timeout 20 python3 tls_peer.py "$1" "$2" "$TLS_DIR/$3.pem" "$TLS_DIR/$3.key" \
	    >"py.$2.out" 2>&1 &
	bg $!
	wait_port "$2"
}

# tests/valgrind/t_tls.sh takes the helpers above, not the tests below
[ -z "${TLS_HELPERS_ONLY:-}" ] || return 0

# ---- the tests ----

if ! "$TCPTALK" --version 2>/dev/null | grep -q 'TLS: yes'; then
	tls_without() { echo "this tcptalk is built without TLS (tcptalk --version says TLS: no)"; return 77; }
	run_test "--tls: every case" tls_without
	return 0
fi
if ! (tls_make_certs) >"$E2E_TMP/tls-certs.log" 2>&1; then
	tls_no_certs() { echo "the openssl CLI could not make the test certificates:"; cat "$E2E_TMP/tls-certs.log"; return 1; }
	run_test "--tls: the test certificates" tls_no_certs
	return 0
fi

tls_verify_ca() {
	local p
	tls_state
	p=$(free_port) && tls_s_server "$p" srv || return 1
	printf 'hello\nworld\n' | timeout 10 "$TCPTALK" -v --tls --tls-ca "$TLS_DIR/ca.pem" \
	    localhost "$p" >out 2>err
	expect_eq "exit" "$?" 0 || { cat err; return 1; }
	expect_eq "s_server's reversed lines" "$(cat out)" "$(printf 'olleh\ndlrow')" || return 1
	expect_grep "-v says what TLS agreed and who" err \
	    '^tcptalk: TLS with [^ ]+: TLSv1\.[23] [A-Z0-9_-]+.*, .*localhost' || return 1
	# an IP address is verified against the certificate's IP entry
	p=$(free_port) && tls_s_server "$p" srv || return 1
	printf 'by address\n' | timeout 10 "$TCPTALK" --tls --tls-ca "$TLS_DIR/ca.pem" \
	    127.0.0.1 "$p" >out2 2>err2
	expect_eq "exit (127.0.0.1)" "$?" 0 || { cat err2; return 1; }
	expect_eq "reply (127.0.0.1)" "$(cat out2)" "sserdda yb" || return 1
	# --tls-alpn: the server picks from our list, -v names it
	p=$(free_port) && tls_s_server "$p" srv -alpn h2,http/1.1 || return 1
	printf 'alpn\n' | timeout 10 "$TCPTALK" -v --tls --tls-ca "$TLS_DIR/ca.pem" \
	    --tls-alpn foo,http/1.1 localhost "$p" >out3 2>err3
	expect_eq "exit (ALPN)" "$?" 0 || { cat err3; return 1; }
	expect_eq "reply (ALPN)" "$(cat out3)" "npla" || return 1
	expect_grep "-v names the protocol agreed" err3 '^tcptalk: TLS with .*, ALPN http/1\.1, verified: localhost$'
}
run_test "--tls --tls-ca against openssl s_server: verified by name and by address, -v says so" tls_verify_ca

tls_verify_fails() {
	local p fp
	tls_state
	fp=$(tls_fp "$TLS_DIR/srv.pem")
	p=$(free_port) && tls_s_server "$p" srv || return 1
	printf 'secret\n' | timeout 10 "$TCPTALK" --tls localhost "$p" >out 2>err
	expect_eq "exit" "$?" 1 || return 1
	tls_one_line "the error" err || return 1
	expect_grep "reason and fingerprint" err \
	    "^tcptalk: 127\\.0\\.0\\.1:$p: the certificate is not trusted: unknown CA: tcptalk test CA \\(--tls-pin $fp would accept it\\)\$" || return 1
	expect_eq "nothing received" "$(cat out)" "" || return 1
	# nothing was sent before the certificate was judged: the peer got no byte
	p=$(free_port) && tls_py_peer notify "$p" srv || return 1
	printf 'secret\n' | timeout 10 "$TCPTALK" --tls localhost "$p" >out 2>err
	expect_eq "exit (Python peer)" "$?" 1 || return 1
	wait_for 5 test -s "py.$p.out" || { echo "the Python peer said nothing"; return 1; }
	expect_grep "no byte before trust" "py.$p.out" '^got 0 bytes' || return 1
	# a self-signed one says so
	fp=$(tls_fp "$TLS_DIR/self.pem")
	p=$(free_port) && tls_s_server "$p" self || return 1
	timeout 10 "$TCPTALK" --tls localhost "$p" </dev/null >out 2>err
	expect_eq "exit (self-signed)" "$?" 1 || return 1
	tls_one_line "the error (self-signed)" err || return 1
	expect_grep "self-signed reason" err "^tcptalk: .*not trusted: self-signed certificate \\(--tls-pin $fp would"
}
run_test "--tls without --tls-ca: exit 1, one line with the reason and the fingerprint" tls_verify_fails

tls_pin() {
	local p fp
	tls_state
	fp=$(tls_fp "$TLS_DIR/self.pem")
	p=$(free_port) && tls_s_server "$p" self || return 1
	printf 'pinned\n' | timeout 10 "$TCPTALK" -v --tls --tls-pin "$fp" localhost "$p" >out 2>err
	expect_eq "exit" "$?" 0 || { cat err; return 1; }
	expect_eq "reply" "$(cat out)" "dennip" || return 1
	expect_grep "-v says pinned" err '^tcptalk: TLS with .*pinned' || return 1
	# lower case, no colons: the same pin
	p=$(free_port) && tls_s_server "$p" self || return 1
	printf 'again\n' | timeout 10 "$TCPTALK" --tls \
	    --tls-pin "sha256:$(echo "${fp#sha256:}" | tr -d : | tr 'A-F' 'a-f')" 127.0.0.1 "$p" >out 2>err
	expect_eq "exit (lower case pin)" "$?" 0 || { cat err; return 1; }
	expect_eq "reply (lower case pin)" "$(cat out)" "niaga" || return 1
	# another certificate: refused, even one a CA would vouch for
	p=$(free_port) && tls_s_server "$p" srv || return 1
	printf 'nope\n' | timeout 10 "$TCPTALK" --tls --tls-ca "$TLS_DIR/ca.pem" \
	    --tls-pin "$fp" localhost "$p" >out 2>err
	expect_eq "exit (mismatch)" "$?" 1 || return 1
	tls_one_line "the mismatch" err || return 1
	expect_grep "mismatch names the real one" err \
	    "^tcptalk: .*does not match --tls-pin: it is $(tls_fp "$TLS_DIR/srv.pem")\$" || return 1
	expect_eq "nothing received" "$(cat out)" ""
}
run_test "--tls-pin accepts exactly that certificate (any case, with or without colons), refuses another" tls_pin

tls_expired_wrong_host() {
	local p
	tls_state
	p=$(free_port) && tls_s_server "$p" expired || return 1
	timeout 10 "$TCPTALK" --tls --tls-ca "$TLS_DIR/ca.pem" localhost "$p" </dev/null >out 2>err
	expect_eq "exit (expired)" "$?" 1 || return 1
	tls_one_line "expired" err || return 1
	expect_grep "expired reason" err "not trusted: the certificate expired on 2020-02-01 00:00 UTC \\(--tls-pin $(tls_fp "$TLS_DIR/expired.pem") would" || return 1
	p=$(free_port) && tls_s_server "$p" other || return 1
	timeout 10 "$TCPTALK" --tls --tls-ca "$TLS_DIR/ca.pem" localhost "$p" </dev/null >out 2>err
	expect_eq "exit (wrong host)" "$?" 1 || return 1
	tls_one_line "wrong host" err || return 1
	expect_grep "wrong host reason" err "not trusted: the certificate is for other\\.example, not localhost \\(--tls-pin $(tls_fp "$TLS_DIR/other.pem") would" || return 1
	p=$(free_port) && tls_s_server "$p" future || return 1
	timeout 10 "$TCPTALK" --tls --tls-ca "$TLS_DIR/ca.pem" localhost "$p" </dev/null >out 2>err
	expect_eq "exit (not yet valid)" "$?" 1 || return 1
	tls_one_line "not yet valid" err || return 1
	expect_grep "not yet valid reason" err "not trusted: the certificate is not valid before 2099-01-01 00:00 UTC \\(--tls-pin $(tls_fp "$TLS_DIR/future.pem") would" || return 1
	# --tls-sni names the host to check: then the same certificate is fine
	p=$(free_port) && tls_s_server "$p" other || return 1
	printf 'sni\n' | timeout 10 "$TCPTALK" --tls --tls-ca "$TLS_DIR/ca.pem" \
	    --tls-sni other.example localhost "$p" >out 2>err
	expect_eq "exit (--tls-sni)" "$?" 0 || { cat err; return 1; }
	expect_eq "reply (--tls-sni)" "$(cat out)" "ins"
}
run_test "an expired, a not yet valid and a wrong-host certificate fail with their reasons; --tls-sni names the host" tls_expired_wrong_host

tls_insecure() {
	local p
	tls_state
	p=$(free_port) && tls_s_server "$p" expired || return 1
	printf 'anyway\n' | timeout 10 "$TCPTALK" -v --tls --tls-insecure localhost "$p" >out 2>err
	expect_eq "exit" "$?" 0 || { cat err; return 1; }
	expect_eq "reply" "$(cat out)" "yawyna" || return 1
	expect_grep "-v says it loudly" err '^tcptalk: TLS with .*UNVERIFIED'
}
run_test "--tls-insecure talks to an expired certificate, and -v says UNVERIFIED" tls_insecure

tls_listener_self_signed() {
	local p tp cert fp sum out
	tls_state
	p=$(free_port)
	# its input ends once s_client's line is in (else its close_notify
	# could beat that line)
	# shellcheck disable=SC2094  # l.out is only watched, to end the input
	{ printf 'from the listener\n'; wait_for 10 test -s l.out; } |
	    timeout 15 "$TCPTALK" -v -l --tls 127.0.0.1 "$p" >l.out 2>l.err &
	tp=$!; bg $tp
	wait_port "$p" || { cat l.err; return 1; }
	cert=$(sed -n 's/^tcptalk: created a self-signed certificate: //p' l.err)
	if [ -z "$cert" ] || [ ! -f "$cert" ]; then echo "no certificate said or made:"; cat l.err; return 1; fi
	case $cert in "$XDG_STATE_HOME"/*) ;; *) echo "$cert is not in the state dir"; return 1 ;; esac
	for f in "$(dirname "$cert")"/*; do
		expect_eq "mode of $f" "$(stat -c %a "$f")" 600 || return 1
	done
	fp=$(tls_fp "$cert")
	expect_grep "-v prints the fingerprint" l.err "^tcptalk: TLS certificate $fp\$" || return 1
	# openssl s_client: what it sent arrives, what the listener sent too
	(printf 'from s_client\n'; sleep 5) | timeout 10 openssl s_client -quiet \
	    -connect "127.0.0.1:$p" >s.out 2>s.err
	wait_exit $tp 5 || return 1
	expect_eq "listener exit" "$WAIT_STATUS" 0 || { cat l.err; return 1; }
	expect_eq "to the listener" "$(cat l.out)" "from s_client" || return 1
	expect_eq "to s_client" "$(cat s.out)" "from the listener" || return 1
	grep -q 'CN = ' s.err || { echo "s_client saw no certificate"; cat s.err; return 1; }
	if grep -q 'without close_notify' l.err; then echo "s_client's close_notify missed:"; cat l.err; return 1; fi

	# the next run uses the same certificate and says nothing about making one
	sum=$(sha256sum "$(dirname "$cert")"/*)
	p=$(free_port)
	timeout 15 "$TCPTALK" -v -l --tls 127.0.0.1 "$p" </dev/null >l2.out 2>l2.err &
	tp=$!; bg $tp
	wait_port "$p" || { cat l2.err; return 1; }
	if grep -q 'created a self-signed' l2.err; then echo "made again:"; cat l2.err; return 1; fi
	expect_grep "same fingerprint" l2.err "^tcptalk: TLS certificate $fp\$" || return 1
	out=$(printf 'pinned client\n' | timeout 10 "$TCPTALK" -v --tls --tls-pin "$fp" 127.0.0.1 "$p" 2>c.err)
	expect_eq "pinned client exit" "$?" 0 || { cat c.err; return 1; }
	expect_eq "pinned client got nothing (stdin was empty)" "$out" "" || return 1
	expect_grep "pinned" c.err '^tcptalk: TLS with .*pinned' || return 1
	wait_exit $tp 5 || return 1
	expect_eq "second listener exit" "$WAIT_STATUS" 0 || return 1
	expect_eq "to the second listener" "$(cat l2.out)" "pinned client" || return 1
	if grep -q 'without close_notify' l2.err c.err; then echo "a close_notify missed:"; cat l2.err c.err; return 1; fi
	expect_eq "certificate files untouched" "$(sha256sum "$(dirname "$cert")"/*)" "$sum"
}
run_test "tcptalk -l --tls: a self-signed certificate made once (0600), reused, fingerprint with -v; s_client and --tls-pin reach it" tls_listener_self_signed

tls_client_cert() {
	local p tp out
	tls_state
	# tcptalk requires one: a client with one gets through, one without not
	p=$(free_port)
	printf 'hello client\n' | timeout 15 "$TCPTALK" -v -l --tls --tls-cert "$TLS_DIR/srv.pem" \
	    --tls-key "$TLS_DIR/srv.key" --tls-verify-client "$TLS_DIR/ca.pem" \
	    127.0.0.1 "$p" >l.out 2>l.err &
	tp=$!; bg $tp
	wait_port "$p" || { cat l.err; return 1; }
	out=$(timeout 10 openssl s_client -quiet -connect "127.0.0.1:$p" </dev/null 2>s.err)
	expect_eq "s_client without a certificate got nothing" "$out" "" || return 1
	wait_exit $tp 5 || return 1
	expect_eq "listener exit after refusing" "$WAIT_STATUS" 1 || { cat l.err; return 1; }
	expect_grep "the listener says why" l.err '^tcptalk: 127\.0\.0\.1:[0-9]+: the client sent no certificate$' || return 1
	p=$(free_port)
	printf 'hello client\n' | timeout 15 "$TCPTALK" -v -l --tls --tls-cert "$TLS_DIR/srv.pem" \
	    --tls-key "$TLS_DIR/srv.key" --tls-verify-client "$TLS_DIR/ca.pem" \
	    127.0.0.1 "$p" >l.out 2>l.err &
	tp=$!; bg $tp
	wait_port "$p" || { cat l.err; return 1; }
	out=$(printf 'with a cert\n' | timeout 10 "$TCPTALK" --tls --tls-ca "$TLS_DIR/ca.pem" \
	    --tls-cert "$TLS_DIR/client.pem" --tls-key "$TLS_DIR/client.key" localhost "$p" 2>c.err)
	expect_eq "client exit" "$?" 0 || { cat c.err; return 1; }
	expect_eq "to the client" "$out" "hello client" || return 1
	wait_exit $tp 5 || return 1
	expect_eq "listener exit" "$WAIT_STATUS" 0 || { cat l.err; return 1; }
	expect_eq "to the listener" "$(cat l.out)" "with a cert" || return 1
	expect_grep "-v names the client" l.err '^tcptalk: TLS with .*tcptalk test client' || return 1
	# a certificate from another CA is refused, and the client told
	p=$(free_port)
	timeout 15 "$TCPTALK" -l --tls --tls-cert "$TLS_DIR/srv.pem" --tls-key "$TLS_DIR/srv.key" \
	    --tls-verify-client "$TLS_DIR/ca.pem" 127.0.0.1 "$p" </dev/null >l.out 2>l.err &
	tp=$!; bg $tp
	wait_port "$p" || { cat l.err; return 1; }
	out=$(printf 'self-made\n' | timeout 10 "$TCPTALK" --tls --tls-ca "$TLS_DIR/ca.pem" \
	    --tls-cert "$TLS_DIR/self.pem" --tls-key "$TLS_DIR/self.key" localhost "$p" 2>c.err)
	expect_eq "client with a foreign certificate: exit" "$?" 1 || return 1
	expect_grep "told why" c.err '^tcptalk: 127\.0\.0\.1:[0-9]+: the peer refused our certificate: .*unknown ca$' || return 1
	wait_exit $tp 5 || return 1
	expect_eq "listener exit (foreign certificate)" "$WAIT_STATUS" 1 || return 1
	expect_grep "the listener says why" l.err "^tcptalk: 127\\.0\\.0\\.1:[0-9]+: the client's certificate was refused: self-signed certificate\$" || return 1
	expect_eq "nothing from it" "$(cat l.out)" "" || return 1

	# s_server requires one: tcptalk gives it, or is refused without
	p=$(free_port) && tls_s_server "$p" srv -Verify 1 -CAfile "$TLS_DIR/ca.pem" || return 1
	out=$(printf 'cert\n' | timeout 10 "$TCPTALK" --tls --tls-ca "$TLS_DIR/ca.pem" \
	    --tls-cert "$TLS_DIR/client.pem" --tls-key "$TLS_DIR/client.key" localhost "$p" 2>c.err)
	expect_eq "exit against s_server -Verify" "$?" 0 || { cat c.err; return 1; }
	expect_eq "reply from s_server -Verify" "$out" "trec" || return 1
	p=$(free_port) && tls_s_server "$p" srv -Verify 1 -CAfile "$TLS_DIR/ca.pem" || return 1
	out=$(printf 'no cert\n' | timeout 10 "$TCPTALK" --tls --tls-ca "$TLS_DIR/ca.pem" localhost "$p" 2>c.err)
	expect_eq "exit without a certificate" "$?" 1 || return 1
	expect_eq "no reply without a certificate" "$out" "" || return 1
	expect_grep "says why" c.err '^tcptalk: 127\.0\.0\.1:[0-9]+: the peer requires a client certificate \(--tls-cert\)$'
}
run_test "client certificates: --tls-verify-client requires one, --tls-cert/--tls-key give one (both against openssl)" tls_client_cert

tls_close_notify() {
	local p out
	tls_state
	# our end of input is a close_notify, and we read the answer after it
	p=$(free_port) && tls_py_peer notify "$p" srv || return 1
	out=$(printf 'hello\n' | timeout 10 "$TCPTALK" --tls --tls-ca "$TLS_DIR/ca.pem" localhost "$p" 2>err)
	expect_eq "exit" "$?" 0 || { cat err; return 1; }
	expect_eq "answer after our close_notify" "$out" "got 6 bytes, then close_notify" || return 1
	expect_eq "no complaint about the peer's close_notify" "$(cat err)" "" || return 1
	# a peer that just closes the socket: the data, and a word about it
	p=$(free_port) && tls_py_peer truncate "$p" srv || return 1
	out=$(printf 'hello\n' | timeout 10 "$TCPTALK" --tls --tls-ca "$TLS_DIR/ca.pem" localhost "$p" 2>err)
	expect_eq "what came before the cut" "$out" "got 6 bytes, then close_notify" || return 1
	tls_one_line "the truncation" err || return 1
	expect_grep "truncation said" err '^tcptalk: .*without close_notify'
}
run_test "close_notify both ways: sent at end of input and the reply still read; a peer's missing one is said" tls_close_notify

tls_bulk() {
	local p tp fp
	tls_state
	head -c 64M /dev/urandom >up.bin
	head -c 64M /dev/urandom >down.bin
	p=$(free_port)
	timeout 60 "$TCPTALK" -v -l --tls 127.0.0.1 "$p" <down.bin >l.out 2>l.err &
	tp=$!; bg $tp
	wait_port "$p" || { cat l.err; return 1; }
	fp=$(sed -n 's/^tcptalk: TLS certificate //p' l.err)
	[ -n "$fp" ] || { echo "no fingerprint"; cat l.err; return 1; }
	timeout 60 "$TCPTALK" --tls --tls-pin "$fp" 127.0.0.1 "$p" <up.bin >c.out 2>c.err
	expect_eq "client exit" "$?" 0 || { cat c.err; return 1; }
	wait_exit $tp 10 || return 1
	expect_eq "listener exit" "$WAIT_STATUS" 0 || { cat l.err; return 1; }
	expect_eq "64 MiB up" "$(sha256sum <l.out)" "$(sha256sum <up.bin)" || return 1
	expect_eq "64 MiB down" "$(sha256sum <c.out)" "$(sha256sum <down.bin)" || return 1
	if grep -q 'without close_notify' c.err l.err; then echo "a truncation:"; cat c.err l.err; return 1; fi
}
run_test "64 MiB of random bytes each way through two tcptalk --tls ends, sha256-equal" tls_bulk

tls_ncat() {
	local p tp np out
	tls_state
	# ncat listens with our certificate; tcptalk verifies it
	p=$(free_port)
	(printf 'from ncat\n'; sleep 5) | timeout 15 ncat -l --ssl --ssl-cert "$TLS_DIR/srv.pem" \
	    --ssl-key "$TLS_DIR/srv.key" 127.0.0.1 "$p" >n.out 2>n.err &
	np=$!; bg $np
	wait_port "$p" || { cat n.err; return 1; }
	out=$(printf 'from tcptalk\n' | timeout 10 "$TCPTALK" -q 1 --tls --tls-ca "$TLS_DIR/ca.pem" localhost "$p" 2>c.err)
	wait_for 5 grep -q 'from tcptalk' n.out || { echo "ncat got nothing"; cat n.err c.err; return 1; }
	expect_eq "to tcptalk" "$out" "from ncat" || { cat c.err; return 1; }
	# tcptalk listens; ncat --ssl-verify checks the certificate
	p=$(free_port)
	printf 'from the listener\n' | timeout 15 "$TCPTALK" -l --tls --tls-cert "$TLS_DIR/srv.pem" \
	    --tls-key "$TLS_DIR/srv.key" 127.0.0.1 "$p" >l.out 2>l.err &
	tp=$!; bg $tp
	wait_port "$p" || { cat l.err; return 1; }
	out=$( (printf 'from ncat\n'; sleep 3) | timeout 10 ncat --ssl --ssl-verify \
	    --ssl-trustfile "$TLS_DIR/ca.pem" localhost "$p" 2>n2.err)
	expect_eq "to ncat" "$out" "from the listener" || { cat n2.err l.err; return 1; }
	wait_exit $tp 5 || return 1
	expect_eq "to the listener" "$(cat l.out)" "from ncat"
}
run_test "ncat --ssl both ways: ncat -l --ssl-cert, and ncat --ssl-verify against tcptalk -l --tls" tls_ncat

# tls_smtp PROTO PORT ARGS...: tests/e2e/smtp_server.py in the background
tls_smtp() {
	local proto=$1 port=$2
	shift 2
	timeout 20 python3 "$TLS_SRCDIR/tests/e2e/smtp_server.py" --proto "$proto" --port "$port" \
	    --cert "$TLS_DIR/srv.pem" --key "$TLS_DIR/srv.key" "$@" >"smtp.$port.out" 2>&1 &
	bg $!
	wait_port "$port"
}

tls_starttls() {
	local p proto out cmd
	tls_state
	[ -f "$TLS_SRCDIR/tests/e2e/smtp_server.py" ] || { echo "tests/e2e/smtp_server.py is not there yet"; return 77; }
	for proto in smtp imap pop3; do
		case $proto in smtp) cmd='> STARTTLS' ;; imap) cmd='> a2 STARTTLS' ;; pop3) cmd='> STLS' ;; esac
		p=$(free_port) && tls_smtp "$proto" "$p" || return 1
		out=$(printf 'hello %s\n' "$proto" | timeout 10 "$TCPTALK" -v --starttls "$proto" \
		    --tls-ca "$TLS_DIR/ca.pem" localhost "$p" 2>err.$proto)
		expect_eq "$proto exit" "$?" 0 || { cat err.$proto; return 1; }
		expect_eq "$proto echo over TLS" "$out" "echo: hello $proto" || return 1
		expect_grep "$proto: -v shows the exchange" err.$proto "^$cmd" || return 1
		expect_grep "$proto: then TLS" err.$proto '^tcptalk: TLS with .*localhost' || return 1
	done
}
run_test "--starttls smtp, imap and pop3 against smtp_server.py: the exchange with -v, then TLS" tls_starttls

tls_starttls_refused() {
	local p proto out
	tls_state
	[ -f "$TLS_SRCDIR/tests/e2e/smtp_server.py" ] || { echo "tests/e2e/smtp_server.py is not there yet"; return 77; }
	for proto in smtp imap pop3; do
		p=$(free_port) && tls_smtp "$proto" "$p" --refuse || return 1
		out=$(printf 'x\n' | timeout 10 "$TCPTALK" --starttls "$proto" --tls-ca "$TLS_DIR/ca.pem" \
		    localhost "$p" 2>err)
		expect_eq "$proto refused: exit" "$?" 1 || return 1
		tls_one_line "$proto refused" err || return 1
		expect_grep "$proto refused: the server's words" err '^tcptalk: 127\.0\.0\.1:[0-9]+: the server refused STARTTLS: (454 |a2 NO |-ERR )[^ ]' || return 1
		expect_eq "$proto refused: no output" "$out" "" || return 1
	done
	for proto in smtp imap; do
		p=$(free_port) && tls_smtp "$proto" "$p" --no-starttls || return 1
		timeout 10 "$TCPTALK" --starttls "$proto" --tls-ca "$TLS_DIR/ca.pem" localhost "$p" \
		    </dev/null >out 2>err
		expect_eq "$proto without STARTTLS: exit" "$?" 1 || return 1
		tls_one_line "$proto without STARTTLS" err || return 1
		expect_grep "$proto without STARTTLS: said" err 'the server does not offer STARTTLS \(its (EHLO|a1 CAPABILITY|CAPABILITY) reply lists' || return 1
	done
	p=$(free_port) && tls_smtp smtp "$p" --inject || return 1
	timeout 10 "$TCPTALK" --starttls smtp --tls-ca "$TLS_DIR/ca.pem" localhost "$p" </dev/null >out 2>err
	expect_eq "injection: exit" "$?" 1 || return 1
	tls_one_line "injection" err || return 1
	expect_grep "injection refused" err '^tcptalk: 127\.0\.0\.1:[0-9]+: the server sent more after the STARTTLS go-ahead, before the handshake: refused'
}
run_test "--starttls: a refusal and a missing capability exit 1 with the server's words; an injection is refused" tls_starttls_refused

tls_bad_peers() {
	local p np t0 ms
	tls_state
	# a plain server answering something else
	p=$(free_port)
	printf 'HTTP/1.1 400 Bad Request\r\n\r\n' | timeout 10 nc -l 127.0.0.1 "$p" >/dev/null 2>&1 &
	np=$!; bg $np
	wait_port "$p" || return 1
	timeout 10 "$TCPTALK" --tls --tls-insecure 127.0.0.1 "$p" </dev/null >out 2>err
	expect_eq "garbage: exit" "$?" 1 || return 1
	tls_one_line "garbage" err || return 1
	expect_grep "garbage: said" err '^tcptalk: 127\.0\.0\.1:[0-9]+: the peer does not speak TLS \(it sent "HTTP/1\.1 400 Bad Request"\)$' || return 1
	# a server that takes the ClientHello and stalls: -w 1 bounds it
	p=$(free_port)
	sleep 10 | timeout 10 nc -l 127.0.0.1 "$p" >/dev/null 2>&1 &
	np=$!; bg $np
	wait_port "$p" || return 1
	t0=$(date +%s%N)
	timeout 10 "$TCPTALK" -w 1 --tls --tls-insecure 127.0.0.1 "$p" </dev/null >out 2>err
	expect_eq "stall: exit" "$?" 1 || return 1
	ms=$(( ($(date +%s%N) - t0) / 1000000 ))
	if [ "$ms" -lt 900 ] || [ "$ms" -ge 4000 ]; then echo "stall ended after $ms ms, not about 1 s"; return 1; fi
	tls_one_line "stall" err || return 1
	expect_grep "stall: said" err 'did not finish within 1 s' || return 1
	# a server that speaks only TLS 1.1: we offer 1.2 and up
	p=$(free_port) && tls_s_server "$p" srv -tls1_1 -cipher 'DEFAULT@SECLEVEL=0' || return 1
	timeout 10 "$TCPTALK" --tls --tls-ca "$TLS_DIR/ca.pem" localhost "$p" </dev/null >out 2>err
	expect_eq "TLS 1.1: exit" "$?" 1 || return 1
	tls_one_line "TLS 1.1" err || return 1
	expect_grep "TLS 1.1: said" err '^tcptalk: 127\.0\.0\.1:[0-9]+: the TLS handshake failed: .*protocol version'
}
run_test "bad peers: a plain server's garbage, a stalled handshake (-w 1), TLS 1.1 only: one-line errors, exit 1" tls_bad_peers

tls_listener_plain_client() {
	local p tp fp
	tls_state
	p=$(free_port)
	timeout 20 "$TCPTALK" -v -k -l --tls 127.0.0.1 "$p" < <(sleep 15) >l.out 2>l.err &
	tp=$!; bg $tp
	wait_port "$p" || { cat l.err; return 1; }
	fp=$(sed -n 's/^tcptalk: TLS certificate //p' l.err)
	printf 'GET / HTTP/1.0\r\n\r\n' | timeout 5 nc -N 127.0.0.1 "$p" >/dev/null 2>&1
	wait_for 5 grep -qE '^tcptalk: 127\.0\.0\.1:[0-9]+: the peer does not speak TLS \(it sent "GET / HTTP/1\.0"\)$' l.err ||
	    { echo "the listener said nothing about the plain client:"; cat l.err; return 1; }
	kill -0 $tp || { echo "the listener is gone"; cat l.err; return 1; }
	printf 'the TLS one\n' | timeout 10 "$TCPTALK" --tls --tls-pin "$fp" 127.0.0.1 "$p" >/dev/null 2>c.err &
	bg $!
	wait_for 10 grep -q 'the TLS one' l.out || { echo "the next peer was not served:"; cat l.err c.err; return 1; }
	expect_eq "only the TLS peer's bytes" "$(cat l.out)" "the TLS one" || return 1
	kill -0 $tp || { echo "the listener is gone"; return 1; }
}
run_test "a plain client against tcptalk -l -k --tls: said, and the next (TLS) peer is served" tls_listener_plain_client

tls_startup_errors() {
	local out
	tls_state
	out=$("$TCPTALK" --tls --tls-cert /nonexistent 127.0.0.1 9 </dev/null 2>&1)
	expect_eq "client --tls-cert /nonexistent: exit" "$?" 1 || return 1
	expect_eq "one line" "$(wc -l <<<"$out")" 1 || { echo "$out"; return 1; }
	expect_grep "names the file" <(echo "$out") '^tcptalk: .*/nonexistent' || return 1
	out=$("$TCPTALK" -l --tls --tls-cert /nonexistent "$(free_port)" </dev/null 2>&1)
	expect_eq "listener --tls-cert /nonexistent: exit" "$?" 1 || return 1
	expect_eq "one line (listener)" "$(wc -l <<<"$out")" 1 || { echo "$out"; return 1; }
	expect_grep "names the file (listener)" <(echo "$out") '^tcptalk: .*/nonexistent' || return 1
	out=$("$TCPTALK" -l --tls --tls-verify-client /nonexistent "$(free_port)" </dev/null 2>&1)
	expect_eq "--tls-verify-client /nonexistent: exit" "$?" 1 || { echo "$out"; return 1; }
	expect_grep "names the file (verify-client)" <(echo "$out") '^tcptalk: .*/nonexistent' || return 1
	out=$("$TCPTALK" -l --tls --tls-cert "$TLS_DIR/srv.pem" --tls-key "$TLS_DIR/other.key" \
	    "$(free_port)" </dev/null 2>&1)
	expect_eq "a key of another certificate: exit" "$?" 1 || { echo "$out"; return 1; }
	expect_eq "a key of another certificate: said" "$out" \
	    "tcptalk: the private key $TLS_DIR/other.key does not belong to the certificate $TLS_DIR/srv.pem" || return 1
	# the key in the certificate's file is found there
	cat "$TLS_DIR/srv.pem" "$TLS_DIR/srv.key" >both.pem
	local p tp
	p=$(free_port)
	printf 'one file\n' | timeout 10 "$TCPTALK" -l --tls --tls-cert both.pem 127.0.0.1 "$p" >/dev/null 2>l.err &
	tp=$!; bg $tp
	wait_port "$p" || { cat l.err; return 1; }
	out=$(timeout 10 "$TCPTALK" --tls --tls-ca "$TLS_DIR/ca.pem" localhost "$p" </dev/null 2>&1)
	expect_eq "certificate and key in one file" "$out" "one file" || return 1
	# usage errors: exit 2
	local -a bad=(
		"--tls-ca x 127.0.0.1 1"
		"--tls --tls-pin sha256:1234 127.0.0.1 1"
		"--tls --tls-pin md5:00 127.0.0.1 1"
		"-l --tls --tls-pin sha256:$(printf '%064d' 0) 1"
		"-l --tls --tls-insecure 1"
		"--tls --tls-verify-client x 127.0.0.1 1"
		"--tls --tls-key k 127.0.0.1 1"
		"--tls --tls-insecure --tls-pin sha256:$(printf '%064d' 0) 127.0.0.1 1"
		"--starttls ftp 127.0.0.1 1"
		"--tls --tls-alpn , 127.0.0.1 1"
	)
	local a
	for a in "${bad[@]}"; do
		# shellcheck disable=SC2086  # each line is the words of a command line
		out=$("$TCPTALK" $a </dev/null 2>&1)
		expect_eq "tcptalk $a: exit" "$?" 2 || { echo "$out"; return 1; }
	done
}
run_test "--tls start-up errors: a missing certificate file exits 1 in one line; option misuse exits 2" tls_startup_errors
