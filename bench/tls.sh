#!/usr/bin/env bash
# bench/tls.sh - TLS pipe throughput over loopback: tcptalk --tls against
# socat OPENSSL and ncat --ssl, each tool at both ends, interleaved in one
# run, several rounds; then the handshake time.
#   head -c SIZE /dev/zero | X --tls 127.0.0.1 PORT   into   X -l --tls PORT
# Every tool uses the same certificate (EC P-256, made here) and verifies
# it: tcptalk by --tls-pin, socat by cafile=, ncat by --ssl-verify.
# Prints, per tool, the median throughput and the median CPU seconds per GiB
# (sender + receiver, user + system), or "failed" with why when a round did
# not deliver every byte (Debian's ncat 7.93 stops after some KB); then
# tcptalk's ratios against socat; then the median time of HS_N connections
# (process start, connect, handshake, close_notify both ways) per tool.
# Usage: bench/tls.sh [ROUNDS] [SIZE] [HS_N]   (defaults 5, 256M and 21)
set -u
cd "$(dirname "$0")/.." || exit 1
ROUNDS=${1:-5}
SIZE=${2:-256M}
HS_N=${3:-21}
TCPTALK=${TCPTALK:-./tcptalk}
bytes=$(numfmt --from=iec "$SIZE")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for t in socat ncat openssl; do
	command -v $t >/dev/null || { echo "bench: $t missing; run scripts/install-deps" >&2; exit 1; }
done
"$TCPTALK" --version | grep -q 'TLS: yes' || { echo "bench: $TCPTALK is built without TLS" >&2; exit 1; }

# One certificate for everybody, and a state dir of our own for tcptalk.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout "$tmp/key.pem" -out "$tmp/cert.pem" -days 2 -subj /CN=127.0.0.1 \
    -addext "subjectAltName = IP:127.0.0.1" 2>/dev/null || { echo "bench: openssl req failed" >&2; exit 1; }
pin=$(openssl x509 -in "$tmp/cert.pem" -noout -fingerprint -sha256 | sed 's/^.*=/sha256:/')
export XDG_STATE_HOME=$tmp/state
CERT=$tmp/cert.pem KEY=$tmp/key.pem

port=$((30000 + RANDOM % 20000))

recv_cmd() {	# tool port
	case $1 in
	tcptalk) echo "$TCPTALK -l --tls --tls-cert $CERT --tls-key $KEY 127.0.0.1 $2" ;;
	socat)   echo "socat -u OPENSSL-LISTEN:$2,bind=127.0.0.1,reuseaddr,cert=$CERT,key=$KEY,verify=0 STDOUT" ;;
	ncat)    echo "ncat -l --recv-only --ssl --ssl-cert $CERT --ssl-key $KEY 127.0.0.1 $2" ;;
	esac
}
send_cmd() {
	case $1 in
	tcptalk) echo "$TCPTALK --tls --tls-pin $pin 127.0.0.1 $2" ;;
	socat)   echo "socat -u STDIN OPENSSL:127.0.0.1:$2,cafile=$CERT" ;;
	ncat)    echo "ncat --send-only --ssl --ssl-verify --ssl-trustfile $CERT 127.0.0.1 $2" ;;
	esac
}

next_port() {
	port=$((port + 1))
	# skip ports still in use or in TIME_WAIT from an earlier round
	while ss -Htan "sport = :$port" 2>/dev/null | grep -q .; do port=$((port + 1)); done
}

wait_listen() {	# port: bounded wait for the listener
	for _ in $(seq 100); do
		ss -Hltn "sport = :$1" 2>/dev/null | grep -q . && return 0
		sleep 0.02
	done
	return 1
}

one() {	# tool -> prints "seconds cpu_seconds", or "failed WHY"
	local tool=$1 r t0 t1 got
	next_port
	# shellcheck disable=SC2046  # the command line is meant to be split into words
	timeout 120 /usr/bin/time -f "%U %S" -o "$tmp/r" $(recv_cmd "$tool" $port) 2>"$tmp/r.err" |
	    wc -c >"$tmp/got" &
	r=$!
	wait_listen $port || { echo "failed: the listener did not start"; wait $r; return; }
	t0=$(date +%s.%N)
	# shellcheck disable=SC2046  # the command line is meant to be split into words
	head -c "$SIZE" /dev/zero |
	    timeout 120 /usr/bin/time -f "%U %S" -o "$tmp/s" $(send_cmd "$tool" $port) 2>"$tmp/s.err"
	wait $r
	t1=$(date +%s.%N)
	got=$(cat "$tmp/got")
	if [ "$got" != "$bytes" ]; then
		echo "failed: $got of $bytes bytes arrived ($(grep -hv '^Command' "$tmp/s.err" "$tmp/r.err" | head -1))"
		return
	fi
	awk -v a="$t0" -v b="$t1" 'NR==FNR{c+=$1+$2;next}{c+=$1+$2}END{printf "%.4f %.4f\n", b-a, c}' "$tmp/r" "$tmp/s"
}

