# bash completion for tcptalk                              -*- shell-script -*-
# Installed as share/bash-completion/completions/tcptalk.  Self-contained (no
# bash-completion helpers needed).  scripts/check-completions fails when an
# option in `tcptalk --help` is missing here or completes the wrong kind of
# argument, so keep the lists below in step with src/opts.c.

# The options, and which of them take an argument of which kind.
_tcptalk_flags='-l --listen -k --keep-open -4 --ipv4 -6 --ipv6 -n --numeric
	-u --udp
	--no-shutdown -C --crlf -v --verbose -t --timestamps --line --no-history
	--tls --tls-insecure --trace --room --broker -h --help -V --version'
_tcptalk_with_arg='-s --source -p --source-port -w --wait -i --idle-timeout
	-q --quit-after-eof -x --hex-dump -o --output --scrollback -U --unix
	--proxy --proxy-type --proxy-auth --tls-ca --tls-pin --tls-sni --tls-cert
	--tls-key --tls-alpn --tls-verify-client --starttls --stats-json
	--max-peers --peer-queue --nick'
# The short letters that take an argument (for bundles such as -lp).
_tcptalk_arg_letters=spwiqxoU

# _tcptalk_kind OPTION: what OPTION's argument is (file, host, port, number,
# proxy-type, starttls, text: nothing offered), or nothing when it takes none.
_tcptalk_kind()
{
	case $1 in
	-x | --hex-dump | -o | --output | -U | --unix | --tls-ca | --tls-cert | \
	    --tls-key | --tls-verify-client | --stats-json) echo file ;;
	-s | --source | --proxy | --tls-sni) echo host ;;
	-p | --source-port) echo port ;;
	-w | --wait | -i | --idle-timeout | -q | --quit-after-eof | --scrollback | \
	    --max-peers | --peer-queue)
		echo number ;;
	--proxy-type) echo proxy-type ;;
	--starttls) echo starttls ;;
	--proxy-auth | --tls-pin | --tls-alpn | --nick) echo text ;;
	esac
}

# _tcptalk_hosts: host names from ~/.ssh/known_hosts and /etc/hosts (hashed
# known_hosts entries cannot be read back, and are skipped).
_tcptalk_hosts()
{
	local f
	for f in ~/.ssh/known_hosts /etc/hosts; do
		[[ -r $f ]] || continue
		if [[ $f == */etc/hosts ]]; then
			awk '!/^[[:space:]]*#/ { for (i = 2; i <= NF && $i !~ /^#/; i++) print $i }' "$f"
		else
			awk '$1 == "@cert-authority" || $1 == "@revoked" { next }
			    $1 !~ /^\|/ {
				n = split($1, h, ",")
				for (i = 1; i <= n; i++) {
					if (h[i] ~ /[*?!]/) continue
					sub(/^\[/, "", h[i]); sub(/\]:[0-9]+$/, "", h[i])
					print h[i]
				}
			    }' "$f"
		fi
	done 2>/dev/null | sort -u
}

# _tcptalk_letters WORD: the option letters of a word of short options, up
# to the first that takes an argument (-klp: klp; -xl: x, the l is a file).
_tcptalk_letters()
{
	local w=${1#-} c out=
	while [[ -n $w ]]; do
		c=${w:0:1}
		w=${w:1}
		out+=$c
		[[ $_tcptalk_arg_letters == *"$c"* ]] && break
	done
	echo "$out"
}

# _tcptalk_bundle WORD: for a word of short options (-lp), the kind of the
# next word's argument (when its last letter takes one), else nothing.
_tcptalk_bundle()
{
	local l
	l=$(_tcptalk_letters "$1")
	[[ ${#l} == $((${#1} - 1)) ]] && _tcptalk_kind "-${l: -1}"
}

_tcptalk()
{
	local cur prev kind='' w i listen='' port_opt='' unix='' npos=0 opts_done='' want_arg=''
	COMPREPLY=()
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD - 1]}
	# --opt=value: COMP_WORDBREAKS splits it into --opt, =, value
	if [[ $cur == = && $prev == --* ]]; then
		cur=
		want_arg=1
	elif [[ $prev == = ]] && ((COMP_CWORD >= 2)); then
		prev=${COMP_WORDS[COMP_CWORD - 2]}
		want_arg=1
	fi

	# What came before: -l, -p, how many operands, and whether the word
	# before the cursor wants an argument.
	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		if [[ -n $opts_done || $w != -?* ]]; then
			# the value of --opt=value is not an operand
			[[ $w == = || ${COMP_WORDS[i - 1]} == = ]] && continue
			((npos++))
			continue
		fi
		case $w in
		--)
			opts_done=1
			continue ;;
		--listen) listen=1 ;;
		--source-port) port_opt=1 ;;
		--unix) unix=1 ;;
		--*) ;;
		*)
			[[ $(_tcptalk_letters "$w") == *l* ]] && listen=1
			[[ $(_tcptalk_letters "$w") == *p* ]] && port_opt=1
			[[ $(_tcptalk_letters "$w") == *U* ]] && unix=1 ;;
		esac
		if [[ $w == --* ]]; then
			[[ -n $(_tcptalk_kind "$w") && ${COMP_WORDS[i + 1]} != = ]] || continue
		else
			[[ -n $(_tcptalk_bundle "$w") ]] || continue
		fi
		# the next word is this option's argument
		((i++))
		((i == COMP_CWORD)) && want_arg=1
	done

	if [[ -n $want_arg ]]; then
		if [[ $prev == --* ]]; then
			kind=$(_tcptalk_kind "$prev")
		else
			kind=$(_tcptalk_bundle "$prev")
		fi
		case $kind in
		file)
			compopt -o filenames 2>/dev/null
			mapfile -t COMPREPLY < <(compgen -f -- "$cur")
			;;
		host) mapfile -t COMPREPLY < <(compgen -W "$(_tcptalk_hosts)" -- "$cur") ;;
		port) mapfile -t COMPREPLY < <(compgen -A service -- "$cur" | sort -u) ;;
		proxy-type) mapfile -t COMPREPLY < <(compgen -W "http socks4 socks5" -- "$cur") ;;
		starttls) mapfile -t COMPREPLY < <(compgen -W "smtp imap pop3" -- "$cur") ;;
		esac
		# number, text: nothing to offer
		return 0
	fi

	if [[ -z $opts_done && $cur == -* ]]; then
		mapfile -t COMPREPLY < <(compgen -W "$_tcptalk_flags $_tcptalk_with_arg" -- "$cur")
		return 0
	fi

	# Operands: HOST PORT, or with -l [ADDR] PORT (-p PORT: [ADDR]); none
	# with -U.
	if [[ -n $unix ]]; then
		return 0
	elif [[ -n $listen ]]; then
		if [[ -n $port_opt ]]; then
			((npos == 0)) && kind=host
		elif ((npos == 0)); then
			kind=both
		elif ((npos == 1)); then
			kind=port
		fi
	elif ((npos == 0)); then
		kind=host
	elif ((npos == 1)); then
		kind=port
	fi
	case $kind in
	host) mapfile -t COMPREPLY < <(compgen -W "$(_tcptalk_hosts)" -- "$cur") ;;
	port) mapfile -t COMPREPLY < <(compgen -A service -- "$cur" | sort -u) ;;
	both) mapfile -t COMPREPLY < <({
		compgen -A service -- "$cur"
		compgen -W "$(_tcptalk_hosts)" -- "$cur"
	} | sort -u) ;;
	esac
	return 0
}
complete -F _tcptalk tcptalk
