#!/bin/bash
# Local stand-in for S3 + EC2 instance-profile credentials: a single-node Ceph RGW (S3, IAM roles, STS)
# on 127.0.0.1 with the users, buckets and roles nodeprobe's tests use, plus one IMDS credential document
# per role in $NP_CLOUD_DIR/roles/ (served by scripts/emulators.sh).
# Usage: scripts/local-cloud.sh start|stop|status|env
#   start   start/refresh (idempotent), print the path of cloud.env on stdout; progress on stderr
#   stop    stop the daemons by PID file; NP_CLOUD_WIPE=1 also deletes $NP_CLOUD_DIR
#   status  exit 0 when the cluster is up
#   env     print cloud.env
# Env: NP_CLOUD_DIR (default ${TMPDIR:-/tmp}/nodeprobe-cloud), NP_RGW_PORT (18081), NP_MON_PORT (13300).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib/common.sh"; . "$HERE/lib/ceph.sh"; . "$HERE/lib/provision.sh"

case ${1:-} in
  start)
    mkdir -p "$NP_CLOUD_DIR"
    # Concurrent test runs must not build two clusters (lib/ceph.sh keeps fd 9 away from the daemons).
    exec 9>"$NP_CLOUD_DIR/.lock"; flock 9
    ceph_ensure
    # A new cluster invalidates everything derived from the old one (memstore data, STS key).
    [ "$CEPH_FRESH" = 1 ] && rm -rf "$ROLES_DIR"
    mkdir -p "$ROLES_DIR"; chmod 700 "$ROLES_DIR"
    ensure_users; ensure_buckets; ensure_roles; ensure_credentials; write_env
    echo "$NP_CLOUD_DIR/cloud.env" ;;
  stop)
    [ -x "$HERE/emulators.sh" ] && "$HERE/emulators.sh" stop
    ceph_stop
    if [ "${NP_CLOUD_WIPE:-0}" = 1 ] && [ -d "$NP_CLOUD_DIR" ]; then
      # Only delete a directory this script built, whatever NP_CLOUD_DIR points at.
      [ -f "$CEPH_CONF" ] || [ -f "$NP_CLOUD_DIR/cloud.env" ] || die "$NP_CLOUD_DIR does not look like ours; not wiping"
      rm -rf "$NP_CLOUD_DIR"
    fi ;;
  status)
    if ceph_up; then echo "up $NP_RGW_ENDPOINT"; else echo down; exit 1; fi ;;
  env)
    [ -f "$NP_CLOUD_DIR/cloud.env" ] || die "no cloud.env; run: $0 start"
    cat "$NP_CLOUD_DIR/cloud.env" ;;
  *) echo "usage: $0 start|stop|status|env" >&2; exit 2 ;;
esac