tools="tcptalk socat ncat"
for _ in $(seq "$ROUNDS"); do
	for t in $tools; do
		one "$t" >>"$tmp/$t.txt"
	done
done

# Handshakes: one listener per tool serving HS_N clients in turn, each
# client a new process with nothing to send (connect, handshake, close).
hs_listen() {	# tool port (run in the background: exec, so $! is the tool)
	exec </dev/null >/dev/null 2>&1
	case $1 in
	tcptalk) exec "$TCPTALK" -k -l --tls --tls-cert "$CERT" --tls-key "$KEY" 127.0.0.1 "$2" ;;
	socat) exec socat OPENSSL-LISTEN:"$2",bind=127.0.0.1,reuseaddr,fork,cert="$CERT",key="$KEY",verify=0 SYSTEM:true ;;
	ncat) exec ncat -k -l --ssl --ssl-cert "$CERT" --ssl-key "$KEY" 127.0.0.1 "$2" ;;
	esac
}
hs_cmd() {	# tool port: a client with nothing to send
	case $1 in
	tcptalk) echo "$TCPTALK --tls --tls-pin $pin 127.0.0.1 $2" ;;
	socat)   echo "socat -u /dev/null OPENSSL:127.0.0.1:$2,cafile=$CERT" ;;
	ncat)    echo "ncat --ssl --ssl-verify --ssl-trustfile $CERT 127.0.0.1 $2" ;;
	esac
}
for t in $tools; do
	next_port
	hs_listen "$t" $port &
	l=$!
	wait_listen $port || { kill $l; continue; }
	for _ in $(seq "$HS_N"); do
		t0=$(date +%s%N)
		# shellcheck disable=SC2046  # the command line is meant to be split into words
		timeout 10 $(hs_cmd "$t" $port) </dev/null >/dev/null 2>&1 ||
		    { echo failed >>"$tmp/$t.hs"; continue; }
		echo $(( ($(date +%s%N) - t0) / 1000 )) >>"$tmp/$t.hs"
	done
	kill $l 2>/dev/null
	wait $l 2>/dev/null
done

median() { sort -n | awk '{a[NR]=$1}END{print (NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2}'; }
echo "TLS pipe benchmark: $SIZE over 127.0.0.1, $ROUNDS rounds interleaved, medians"
echo "machine: $(nproc) cores, $(uname -sr), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "library: $(openssl version); $("$TCPTALK" --version); $(socat -V | sed -n 's/^socat version \([^ ]*\).*/socat \1/p'); $(ncat --version 2>&1 | sed -n 's/^Ncat: Version \([^ ]*\).*/ncat \1/p')"
printf '%-8s %12s %14s %16s\n' tool "MiB/s" "CPU s/GiB" "handshake ms"
for t in $tools; do
	if grep -q '^failed' "$tmp/$t.hs" 2>/dev/null || [ ! -s "$tmp/$t.hs" ]; then
		hs=failed
	else
		hs=$(median <"$tmp/$t.hs" | awk '{printf "%.1f", $1 / 1000}')
	fi
	if grep -q '^failed' "$tmp/$t.txt"; then
		printf '%-8s %12s %14s %16s  (%s of %s rounds %s)\n' "$t" failed - "$hs" \
		    "$(grep -c '^failed' "$tmp/$t.txt")" "$ROUNDS" "$(grep -m1 '^failed' "$tmp/$t.txt")"
		eval "mibs_$t=failed cpg_$t=failed"
		continue
	fi
	sec=$(cut -d' ' -f1 "$tmp/$t.txt" | median)
	cpu=$(cut -d' ' -f2 "$tmp/$t.txt" | median)
	mibs=$(awk -v b="$bytes" -v s="$sec" 'BEGIN{printf "%.0f", b/1048576/s}')
	cpg=$(awk -v b="$bytes" -v c="$cpu" 'BEGIN{printf "%.3f", c/(b/1073741824)}')
	printf '%-8s %12s %14s %16s\n' "$t" "$mibs" "$cpg" "$hs"
	eval "mibs_$t=$mibs cpg_$t=$cpg"
done
# shellcheck disable=SC2154  # mibs_* and cpg_* are set by the eval above
if [ "$mibs_tcptalk" != failed ] && [ "$mibs_socat" != failed ]; then
	awk -v a="$mibs_tcptalk" -v b="$mibs_socat" -v c="$cpg_tcptalk" -v d="$cpg_socat" \
	    'BEGIN{printf "tcptalk/socat: throughput %.2fx, CPU per GiB %.2fx\n", a/b, c/d}'
fi
