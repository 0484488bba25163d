# shellcheck shell=bash disable=SC2154  # sourced by run.sh after lib.sh and ui.sh (TCPTALK, ui_* helpers)
# tests/e2e/t_9proxy.sh - --proxy through the small HTTP CONNECT, SOCKS4 and
# SOCKS5 proxies of tests/e2e/proxy.py: round trips, what the proxy was asked
# for (a name, so no DNS leak; an address with -n), logins right and wrong,
# refusals in words, a proxy that hangs up or stays silent, the chat.

PX_PY=$PWD/tests/e2e/proxy.py

# px_start NAME ARGS...: proxy.py in the background, logging to NAME.log;
# its port in PX_PORT
px_start() {
	local name=$1
	shift
	command -v python3 >/dev/null || { echo "no python3 for the test proxy"; exit 77; }
	python3 "$PX_PY" --port-file "$name.port" --log "$name.log" "$@" & bg $!
	wait_for 5 test -s "$name.port" || { echo "proxy $name did not start"; return 1; }
	PX_PORT=$(cat "$name.port")
}

# px_target: a pipe-mode listener that greets with "banner" and keeps what
# it gets in target.got; its port in PX_TARGET
px_target() {
	PX_TARGET=$(free_port)
	printf 'banner\n' >banner
	timeout 10 "$TCPTALK" -l 127.0.0.1 "$PX_TARGET" <banner >target.got & bg $!
	wait_port "$PX_TARGET"
}

# px_round ARGS...: "hi" through tcptalk ARGS; the banner must come back,
# "hi" must reach the target, exit 0
px_round() {
	local rc
	echo hi | timeout 10 "$TCPTALK" -v -q 2 "$@" >out 2>err
	rc=$?
	expect_eq "exit status (stderr: $(cat err))" "$rc" 0 || return 1
	expect_eq "what came back" "$(cat out)" banner || return 1
	wait_for 5 grep -qx hi target.got || { echo "target got [$(cat target.got)]"; return 1; }
}

# px_refused WANT ARGS...: tcptalk ARGS exits 1 within 5 s, saying WANT
px_refused() {
	local want=$1 rc
	shift
	echo hi | timeout 5 "$TCPTALK" "$@" >out 2>err
	rc=$?
	expect_eq "exit status (stderr: $(cat err))" "$rc" 1 || return 1
	expect_eq "stderr" "$(cat err)" "tcptalk: $want" || return 1
	expect_eq "nothing on stdout" "$(cat out)" ""
}

px_http() {
	# --coalesce: the 200 and the target's banner come in one write, so a
	# client that reads past the blank line would lose the banner
	px_start http --type http --coalesce || return 1
	px_target || return 1
	px_round --proxy "127.0.0.1:$PX_PORT" localhost "$PX_TARGET" || return 1
	expect_grep "the proxy log" http.log "^http - localhost $PX_TARGET$" || return 1
	expect_grep "-v" err "^tcptalk: connected to localhost $PX_TARGET via proxy 127.0.0.1:$PX_PORT \\(http\\)$"
}
run_test "--proxy (http): CONNECT, a round trip, the bytes after the reply header kept, -v says via proxy" px_http

px_socks5_name() {
	px_start s5 --type socks5 --coalesce || return 1
	px_target || return 1
	px_round --proxy "127.0.0.1:$PX_PORT" --proxy-type socks5 localhost "$PX_TARGET" || return 1
	# the name went to the proxy: tcptalk looked nothing up itself
	expect_eq "what the proxy was asked" "$(cat s5.log)" "socks5 name localhost $PX_TARGET" || return 1
	expect_grep "-v" err "via proxy 127.0.0.1:$PX_PORT \\(socks5\\)$"
}
run_test "--proxy-type socks5: the proxy resolves the NAME (no DNS leak), round trip, the whole bound address read" px_socks5_name

