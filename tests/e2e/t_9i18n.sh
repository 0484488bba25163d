# shellcheck shell=bash disable=SC2154  # sourced by run.sh after lib.sh (TCPTALK)
# tests/e2e/t_9i18n.sh - gettext: the binary finds the catalogue of the build
# tree it runs from (./tcptalk beside build/locale, build/VARIANT/tcptalk
# inside it), so --help, a usage error and a refused connection come out in
# the user's language with the same exit codes, and in English with LANG=C.
# The catalogue here is the test's own (po/zh_CN.po is not translated yet);
# the zh_CN.UTF-8 locale is built into the test's directory with localedef.
# And tests/i18n/check-marked, which make lint runs, finds an unmarked
# message.

I18N_ROOT=$PWD	# run.sh sources this file from the top of the tree

# i18n_locale: zh_CN.UTF-8 under ./loc (LOCPATH), else skip with the reason
i18n_locale() {
	command -v msgfmt >/dev/null || { echo "no msgfmt"; exit 77; }
	# a NO_NLS=1 build calls no gettext: its binary names no textdomain
	grep -qa bindtextdomain "$TCPTALK" || { echo "built with NO_NLS=1"; exit 77; }
	mkdir -p loc
	localedef -i zh_CN -f UTF-8 loc/zh_CN.UTF-8 >localedef.log 2>&1 ||
	    { echo "localedef cannot make zh_CN.UTF-8: $(tail -1 localedef.log)"; exit 77; }
}

# i18n_tree DIR/BIN: a copy of tcptalk at DIR/BIN with the test catalogue at
# DIR/build/locale, as `make` leaves them
i18n_tree() {
	mkdir -p "$(dirname "$1/$2")" "$1/build/locale/zh_CN/LC_MESSAGES"
	cp "$TCPTALK" "$1/$2"
	msgfmt -o "$1/build/locale/zh_CN/LC_MESSAGES/tcptalk.mo" test.po
}

# i18n_run LANG CMD...: CMD in that language, out and err to run.out/run.err
i18n_run() {
	local lang=$1
	shift
	env -u LANGUAGE -u LC_ALL -u LC_MESSAGES LANG="$lang" LOCPATH="$PWD/loc" \
	    "$@" >run.out 2>run.err </dev/null
}

i18n_build_tree() {
	local port
	i18n_locale
	cat >test.po <<'PO'
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"
"Plural-Forms: nplurals=1; plural=0;\n"

msgid "unknown option '--%.*s'"
msgstr "未知选项 '--%.*s'"

msgid "Try 'tcptalk --help' for more information.\n"
msgstr "请用 'tcptalk --help' 查看更多信息。\n"

msgid "  -4, --ipv4              IPv4 only\n"
msgstr "  -4, --ipv4              只用 IPv4\n"

msgid "connect to %s port %s: %s"
msgstr "连接 %s 端口 %s 失败:%s"
PO
	i18n_tree tree tcptalk
	i18n_tree tree2 build/san/tcptalk

	# a usage error: both lines translated, still exit 2
	i18n_run zh_CN.UTF-8 tree/tcptalk --bogus
	expect_eq "usage error's exit" "$?" 2 || return 1
	expect_eq "usage error in Chinese" "$(cat run.err)" \
"tcptalk: 未知选项 '--bogus'
请用 'tcptalk --help' 查看更多信息。" || return 1
	# --help: the translated piece in its place, the rest as it was
	i18n_run zh_CN.UTF-8 tree/tcptalk --help
	expect_eq "--help's exit" "$?" 0 || return 1
	expect_grep "--help's translated line" run.out '^  -4, --ipv4              只用 IPv4$' || return 1
	expect_grep "--help's untranslated line" run.out '^  -6, --ipv6              IPv6 only' || return 1
	"$TCPTALK" --help | grep -v -- '--ipv4 ' >en.help
	grep -v -- '--ipv4 ' run.out | cmp - en.help || { echo "--help differs beyond -4"; return 1; }
	# a refused connection: exit 1, the sentence translated
	port=$(free_port) || return 1
	i18n_run zh_CN.UTF-8 tree/tcptalk 127.0.0.1 "$port"
	expect_eq "refused's exit" "$?" 1 || return 1
	expect_grep "refused in Chinese" run.err "^tcptalk: 连接 127\\.0\\.0\\.1 端口 $port 失败:" || return 1
	# build/san/tcptalk finds build/locale too
	i18n_run zh_CN.UTF-8 tree2/build/san/tcptalk --bogus
	expect_grep "build/VARIANT/tcptalk translated" run.err "^tcptalk: 未知选项 '--bogus'$" || return 1
	# LANG=C: English, byte for byte what the real binary says
	i18n_run C tree/tcptalk --bogus
	expect_eq "LANG=C exit" "$?" 2 || return 1
	expect_eq "LANG=C is English" "$(cat run.err)" \
"tcptalk: unknown option '--bogus'
Try 'tcptalk --help' for more information." || return 1
	i18n_run C tree/tcptalk --help
	cmp run.out <("$TCPTALK" --help) || { echo "LANG=C --help differs"; return 1; }
	# no build/locale beside the binary: the installed place, which has none
	mkdir -p lone && cp "$TCPTALK" lone/tcptalk
	i18n_run zh_CN.UTF-8 lone/tcptalk --bogus
	expect_grep "no catalogue: English" run.err "^tcptalk: unknown option '--bogus'$" || return 1
}
run_test "gettext: the build tree's catalogue translates --help, a usage error, a refused connect (same exit codes); LANG=C and no catalogue are English" i18n_build_tree

