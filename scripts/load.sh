#!/bin/bash
# Loopback load test of `nodeprobe serve` against the local cloud: exactly N GET /health at concurrency C
# (ab, keep-alive), then checks that nothing failed and that the S3 requests the agent made (counted in the RGW
# log) are explained by its run interval alone, i.e. that /health serves the cached result and never probes.
# Usage: scripts/load.sh [--requests 20000] [--concurrency 64]
# Env: NODEPROBE_LOAD_ARTIFACT=native|jar (default native), NODEPROBE_NATIVE, NODEPROBE_JAR,
#      NODEPROBE_LOAD_TIMEOUT (hard limit in seconds, default 300). Exit 0 all PASS, 1 a FAIL or an error.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
die() { echo "load: ERROR: $*" >&2; exit 1; }

REQUESTS=20000 CONCURRENCY=64 INTERVAL=60
while [ $# -gt 0 ]; do
  case $1 in
    --requests) REQUESTS=${2:-}; shift 2 || die "--requests needs a value" ;;
    --requests=*) REQUESTS=${1#*=}; shift ;;
    --concurrency) CONCURRENCY=${2:-}; shift 2 || die "--concurrency needs a value" ;;
    --concurrency=*) CONCURRENCY=${1#*=}; shift ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) die "unknown argument: $1 (usage: $0 [--requests N] [--concurrency C])" ;;
  esac
done
[[ $REQUESTS =~ ^[1-9][0-9]*$ && $CONCURRENCY =~ ^[1-9][0-9]*$ ]] || die "--requests and --concurrency take positive integers"
[ "$CONCURRENCY" -le "$REQUESTS" ] || die "--concurrency cannot exceed --requests"

# Hard time limit: run again under timeout(1), which signals the whole process group (this script, ab, serve).
if [ -z "${NP_LOAD_TIMED:-}" ]; then
  NP_LOAD_TIMED=1 exec timeout -k 10 "${NODEPROBE_LOAD_TIMEOUT:-300}" "$0" --requests "$REQUESTS" --concurrency "$CONCURRENCY"
fi

for t in ab curl awk; do command -v "$t" > /dev/null || die "$t is missing (apt-get install apache2-utils curl)"; done
# shellcheck source=scripts/bench/env.sh
. "$ROOT/scripts/bench/env.sh"
case ${NODEPROBE_LOAD_ARTIFACT:-native} in
  native) [ -x "$NATIVE" ] || die "no native binary at $NATIVE: build it (mvn package -Dnative) or set NODEPROBE_NATIVE"
          SERVE=("$NATIVE") ;;
  jar) [ -f "$JAR" ] || die "no jar at $JAR: build it (mvn -B -q package -DskipTests) or set NODEPROBE_JAR"
       SERVE=(java -jar "$JAR") ;;
  *) die "NODEPROBE_LOAD_ARTIFACT must be native or jar" ;;
esac
RGW_LOG=$NP_CLOUD_DIR/ceph/log/client.rgw.a.log
[ -f "$RGW_LOG" ] || die "no RGW log at $RGW_LOG"
warn_if_building

TMP=$(mktemp -d) PID=""
stop_serve() {   # SIGTERM, as systemd would; SIGKILL only if it hangs. Sets STOP_MS and STOP_RC.
  local t=$EPOCHREALTIME
  kill -TERM "$PID" 2> /dev/null || true
  for _ in $(seq 100); do kill -0 "$PID" 2> /dev/null || break; sleep 0.1; done
  if kill -0 "$PID" 2> /dev/null; then echo "load: serve ignored SIGTERM for 10 s, killing it" >&2; kill -KILL "$PID"; fi
  STOP_RC=0; wait "$PID" 2> /dev/null || STOP_RC=$?
  STOP_MS=$(awk -v a="$t" -v b="$EPOCHREALTIME" 'BEGIN {printf "%.0f", (b - a) * 1000}'); PID=""
}
# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() { [ -z "$PID" ] || stop_serve; rm -rf "$TMP"; }
trap cleanup EXIT
trap 'echo "load: interrupted (time limit or signal)" >&2; exit 1' TERM INT

# Own prefix, so the RGW log lines of this agent can be told from those of anything else using the cloud.
PREFIX=load-$$
LOG_OFFSET=$(stat -c %s "$RGW_LOG")
T0=$EPOCHREALTIME
"${SERVE[@]}" serve --host 127.0.0.1 --port 0 --bucket "$NP_BUCKET" --prefix "$PREFIX" --interval "${INTERVAL}s" \
  > "$TMP/serve.out" 2> "$TMP/serve.err" &
PID=$!

# --port 0 lets the agent pick a free port (no race with other listeners); it logs the address it bound.
PORT=""
for _ in $(seq 600); do
  PORT=$(sed -n 's|.*listening on http://127\.0\.0\.1:\([0-9]*\).*|\1|p' "$TMP/serve.err" | head -n 1)
  [ -n "$PORT" ] && break
  kill -0 "$PID" 2> /dev/null || { tail -n 20 "$TMP/serve.err" >&2; die "serve exited before listening"; }
  sleep 0.1
done
[ -n "$PORT" ] || die "serve did not log its address within 60 s"
URL=http://127.0.0.1:$PORT
for _ in $(seq 600); do [ "$(curl -s -o /dev/null -w '%{http_code}' "$URL/health")" = 200 ] && break; sleep 0.1; done
[ "$(curl -s -o /dev/null -w '%{http_code}' "$URL/health")" = 200 ] || { tail -n 20 "$TMP/serve.err" >&2; die "/health not 200 within 60 s"; }

