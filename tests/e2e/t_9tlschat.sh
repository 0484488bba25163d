# shellcheck shell=bash disable=SC2154  # sourced by run.sh after lib.sh and t_2ui.sh (TCPTALK, E2E_TMP, ui_* helpers)
# tests/e2e/t_9tlschat.sh - TLS in the chat, in private tmux servers: two
# tcptalk chatting over TLS, the question about a certificate that did not
# verify (once, always: pinned and silent next time, refused with n, Esc or
# Ctrl-C, a CHANGED certificate refused loudly), the status line's TLS
# facts, /tls, /starttls after a STARTTLS typed by hand, --starttls in the
# chat, and a -k listener going on after a failed handshake or a truncated
# stream.  Certificates are made here by the openssl CLI; every side has
# its own XDG_STATE_HOME inside the test's directory.

TLSCHAT_DIR=$E2E_TMP/tlschat-certs
TLSCHAT_SRCDIR=$PWD

# tlschat_make_certs: a CA and a certificate for localhost signed by it
# (srv.pem, srv.key), once, into TLSCHAT_DIR.
tlschat_make_certs() {
	[ -f "$TLSCHAT_DIR/srv.pem" ] && return 0
	mkdir -p "$TLSCHAT_DIR" || return 1
	(
		cd "$TLSCHAT_DIR" || exit 1
		openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
		    -nodes -keyout ca.key -out ca.pem -days 30 \
		    -subj "/CN=tcptalk chat test CA" \
		    -addext "basicConstraints = critical, CA:TRUE" \
		    -addext "keyUsage = critical, keyCertSign" 2>/dev/null || exit 1
		openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
		    -nodes -keyout srv.key -out srv.csr -subj /CN=localhost \
		    2>/dev/null || exit 1
		printf 'subjectAltName = DNS:localhost, IP:127.0.0.1\n' >srv.ext
		openssl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key \
		    -CAcreateserial -days 30 -extfile srv.ext -out srv.pem \
		    2>/dev/null || exit 1
	)
}

# tlschat_fp CERT: its fingerprint as tcptalk writes it (sha256:AB:CD:...)
tlschat_fp() { openssl x509 -in "$1" -noout -fingerprint -sha256 | sed 's/^.*=/sha256:/'; }

# tlschat_start WINDOW STATE-DIR ARGS...: tcptalk ARGS in a 200-column
# window (a fingerprint fits on one row), with its own state directory;
# its exit status goes to WINDOW.status.
# tlschat_answer WINDOW KEY: answer the certificate question, after the
# 0.7 s in which a y or an a is taken for typing, not for an answer
tlschat_answer() {
	sleep 0.8
	TM send-keys -t "T:$1" "$2"
}

tlschat_start() {
	local name=$1 state=$2 cmd
	shift 2
	cmd="sh -c '$TCP_ENV XDG_STATE_HOME=$PWD/$state $TCPTALK $*; echo \$? >$name.status'"
	# an idle first window, so every chat's window has remain-on-exit
	# from its start (one that ends at once stays to be looked at)
	if ! TM has-session -t T 2>/dev/null; then
		TM new-session -d -s T -n idle -x 200 -y 40 "sleep 600" || return 1
		TM set-option -g remain-on-exit on >/dev/null || return 1
	fi
	TM new-window -d -t T -n "$name" "$cmd"
}

# tlschat_ended WINDOW STATUS: the chat in WINDOW left with STATUS
tlschat_ended() {
	wait_for 5 test -s "$1.status" || { echo "$1 never ended"; cap "$1"; return 1; }
	expect_eq "$1's exit status" "$(cat "$1.status")" "$2"
}

# tlschat_never WINDOW REGEX: the screen does not show REGEX
tlschat_never() {
	! cap "$1" | grep -qE -- "$2" || { echo "$1 shows /$2/:"; cap "$1" | sed 's/^/    |/'; return 1; }
}

# tlschat_free WINDOW: the -k listener in WINDOW lets its peer go, who
# left (Ctrl-D once it finished sending), and waits for the next; then
# /clear, so the next wait sees new lines only
tlschat_free() {
	ui_wait "$1" "finished sending" || return 1
	TM send-keys -t "T:$1" C-d
	ui_wait "$1" "waiting for the next peer" || return 1
	ui_type "$1" "/clear" || return 1
	wait_for 5 eval "! cap $1 | grep -q 'waiting for the next peer'" || { echo "/clear did not clear $1"; return 1; }
}

