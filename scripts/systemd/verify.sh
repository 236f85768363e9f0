#!/usr/bin/env bash
# Runs `systemd-analyze verify` on the nodeprobe units (default: both in this directory).
# verify insists that ExecStart binaries exist and are executable; on a build machine
# /usr/local/bin/nodeprobe does not, so each unit is checked as a temp copy whose ExecStart binary is
# replaced by NODEPROBE_VERIFY_BIN (default: `true`). Everything else is verified exactly as written.
# Usage: scripts/systemd/verify.sh [UNIT_FILE...]   exit 0 clean, 1 problems, 2 no systemd-analyze
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
command -v systemd-analyze >/dev/null || { echo "verify.sh: systemd-analyze not found (apt-get install systemd)" >&2; exit 2; }
stand_in=${NODEPROBE_VERIFY_BIN:-$(command -v true)}
[ "$#" -gt 0 ] || set -- "$here/nodeprobe.service" "$here/nodeprobe-boot.service"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
copies=()
for unit in "$@"; do
  # Same file name: verify derives the unit name (and type) from it.
  sed "s#^ExecStart=/usr/local/bin/nodeprobe #ExecStart=$stand_in #" "$unit" >"$tmp/${unit##*/}"
  copies+=("$tmp/${unit##*/}")
done
# --man=no: units carry no man: links, and man may be absent. verify exits 0 on unknown keys and unparsable
# values ("..., ignoring"), which systemd would silently drop at boot: any output at all counts as a failure.
rc=0
out=$(systemd-analyze verify --man=no "${copies[@]}" 2>&1) || rc=$?
if [ "$rc" -ne 0 ] || [ -n "$out" ]; then
  printf '%s\n' "$out" >&2
  echo "verify.sh: systemd-analyze verify found problems (exit $rc)" >&2
  exit 1
fi
echo "verify.sh: ${#copies[@]} unit(s) clean"