px_socks5_numeric() {
	px_start s5n --type socks5 || return 1
	px_target || return 1
	px_round -n --proxy "127.0.0.1:$PX_PORT" --proxy-type socks5 127.0.0.1 "$PX_TARGET" || return 1
	expect_eq "what the proxy was asked" "$(cat s5n.log)" "socks5 ipv4 127.0.0.1 $PX_TARGET" || return 1
	# -n forbids a name even at the proxy; nothing is sent to it
	px_refused "localhost: not a numeric address (-n)" -n --proxy "127.0.0.1:$PX_PORT" \
	    --proxy-type socks5 localhost "$PX_TARGET" || return 1
	expect_eq "the proxy log" "$(wc -l <s5n.log)" 1
}
run_test "--proxy-type socks5 -n: an address goes as an address; a name is refused before dialling" px_socks5_numeric

px_socks4() {
	local first
	px_start s4 --type socks4 --coalesce || return 1
	px_target || return 1
	first=$PX_TARGET
	px_round --proxy "127.0.0.1:$PX_PORT" --proxy-type socks4 localhost "$PX_TARGET" || return 1
	px_target || return 1
	px_round -n --proxy "127.0.0.1:$PX_PORT" --proxy-type socks4 --proxy-auth bob:x \
	    127.0.0.1 "$PX_TARGET" || return 1
	printf 'socks4 name localhost %s\nsocks4 ipv4 127.0.0.1 %s\nuser bob\n' \
	    "$first" "$PX_TARGET" >want
	expect_eq "what the proxy was asked" "$(cat s4.log)" "$(cat want)" || return 1
	px_refused "a SOCKS4 proxy cannot reach the IPv6 address ::1; use --proxy-type socks5" \
	    --proxy "127.0.0.1:$PX_PORT" --proxy-type socks4 ::1 80
}
run_test "--proxy-type socks4: a name as SOCKS4a, an address as SOCKS4 (user id from --proxy-auth), IPv6 refused" px_socks4

px_auth() {
	px_start ha --type http --auth 'alice:s3cr:t' || return 1
	px_target || return 1
	px_round --proxy "127.0.0.1:$PX_PORT" --proxy-auth 'alice:s3cr:t' localhost "$PX_TARGET" || return 1
	expect_grep "the http proxy log" ha.log '^auth ok$' || return 1
	px_refused "the proxy refused: HTTP/1.1 407 Proxy Authentication Required" \
	    --proxy "127.0.0.1:$PX_PORT" --proxy-auth alice:wrong localhost "$PX_TARGET" || return 1
	px_refused "the proxy refused: HTTP/1.1 407 Proxy Authentication Required" \
	    --proxy "127.0.0.1:$PX_PORT" localhost "$PX_TARGET" || return 1

	px_start sa --type socks5 --auth 'bob:pw' || return 1
	px_target || return 1
	px_round --proxy "127.0.0.1:$PX_PORT" --proxy-type socks5 --proxy-auth bob:pw \
	    localhost "$PX_TARGET" || return 1
	expect_grep "the socks5 proxy log" sa.log '^auth ok$' || return 1
	px_refused "the proxy refused the user and password (RFC 1929 status 1)" \
	    --proxy "127.0.0.1:$PX_PORT" --proxy-type socks5 --proxy-auth bob:nope localhost 1 || return 1
	px_refused "the proxy refused: it wants a user and password (--proxy-auth)" \
	    --proxy "127.0.0.1:$PX_PORT" --proxy-type socks5 localhost 1
}
run_test "--proxy-auth: Basic for http and RFC 1929 for socks5 let through; wrong or missing said, exit 1" px_auth

px_refusals() {
	local code
	local words=("" "general failure" "connection not allowed by ruleset" "network unreachable"
	    "host unreachable" "connection refused" "TTL expired" "command not supported"
	    "address type not supported")
	for code in 1 2 3 4 5 6 7 8; do
		px_start "r$code" --type socks5 --refuse "$code" || return 1
		px_refused "the proxy refused: ${words[code]} (SOCKS5 reply $code)" \
		    --proxy "127.0.0.1:$PX_PORT" --proxy-type socks5 localhost 9 || return 1
	done
	px_start s4r --type socks4 --refuse 91 || return 1
	px_refused "the proxy refused: request rejected or failed (SOCKS4 reply 91)" \
	    --proxy "127.0.0.1:$PX_PORT" --proxy-type socks4 localhost 9 || return 1
	px_start rh --type http --refuse 403 || return 1
	px_refused "the proxy refused: HTTP/1.1 403 Forbidden" --proxy "127.0.0.1:$PX_PORT" localhost 9
}
run_test "proxy refusals in words: SOCKS5 replies 1-8, SOCKS4 91, HTTP status line; exit 1" px_refusals