tlschat_trust() {
	local p fp
	ui_setup tlstrust
	p=$(free_port) || return 1
	tlschat_start a lstate -k -l --tls "$p" || return 1
	wait_port "$p" || return 1
	# the listener made its certificate and says its fingerprint
	ui_wait a "created a self-signed certificate: $PWD/lstate/tcptalk/tls-cert\\.pem" || return 1
	fp=$(tlschat_fp lstate/tcptalk/tls-cert.pem) || return 1
	ui_wait a "your TLS certificate, for the other side's --tls-pin: $fp\$" || return 1
	ui_wait a "\\| waiting for a peer \\| TLS certificate $fp\$" || return 1
	# /help: the fingerprint at its foot, no /starttls for a listener
	ui_type a "/help" || return 1
	ui_wait a "^\\* /tls  +the connection's TLS" || return 1
	ui_wait a "^\\* your TLS certificate: $fp\$" || return 1
	tlschat_never a "/starttls  " || return 1

	# once: the question, with what the certificate is
	tlschat_start b cstate --tls localhost "$p" || return 1
	ui_wait b "the certificate of 127\\.0\\.0\\.1:$p is not trusted: self-signed" || return 1
	ui_wait b "certificate subject: CN=" || return 1
	ui_wait b "certificate valid from 20[0-9-]+ [0-9:]+ UTC until " || return 1
	ui_wait b "certificate fingerprint: $fp\$" || return 1
	ui_wait b "accept it\\?  y: this once, a: always \\(pinned for localhost:$p" || return 1
	ui_wait b "\\| the certificate is not trusted: y accepts it once, a always, n refuses" || return 1
	# typing is held off (a paste holding a y is no answer), the
	# question stays, scroll keys still work
	TM send-keys -t T:b -l "yes"
	ui_wait b "answer the question about the certificate of 127\\.0\\.0\\.1:$p first" || return 1
	TM send-keys -t T:b PPage
	ui_wait b '^> *$' || return 1
	tlschat_never b "you accepted" || return 1
	tlschat_answer b y
	ui_wait b "you accepted the certificate of 127\\.0\\.0\\.1:$p this once" || return 1
	ui_wait b "TLS with 127\\.0\\.0\\.1:$p: TLSv1\\.[23] [A-Z0-9_-]+, UNVERIFIED \\(you accepted it once\\)" || return 1
	ui_wait b "\\| TLSv1\\.[23] [A-Z0-9_-]+ UNVERIFIED \\(accepted once\\)" || return 1
	ui_wait a "TLS with 127\\.0\\.0\\.1:[0-9]+: TLSv1\\.[23] [A-Z0-9_-]+, client not verified" || return 1
	# chatting both ways over it
	ui_type b "hello over tls" || return 1
	ui_wait a '^hello over tls$' || return 1
	ui_type a "和你好 over tls" || return 1
	ui_wait b '^和你好 over tls$' || return 1
	ui_wait a "peer 127\\.0\\.0\\.1:[0-9]+ \\| [0-9:]+ \\| in 15 B  out 19 B \\| TLSv1\\.[23]" || return 1
	# /tls: everything about it
	ui_type b "/tls" || return 1
	ui_wait b "TLS with 127\\.0\\.0\\.1:$p: version TLSv1\\.[23], cipher " || return 1
	ui_wait b "no ALPN protocol was agreed" || return 1
	ui_wait b "trust: UNVERIFIED \\(you accepted it once\\)" || return 1
	ui_type a "/tls" || return 1
	ui_wait a "your TLS certificate: $fp\$" || return 1
	ui_wait a "trust: client not verified" || return 1
	[ ! -e cstate/tcptalk/known_hosts ] || { echo "'this once' wrote a pin"; return 1; }
	ui_type b "/quit" || return 1
	tlschat_ended b 0 || return 1
	tlschat_free a || return 1

	# always: pinned for localhost:PORT, 0600
	tlschat_start c cstate --tls localhost "$p" || return 1
	ui_wait c "accept it\\?" || return 1
	tlschat_answer c a
	ui_wait c "is pinned for localhost:$p in $PWD/cstate/tcptalk/known_hosts" || return 1
	ui_wait c "TLS with 127\\.0\\.0\\.1:$p: .*, pinned \\(known host\\)" || return 1
	ui_wait c "\\| TLSv1\\.[23] [A-Z0-9_-]+ pinned \\(known host\\)" || return 1
	expect_grep "the pin" cstate/tcptalk/known_hosts "^localhost:$p $fp\$" || return 1
	expect_eq "known_hosts mode" "$(stat -c %a cstate/tcptalk/known_hosts)" 600 || return 1
	ui_type c "/quit" || return 1
	tlschat_ended c 0 || return 1
	tlschat_free a || return 1

	# next time: trusted without a question
	tlschat_start d cstate --tls localhost "$p" || return 1
	ui_wait d "TLS with 127\\.0\\.0\\.1:$p: .*, pinned \\(known host\\)" || return 1
	tlschat_never d "accept it|not trusted" || return 1
	ui_type d "/quit" || return 1
	tlschat_ended d 0 || return 1
	tlschat_free a || return 1

	# another certificate on that port: refused loudly, never asked
	ui_type a "/quit" || return 1
	tlschat_ended a 0 || return 1
	tlschat_start e lstate2 -l --tls "$p" || return 1
	wait_port "$p" || return 1
	tlschat_start f cstate --tls localhost "$p" || return 1
	ui_wait f "closed the connection with 127\\.0\\.0\\.1:$p: .*CHANGED since you trusted it" || return 1
	ui_wait f "refused; if the change is expected, remove the line for localhost:$p" || return 1
	ui_wait f "\\| CHANGED certificate refused after 00:00:0" || return 1
	# in the alarm colour: the notice red, the status bar red behind
	TM capture-pane -p -e -t T:f >colours
	expect_grep "the refusal in red" colours $'\e\\[[0-9;]*31m[^\e]*closed the connection with' || return 1
	expect_grep "the status bar on red" colours $'\e\\[[0-9;]*41m.*CHANGED certificate refused' || return 1
	tlschat_never f "accept it|TLS with" || return 1
	expect_grep "the old pin stays" cstate/tcptalk/known_hosts "^localhost:$p $fp\$" || return 1
	TM send-keys -t T:f Enter
	tlschat_ended f 1
}
run_test "chat over TLS: the certificate question (typing held off), once, always (pinned 0600, silent next time), a CHANGED certificate refused; status line, /tls" tlschat_trust

