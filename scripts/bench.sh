#!/bin/bash
# Side-by-side benchmark against the local cloud, in one run: startup (`--version`, native vs JVM) and one full
# `check` (role np-full, bucket np-bucket, prefix bench) by the native binary, the JVM jar, the AWS CLI and
# boto3 doing the same STS + S3 calls. Prints median and min..max wall time over N runs (hyperfine), peak RSS
# (/usr/bin/time -v, one run each, which also serves as warm-up and as a check that the contender passes),
# artifact sizes, the ratios and the targets. Runs no test suite; about 2 minutes with the default 10 runs.
# Usage: scripts/bench.sh [--runs N]
# Env: NODEPROBE_NATIVE, NODEPROBE_JAR (default: target/nodeprobe-0.1.0-runner[.jar]).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
die() { echo "bench: ERROR: $*" >&2; exit 1; }

RUNS=10
while [ $# -gt 0 ]; do
  case $1 in
    --runs) RUNS=${2:-}; shift 2 || die "--runs needs a value" ;;
    --runs=*) RUNS=${1#--runs=}; shift ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) die "unknown argument: $1 (usage: $0 [--runs N])" ;;
  esac
done
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "--runs must be a positive integer"

for t in hyperfine jq /usr/bin/time java curl; do
  command -v "$t" > /dev/null || die "$t is missing (apt-get install hyperfine jq time curl, and a JDK 17)"
done
# shellcheck source=scripts/bench/env.sh
. "$ROOT/scripts/bench/env.sh"
[ -x "$NATIVE" ] || die "no native binary at $NATIVE: build it (GRAALVM_HOME=... mvn package -Dnative -DskipTests) or set NODEPROBE_NATIVE"
[ -f "$JAR" ] || die "no jar at $JAR: build it (mvn -B -q package -DskipTests) or set NODEPROBE_JAR"
warn_if_building

TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
# The CLI sees 127.0.0.1 as the S3 endpoint: path-style, like nodeprobe (NODEPROBE_S3_PATH_STYLE) and boto3.
printf '[default]\ns3 =\n  addressing_style = path\n' > "$TMP/aws-config"
export NP_CREDS_FILE=$NP_ROLES_DIR/np-full.json   # read by the helpers, never printed

q() { printf '%q ' "$@"; }   # one command line, quoted for hyperfine -N and bash -c
names=() cmds=() groups=()
add() { groups+=("$1") names+=("$2"); shift 2; cmds+=("$(q "$@")"); }
add startup "native --version" "$NATIVE" --version
add startup "JVM --version" java -jar "$JAR" --version
CHECK=(check --bucket "$NP_BUCKET" --prefix bench)
add check "native check" "$NATIVE" "${CHECK[@]}"
add check "JVM check" java -jar "$JAR" "${CHECK[@]}"
if [ -x /usr/bin/aws ]; then
  add check "AWS CLI (5 calls)" env AWS_CONFIG_FILE="$TMP/aws-config" scripts/bench/awscli_check.sh "$NP_BUCKET" bench
else echo "bench: skipping the AWS CLI: /usr/bin/aws missing (apt-get install awscli)" >&2; fi
if /usr/bin/python3 -c 'import boto3' 2> /dev/null; then
  add check "boto3 (5 calls)" /usr/bin/python3 scripts/bench/boto3_check.py "$NP_BUCKET" bench
else echo "bench: skipping boto3: /usr/bin/python3 cannot import boto3 (apt-get install python3-boto3)" >&2; fi

# Peak RSS, one run each; a contender that fails would make its timing meaningless, so stop there.
rss=()
for i in "${!cmds[@]}"; do
  echo "bench: ${names[$i]}: peak RSS run" >&2
  if ! /usr/bin/time -v -o "$TMP/time" bash -c "${cmds[$i]}" > "$TMP/out" 2>&1; then
    tail -n 20 "$TMP/out" >&2; die "${names[$i]} failed: ${cmds[$i]}"
  fi
  rss+=("$(awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2 / 1024}' "$TMP/time")")
done

# Timing: one hyperfine run per group, so the contenders are measured back to back under the same conditions.
time_group() {
  local args=() i
  for i in "${!cmds[@]}"; do [ "${groups[$i]}" = "$1" ] && args+=(-n "${names[$i]}" "${cmds[$i]}"); done
  echo "bench: timing $1 ($RUNS runs each)" >&2
  hyperfine -N --style none --runs "$RUNS" --export-json "$TMP/$1.json" "${args[@]}" >&2
}
time_group startup; time_group check

# median, min, max in ms of contender NAME from the group's hyperfine JSON
stats() { jq -r --arg n "$2" '.results[] | select(.command == $n) | [.median, .min, .max] | map(. * 1000) | @tsv' "$TMP/$1.json"; }
declare -A median
echo
echo "nodeprobe bench, $(date -u +%FT%TZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $RUNS runs each"
echo "native: $NATIVE ($("$NATIVE" --version))"
echo "jar:    $JAR ($(java -version 2>&1 | head -n 1))"
echo "env:    $CA_BUNDLE_NOTE"
printf '%-20s %10s %21s %12s\n' what "median ms" "min..max ms" "peak RSS MB"
for i in "${!cmds[@]}"; do
  read -r med min max < <(stats "${groups[$i]}" "${names[$i]}")
  median[${names[$i]}]=$med
  printf '%-20s %10.1f %21s %12s\n' "${names[$i]}" "$med" "$(printf '%.1f..%.1f' "$min" "$max")" "${rss[$i]}"
done
mb() { awk -v b="$(stat -c %s "$1")" 'BEGIN {printf "%.1f MB", b / 1048576}'; }
echo "size: native binary $(mb "$NATIVE"), jar $(mb "$JAR")"

ratio() { awk -v a="${median[$1]:-}" -v b="${median[$2]:-}" 'BEGIN {if (a == "" || b == "") print "n/a"; else printf "%.1fx", a / b}'; }
echo
echo "ratios (of medians):"
echo "  JVM / native startup:         $(ratio "JVM --version" "native --version")"
echo "  AWS CLI / native check:       $(ratio "AWS CLI (5 calls)" "native check")"
echo "  boto3 / native check:         $(ratio "boto3 (5 calls)" "native check")"
echo "  JVM / native check:           $(ratio "JVM check" "native check")"

# Targets from the issue; reported, not enforced (a benchmark on a shared box is not a gate).
verdict() { awk -v v="${1%x}" -v t="$3" -v op="$2" 'BEGIN {if (v == "n/a" || v == "") print "n/a"; else if ((op == "<" && v < t) || (op == ">=" && v >= t)) print "met"; else print "MISSED"}'; }
echo
echo "targets:"
echo "  native --version < 20 ms:         $(verdict "${median[native --version]}" "<" 20)"
echo "  native --version RSS < 40 MB:     $(verdict "${rss[0]}" "<" 40)"
echo "  native check >= 10x AWS CLI:      $(verdict "$(ratio "AWS CLI (5 calls)" "native check")" ">=" 10)"
echo "  native check >= 3x boto3:         $(verdict "$(ratio "boto3 (5 calls)" "native check")" ">=" 3)"
echo "bench: done in ${SECONDS}s" >&2
