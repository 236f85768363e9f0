#!/usr/bin/env bash
# Anyscale init script: copy to /anyscale/init/ in the Ray image. Anyscale runs every *.sh there on every node
# before Ray starts, and a non-zero exit terminates the node. So by default this only warns: the node comes
# up, the verdict goes to the log and to a JSON file. Set NODEPROBE_BLOCK=1 to let a failed check stop the node.
#
# Environment (all optional):
#   NODEPROBE_BLOCK=1   blocking: no --warn-only, nodeprobe's exit code (1 fail, 2 usage, 3 unknown) passes through
#   NODEPROBE_WAIT      how long to retry while IMDS/STS/S3 settle (default 60s)
#   NODEPROBE_OUTPUT    JSON report file (default /tmp/ray/nodeprobe.json, beside Ray's own logs)
#   NODEPROBE_BIN       the binary (default: nodeprobe on PATH, else /usr/local/bin/nodeprobe)
# The bucket comes from Anyscale's own ANYSCALE_ARTIFACT_STORAGE / ANYSCALE_CLOUD_STORAGE_BUCKET, or
# NODEPROBE_BUCKET/NODEPROBE_PREFIX, exactly as for `nodeprobe check`.
set -euo pipefail

case ${NODEPROBE_BLOCK:-0} in
  1|true|yes) block=1 ;;
  *) block=0 ;;
esac
output=${NODEPROBE_OUTPUT:-/tmp/ray/nodeprobe.json}

# An explicit NODEPROBE_BIN is used as given (no fallback), so a typo shows up as "missing", not as another binary.
if [ -n "${NODEPROBE_BIN:-}" ]; then
  bin=$NODEPROBE_BIN
else
  bin=$(command -v nodeprobe || echo /usr/local/bin/nodeprobe)
fi
if [ ! -x "$bin" ]; then
  echo "nodeprobe: binary $bin not found or not executable: S3 access check skipped" >&2
  # Blocking means "do not start unchecked", so a missing checker is a failure then (3: unknown).
  if [ "$block" = 1 ]; then exit 3; fi
  exit 0
fi

# /tmp/ray may not exist yet this early; nodeprobe writes the report atomically inside that directory.
mkdir -p "$(dirname "$output")" 2>/dev/null || true
args=(check --format text --wait "${NODEPROBE_WAIT:-60s}" --output "$output")

if [ "$block" = 1 ]; then
  exec "$bin" "${args[@]}"
fi
# --warn-only makes a failed check exit 0, but a usage error (no bucket configured, bad flag) still exits
# non-zero: swallow that too, since anything but 0 here terminates the node.
rc=0
"$bin" "${args[@]}" --warn-only || rc=$?
if [ "$rc" -ne 0 ]; then
  echo "nodeprobe: exited $rc; not blocking the node start (set NODEPROBE_BLOCK=1 to block)" >&2
fi
exit 0