tlschat_refuse() {
	local p pd
	ui_setup tlsrefuse
	p=$(free_port) || return 1
	tlschat_start a lstate -k -l --tls "$p" || return 1
	wait_port "$p" || return 1
	# n, in line mode: the question above the input, the answer one key
	tlschat_start b cstate --line --tls localhost "$p" || return 1
	ui_wait b "accept it\\?  y: this once" || return 1
	TM send-keys -t T:b n
	ui_wait b "closed the connection with 127\\.0\\.0\\.1:$p: you refused the certificate" || return 1
	ui_wait a "TLS with 127\\.0\\.0\\.1:[0-9]+: TLSv1" || return 1
	TM send-keys -t T:b Enter
	tlschat_ended b 1 || return 1
	tlschat_free a || return 1
	# Esc, on the full screen: the status line says it
	tlschat_start c cstate --tls localhost "$p" || return 1
	ui_wait c "accept it\\?" || return 1
	TM send-keys -t T:c Escape
	ui_wait c "closed the connection with 127\\.0\\.0\\.1:$p: you refused the certificate" || return 1
	ui_wait c "\\| certificate refused after 00:00:0" || return 1
	ui_type c "/quit" || return 1
	tlschat_ended c 1 || return 1
	tlschat_free a || return 1
	# Ctrl-C refuses and the chat stays; /reconnect asks again; y in line mode
	tlschat_start d cstate --line --tls localhost "$p" || return 1
	ui_wait d "accept it\\?" || return 1
	pd=$(pgrep -P "$(TM display-message -p -t T:d '#{pane_pid}')" tcptalk)
	wait_catches "$pd" INT || return 1
	TM send-keys -t T:d C-c
	ui_wait d "closed the connection with 127\\.0\\.0\\.1:$p: you refused the certificate" || return 1
	kill -0 "$pd" || { echo "Ctrl-C left the chat"; return 1; }
	tlschat_free a || return 1
	ui_type d "/reconnect" || return 1
	ui_wait d "connected again to localhost" || return 1
	wait_for 5 eval "[ \"\$(cap d | grep -c 'accept it?')\" = 2 ]" || { echo "not asked again"; cap d; return 1; }
	tlschat_answer d y
	ui_wait d "TLS with 127\\.0\\.0\\.1:$p: TLSv1.*UNVERIFIED \\(you accepted it once\\)" || return 1
	ui_type d "line mode over tls" || return 1
	ui_wait a '^line mode over tls$' || return 1
	[ ! -e cstate/tcptalk/known_hosts ] || { echo "a refusal wrote a pin"; return 1; }
}
run_test "chat over TLS: n (line mode), Esc and Ctrl-C refuse the certificate (exit 1, nothing pinned); /reconnect asks again" tlschat_refuse

# tlschat_smtp PORT ARGS...: tests/e2e/smtp_server.py (SMTP) in the background
tlschat_smtp() {
	local port=$1
	shift
	timeout 30 python3 "$TLSCHAT_SRCDIR/tests/e2e/smtp_server.py" --proto smtp \
	    --port "$port" --cert "$TLSCHAT_DIR/srv.pem" --key "$TLSCHAT_DIR/srv.key" \
	    "$@" >"smtp.$port.out" 2>&1 &
	bg $!
	wait_port "$port"
}

