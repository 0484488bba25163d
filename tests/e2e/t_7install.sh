# shellcheck shell=bash disable=SC2154  # sourced by run.sh after lib.sh (TCPTALK, SANITIZE)
# tests/e2e/t_7install.sh - installable like a real tool: make install and
# uninstall (exact file lists, PREFIX, DESTDIR, BINDIR, MANDIR, ZHMANDIR),
# the bash completion run for real and both completions against --help,
# make deb.

INSTALL_ROOT=$PWD	# run.sh sources this file from the top of the tree

# make_in ARGS...: make in the tree, quietly.
make_in() {
	make -C "$INSTALL_ROOT" --no-print-directory -s "$@"
}

# files_under DIR: every file and symlink under DIR, relative, sorted.
files_under() {
	(cd "$1" && find . \( -type f -o -type l \) | sed 's|^\./||' | LC_ALL=C sort)
}

install_uninstall() {
	local d=$PWD/dest
	# someone else's files in the directories we share
	mkdir -p "$d/usr/bin" "$d/usr/share/bash-completion/completions" "$d/usr/share/doc"
	echo other >"$d/usr/bin/other"
	echo other >"$d/usr/share/bash-completion/completions/other"
	make_in install DESTDIR="$d" PREFIX=/usr || { echo "make install failed"; return 1; }
	expect_eq "installed files" "$(files_under "$d")" \
"usr/bin/other
usr/bin/tcptalk
usr/share/bash-completion/completions/other
usr/share/bash-completion/completions/tcptalk
usr/share/doc/tcptalk/LICENSE
usr/share/doc/tcptalk/README.md
usr/share/doc/tcptalk/README.zh.md
usr/share/locale/zh_CN/LC_MESSAGES/tcptalk.mo
usr/share/man/man1/tcptalk.1
usr/share/man/zh_CN/man1/tcptalk.1
usr/share/zsh/site-functions/_tcptalk" || return 1
	cmp "$TCPTALK" "$d/usr/bin/tcptalk" || return 1
	# built before with the default PREFIX: install rebuilt what names the
	# catalogues' place, so the installed binary looks where they went
	grep -aq '/usr/share/locale' "$d/usr/bin/tcptalk" ||
	    { echo "the installed binary does not look in /usr/share/locale"; return 1; }
	cmp "$INSTALL_ROOT/build/locale/zh_CN/LC_MESSAGES/tcptalk.mo" \
	    "$d/usr/share/locale/zh_CN/LC_MESSAGES/tcptalk.mo" || return 1
	cmp "$INSTALL_ROOT/completions/tcptalk.bash" \
	    "$d/usr/share/bash-completion/completions/tcptalk" || return 1
	cmp "$INSTALL_ROOT/completions/_tcptalk" "$d/usr/share/zsh/site-functions/_tcptalk" ||
	    return 1
	cmp "$INSTALL_ROOT/man/tcptalk.1" "$d/usr/share/man/man1/tcptalk.1" || return 1
	cmp "$INSTALL_ROOT/man/zh_CN/tcptalk.1" "$d/usr/share/man/zh_CN/man1/tcptalk.1" || return 1
	expect_eq "modes" "$(stat -c %a "$d/usr/bin/tcptalk" "$d/usr/share/man/man1/tcptalk.1" \
	    "$d/usr/share/man/zh_CN/man1/tcptalk.1" "$d/usr/share/doc/tcptalk/LICENSE" |
	    tr '\n' ' ')" "755 644 644 644 " || return 1
	"$d/usr/bin/tcptalk" --version >version.out || return 1
	expect_grep "installed --version" version.out \
	    '^tcptalk [0-9][^ ]* \(TLS: (yes|no), pcap: (yes|no)\)$' || return 1

	make_in uninstall DESTDIR="$d" PREFIX=/usr || { echo "make uninstall failed"; return 1; }
	expect_eq "left after uninstall" "$(files_under "$d")" \
