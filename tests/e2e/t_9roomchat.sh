# shellcheck shell=bash disable=SC2154  # sourced by run.sh after lib.sh and t_2ui.sh (TCPTALK, ui_* helpers)
# tests/e2e/t_9roomchat.sh - rooms on the chat screen: the listener's room
# (-l --room) in tmux with nc and python members (names and their colours,
# Chinese, /nick, /peers, /to, /kick, /me, a member's escapes shown on the
# listener's screen and stripped for the others), the broker's screen, a
# chat that dials a room (names only after the room's greeting), and an
# IMAP server's "* OK" that must stay plain text.

# The names' colours on a 256-colour terminal (ui.c's palette; FNV-1a of
# the name, roomline.c): alice 175, bob 208, dave 4 (tmux writes it 34).
RC_ALICE='38;5;175'
RC_BOB='38;5;208'
RC_DAVE='34'

# rc_sgr_at WINDOW REGEX: the colour in force where REGEX (or its first
# group) first matches on screen: "32", "38;5;175", "default", with "bold " before it when bold
# (capture-pane -e carries the attributes over from earlier cells)
rc_sgr_at() {
	TM capture-pane -p -e -t "T:$1" | perl -e '
	my ($s, $re) = (do { local $/; <STDIN> }, shift);
	$s =~ /$re/m or exit 1;
	my ($pos, $fg, $bold) = ($-[1] // $-[0], "default", 0);
	while ($s =~ /\e\[([0-9;]*)m/g) {
		last if $-[0] >= $pos;
		my @p = length $1 ? split(/;/, $1) : (0);
		while (@p) {
			my $x = shift @p;
			if ($x == 0) { ($fg, $bold) = ("default", 0) }
			elsif ($x == 1) { $bold = 1 }
			elsif ($x == 22) { $bold = 0 }
			elsif ($x >= 30 && $x <= 37) { $fg = $x }
			elsif ($x == 39) { $fg = "default" }
			elsif ($x == 38 || $x == 48) {
				my $m = shift @p;
				my @c = splice(@p, 0, $m == 5 ? 1 : 3);
				$fg = "38;$m;" . join(";", @c) if $x == 38;
			}
		}
	}
	print $bold ? "bold $fg\n" : "$fg\n";' "$2"
}
# rc_name_sgr WINDOW NAME: the colour of NAME in "<NAME>" on screen
rc_name_sgr() { rc_sgr_at "$1" "<(?:\\e\\[[0-9;]*m)*($2)(?:\\e\\[[0-9;]*m)*>"; }
# rc_line_sgr WINDOW REGEX: the colour of a line that starts with REGEX
rc_line_sgr() { rc_sgr_at "$1" "^(?:\\e\\[[0-9;]*m)*($2)"; }
# rc_has FILE REGEX: a line of FILE matches (for wait_for)
rc_has() { grep -qE -- "$2" "$1" 2>/dev/null; }

# rc_python_member NAME PORT: a python member reading lines to send from
# the FIFO NAME.in, writing all it receives to NAME.out
rc_python_member() {
	cat >member.py <<'EOF'
import os, select, socket, sys
name, port = sys.argv[1], int(sys.argv[2])
s = socket.create_connection(("127.0.0.1", port))
fin = os.open(name + ".in", os.O_RDWR)
out = open(name + ".out", "wb", buffering=0)
while True:
    r, _, _ = select.select([s, fin], [], [], 30)
    if not r:
        break
    if s in r:
        b = s.recv(65536)
        if not b:
            break
        out.write(b)
    if fin in r:
        s.sendall(os.read(fin, 65536))
EOF
	mkfifo "$1.in" || return 1
	timeout 30 python3 member.py "$1" "$2" & bg $!
}

# rc_nc_member NAME PORT: an nc member, its input from the FIFO NAME.in
# (held open by this shell, so nc never sees its end)
rc_nc_member() {
	local fd
	mkfifo "$1.in" || return 1
	# shellcheck disable=SC2034  # fd only holds the FIFO open
	exec {fd}<>"$1.in"
	timeout 30 nc 127.0.0.1 "$2" <"$1.in" >"$1.out" & bg $!
}

# rc_send NAME LINE: NAME's member sends LINE (with its newline)
rc_send() { printf '%s\n' "$2" >"$1.in"; }

roomchat_listener() {
	ui_setup room
	local p; p=$(free_port)
	ui_start l "$TCP_ENV $TCPTALK -l --room 127.0.0.1 $p" || return 1
	wait_port "$p" || return 1
	ui_wait l 'a room on .*where you are host' || return 1
	rc_nc_member a "$p" || return 1
	ui_wait l '^\* 127\.0\.0\.1:[0-9]+ joined' || return 1
	rc_send a '/nick alice'
	ui_wait l 'is now known as alice' || return 1
	rc_nc_member b "$p" || return 1
	wait_for 5 rc_has b.out 'tcptalk room: 3 peers here' || { echo "b not greeted"; cat b.out; return 1; }
	rc_send b '/nick bob'
	ui_wait l 'is now known as bob' || return 1
	rc_python_member d "$p" || return 1
	wait_for 5 rc_has d.out 'tcptalk room: 4 peers here' || { echo "d not greeted"; cat d.out; return 1; }
	rc_send d '/nick dave'
	ui_wait l 'is now known as dave' || return 1
	ui_wait l 'peers: 3' || return 1

	# Chinese intact, on the listener's screen and to the others, with names
	rc_send a '你好，大家！ from alice'
	ui_wait l '^<alice> 你好，大家！ from alice$' || return 1
	wait_for 5 rc_has b.out '^<alice> 你好，大家！ from alice$' || { echo "bob missed it"; cat b.out; return 1; }
	wait_for 5 rc_has d.out '^<alice> 你好，大家！ from alice$' || { echo "dave missed it"; cat d.out; return 1; }
	rc_send b 'bob here'
	rc_send d 'dave here'
	ui_wait l '^<dave> dave here$' || return 1
	ui_wait l '^<bob> bob here$' || return 1
	# each name in its own colour, bold, none of them the peer's green
	expect_eq "alice's colour" "$(rc_name_sgr l alice)" "bold $RC_ALICE" || return 1
	expect_eq "bob's colour" "$(rc_name_sgr l bob)" "bold $RC_BOB" || return 1
	expect_eq "dave's colour" "$(rc_name_sgr l dave)" "bold $RC_DAVE" || return 1

	# a member's escape sequence: visible on the listener's screen, gone
	# from what the others get (and the screen was not cleared)
	printf 'x\033[2Jy\033]0;pwned\007z\n' >b.in
	ui_wait l '^<bob> x\^\[\[2Jy\^\[\]0;pwned\^Gz$' || return 1
	cap l | grep -q 'a room on' || { echo "screen was cleared"; cap l; return 1; }
	wait_for 5 rc_has a.out '^<bob> xy' || { echo "alice missed bob's line"; cat a.out; return 1; }
	if grep -q $'\033' a.out d.out; then echo "an escape reached a member"; cat -v a.out; return 1; fi

	# the listener says something: everyone gets it under its name
	ui_type l 'welcome 欢迎' || return 1
	wait_for 5 rc_has a.out '^<host> welcome 欢迎$' || { echo "alice: no host line"; cat a.out; return 1; }
	wait_for 5 rc_has d.out '^<host> welcome 欢迎$' || { echo "dave: no host line"; cat d.out; return 1; }

	# /peers: a row each, with the header
	ui_type l '/peers' || return 1
	ui_wait l '^\* name +address +connected +received +sent +queued$' || return 1
	ui_wait l '^\* alice +127\.0\.0\.1:[0-9]+ +[0-9]+:[0-9]{2} +[0-9.]+ (B|KiB) +[0-9.]+ (B|KiB) +0 B$' || return 1
	ui_wait l '^\* bob +127\.0\.0\.1:[0-9]+ ' || return 1
	ui_wait l '^\* dave +127\.0\.0\.1:[0-9]+ ' || return 1

	# /to: alice alone gets it
	ui_type l '/to alice just for you' || return 1
	wait_for 5 rc_has a.out '^\* \(private\) <host> just for you$' || { echo "alice: no private line"; cat a.out; return 1; }
	ui_type l 'after the private line' || return 1
	wait_for 5 rc_has d.out '^<host> after the private line$' || return 1
	wait_for 5 rc_has b.out '^<host> after the private line$' || return 1
	if grep -q 'just for you' b.out d.out; then echo "the private line leaked"; return 1; fi
	ui_type l '/to nobody hi' || return 1
	ui_wait l 'no one here is called nobody' || return 1

	# a member's private line to the listener
	rc_send d '/to host psst'
	ui_wait l '^\* \(private\) <dave> psst$' || return 1

	# /me and /nick reach everyone
	ui_type l '/me waves' || return 1
	wait_for 5 rc_has a.out '^\* host waves$' || { echo "alice: no /me"; cat a.out; return 1; }
	ui_type l '/nick boss' || return 1
	ui_wait l 'you are now known as boss' || return 1
	wait_for 5 rc_has d.out '^\* host is now known as boss$' || { echo "dave: no nick"; cat d.out; return 1; }
	ui_wait l 'you are boss' || return 1	# the status line

	# /who lists the names; /kick closes bob's connection and says so
	ui_type l '/who' || return 1
	ui_wait l 'in the room with you \(boss\): .*alice' || return 1
	ui_type l '/kick bob' || return 1
	ui_wait l 'bob was kicked' || return 1
	wait_for 5 rc_has a.out 'bob was kicked' || { echo "alice: no kick"; cat a.out; return 1; }
	wait_for 5 rc_has b.out 'bob was kicked' || { echo "bob: not told"; cat b.out; return 1; }
	ui_wait l 'peers: 2' || return 1
	# /help in a room lists the room's commands, not /next or /reconnect
	ui_type l '/help' || return 1
	ui_wait l '^\* /kick NAME' || return 1
	if cap l | grep -qE '^\* /(next|reconnect|starttls)'; then echo "/help lists one-peer commands"; cap l; return 1; fi
	ui_type l '/tls' || return 1
	ui_wait l '/tls works on a single connection, not in a room' || return 1
}
run_test "a listener's room on the screen: three members (nc, python), names in their colours, Chinese, escapes shown, /peers /to /me /nick /who /kick" roomchat_listener

roomchat_broker() {
	ui_setup broker
	local p; p=$(free_port)
	ui_start l "$TCP_ENV $TCPTALK -l --broker 127.0.0.1 $p" || return 1
	wait_port "$p" || return 1
	ui_wait l 'a broker on' || return 1
	rc_nc_member a "$p" || return 1
	rc_python_member d "$p" || return 1
	ui_wait l 'peers: 2' || return 1
	# bytes from a member: to the other one unchanged, watched on screen
	# under its address
	printf 'raw 你好 \033[1mbold\n' >a.in
	ui_wait l '^<127\.0\.0\.1:[0-9]+> raw 你好 \^\[\[1mbold$' || return 1
	wait_for 5 rc_has d.out $'^raw 你好 \033\\[1mbold$' || { echo "d did not get the bytes"; cat -v d.out; return 1; }
	ui_type l 'from the listener' || return 1
	wait_for 5 rc_has a.out '^from the listener$' || { echo "a: nothing from the listener"; cat a.out; return 1; }
	wait_for 5 rc_has d.out '^from the listener$' || return 1
	ui_type l '/nick x' || return 1
	ui_wait l '/nick is for a room \(--room\)' || return 1
}
run_test "a broker on the screen: members' bytes relayed unchanged and watched as text, the listener sends to all" roomchat_broker

# rc_fake_server PORT FILE: a server that sends FILE's bytes to the first
# client, then holds the connection until it closes
rc_fake_server() {
	cat >fake.py <<'EOF'
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen(1)
c, _ = s.accept()
c.sendall(open(sys.argv[2], "rb").read())
while c.recv(4096):
    pass
EOF
	timeout 20 python3 fake.py "$1" "$2" & bg $!
}

roomchat_dial_room() {
	ui_setup dial
	local p; p=$(free_port)
	mkfifo host.in || return 1
	exec {hostfd}<>host.in
	timeout 30 "$TCPTALK" -l --room 127.0.0.1 "$p" <host.in >host.out 2>host.err & bg $!
	wait_port "$p" || return 1
	rc_nc_member a "$p" || return 1
	rc_send a '/nick alice'
	ui_start c "$TCP_ENV $TCPTALK 127.0.0.1 $p" || return 1
	ui_wait c '^\* tcptalk room: 3 peers here$' || return 1
	rc_send a 'hello 你好 from alice'
	ui_wait c '^<alice> hello 你好 from alice$' || return 1
	ui_wait c '^ room at 127\.0\.0\.1:[0-9]+$' || return 1	# the title
	expect_eq "alice's colour in the dialling chat" "$(rc_name_sgr c alice)" "bold $RC_ALICE" || return 1
	# the room's own lines in the notices' colour (yellow), not the peer's
	expect_eq "the greeting's colour" "$(rc_line_sgr c '\* tcptalk room')" 33 || return 1
	# the room's commands typed here go to the room as lines
	ui_type c '/nick zed' || return 1
	ui_wait c 'is now known as zed' || return 1
	wait_for 5 rc_has a.out 'is now known as zed$' || { echo "alice: no nick"; cat a.out; return 1; }
	ui_type c 'from zed' || return 1
	wait_for 5 rc_has a.out '^<zed> from zed$' || return 1
	printf 'from the host\n' >&"$hostfd"
	ui_wait c '^<host> from the host$' || return 1
	ui_type c '/help' || return 1
	ui_wait c 'this is a tcptalk room: /nick NAME' || return 1
}
run_test "a chat that dials a room shows names and colours after the room's greeting; /nick goes to the room" roomchat_dial_room

roomchat_imap_plain() {
	ui_setup imap
	local p; p=$(free_port)
	printf '* OK [CAPABILITY IMAP4rev1] ready\r\n<alice> not a room\r\n* 1 EXISTS\r\n' >greet
	rc_fake_server "$p" greet
	wait_port "$p" || return 1
	ui_start c "$TCP_ENV $TCPTALK 127.0.0.1 $p" || return 1
	ui_wait c '^\* 1 EXISTS$' || return 1
	ui_wait c '^ peer 127\.0\.0\.1:[0-9]+$' || return 1	# the title
	# the peer's green, no name colour, no notice colour
	expect_eq "the * OK line's colour" "$(rc_line_sgr c '\* OK')" 32 || return 1
	expect_eq "no name colour for alice" "$(rc_name_sgr c alice)" 32 || return 1
	expect_eq "the * 1 EXISTS line's colour" "$(rc_line_sgr c '\* 1 EXISTS')" 32 || return 1
	# and /nick is no command here: it is unknown, nothing is sent
	ui_type c '/nick zed' || return 1
	ui_wait c "unknown command '/nick'" || return 1
	ui_type c '/help' || return 1
	ui_wait c '^\* /starttls' || return 1
	if cap c | grep -q 'this is a tcptalk room'; then echo "/help says room"; return 1; fi
}
run_test "an IMAP server's * OK line is plain text: no room without the greeting" roomchat_imap_plain
