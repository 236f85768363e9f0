#!/bin/bash
# Runs the IMDS + STS emulators (io.nodeprobe.localcloud.LocalCloudMain, test scope) in the background over the
# role documents that local-cloud.sh writes, so a nodeprobe started by hand sees a node with an instance profile.
# Usage: scripts/emulators.sh start|stop
#   start  prints AWS_EC2_METADATA_SERVICE_ENDPOINT=... and AWS_ENDPOINT_URL_STS=... (also kept in
#          $NP_CLOUD_DIR/emulators.env); switch roles live: curl -X PUT http://127.0.0.1:18090/_emulator/role/np-no-put
# Env: NP_CLOUD_DIR, NP_ROLE (np-full), NP_IMDS_PORT (18090), NP_STS_PORT (18091).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
. "$HERE/lib/common.sh"
PID_FILE=$NP_CLOUD_DIR/emulators.pid ENV_FILE=$NP_CLOUD_DIR/emulators.env OUT=$NP_CLOUD_DIR/emulators.out
CLASSES=$NP_CLOUD_DIR/emulator-classes

# The PID file names a live LocalCloudMain (not a reused PID).
running() {
  [ -f "$PID_FILE" ] && [ -r "/proc/$(cat "$PID_FILE")/cmdline" ] \
    && tr '\0' ' ' < "/proc/$(cat "$PID_FILE")/cmdline" | grep -q 'io.nodeprobe.localcloud.LocalCloudMain'
}

case ${1:-} in
  start)
    if running; then cat "$ENV_FILE"; exit 0; fi
    [ -d "$ROLES_DIR" ] || die "no role documents in $ROLES_DIR; run scripts/local-cloud.sh start first"
    main=io/nodeprobe/localcloud/LocalCloudMain.class
    [ -f "$ROOT/target/test-classes/$main" ] || (cd "$ROOT" && mvn -q test-compile >&2)
    # Run from a private copy: a `mvn clean` while the emulators run must not pull classes from under them
    # (the JVM loads some only on first use, e.g. for the first error reply).
    rm -rf "$CLASSES"; mkdir -p "$CLASSES/io/nodeprobe"
    cp -r "$ROOT/target/test-classes/io/nodeprobe/localcloud" "$CLASSES/io/nodeprobe/"
    java -cp "$CLASSES" io.nodeprobe.localcloud.LocalCloudMain --roles-dir "$ROLES_DIR" \
      --role "${NP_ROLE:-np-full}" --imds-port "${NP_IMDS_PORT:-18090}" --sts-port "${NP_STS_PORT:-18091}" \
      --account "$NP_ACCOUNT" > "$OUT" 2>&1 9>&- &
    echo $! > "$PID_FILE"
    for _ in $(seq 1 100); do [ "$(grep -c '^AWS_' "$OUT")" = 2 ] && break; running || break; sleep 0.1; done
    [ "$(grep -c '^AWS_' "$OUT")" = 2 ] || { cat "$OUT" >&2; rm -f "$PID_FILE"; die "emulators did not start"; }
    grep '^AWS_' "$OUT" > "$ENV_FILE"
    log "emulators up (pid $(cat "$PID_FILE"), role ${NP_ROLE:-np-full})"
    cat "$ENV_FILE" ;;
  stop)
    if running; then
      pid=$(cat "$PID_FILE"); kill "$pid"
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
    rm -f "$PID_FILE" "$ENV_FILE" ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
