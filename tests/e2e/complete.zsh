# tests/e2e/complete.zsh DIR LINE - print, one a line, what zsh's completion
# offers for LINE (Tab at its end) with the completion functions of DIR
# first in $fpath: an interactive zsh in a pseudo-terminal (zpty) with
# compadd wrapped to print each match, and exit as soon as it has completed.
# Run with zsh -f; 10 s at most.
zmodload zsh/zpty || exit 1
zpty z zsh -f -i || exit 1
zpty -w z "fpath=(${(q)1} \$fpath); autoload -Uz compinit; compinit -u -D"
zpty -w z 'PROMPT=; RPROMPT=; setopt nobeep; bindkey "^I" complete-word'
zpty -w z 'compadd () {
	if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then builtin compadd "$@"; return; fi
	local -a hits; local h
	builtin compadd -A hits "$@"
	for h in $hits; do print -r -- "<<""match:$h>>"; done
}'
zpty -w z 'comppostfuncs=( exit )'
zpty -n -w z "$2"$'\t'
local out chunk i
for i in {1..200}; do
	if zpty -r -t z chunk; then
		out+=$chunk
	else
		zpty -t z 2>/dev/null || break	# the shell has exited
		sleep 0.05
	fi
done
zpty -d z 2>/dev/null
print -r -- "${out//$'\r'/}" | grep -ao '<<match:[^>]*>>' | sed 's/^<<match://; s/>>$//'
