# shellcheck shell=bash disable=SC2154  # sourced by run.sh after lib.sh (TCPTALK)
# tests/e2e/t_9i18n.sh - gettext: the binary finds the catalogue of the build
# tree it runs from (./tcptalk beside build/locale, build/VARIANT/tcptalk
# inside it), so --help, a usage error and a refused connection come out in
# the user's language with the same exit codes, and in English with LANG=C.
# The catalogue here is the test's own (po/zh_CN.po is not translated yet);
# the zh_CN.UTF-8 locale is built into the test's directory with localedef.
# And tests/i18n/check-marked, which make lint runs, finds an unmarked
# message.

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
	local root
	root=$(cd "$(dirname "$TCPTALK")" && git rev-parse --show-toplevel 2>/dev/null) ||
	    root=$(dirname "$TCPTALK")
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
