#!/bin/sh
# make fuzz: build each libFuzzer harness here (fuzz_NAME.c) with clang and
# the sanitizers into build/fuzz/, linking only the modules it needs, then
# run each for FUZZ_SECONDS from a copy of its seed corpus (corpus/NAME/ is
# never written: new inputs go to build/fuzz/corpus-NAME).  FUZZ_ONLY="a b"
# runs some.  A crash or a broken property leaves build/fuzz/NAME-crash-*;
# reproduce with build/fuzz/fuzz_NAME FILE.  Without clang or libFuzzer it
# says so and exits 0.
cd "$(dirname "$0")/../.." || exit 1
FUZZ_CC=${FUZZ_CC:-clang}
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
OUT=build/fuzz
FLAGS="-std=c11 -D_GNU_SOURCE -Iinclude -Itests/fuzz -Wall -Wextra -Werror -g -O1
 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"

mods() {	# the modules each harness links
	case $1 in
	lines)		echo lines ;;
	sanitize)	echo sanitize width invisible ;;
	width)		echo width sanitize ;;
	scrollback)	echo scrollback ;;
	transcript)	echo transcript roomline scrollback lines sanitize width ;;
	roomline)	echo roomline sanitize width ;;
	room)		echo room sanitize width ;;
	opts)		echo opts starttls ;;
	cmd)		echo cmd width ;;
	crlf)		echo crlf ;;
	input_view)	echo input_view width ;;
	status)		echo status width ;;
	escape)		echo escape ;;
	hexfmt)		echo hexfmt ;;
	proxy)		echo proxy clock ;;	# net_connect: a stub in the harness
	search)		echo search transcript roomline scrollback lines sanitize width ;;
	invisible)	echo invisible width sanitize ;;
	starttls)	echo starttls ;;
	knownhosts)	echo knownhosts ;;
	tcpinfo)	echo tcpinfo_fmt status width ;;
	tracefmt)	echo tracefmt ;;
	*)		echo "fuzz: no module list for $1 in $0" >&2; return 1 ;;
	esac
}

if ! command -v "$FUZZ_CC" >/dev/null 2>&1; then
	echo "fuzz: $FUZZ_CC not found, skipping (scripts/install-deps installs it)"
	exit 0
fi
mkdir -p "$OUT" || exit 1
printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n)\n{ (void)d; (void)n; return 0; }\n' \
    >"$OUT/probe.c"
# shellcheck disable=SC2086  # FLAGS is a list of words
if ! $FUZZ_CC $FLAGS -o "$OUT/probe" "$OUT/probe.c" >"$OUT/probe.log" 2>&1; then
	echo "fuzz: $FUZZ_CC cannot build with -fsanitize=fuzzer (no libFuzzer:" \
	    "on Debian install libclang-rt-dev), skipping"
	exit 0
fi

names=${FUZZ_ONLY:-$(for f in tests/fuzz/fuzz_*.c; do
	f=${f#tests/fuzz/fuzz_}; echo "${f%.c}"; done)}
bad=0
for n in $names; do
	srcs=
	for m in $(mods "$n") ; do srcs="$srcs src/$m.c"; done
	[ -n "$srcs" ] || { bad=1; continue; }
	# shellcheck disable=SC2086  # lists of words
	if ! $FUZZ_CC $FLAGS -o "$OUT/fuzz_$n" "tests/fuzz/fuzz_$n.c" $srcs; then
		echo "fuzz: $n: build failed"
		bad=1
		continue
	fi
	mkdir -p "$OUT/corpus-$n"
	if [ -d "tests/fuzz/corpus/$n" ]; then
		cp -p "tests/fuzz/corpus/$n"/* "$OUT/corpus-$n"/ 2>/dev/null
	fi
	printf 'fuzz: %-11s %ss ... ' "$n" "$FUZZ_SECONDS"
	if "$OUT/fuzz_$n" -max_total_time="$FUZZ_SECONDS" -timeout=20 \
	    -rss_limit_mb=2048 -max_len=4096 -print_final_stats=1 \
	    -artifact_prefix="$OUT/$n-" "$OUT/corpus-$n" >"$OUT/$n.log" 2>&1; then
		sed -n 's/^stat::number_of_executed_units: */ok, runs: /p' "$OUT/$n.log"
	else
		echo "FAILED (log: $OUT/$n.log)"
		grep -E 'property violated|ERROR:|SUMMARY|Test unit written' "$OUT/$n.log" | head -n 8
		bad=1
	fi
done
exit $bad