i18n_check_marked() {
	local root=$I18N_ROOT
	[ -x "$root/tests/i18n/check-marked" ] || { echo "no check-marked in $root"; exit 77; }
	cat >bad.c <<'C'
static void
f(char *err, unsigned long n)
{
	fprintf(stderr, _("a marked sentence\n"));
	snprintf(err, n, "a sentence nobody marked: %s", "x");
	fprintf(stderr, "tcptalk: %s\n", err);
}
C
	"$root/tests/i18n/check-marked" "$PWD/bad.c" >cm.out 2>cm.err
	expect_eq "check-marked's exit" "$?" 1 || return 1
	expect_eq "check-marked names the unmarked one only" "$(cat cm.out)" \
	    "$PWD/bad.c:5: \"a sentence nobody marked: %s\"" || return 1
}
run_test "check-marked finds a message not marked for translation, and only it" i18n_check_marked

# The real catalogue, po/zh_CN.po as make built it beside $TCPTALK:
# I18N_CAT its directory, I18N_SC tests/i18n/screen-check, which reads the
# translations from it (the tests follow the catalogue, not a copy of it).
i18n_real() {
	local d
	d=$(dirname "$TCPTALK")
	if [ -d "$d/build/locale/zh_CN" ]; then
		I18N_CAT=$d/build/locale
	elif [ "$(basename "$(dirname "$d")")" = build ] && [ -d "$d/../locale/zh_CN" ]; then
		I18N_CAT=$d/../locale
	else
		echo "no zh_CN catalogue beside $TCPTALK"
		return 1
	fi
	I18N_SC=$I18N_ROOT/tests/i18n/screen-check
	[ -x "$I18N_SC" ] || { echo "no $I18N_SC"; return 1; }
}

