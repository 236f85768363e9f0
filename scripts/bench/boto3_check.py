#!/usr/bin/python3
"""The calls `nodeprobe check` makes, done with boto3, as a baseline for scripts/bench.sh:
STS GetCallerIdentity, then S3 list (max 1 key), put, get, delete of one object under PREFIX/.nodeprobe/.

Usage: boto3_check.py BUCKET PREFIX
Env: NP_CREDS_FILE (an IMDS credential document: AccessKeyId, SecretAccessKey, Token),
     NP_RGW_ENDPOINT (S3), AWS_ENDPOINT_URL_STS (STS), NP_REGION (default us-east-1).
Prints nothing on success (the timing is the point); exits 1 with the failing call on error.
"""
import json
import os
import sys
import time

import boto3
from botocore.config import Config

bucket, prefix = sys.argv[1], sys.argv[2].strip("/")
with open(os.environ["NP_CREDS_FILE"], encoding="utf-8") as f:
    doc = json.load(f)

# No retries: a failure must show, not be hidden in the timing. Path style: RGW on 127.0.0.1 has no DNS names.
base = {"s3": {"addressing_style": "path"}, "retries": {"total_max_attempts": 1}}
try:
    # boto3 >= 1.36 sends CRC32 trailers by default, which RGW 16 rejects; older ones lack the setting.
    config = Config(request_checksum_calculation="when_required",
                    response_checksum_validation="when_required", **base)
except TypeError:
    config = Config(**base)

session = boto3.session.Session(
    aws_access_key_id=doc["AccessKeyId"], aws_secret_access_key=doc["SecretAccessKey"],
    aws_session_token=doc["Token"], region_name=os.environ.get("NP_REGION", "us-east-1"))
sts = session.client("sts", endpoint_url=os.environ["AWS_ENDPOINT_URL_STS"], config=config)
s3 = session.client("s3", endpoint_url=os.environ["NP_RGW_ENDPOINT"], config=config)

key = f"{prefix}/.nodeprobe/boto3-{os.getpid()}-{time.time_ns()}"
step = "sts get-caller-identity"
try:
    sts.get_caller_identity()
    step = "s3 list-objects-v2"
    s3.list_objects_v2(Bucket=bucket, Prefix=prefix + "/", MaxKeys=1)
    step = "s3 put-object"
    s3.put_object(Bucket=bucket, Key=key, Body=b"nodeprobe bench probe\n")
    step = "s3 get-object"
    s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    step = "s3 delete-object"
    s3.delete_object(Bucket=bucket, Key=key)
except Exception as e:  # pylint: disable=broad-except
    # Name the call and the error class only: botocore messages do not carry the secret, but keep it short.
    print(f"boto3_check: {step} failed: {type(e).__name__}: {e}", file=sys.stderr)
    sys.exit(1)
