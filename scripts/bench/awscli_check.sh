#!/bin/bash
# The calls `nodeprobe check` makes, done with the AWS CLI (one process per call, as a shell script would),
# as a baseline for scripts/bench.sh: sts get-caller-identity, s3api list-objects-v2 --max-keys 1,
# put-object, get-object, delete-object of one object under PREFIX/.nodeprobe/.
# Usage: awscli_check.sh BUCKET PREFIX
# Env: NP_CREDS_FILE (IMDS credential document), NP_RGW_ENDPOINT, AWS_ENDPOINT_URL_STS, AWS_CLI (/usr/bin/aws),
#      AWS_CONFIG_FILE (bench.sh points it at a path-style config).
set -euo pipefail
bucket=$1 prefix=${2%/}
aws=${AWS_CLI:-/usr/bin/aws}
# The role's temporary credentials go to the CLI through its environment, never on a command line.
IFS=$'\t' read -r AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN \
  < <(jq -r '[.AccessKeyId, .SecretAccessKey, .Token] | @tsv' "$NP_CREDS_FILE")
export AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN
export AWS_DEFAULT_REGION=${NP_REGION:-us-east-1} AWS_PAGER="" AWS_SHARED_CREDENTIALS_FILE=/dev/null
# No retries, like the other contenders: a failure must show, not be hidden in the timing.
export AWS_MAX_ATTEMPTS=1

key=$prefix/.nodeprobe/awscli-$$-$(date +%s%N)
body=$(mktemp); trap 'rm -f "$body"' EXIT
echo "nodeprobe bench probe" > "$body"
s3() { "$aws" s3api --endpoint-url "$NP_RGW_ENDPOINT" "$@" > /dev/null; }

"$aws" sts get-caller-identity --endpoint-url "$AWS_ENDPOINT_URL_STS" > /dev/null
s3 list-objects-v2 --bucket "$bucket" --prefix "$prefix/" --max-keys 1
s3 put-object --bucket "$bucket" --key "$key" --body "$body"
s3 get-object --bucket "$bucket" --key "$key" /dev/null
s3 delete-object --bucket "$bucket" --key "$key"