# zh_CN for real: --help, a usage error and a refused connection in Chinese
# with the same exit codes; --help's option column as in English, within
# 80 columns
i18n_zh_cli() {
	local port
	i18n_locale
	i18n_real || return 1
	i18n_run zh_CN.UTF-8 "$TCPTALK" --help
	expect_eq "--help's exit" "$?" 0 || return 1
	mv run.out zh.help
	env LANG=C "$TCPTALK" --help >en.help
	"$I18N_SC" optcols en.help zh.help || return 1
	"$I18N_SC" fits 80 zh.help || return 1
	grep -qxF -- "$("$I18N_SC" tr "$I18N_CAT" "  -4, --ipv4              IPv4 only
")" zh.help || { echo "--help lacks the translated -4 line"; return 1; }
	i18n_run zh_CN.UTF-8 "$TCPTALK" --bogus
	expect_eq "usage error's exit" "$?" 2 || return 1
	head -1 run.err >line1
	"$I18N_SC" notice "$I18N_CAT" line1 "unknown option '--%.*s'" || return 1
	grep -q "^tcptalk: .*--bogus" line1 || { echo "not the option: $(cat line1)"; return 1; }
	expect_eq "the usage error's second line" "$(sed -n 2p run.err)" \
	    "$("$I18N_SC" tr "$I18N_CAT" "Try 'tcptalk --help' for more information.
")" || return 1
	port=$(free_port) || return 1
	i18n_run zh_CN.UTF-8 "$TCPTALK" 127.0.0.1 "$port"
	expect_eq "refused's exit" "$?" 1 || return 1
	"$I18N_SC" notice "$I18N_CAT" run.err "connect to %s port %s: %s" || return 1
	expect_grep "refused names the port" run.err "^tcptalk: .*127\\.0\\.0\\.1.*$port" || return 1
	# and in English with LANG=C, whatever the catalogue says
	i18n_run C "$TCPTALK" 127.0.0.1 "$port"
	expect_grep "LANG=C refused" run.err "^tcptalk: connect to 127\\.0\\.0\\.1 port $port: " || return 1
}
run_test "zh_CN: --help (option column kept, 80 columns), a usage error and a refused connection in Chinese with the same exit codes; LANG=C English" i18n_zh_cli

# i18n_rows WINDOW FILE: the screen to FILE
i18n_rows() { TM capture-pane -p -t "T:$1" >"$2"; }

# The chat in Chinese at 80 and at 40 columns: notices, the status line,
# /help's columns, the /tcp panel's title cut with an ellipsis at a
# character, nothing wider than the screen
i18n_zh_chat() {
	local p zh row full n
	i18n_locale
	i18n_real || return 1
	ui_setup zh
	zh="env LANG=zh_CN.UTF-8 LOCPATH=$PWD/loc TERM=xterm-256color HOME=$PWD XDG_STATE_HOME=$PWD/state"
	p=$(free_port) || return 1
	TM new-session -d -s T -n a -x 80 -y 60 "$zh $TCPTALK -l 127.0.0.1 $p" || return 1
	TM set-option -t T remain-on-exit on >/dev/null
	wait_port "$p" || return 1
	ui_wait a . || return 1
	i18n_rows a w80
	"$I18N_SC" notice "$I18N_CAT" w80 "waiting for a peer on %s; /help lists keys and commands" || return 1
	{ printf '你好,服务器!\n'; sleep 30; } | env LANG=C "$TCPTALK" 127.0.0.1 "$p" >peer.out &
	bg $!
	ui_wait a '你好,服务器!' || return 1
	n=$("$I18N_SC" tr "$I18N_CAT" "in %s  out %s" | cut -c1-2)
	ui_wait a "$n" || return 1
	i18n_rows a c80
	"$I18N_SC" notice "$I18N_CAT" c80 "%s connected; the kernel completed the TCP handshake (SYN → SYN-ACK → ACK) before tcptalk accepted it, a round trip of %.2f ms" || return 1
	# the status line: the peer and the byte counts in their words
	tail -2 c80 | head -1 >status80
	"$I18N_SC" notice "$I18N_CAT" status80 "peer %s" || return 1
	"$I18N_SC" notice "$I18N_CAT" status80 "in %s  out %s" || return 1
	"$I18N_SC" fits 80 c80 || return 1
	# /help: the texts in one column, long ones going on under their start
	ui_type a /help
	ui_wait a "$("$I18N_SC" tr "$I18N_CAT" "this list")" || return 1
	i18n_rows a h80
	"$I18N_SC" help "$I18N_CAT" h80 80 >col80 || return 1
	# the /tcp panel at 120 columns: its whole title
	TM resize-window -t T -x 120 -y 60 || return 1
	TM send-keys -t T:a F4
	ui_wait a "RTT" || return 1
	i18n_rows a t120
	row=$("$I18N_SC" row "$I18N_CAT" t120 "TCP facts of %s: %s, smoothed RTT %s; /tcp help explains the rows") || return 1
	full=$(printf '%s\n' "$row" | cut -f2- | sed 's/^ *//')
	n=$(printf '%s\n' "$row" | cut -f1)
	# 40 columns: the title cut at a character with an ellipsis
	TM resize-window -t T -x 40 -y 60 || return 1
	ui_wait a '…' || return 1
	i18n_rows a t40
	"$I18N_SC" cut "$full" "$(sed -n "${n}p" t40 | sed 's/^ *//')" 39 ||
	    "$I18N_SC" cut "$full" "$(sed -n "${n}p" t40 | sed 's/^ *//')" 40 || return 1
	"$I18N_SC" fits 40 t40 || return 1
	# /help again at 40 columns: the same column, rows under it (a taller
	# window: at 40 columns it takes twice the rows)
	TM send-keys -t T:a F4
	TM resize-window -t T -x 40 -y 100 || return 1
	ui_type a /clear
	ui_type a /help
	ui_wait a "$("$I18N_SC" tr "$I18N_CAT" "this list")" || return 1
	i18n_rows a h40
	"$I18N_SC" help "$I18N_CAT" h40 40 >col40 || return 1
	expect_eq "/help's column at 40 as at 80" "$(cat col40)" "$(cat col80)" || return 1
	"$I18N_SC" fits 40 h40 || return 1
	tail -2 h40 | head -1 >status40
	"$I18N_SC" notice "$I18N_CAT" status40 "peer %s" || return 1
	# with the time beside each line, 34 columns leave too few to hang:
	# each row is a notice of its own, none wrapped back to the left
	ui_type a /timestamps
	TM resize-window -t T -x 34 -y 120 || return 1
	ui_type a /clear
	ui_type a /help
	ui_wait a "$("$I18N_SC" tr "$I18N_CAT" "this list")" || return 1
	i18n_rows a h34
	"$I18N_SC" helpnarrow "$I18N_CAT" h34 34 || return 1
}
run_test "zh_CN chat at 80 and 40 columns: notices, status line, /help in one column (at 34 with times: no hanging, rows whole), the /tcp title cut with … at a character" i18n_zh_chat

