#!/bin/bash
# README command 1: build nodeprobe, start the local cloud (Ceph RGW + IMDS/STS emulators on 127.0.0.1), and run
# `nodeprobe check` three times: as a healthy node (role np-full), as a node with exactly the documented minimum
# policy (np-minimum: four warnings), then as a node whose role lacks s3:DeleteObject.
# Installs what is missing (Ceph from Debian packages). Uses the native binary when one was built
# (mvn package -Dnative), else the JVM jar. Leaves the local cloud running; stop it with
# `scripts/local-cloud.sh stop`.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

# Maven's output only matters when it fails (Debian's Maven prints colour resets even when quiet).
quiet_mvn() {
  local log; log=$(mktemp)
  mvn -B -q "$@" > "$log" 2>&1 || { cat "$log" >&2; rm -f "$log"; exit 1; }
  rm -f "$log"
}

if [ ! -x target/nodeprobe-0.1.0-runner ] && [ ! -f target/nodeprobe-0.1.0-runner.jar ]; then
  echo "== building nodeprobe (JVM jar; mvn package -Dnative for the native binary)" >&2
  quiet_mvn package -DskipTests
fi
quiet_mvn test-compile   # the IMDS/STS emulators live in the test classes

echo "== starting the local cloud" >&2
# shellcheck disable=SC1090
. "$(scripts/local-cloud.sh start)"
scripts/emulators.sh start > /dev/null
# shellcheck disable=SC1091
. "$NP_CLOUD_DIR/emulators.env"
export AWS_EC2_METADATA_SERVICE_ENDPOINT AWS_ENDPOINT_URL_STS
export AWS_ENDPOINT_URL_S3=$NP_RGW_ENDPOINT NODEPROBE_S3_PATH_STYLE=true

if [ -x target/nodeprobe-0.1.0-runner ]; then NODEPROBE=(target/nodeprobe-0.1.0-runner)
else NODEPROBE=(java -jar target/nodeprobe-0.1.0-runner.jar); fi

role() { curl -fsS -X PUT "$AWS_EC2_METADATA_SERVICE_ENDPOINT/_emulator/role/$1" > /dev/null; }
run() {
  echo; echo "== $1"; echo "\$ nodeprobe check --bucket $NP_BUCKET --prefix demo"
  set +e; "${NODEPROBE[@]}" check --bucket "$NP_BUCKET" --prefix demo; code=$?; set -e
  echo "(exit code $code)"
}

role np-full
run "a healthy node: its role has the eight actions Anyscale grants on its bucket"
role np-minimum
run "a node with exactly Anyscale's documented minimum (s3:ListBucket, s3:*Object): exit 0, four warnings"
role np-no-delete
run "a node whose role lacks s3:DeleteObject"
role np-full
echo
echo "Try also: ${NODEPROBE[*]} check --bucket $NP_BUCKET --format json | identity | policy --bucket $NP_BUCKET"
echo "The environment used: AWS_EC2_METADATA_SERVICE_ENDPOINT=$AWS_EC2_METADATA_SERVICE_ENDPOINT" \
  "AWS_ENDPOINT_URL_S3=$AWS_ENDPOINT_URL_S3 AWS_ENDPOINT_URL_STS=$AWS_ENDPOINT_URL_STS NODEPROBE_S3_PATH_STYLE=true"
