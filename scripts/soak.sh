#!/bin/bash
# Soak of `nodeprobe serve --interval 5s` (native) on the local cloud: a fault-injecting proxy in front of S3 and one
# in front of IMDS change their fault every minute (resets, 503 SlowDown, stalls, a captive portal, IMDS refused or
# silent, minutes without faults between), while a client keeps ~200 GET /health a second coming. Every 10 s it
# samples the server's RSS, open file descriptors and threads, and fails if any keeps growing over the second half
# (least-squares slope above 1 MiB/min, 2 fds/min, 2 threads/min), if /health's p99 is over 10 ms, if a run
# overlapped another, or if the schedule paused more than 6.5 s between two runs. The driver is io.nodeprobe.localcloud.SoakMain (test scope).
# Usage: scripts/soak.sh DURATION   (e.g. 3m, 30m; CI runs 3m)
# Env: NODEPROBE_NATIVE (default target/nodeprobe-0.1.0-runner), NP_CLOUD_DIR. Exit 0 PASS, 1 FAIL or error.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
die() { echo "soak: ERROR: $*" >&2; exit 1; }
DURATION=${1:-}
[[ $DURATION =~ ^[1-9][0-9]*(s|m|h)$ ]] || die "usage: $0 DURATION (e.g. 3m, 30m)"

# shellcheck source=scripts/lib/common.sh
. "$ROOT/scripts/lib/common.sh"
# shellcheck disable=SC1090
. "$("$ROOT/scripts/local-cloud.sh" start)"
NATIVE=${NODEPROBE_NATIVE:-$ROOT/target/nodeprobe-0.1.0-runner}
[ -x "$NATIVE" ] || die "no native binary at $NATIVE: build it (mvn package -Dnative) or set NODEPROBE_NATIVE"
[ -f "$ROOT/target/test-classes/io/nodeprobe/localcloud/SoakMain.class" ] || mvn -B -q test-compile >&2
# A private copy of the classes, as emulators.sh does: a build during the soak must not pull them away.
CLASSES=$NP_CLOUD_DIR/soak-classes
rm -rf "$CLASSES"; mkdir -p "$CLASSES/io/nodeprobe"
cp -r "$ROOT/target/test-classes/io/nodeprobe/localcloud" "$CLASSES/io/nodeprobe/"
# The soak's own length plus a minute for start and verdict: a hang ends here, not in CI's limit.
case ${DURATION: -1} in s) unit=1 ;; m) unit=60 ;; *) unit=3600 ;; esac
secs=$(( ${DURATION%?} * unit ))
exec timeout -k 10 $(( secs + 60 )) java -cp "$CLASSES" io.nodeprobe.localcloud.SoakMain --bin "$NATIVE" \
  --duration "$DURATION" --roles-dir "$ROLES_DIR" --rgw "$NP_RGW_ENDPOINT" --bucket "${NP_BUCKET:-np-bucket}"