# check-po (make lint) on a copy of the tree: a new marked sentence makes
# the template lag the sources; once `make pot` took it, zh_CN.po lags the
# template; once merged, the entry is untranslated; translated, all is well
i18n_check_po() {
	local root=$I18N_ROOT
	[ -x "$root/scripts/check-po" ] || { echo "no scripts/check-po in $root"; exit 77; }
	command -v xgettext >/dev/null || { echo "no xgettext"; exit 77; }
	mkdir -p tree/scripts
	cp -r "$root/src" "$root/po" "$root/Makefile" tree/ &&
	    cp "$root/scripts/check-po" "$root/scripts/make-pot" tree/scripts/ || return 1
	tree/scripts/check-po >po.out 2>&1 || { echo "the tree's catalogues are not clean:"; cat po.out; return 1; }
	printf '\nvoid i18n_probe(void) { puts(_("a sentence the catalogue has not seen")); }\n' >>tree/src/cmd.c
	tree/scripts/check-po >po.out 2>&1
	expect_eq "check-po with a new sentence" "$?" 1 || return 1
	expect_grep "the template lags" po.out 'po/tcptalk.pot lags the sources' || return 1
	tree/scripts/make-pot po/tcptalk.pot >/dev/null || return 1
	tree/scripts/check-po >po.out 2>&1
	expect_eq "check-po after make pot" "$?" 1 || return 1
	expect_grep "zh_CN.po lags" po.out 'po/zh_CN.po lags po/tcptalk.pot' || return 1
	msgmerge --quiet --update --backup=none tree/po/zh_CN.po tree/po/tcptalk.pot || return 1
	tree/scripts/check-po >po.out 2>&1
	expect_eq "check-po after the merge" "$?" 1 || return 1
	expect_grep "untranslated" po.out 'po/zh_CN.po has 1 untranslated' || return 1
	sed -i '/^msgid "a sentence the catalogue has not seen"$/{n;s/^msgstr ""$/msgstr "目录还没见过的一句话"/}' \
	    tree/po/zh_CN.po || return 1
	tree/scripts/check-po >po.out 2>&1 || { echo "translated, check-po still fails:"; cat po.out; return 1; }
}
run_test "check-po fails when the template lags the sources, when zh_CN.po lags the template, and on an untranslated entry" i18n_check_po