"usr/bin/other
usr/share/bash-completion/completions/other" || return 1
	[ ! -e "$d/usr/share/doc/tcptalk" ] || { echo "the doc directory is still there"; return 1; }
	[ -d "$d/usr/share/doc" ] || { echo "uninstall removed the shared usr/share/doc"; return 1; }

	# BINDIR and MANDIR on their own; nothing left afterwards
	d=$PWD/dest2
	make_in install DESTDIR="$d" PREFIX=/opt/tt BINDIR=/opt/tt/sbin MANDIR=/opt/man/man1 ||
	    return 1
	expect_eq "installed with BINDIR, MANDIR" "$(files_under "$d")" \
"opt/man/man1/tcptalk.1
opt/tt/sbin/tcptalk
opt/tt/share/bash-completion/completions/tcptalk
opt/tt/share/doc/tcptalk/LICENSE
opt/tt/share/doc/tcptalk/README.md
opt/tt/share/doc/tcptalk/README.zh.md
opt/tt/share/locale/zh_CN/LC_MESSAGES/tcptalk.mo
opt/tt/share/man/zh_CN/man1/tcptalk.1
opt/tt/share/zsh/site-functions/_tcptalk" || return 1
	make_in uninstall DESTDIR="$d" PREFIX=/opt/tt BINDIR=/opt/tt/sbin MANDIR=/opt/man/man1 ||
	    return 1
	expect_eq "left after uninstall" "$(files_under "$d")" "" || return 1

	# ZHMANDIR, the Chinese page's directory, on its own too
	d=$PWD/dest3
	make_in install DESTDIR="$d" PREFIX=/opt/tt ZHMANDIR=/opt/man/zh_CN/man1 || return 1
	expect_eq "installed with ZHMANDIR" "$(files_under "$d" | grep man)" \
	    "opt/man/zh_CN/man1/tcptalk.1
opt/tt/share/man/man1/tcptalk.1" || return 1
	make_in uninstall DESTDIR="$d" PREFIX=/opt/tt ZHMANDIR=/opt/man/zh_CN/man1 || return 1
	expect_eq "left after uninstall (ZHMANDIR)" "$(files_under "$d")" "" || return 1
}
run_test "make install DESTDIR PREFIX=/usr: the exact files, modes; make uninstall removes them, keeps others' files" install_uninstall

