#!/bin/bash
# Side-by-side benchmark against the local cloud, in one run, every contender measured back to back (hyperfine):
#   startup   `--version`, native and JVM;
#   loopback  one full `check` (role np-full, bucket np-bucket, prefix bench) by the native binary and the JVM
#             jar, and the same STS + S3 calls by boto3 and the AWS CLI;
#   region    the native check and boto3 again, through relays that add a region's latency (RGW and STS 5 ms
#             each way, IMDS 0.1 ms; scripts/bench/latency-relay.py), against the floor of nodeprobe's critical path.
# Prints median and min..max wall time, CPU time (user + system, mean), peak RSS (/usr/bin/time -v, one run
# each, which also serves as warm-up and as a check that the contender passes), sizes, ratios, and each target of
# the issue "A check at the speed of its network" as met/MISSED. Reports; enforces nothing. About 3 minutes.
# Usage: scripts/bench.sh [--runs N]
# Env: NODEPROBE_NATIVE, NODEPROBE_JAR (default: target/nodeprobe-0.1.0-runner[.jar]); CLOUD_DELAY_MS (5),
#      IMDS_DELAY_MS (0.1).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
die() { echo "bench: ERROR: $*" >&2; exit 1; }

RUNS=10
while [ $# -gt 0 ]; do
  case $1 in
    --runs) RUNS=${2:-}; shift 2 || die "--runs needs a value" ;;
    --runs=*) RUNS=${1#--runs=}; shift ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) die "unknown argument: $1 (usage: $0 [--runs N])" ;;
  esac
done
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "--runs must be a positive integer"
CLOUD_DELAY_MS=${CLOUD_DELAY_MS:-5} IMDS_DELAY_MS=${IMDS_DELAY_MS:-0.1}

# What the contenders and the measuring need, installed when missing (Debian packages).
need=()
for p in hyperfine:hyperfine jq:jq /usr/bin/time:time /usr/bin/aws:awscli curl:curl; do
  command -v "${p%%:*}" > /dev/null || need+=("${p#*:}")
done
/usr/bin/python3 -c 'import boto3' 2> /dev/null || need+=(python3-boto3)
if [ ${#need[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null || die "missing: ${need[*]} (apt-get install ${need[*]})"
  echo "bench: installing ${need[*]}" >&2
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}" > /dev/null \
    || die "apt-get install ${need[*]} failed"
fi
command -v java > /dev/null || die "java is missing (a JDK 17 or newer)"

# shellcheck source=scripts/bench/env.sh
. "$ROOT/scripts/bench/env.sh"
[ -x "$NATIVE" ] || die "no native binary at $NATIVE: build it (GRAALVM_HOME=... mvn package -Dnative -DskipTests) or set NODEPROBE_NATIVE"
[ -f "$JAR" ] || die "no jar at $JAR: build it (mvn -B -q package -DskipTests) or set NODEPROBE_JAR"
warn_if_building

TMP=$(mktemp -d)
RELAY=
cleanup() { [ -z "$RELAY" ] || kill "$RELAY" 2> /dev/null || true; rm -rf "$TMP"; }
trap cleanup EXIT
# The CLI sees 127.0.0.1 as the S3 endpoint: path-style, like nodeprobe (NODEPROBE_S3_PATH_STYLE) and boto3.
printf '[default]\ns3 =\n  addressing_style = path\n' > "$TMP/aws-config"
export NP_CREDS_FILE=$NP_ROLES_DIR/np-full.json   # read by the helpers, never printed

# The region: relays in front of RGW, the IMDS emulator and STS, each on a free loopback port.
port() { local u=${1%/}; u=${u##*:}; echo "${u%%/*}"; }
: > "$TMP/relay"   # exists before the relay writes to it, for the wait below
/usr/bin/python3 scripts/bench/latency-relay.py "0:$(port "$NP_RGW_ENDPOINT"):$CLOUD_DELAY_MS" \
  "0:$(port "$AWS_EC2_METADATA_SERVICE_ENDPOINT"):$IMDS_DELAY_MS" "0:$(port "$AWS_ENDPOINT_URL_STS"):$CLOUD_DELAY_MS" \
  > "$TMP/relay" 2>&1 &
RELAY=$!
for _ in $(seq 50); do grep -q '^ready' "$TMP/relay" && break; sleep 0.1; done
read -r _ S3P IMDSP STSP < "$TMP/relay" || die "latency relay did not start: $(cat "$TMP/relay")"
REGION_ENV=(env "AWS_ENDPOINT_URL_S3=http://127.0.0.1:$S3P" "NP_RGW_ENDPOINT=http://127.0.0.1:$S3P"
  "AWS_EC2_METADATA_SERVICE_ENDPOINT=http://127.0.0.1:$IMDSP" "AWS_ENDPOINT_URL_STS=http://127.0.0.1:$STSP")

q() { printf '%q ' "$@"; }   # one command line, quoted for hyperfine -N and bash -c
names=() cmds=() groups=()
add() { groups+=("$1") names+=("$2"); shift 2; cmds+=("$(q "$@")"); }
CHECK=(check --bucket "$NP_BUCKET" --prefix bench)
BOTO3=(/usr/bin/python3 scripts/bench/boto3_check.py "$NP_BUCKET" bench)
add startup "native --version" "$NATIVE" --version
add startup "JVM --version" java -jar "$JAR" --version
add check "native check" "$NATIVE" "${CHECK[@]}"
add check "JVM check" java -jar "$JAR" "${CHECK[@]}"
add check "boto3 (5 calls)" "${BOTO3[@]}"
add check "AWS CLI (5 calls)" env AWS_CONFIG_FILE="$TMP/aws-config" scripts/bench/awscli_check.sh "$NP_BUCKET" bench
add region "native check, region" "${REGION_ENV[@]}" "$NATIVE" "${CHECK[@]}"
add region "boto3 (5 calls), region" "${REGION_ENV[@]}" "${BOTO3[@]}"

# Peak RSS, one run each; a contender that fails would make its timing meaningless, so stop there.
declare -A rss
for i in "${!cmds[@]}"; do
  echo "bench: ${names[$i]}: peak RSS run" >&2
  if ! /usr/bin/time -v -o "$TMP/time" bash -c "${cmds[$i]}" > "$TMP/out" 2>&1; then
    tail -n 20 "$TMP/out" >&2; die "${names[$i]} failed: ${cmds[$i]}"
  fi
  rss[${names[$i]}]=$(awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2 / 1024}' "$TMP/time")
done

# Timing: one hyperfine run per group, so the contenders are measured back to back under the same conditions.
time_group() {
  local args=() i
  for i in "${!cmds[@]}"; do [ "${groups[$i]}" = "$1" ] && args+=(-n "${names[$i]}" "${cmds[$i]}"); done
  echo "bench: timing $1 ($RUNS runs each)" >&2
  hyperfine -N --style none --warmup 1 --runs "$RUNS" --export-json "$TMP/$1.json" "${args[@]}" >&2
}
time_group startup; time_group check; time_group region

# median, min, max, user + system mean, in ms, of contender NAME from the group's hyperfine JSON
stats() {
  jq -r --arg n "$2" '.results[] | select(.command == $n) | [.median, .min, .max, .user + .system]
    | map(. * 1000) | @tsv' "$TMP/$1.json"
}
declare -A median cpu
commit=$(git rev-parse --short HEAD 2> /dev/null || echo unknown)
git diff --quiet HEAD 2> /dev/null || commit="$commit+changes"
echo
echo "nodeprobe bench, $(date -u +%FT%TZ), commit $commit, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $RUNS runs each"
echo "native: $NATIVE ($("$NATIVE" --version))"
echo "jar:    $JAR ($(java -version 2>&1 | head -n 1))"
echo "env:    $CA_BUNDLE_NOTE; region: S3 and STS ${CLOUD_DELAY_MS} ms each way, IMDS ${IMDS_DELAY_MS} ms each way"
printf '%-26s %10s %19s %11s %12s\n' what "median ms" "min..max ms" "CPU ms" "peak RSS MB"
for i in "${!cmds[@]}"; do
  read -r med min max c < <(stats "${groups[$i]}" "${names[$i]}")
  median[${names[$i]}]=$med cpu[${names[$i]}]=$c
  printf '%-26s %10.1f %19s %11.1f %12s\n' "${names[$i]}" "$med" "$(printf '%.1f..%.1f' "$min" "$max")" "$c" \
    "${rss[${names[$i]}]}"
done
size_mb=$(awk -v b="$(stat -c %s "$NATIVE")" 'BEGIN {printf "%.1f", b / 1048576}')
echo "size: native binary $size_mb MB, jar $(awk -v b="$(stat -c %s "$JAR")" 'BEGIN {printf "%.1f", b / 1048576}') MB"

# The floor of the region run: nodeprobe's critical path in round trips. IMDS: token, then the role's name, then
# its credentials, each on a connection of its own (handshake + request: 2 round trips each). S3: one handshake,
# the put, then the multipart chain, which waits for the put (create, upload part, the two listings together,
# abort, the confirming list parts). STS and every other chain run beside these and are shorter.
# Done one after another instead, the same calls would cost: IMDS 7 x 2, STS 2, S3 1 + 15 round trips.
floor=$(awk -v s="$CLOUD_DELAY_MS" -v i="$IMDS_DELAY_MS" 'BEGIN {printf "%.1f", 3 * 2 * (2 * i) + 7 * (2 * s)}')
serial=$(awk -v s="$CLOUD_DELAY_MS" -v i="$IMDS_DELAY_MS" 'BEGIN {printf "%.1f", 7 * 2 * (2 * i) + (2 + 16) * (2 * s)}')
ratio() { awk -v a="${1:-}" -v b="${2:-}" 'BEGIN {if (a == "" || b == "") print "n/a"; else printf "%.2f", a / b}'; }
echo
echo "region floor: $floor ms (nodeprobe's critical path: 6 IMDS + 7 S3 round trips); the same calls one after"
echo "  another: $serial ms; boto3's 5 calls, one after another: $(awk -v s="$CLOUD_DELAY_MS" 'BEGIN {printf "%.1f", 7 * 2 * s}') ms of network"
echo
echo "ratios (of medians):"
echo "  JVM / native startup:              $(ratio "${median[JVM --version]}" "${median[native --version]}")x"
echo "  boto3 / native check:              $(ratio "${median[boto3 (5 calls)]}" "${median[native check]}")x"
echo "  AWS CLI / native check:            $(ratio "${median[AWS CLI (5 calls)]}" "${median[native check]}")x"
echo "  JVM / native check:                $(ratio "${median[JVM check]}" "${median[native check]}")x"
echo "  native region check / floor:       $(ratio "${median[native check, region]}" "$floor")x"
echo "  boto3 region / native region:      $(ratio "${median[boto3 (5 calls), region]}" "${median[native check, region]}")x"

# Targets from the issue; reported, not enforced (a benchmark on a shared box is not a gate).
verdict() { awk -v v="$1" -v t="$3" -v op="$2" 'BEGIN {if (v == "n/a" || v == "") print "n/a"; else if ((op == "<=" && v <= t) || (op == ">=" && v >= t)) print "met"; else print "MISSED"}'; }
line() { printf '  %-36s %10s  %s\n' "$1" "$2" "$(verdict "$2" "$3" "$4")"; }
echo
echo "targets (value, verdict):"
line "native --version median ms <= 8" "${median[native --version]}" "<=" 8
line "native check median ms <= 25" "${median[native check]}" "<=" 25
line "boto3 / native check >= 20" "$(ratio "${median[boto3 (5 calls)]}" "${median[native check]}")" ">=" 20
line "AWS CLI / native check >= 100" "$(ratio "${median[AWS CLI (5 calls)]}" "${median[native check]}")" ">=" 100
line "native check peak RSS MB <= 40" "${rss[native check]}" "<=" 40
line "native binary MB <= 50" "$size_mb" "<=" 50
line "region check / floor <= 1.25" "$(ratio "${median[native check, region]}" "$floor")" "<=" 1.25
echo "bench: done in ${SECONDS}s" >&2