tlschat_starttls() {
	local p q
	[ -f "$TLSCHAT_SRCDIR/tests/e2e/smtp_server.py" ] || { echo "tests/e2e/smtp_server.py is not there"; return 77; }
	tlschat_make_certs || return 1
	ui_setup tlsstarttls
	# by hand: EHLO, STARTTLS, the go-ahead, then /starttls
	p=$(free_port) && tlschat_smtp "$p" || return 1
	tlschat_start b cstate localhost "$p" || return 1
	ui_wait b '^220 localhost ready$' || return 1
	ui_type b "EHLO me" || return 1
	ui_wait b '^250 8BITMIME$' || return 1
	ui_type b "/tls" || return 1
	ui_wait b "the connection with 127\\.0\\.0\\.1:$p is not TLS; /starttls starts it" || return 1
	ui_type b "STARTTLS" || return 1
	ui_wait b '^220 2\.0\.0 Ready to start TLS$' || return 1
	ui_type b "/starttls" || return 1
	ui_wait b "starting TLS with 127\\.0\\.0\\.1:$p\\.\\.\\." || return 1
	# our CA is not the system's: asked
	ui_wait b "the certificate of 127\\.0\\.0\\.1:$p is not trusted: " || return 1
	ui_wait b "certificate issuer: CN=tcptalk chat test CA" || return 1
	tlschat_answer b y
	ui_wait b "TLS with 127\\.0\\.0\\.1:$p: TLSv1\\.[23] .*UNVERIFIED" || return 1
	ui_wait b "\\| TLSv1\\.[23] [A-Z0-9_-]+ UNVERIFIED \\(accepted once\\)" || return 1
	ui_type b "over tls now" || return 1
	ui_wait b '^echo: over tls now$' || return 1
	ui_type b "/tls" || return 1
	ui_wait b "certificate subject: CN=localhost" || return 1
	ui_type b "/starttls" || return 1
	ui_wait b "cannot start TLS: the connection is TLS already" || return 1

	# --starttls smtp in the chat: the exchange as notices, then verified
	q=$(free_port) && tlschat_smtp "$q" || return 1
	tlschat_start c cstate --starttls smtp --tls-ca "$TLSCHAT_DIR/ca.pem" localhost "$q" || return 1
	ui_wait c '^\* > STARTTLS$' || return 1
	ui_wait c '^\* < 220 2\.0\.0 Ready to start TLS$' || return 1
	ui_wait c "TLS with 127\\.0\\.0\\.1:$q: TLSv1\\.[23] [A-Z0-9_-]+, verified: localhost" || return 1
	ui_wait c "\\| TLSv1\\.[23] [A-Z0-9_-]+ verified: localhost" || return 1
	tlschat_never c "accept it" || return 1
	ui_type c "hi" || return 1
	ui_wait c '^echo: hi$'
}
run_test "chat: /starttls after STARTTLS typed by hand (smtp_server.py), the question, echo over TLS, /tls; --starttls smtp shows the exchange, verified" tlschat_starttls

tlschat_listener_goes_on() {
	local p
	ui_setup tlsgoeson
	p=$(free_port) || return 1
	tlschat_start a lstate -k -l --tls "$p" || return 1
	wait_port "$p" || return 1
	# a plain-text client: its handshake fails, a notice, and on
	printf 'GET / HTTP/1.0\r\n\r\n' | timeout 5 "$TCPTALK" -q 1 127.0.0.1 "$p" >/dev/null 2>&1
	ui_wait a "TLS with 127\\.0\\.0\\.1:[0-9]+ failed: " || return 1
	ui_wait a "waiting for the next peer" || return 1
	# a TLS client that ends without close_notify: said so
	timeout 5 python3 -c '
import socket, ssl, sys
c = ssl.create_default_context()
c.check_hostname = False
c.verify_mode = ssl.CERT_NONE
s = c.wrap_socket(socket.create_connection(("127.0.0.1", int(sys.argv[1]))))
s.sendall(b"cut short\n")
s.close()	# no unwrap: no close_notify
' "$p" || return 1
	ui_wait a '^cut short$' || return 1
	ui_wait a "127\\.0\\.0\\.1:[0-9]+ ended the TLS stream without close_notify: what came may be cut short" || return 1
	# and the next one is served
	printf 'still here\n' | timeout 5 "$TCPTALK" -q 1 --tls --tls-insecure localhost "$p" >/dev/null 2>&1
	ui_wait a '^still here$' || return 1
	ui_type a "/quit" || return 1
	tlschat_ended a 0
}
run_test "chat: a -k TLS listener says a failed handshake and a truncated stream, and serves the next peer" tlschat_listener_goes_on
