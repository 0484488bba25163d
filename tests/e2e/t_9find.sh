# shellcheck shell=bash disable=SC2154  # sourced by run.sh after lib.sh and t_2ui.sh (TCPTALK, ui_* helpers)
# tests/e2e/t_9find.sh - /find in the chat: scrolls to the match, highlights
# every match on screen (the current one bold), F3 / Shift-F3 step older and
# newer without wrapping, smart case, Chinese, no match, End back to live,
# the sent pane, and line mode.

# hl WINDOW: the screen with the highlight made visible: [match] in reverse
# video, {match] the current one (reverse and bold), other attributes gone
# (tmux says only what changes, also from one row to the next: the state
# is followed through the SGR sequences)
hl() {
	TM capture-pane -p -e -t "T:$1" | perl -ne '
	    BEGIN { ($rev, $bold) = (0, 0) }
	    chomp; ($out, $cur) = ("", "");
	    for $t (split /(\e\[[0-9;]*m)/) {
		if ($t =~ /^\e\[([0-9;]*)m$/) {
			for $p (split /;/, $1 eq "" ? "0" : $1) {
				($rev, $bold) = (0, 0) if $p == 0;
				$bold = 1 if $p == 1;
				$bold = 0 if $p == 22;
				$rev = 1 if $p == 7;
				$rev = 0 if $p == 27;
			}
			next;
		}
		next if $t eq "";
		$m = $rev ? ($bold ? "{" : "[") : "";
		if ($m ne $cur) { $out .= ($cur ne "" ? "]" : "") . $m; $cur = $m }
		$out .= $t;
	    }
	    print $out, ($cur ne "" ? "]" : ""), "\n";'
}
# hl_has WINDOW LINE: that exact row, highlight marks and all, is on screen
hl_has() {
	hl "$1" | grep -qxF -- "$2" && return 0
	echo "no row '$2' on the screen:"
	hl "$1" | sed 's/^/    |/'
	return 1
}
# on_screen WINDOW LINE: a row of the panes is exactly LINE
on_screen() { cap "$1" | grep -qxF -- "$2"; }
# key WINDOW KEY TITLE-REGEX: press KEY, wait for the title to say so
key() { TM send-keys -t "T:$1" "$2" && ui_wait "$1" "^ peer .* -- $3"; }
find_for() { ui_type "$1" "/find $2" && ui_wait "$1" "^ peer .* -- $3"; }

# find_start: window a listens; a peer sends a Chinese line and 200 lines
find_start() {
	ui_setup "$1"
	local p; p=$(free_port)
	ui_start a "$TCP_ENV $TCPTALK -l 127.0.0.1 $p" || return 1
	wait_port "$p" || return 1
	# and a word that wraps at column 100 of the window
	( printf '中文 收到 here\n%s\n' "$(printf 'x%.0s' {1..95})WRAPHEREOK"
	  seq 1 200 | sed 's/^/line /'; sleep 20 ) |
	    timeout 25 "$TCPTALK" 127.0.0.1 "$p" >peer.out & bg $!
	ui_wait a '^line 200$'
}

find_scroll_and_step() {
	find_start step || return 1
	on_screen a 'line 17' && { echo "line 17 on screen before /find"; return 1; }
	on_screen a 'line 179' && { echo "line 179 on screen before /find"; return 1; }
	# "line 17" is in line 17 and 170..179: the newest first, at the
	# bottom of the pane, bold; the others on screen reversed
	find_for a 'line 17' "match 1 of 11 for 'line 17'" || return 1
	hl_has a '{line 17]9' || return 1
	hl_has a '[line 17]0' && hl_has a '[line 17]8' || return 1
	on_screen a 'line 180' && { echo "line 180 is below the match"; return 1; }
	# F3 older, Shift-F3 newer, /find alone older
	key a F3 "match 2 of 11 for 'line 17'" || return 1
	hl_has a '{line 17]8' && hl_has a '[line 17]7' || return 1
	on_screen a 'line 179' && { echo "line 179 still on screen"; return 1; }
	key a S-F3 "match 1 of 11 for 'line 17'" || return 1
	hl_has a '{line 17]9' || return 1
	ui_type a '/find' && ui_wait a "match 2 of 11 for 'line 17'" || return 1
	# on to line 17 itself, the oldest: F3 there does not wrap
	for _ in $(seq 9); do TM send-keys -t T:a F3; done
	ui_wait a "match 11 of 11 for 'line 17' " || return 1
	hl_has a '{line 17]' && hl_has a 'line 16' || return 1
	key a F3 "match 11 of 11 for 'line 17', no older one" || return 1
	hl_has a '{line 17]' || return 1
	# the same text again goes on from the current match as F3 does
	key a S-F3 "match 10 of 11 for 'line 17'" || return 1
	find_for a 'line 17' "match 11 of 11 for 'line 17'" || return 1
	# End: live again, no highlight, no facts in the title
	TM send-keys -t T:a End
	ui_wait a '^line 200$' || return 1
	cap a | sed -n 1p | grep -q 'match' && { echo "title still says"; cap a; return 1; }
	expect_eq "highlighted rows after End" "$(hl a | sed -n '2,18p' | grep -c '[[{]')" 0 || return 1
	# live, nothing is newer; F3 searches from the newest again
	key a S-F3 "no newer match for 'line 17'" || return 1
	on_screen a 'line 200' || { echo "Shift-F3 moved away from live"; return 1; }
	key a F3 "match 1 of 11 for 'line 17'"
}
run_test "/find scrolls to the newest match and highlights every match; F3, Shift-F3, /find again step; no wrap; End: live" find_scroll_and_step

find_case_chinese_none() {
	find_start case || return 1
	# a capital: exact case, and nothing is written "LINE"
	find_for a 'LINE' "no match for 'LINE'" || return 1
	key a S-F3 "no match for 'LINE'" || return 1
	# nothing matched: the title says so, no notice that would match next
	cap a | grep -q '^\* .*LINE' && { echo "a notice holds the text"; cap a; return 1; }
	find_for a 'line' "match 1 of 200 for 'line'" || return 1
	hl_has a '{line] 200' || return 1
	key a S-F3 "match 1 of 200 for 'line', no newer one" || return 1
	find_for a 'LiNe 1' "no match for 'LiNe 1'" || return 1
	# Chinese: the first line, long scrolled away, comes back
	on_screen a '中文 收到 here' && { echo "the Chinese line was on screen"; return 1; }
	find_for a '收到' "match 1 of 1 for '收到'" || return 1
	hl_has a '中文 {收到] here' || return 1
	find_for a '文 收' "match 1 of 1 for '文 收'" || return 1
	hl_has a '中{文 收]到 here' || return 1
	# a match cut by the wrap is highlighted on both rows
	find_for a 'wraphere' "match 1 of 1 for 'wraphere'" || return 1
	hl_has a "$(printf 'x%.0s' {1..95}){WRAPH]" && hl_has a '{ERE]OK'
}
run_test "/find: a capital means exact case, Chinese found, no match said in the title" find_case_chinese_none

find_sent_pane() {
	ui_setup sent
	local p i; p=$(free_port)
	sleep 20 | timeout 25 "$TCPTALK" -l 127.0.0.1 "$p" >got & bg $!
	wait_port "$p" || return 1
	ui_start a "$TCP_ENV $TCPTALK 127.0.0.1 $p" || return 1
	ui_wait a 'connected to 127.0.0.1' || return 1
	for i in $(seq 1 12); do
		ui_type a "mine $i" && ui_wait a "^mine $i ✓\$" || return 1
	done
	# the sent pane shows 8 lines: "mine 1" went out of sight
	cap a | sed -n '/^ you/,$p' | grep -qx 'mine 1 ✓' && { echo "mine 1 visible"; return 1; }
	find_for a 'mine 1' "match 1 of 4 for 'mine 1'" || return 1
	hl_has a '{mine 1]2 ✓' || return 1
	for _ in 1 2 3; do TM send-keys -t T:a F3; done
	ui_wait a "match 4 of 4 for 'mine 1'" || return 1
	# the bottom pane scrolled: mine 1 at its bottom, bold
	cap a | sed -n '/^ you/,$p' | grep -qx 'mine 1 ✓' || { echo "mine 1 not in the sent pane"; cap a; return 1; }
	hl_has a '{mine 1] ✓'
}
run_test "/find in the split view scrolls the sent pane to a line you sent" find_sent_pane

find_line_mode() {
	ui_setup linemode
	local p; p=$(free_port)
	ui_start a "$TCP_ENV $TCPTALK --line -l 127.0.0.1 $p" || return 1
	wait_port "$p" || return 1
	( seq 1 30 | sed 's/^/line /'; sleep 20 ) |
	    timeout 25 "$TCPTALK" 127.0.0.1 "$p" >/dev/null & bg $!
	ui_wait a '^< line 30$' || return 1
	ui_type a '/find LINE 2' || return 1
	ui_wait a "^\\* no match for 'LINE 2'$" || return 1
	ui_type a '/find line 2' || return 1
	ui_wait a "^\\* 11 lines match 'line 2':$" || return 1
	# the matching lines, oldest first, under that line
	expect_eq "lines printed" "$(cap a | sed -n "/^\\* 11 lines match 'line 2':\$/,\$p" | sed -n '2,12p' | tr '\n' ,)" \
	    "< line 2,< line 20,< line 21,< line 22,< line 23,< line 24,< line 25,< line 26,< line 27,< line 28,< line 29,"
}
run_test "/find in line mode prints the matching lines above the prompt" find_line_mode