px_silent_closed() {
	local t0 ms q
	px_start quiet --type socks5 --mode silent || return 1
	t0=$(date +%s%N)
	px_refused "the proxy 127.0.0.1:$PX_PORT did not answer within 1.0 seconds" -w 1 \
	    --proxy "127.0.0.1:$PX_PORT" --proxy-type socks5 localhost 9 || return 1
	ms=$(( ($(date +%s%N) - t0) / 1000000 ))
	[ "$ms" -lt 3000 ] || { echo "took $ms ms for -w 1"; return 1; }
	px_start gone --type http --mode close || return 1
	px_refused "the proxy 127.0.0.1:$PX_PORT closed the connection before it answered" \
	    --proxy "127.0.0.1:$PX_PORT" localhost 9 || return 1
	# and no proxy at all: the connect error names the proxy
	q=$(free_port)
	px_refused "cannot reach the proxy: connect to 127.0.0.1 port $q: Connection refused" \
	    --proxy "127.0.0.1:$q" localhost 9
}
run_test "a silent proxy times out with -w (said, exit 1); one that hangs up, or is not there, is said too" px_silent_closed

px_usage() {
	local rc
	for args in "--proxy-auth u:p h 1" "--proxy-type socks5 h 1" "-l --proxy p:1 8888" \
	    "--proxy p h 1" "--proxy p:1 --proxy-type socks h 1" "--proxy p:1 --proxy-auth u h 1"; do
		# shellcheck disable=SC2086  # the words of args are the arguments
		"$TCPTALK" $args >out 2>err </dev/null
		rc=$?
		expect_eq "exit status of tcptalk $args" "$rc" 2 || return 1
		expect_eq "lines of the message for $args" "$(head -1 err | wc -l)" 1 || return 1
		grep -q "^tcptalk: .*proxy" err || { echo "for $args: $(cat err)"; return 1; }
	done
}
run_test "--proxy misuse: a usage error (exit 2) with one line naming the option" px_usage

px_chat() {
	ui_setup px
	local p
	px_start chat --type socks5 || return 1
	p=$(free_port)
	printf 'first server\n' | timeout 10 "$TCPTALK" -l 127.0.0.1 "$p" >/dev/null & bg $!
	wait_port "$p" || return 1
	ui_start a "$TCP_ENV $TCPTALK --proxy 127.0.0.1:$PX_PORT --proxy-type socks5 localhost $p" || return 1
	ui_wait a "connected to localhost $p via proxy 127.0.0.1:$PX_PORT \\(socks5\\)" || return 1
	ui_wait a '^first server$' || return 1
	# the status row names the target and the proxy too
	cap a | tail -2 | head -1 | grep -qF "localhost $p via proxy 127.0.0.1:$PX_PORT (socks5)" ||
	    { echo "status row: [$(cap a | tail -2 | head -1)]"; return 1; }
	TM send-keys -t T:a C-d
	ui_wait a "^\\* connection with localhost:$p closed" || return 1
	( printf 'second server\n'; sleep 8 ) | timeout 10 "$TCPTALK" -l 127.0.0.1 "$p" >got & bg $!
	wait_port "$p" || return 1
	ui_type a '/reconnect' || return 1
	ui_wait a "connected again to localhost $p via proxy 127.0.0.1:$PX_PORT \\(socks5\\)" || return 1
	ui_wait a '^second server$' || return 1
	ui_type a 'hello again' || return 1
	wait_for 5 grep -q 'hello again' got || { echo "got [$(cat got)]"; return 1; }
	# both dials went through the proxy
	expect_eq "the proxy log" "$(grep -c "^socks5 name localhost $p$" chat.log)" 2
}
run_test "chat through a socks5 proxy: says via proxy, /reconnect goes through it again" px_chat
