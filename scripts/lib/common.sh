# shellcheck shell=bash disable=SC2034  # sourced: the variables are used by the scripts that source it
# Shared settings and helpers for scripts/*.sh (sourced, not executed).
# Everything lives under $NP_CLOUD_DIR so several checkouts/test runs can use separate dirs and ports.
NP_CLOUD_DIR=${NP_CLOUD_DIR:-${TMPDIR:-/tmp}/nodeprobe-cloud}
NP_RGW_PORT=${NP_RGW_PORT:-18081}
NP_MON_PORT=${NP_MON_PORT:-13300}
NP_RGW_ENDPOINT="http://127.0.0.1:$NP_RGW_PORT"
NP_REGION=us-east-1
NP_ACCOUNT=123456789012          # only used by the emulators: RGW role ARNs carry no account id
CEPH_DIR=$NP_CLOUD_DIR/ceph
ROLES_DIR=$NP_CLOUD_DIR/roles
export CEPH_CONF=$CEPH_DIR/ceph.conf   # radosgw-admin/ceph find the cluster only through this

# Fixed throwaway static keys: the cluster lives in RAM on 127.0.0.1 and is rebuilt on every cold start.
OWNER_KEY=OWNERACCESSKEY0000001   OWNER_SECRET=owner-secret-key-0000000000000000000001
NODE_KEY=EC2NODEACCESSKEY00001    NODE_SECRET=ec2-node-secret-key-00000000000000000001

log() { echo "local-cloud: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# SigV4-signed curl; prints the body, then the HTTP status on a last line of its own.
# $1 = service (s3|sts|iam), $2 = AK:SK, $3 = session token or "", rest = curl args.
# RGW quirks: S3 calls must carry x-amz-content-sha256 (curl does not add it), STS/IAM form POSTs must NOT
# (RGW then answers 403). Long timeout: the first write after a fresh start waits for RGW to create its pools.
sig() {
  local svc=$1 cred=$2 tok=$3 h=(); shift 3
  [ -n "$tok" ] && h+=(-H "x-amz-security-token: $tok")
  [ "$svc" = s3 ] && h+=(-H "x-amz-content-sha256: UNSIGNED-PAYLOAD")
  # never fails: a connection error shows up as status 000 and the caller reports it
  curl -s --max-time 120 -w '\n%{http_code}' --aws-sigv4 "aws:amz:$NP_REGION:$svc" --user "$cred" "${h[@]}" "$@" || true
}
status_of() { tail -n 1; }                                   # last line of sig output
xml() { sed -n "s:.*<$1>\([^<]*\)</$1>.*:\1:p" | head -n 1; } # first <$1> element of an XML reply