# complete WORD...: the bash completion's COMPREPLY for `tcptalk WORD...`
# (cursor on the last word), sorted, space-separated; the completion file
# is the installed one when $COMPLETION is set, HOME is $TESTDIR/home.
complete_words() {
	HOME=$TESTDIR/home bash --norc --noprofile -c '
		. "$1" || exit 1
		shift
		COMP_WORDS=(tcptalk "$@")
		COMP_CWORD=$#
		_tcptalk
		((${#COMPREPLY[@]})) && printf "%s\n" "${COMPREPLY[@]}"' complete \
	    "${COMPLETION:-$INSTALL_ROOT/completions/tcptalk.bash}" "$@" | LC_ALL=C sort | tr '\n' ' '
}

completion_bash() {
	local d=$PWD/dest
	TESTDIR=$PWD
	make_in install DESTDIR="$d" PREFIX=/usr || return 1
	COMPLETION=$d/usr/share/bash-completion/completions/tcptalk
	expect_eq "complete -p" "$(bash --norc --noprofile -c '. "$1"; complete -p tcptalk' \
	    x "$COMPLETION")" "complete -F _tcptalk tcptalk" || return 1
	mkdir -p home/.ssh files/sub
	printf '%s\n' 'bastion.test,192.0.2.7 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA' \
	    '[gw.test]:2222 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA' \
	    '|1|hashed+name=|more= ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA' >home/.ssh/known_hosts
	: >files/talk.log
	expect_eq "--hex" "$(complete_words --hex)" "--hex-dump " || return 1
	expect_eq "--no-" "$(complete_words --no-)" "--no-history --no-shutdown " || return 1
	expect_eq "-w (seconds)" "$(complete_words -w '')" "" || return 1
	expect_eq "--scrollback (a number)" "$(complete_words -l --scrollback '')" "" || return 1
	expect_eq "-x (files)" "$(cd files && complete_words -x '')" "sub talk.log " || return 1
	expect_eq "-o t (files)" "$(cd files && complete_words -v -o t)" "talk.log " || return 1
	expect_eq "--output=t" "$(cd files && complete_words --output = t)" "talk.log " || return 1
	expect_eq "HOST from known_hosts" "$(complete_words -v b)" "bastion.test " || return 1
	expect_eq "HOST [gw.test]:2222" "$(complete_words g)" "gw.test " || return 1
	expect_eq "-s ADDR from /etc/hosts" "$(complete_words -s localh)" \
	    "$(awk '!/^#/ { for (i = 2; i <= NF; i++) if ($i ~ /^localh/) print $i }' /etc/hosts |
	        LC_ALL=C sort -u | tr '\n' ' ')" || return 1
	complete_words bastion.test ss | tr ' ' '\n' >ports
	expect_grep "PORT after HOST" ports '^ssh$' || return 1
	complete_words -l -p ht | tr ' ' '\n' >ports
	expect_grep "-p PORT" ports '^https$' || return 1
	expect_eq "-lp 80: ADDR" "$(complete_words -lp 80 ba)" "bastion.test " || return 1
	expect_eq "after HOST PORT: nothing" "$(complete_words bastion.test 22 '')" "" || return 1
	# -x's argument is not an operand: the next word is HOST again
	expect_eq "-x f HOST" "$(complete_words -x f b)" "bastion.test " || return 1
	expect_eq "after --: no options" "$(complete_words -- --he)" "" || return 1
	expect_eq "-U (files)" "$(cd files && complete_words -U '')" "sub talk.log " || return 1
	expect_eq "-lU PATH: no operands" "$(complete_words -lU /tmp/s '')" "" || return 1
	expect_eq "--proxy HOST" "$(complete_words --proxy bas)" "bastion.test " || return 1
	expect_eq "--proxy-type" "$(complete_words --proxy-type s)" "socks4 socks5 " || return 1
	expect_eq "--proxy-auth (nothing)" "$(complete_words --proxy-auth '')" "" || return 1
	# every option of --help, with its argument's kind, in both files
	TCPTALK=$TCPTALK "$INSTALL_ROOT/scripts/check-completions" || return 1
}
run_test "bash completion (installed): options, -x/-o files, HOST from known_hosts and /etc/hosts, ports, nothing for seconds; both completions against --help" completion_bash

# zcomplete LINE: what zsh offers for LINE<Tab> with the _tcptalk installed
# in $TESTDIR/dest, sorted, space-separated.
zcomplete() {
	HOME=$TESTDIR/home timeout 15 zsh -f "$INSTALL_ROOT/tests/e2e/complete.zsh" \
	    "$TESTDIR/dest/usr/share/zsh/site-functions" "$1" | LC_ALL=C sort | tr '\n' ' '
}

completion_zsh() {
	command -v zsh >/dev/null || { echo "zsh is not installed"; return 77; }
	TESTDIR=$PWD
	make_in install DESTDIR="$PWD/dest" PREFIX=/usr || return 1
	zsh -n dest/usr/share/zsh/site-functions/_tcptalk || return 1
	# compinit finds it in fpath and binds it to tcptalk
	expect_eq "compinit" "$(HOME=$PWD zsh -f -c 'fpath=("$1" $fpath)
		autoload -Uz compinit && compinit -D -u && print -r -- ${_comps[tcptalk]}' \
	    x "$PWD/dest/usr/share/zsh/site-functions")" "_tcptalk" || return 1
	mkdir -p home/.ssh files/sub
	printf '%s\n' 'bastion.test,192.0.2.7 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA' \
	    '[gw.test]:2222 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA' >home/.ssh/known_hosts
	: >files/talk.log
	expect_eq "--hex" "$(zcomplete 'tcptalk --hex')" "--hex-dump " || return 1
	expect_eq "-x (files)" "$(cd files && zcomplete 'tcptalk -x ')" "sub talk.log " || return 1
	expect_eq "--output=t" "$(cd files && zcomplete 'tcptalk --output=t')" "talk.log " ||
	    return 1
	expect_eq "-w (seconds)" "$(zcomplete 'tcptalk -w ')" "" || return 1
	expect_eq "HOST from known_hosts" "$(zcomplete 'tcptalk -v bas')" "bastion.test " || return 1
	expect_eq "HOST [gw.test]:2222" "$(zcomplete 'tcptalk gw')" "gw.test " || return 1
	zcomplete 'tcptalk bastion.test ss' | tr ' ' '\n' >ports
	expect_grep "PORT after HOST" ports '^ssh$' || return 1
	zcomplete 'tcptalk -lp ht' | tr ' ' '\n' >ports
	expect_grep "-lp PORT" ports '^https$' || return 1
	expect_eq "-l -p 80: ADDR" "$(zcomplete 'tcptalk -l -p 80 bas')" "bastion.test " || return 1
	expect_eq "-U PATH: no operands" "$(zcomplete 'tcptalk -U /tmp/s ')" "" || return 1
	expect_eq "--proxy-type=" "$(zcomplete 'tcptalk --proxy-type=')" "http socks4 socks5 " ||
	    return 1
	expect_eq "--proxy HOST" "$(zcomplete 'tcptalk --proxy bas')" "bastion.test " || return 1
}
run_test "zsh completion (installed): compinit binds it; options, -x/--output= files, hosts from known_hosts, ports, nothing for seconds" completion_zsh

deb_package() {
	if ! command -v dpkg-buildpackage >/dev/null || ! command -v dh >/dev/null; then
		echo "no debhelper (dpkg-buildpackage, dh)"
		return 77
	fi
	[ "${SANITIZE:-}" != 1 ] || { echo "the package is built the same without SANITIZE=1"; return 77; }
	local deb v feats
	deb=$(DEB_OUT=$PWD/deb make_in deb) || { echo "make deb failed"; return 1; }
	[ -f "$deb" ] || { echo "make deb printed no .deb: $deb"; return 1; }
	dpkg-deb -c "$deb" | awk '$1 !~ /^d/ { print $6 }' | LC_ALL=C sort >contents
	expect_eq "package contents" "$(cat contents)" \
"./usr/bin/tcptalk
./usr/share/bash-completion/completions/tcptalk
./usr/share/doc/tcptalk/README.md.gz
./usr/share/doc/tcptalk/README.zh.md.gz
./usr/share/doc/tcptalk/changelog.gz
./usr/share/doc/tcptalk/copyright
./usr/share/locale/zh_CN/LC_MESSAGES/tcptalk.mo
./usr/share/man/man1/tcptalk.1.gz
./usr/share/man/zh_CN/man1/tcptalk.1.gz
./usr/share/zsh/vendor-completions/_tcptalk" || return 1
	dpkg-deb -f "$deb" Depends >depends
	expect_grep "Depends from shlibs" depends 'libc6 .*libreadline[0-9]+|libreadline[0-9]+ .*libc6' ||
	    return 1
	v=$(dpkg-deb -f "$deb" Version)
	dpkg -x "$deb" root || return 1
	# the features of the package are those of the tree's build
	feats=$("$TCPTALK" --version | sed 's/^[^(]*//')
	expect_eq "packaged --version" "$(root/usr/bin/tcptalk --version)" \
	    "tcptalk $v $feats" || return 1
	case $feats in
	*"TLS: yes"*) expect_grep "Depends: libssl" depends 'libssl3|libssl[0-9]' || return 1 ;;
	esac
	# the tree is as it was: the build happened in the copy
	expect_eq "debris in the tree" "$(cd "$INSTALL_ROOT" && git status --porcelain --ignored -- debian)" "" ||
	    return 1
}
run_test "make deb: debhelper package, lintian clean, the files, shlibs Depends, --version of the extracted binary" deb_package
