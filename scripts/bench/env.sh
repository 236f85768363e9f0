# shellcheck shell=bash disable=SC2034  # sourced: NATIVE, JAR, CA_BUNDLE_NOTE are used by the scripts that source it
# Sourced by scripts/bench.sh and scripts/load.sh (needs ROOT): point this shell at the local cloud the way
# scripts/demo.sh does (Ceph RGW for S3, IMDS/STS emulators, role np-full) without printing any secret.
# Both `start` calls are idempotent: they reuse a running cloud and never stop it.
# shellcheck disable=SC1090
. "$("$ROOT/scripts/local-cloud.sh" start)"
"$ROOT/scripts/emulators.sh" start > /dev/null
# shellcheck disable=SC1091
. "$NP_CLOUD_DIR/emulators.env"
# Time passing checks only: the node has the full role.
curl -fsS -X PUT "$AWS_EC2_METADATA_SERVICE_ENDPOINT/_emulator/role/np-full" > /dev/null
export AWS_EC2_METADATA_SERVICE_ENDPOINT AWS_ENDPOINT_URL_STS NP_RGW_ENDPOINT NP_REGION NP_BUCKET NP_CLOUD_DIR
export AWS_ENDPOINT_URL_S3=$NP_RGW_ENDPOINT NODEPROBE_S3_PATH_STYLE=true
# nodeprobe must get its credentials from IMDS like on a node, not from a caller's environment; the owner's
# secret is not needed by anything started from here.
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_PROFILE NP_OWNER_SECRET_KEY
# Every endpoint here is plain http and a node normally has no AWS_CA_BUNDLE; nodeprobe parses the bundle at
# each start (~0.4 s for the system bundle), which would swamp the numbers: measure without it, and say so.
CA_BUNDLE_NOTE="AWS_CA_BUNDLE not set"
if [ -n "${AWS_CA_BUNDLE:-}" ]; then
  CA_BUNDLE_NOTE="AWS_CA_BUNDLE unset for the run (was $AWS_CA_BUNDLE)"
  echo "note: AWS_CA_BUNDLE ($AWS_CA_BUNDLE) unset for this run: the local endpoints are http" >&2
  unset AWS_CA_BUNDLE
fi

NATIVE=${NODEPROBE_NATIVE:-$ROOT/target/nodeprobe-0.1.0-runner}
JAR=${NODEPROBE_JAR:-$ROOT/target/nodeprobe-0.1.0-runner.jar}

# Numbers taken next to a Maven or native-image build measure the build; say so loudly.
warn_if_building() {
  local pids
  pids=$(pgrep -f 'native-image|NativeImageGeneratorRunner|plexus.classworlds.launcher' | tr '\n' ' ' || true)
  [ -z "$pids" ] || echo "WARNING: a Maven/native-image build is running (pids $pids): the numbers will be skewed" >&2
}