rss() { awk -v k="$1:" '$1 == k {printf "%.1f", $2 / 1024}' "/proc/$PID/status"; }
runs() { curl -fsS "$URL/metrics" | awk '/^nodeprobe_runs_total\{/ {s += $2} END {print s + 0}'; }
RSS0=$(rss VmRSS) RUNS0=$(runs)
echo "load: $REQUESTS x GET $URL/health at concurrency $CONCURRENCY" >&2
# -r: count socket errors instead of aborting; -s: per-request timeout, so a hung agent cannot stall the run.
AB_RC=0; ab -n "$REQUESTS" -c "$CONCURRENCY" -k -r -s 30 "$URL/health" > "$TMP/ab.out" 2>&1 || AB_RC=$?
RSS1=$(rss VmRSS) HWM=$(rss VmHWM) RUNS1=$(runs)
stop_serve
T1=$EPOCHREALTIME
sleep 1   # RGW writes its log asynchronously

ab_field() { awk -v k="$1" 'index($0, k) == 1 {sub(/^[^:]*:[ \t]*/, ""); print $1; exit}' "$TMP/ab.out"; }
ab_fail() { sed -n "s/.*$1: \([0-9]*\).*/\1/p" "$TMP/ab.out" | head -n 1; }
COMPLETE=$(ab_field "Complete requests") NON2XX=$(ab_field "Non-2xx responses")
CONNECT=$(ab_fail Connect) RECEIVE=$(ab_fail Receive) LENGTH=$(ab_fail Length) EXC=$(ab_fail Exceptions)
ERRORS=$(( REQUESTS - ${COMPLETE:-0} + ${CONNECT:-0} + ${RECEIVE:-0} + ${EXC:-0} + ${NON2XX:-0} ))
RPS=$(ab_field "Requests per second") TOOK=$(ab_field "Time taken for tests") KEEPALIVE=$(ab_field "Keep-Alive requests")
P50=$(awk '$1 == "50%" {print $2}' "$TMP/ab.out") P99=$(awk '$1 == "99%" {print $2}' "$TMP/ab.out")
MAXMS=$(awk '$1 == "100%" {print $2}' "$TMP/ab.out")

# S3 requests this agent made over its whole life: RGW access lines ("beast: ... - ec2-node [...] "METHOD
# /bucket/key..."") after the offset taken before it started, naming its prefix (as a key path or a list prefix).
tail -c +$((LOG_OFFSET + 1)) "$RGW_LOG" | grep ' beast: ' | grep ' - ec2-node ' > "$TMP/rgw" || true
S3=$(grep -cE "[ /=]$PREFIX(/|%2F)" "$TMP/rgw" || true) S3_ALL=$(wc -l < "$TMP/rgw")
# Runs come at start and then every interval jittered by ±10%, so at most ceil(life / (0.9 interval)) + 1;
# one run makes at most 6 S3 calls (list, put, get, delete, head to confirm the delete, list for leftovers).
read -r LIFE RUNS_MAX < <(awk -v a="$T0" -v b="$T1" -v i="$INTERVAL" \
  'BEGIN {d = b - a; n = d / (0.9 * i); c = int(n); if (c < n) c++; printf "%.1f %d\n", d, c + 1}')
S3_MAX=$((RUNS_MAX * 6))

echo
echo "nodeprobe load test, $(date -u +%FT%TZ), $(nproc) cores, ${NODEPROBE_LOAD_ARTIFACT:-native}: ${SERVE[*]}"
echo "requests:   $REQUESTS GET /health at concurrency $CONCURRENCY (keep-alive: ${KEEPALIVE:-0}), ab exit $AB_RC"
echo "result:     complete ${COMPLETE:-0}, errors $ERRORS (connect ${CONNECT:-0}, receive ${RECEIVE:-0}," \
  "exceptions ${EXC:-0}, non-2xx ${NON2XX:-0}); length changes ${LENGTH:-0} (not errors: the body carries timings)"
echo "throughput: ${RPS:-?} req/s over ${TOOK:-?} s; latency p50 ${P50:-?} ms, p99 ${P99:-?} ms, max ${MAXMS:-?} ms"
echo "RSS:        before ${RSS0} MB, after ${RSS1} MB, peak (VmHWM) ${HWM} MB"
echo "runs:       nodeprobe_runs_total ${RUNS0} before the load, ${RUNS1} after; agent life ${LIFE} s," \
  "interval ${INTERVAL}s ±10% -> at most ${RUNS_MAX} runs"
echo "S3:         ${S3} requests by the agent (RGW log, user ec2-node, prefix $PREFIX/), at most ${S3_MAX} explained" \
  "by the interval; ${S3_ALL} ec2-node requests in all in that window"
echo "stop:       SIGTERM -> exited in ${STOP_MS} ms with code ${STOP_RC}"
fail=0
verdict() { if [ "$1" = 1 ]; then echo "PASS $2"; else echo "FAIL $2"; fail=1; fi; }
verdict "$([ "$ERRORS" = 0 ] && [ "$AB_RC" = 0 ] && echo 1)" "no errors"
# 0 S3 lines would mean the log is not read right (the first run alone makes some), not a pass.
verdict "$([ "$S3" -gt 0 ] && [ "$S3" -le "$S3_MAX" ] && [ "$RUNS1" -le "$RUNS_MAX" ] && echo 1)" \
  "S3 requests explained by interval"
exit "$fail"
