# shellcheck shell=bash
# Users, buckets, IAM roles and instance-profile credentials on the RGW of lib/ceph.sh.
# Sourced by local-cloud.sh after lib/common.sh. Every step first looks at what exists, so a rerun on a
# warm cluster only does what is missing or stale (a handful of HTTP calls, no radosgw-admin).
BUCKETS=(np-bucket np-prefilled np-serve np-versioned)   # np-versioned keeps versions (ensure_buckets)
ROLES=(np-full np-no-list np-no-put np-no-get np-no-delete np-minimum np-no-location np-no-list-parts
  np-no-list-uploads np-no-abort np-versions)
SESSION=i-0123456789abcdef0           # EC2 names an instance profile's role session after the instance id
OWNER_CRED=$OWNER_KEY:$OWNER_SECRET NODE_CRED=$NODE_KEY:$NODE_SECRET

# The eight actions Anyscale grants a cluster role on its bucket (its Terraform module, and the cross-account
# bucket policy), split by the resource each applies to.
BUCKET_ACTIONS=(s3:ListBucket s3:ListBucketMultipartUploads s3:GetBucketLocation)
OBJECT_ACTIONS=(s3:GetObject s3:PutObject s3:DeleteObject s3:ListMultipartUploadParts s3:AbortMultipartUpload)

# The one S3 action a role lacks ("" for np-full, np-minimum and np-versions).
missing_action() {
  case $1 in np-no-list) echo s3:ListBucket ;; np-no-put) echo s3:PutObject ;;
    np-no-get) echo s3:GetObject ;; np-no-delete) echo s3:DeleteObject ;;
    np-no-location) echo s3:GetBucketLocation ;; np-no-list-parts) echo s3:ListMultipartUploadParts ;;
    np-no-list-uploads) echo s3:ListBucketMultipartUploads ;; np-no-abort) echo s3:AbortMultipartUpload ;;
    *) echo "" ;; esac
}

# Permission policy: the eight actions on the buckets and their keys, minus the missing one; np-minimum has
# exactly Anyscale's documented minimum (s3:ListBucket, and s3:*Object, which RGW matches as a wildcard).
# Compact JSON on purpose: curl --data-urlencode turns spaces into "+", which Ceph 16's IAM parser keeps
# literally (400 MalformedPolicyDocument).
role_policy() {
  local miss; miss=$(missing_action "$1")
  local b bucket_arns="" object_arns="" bucket_actions="" object_actions="" a
  for b in "${BUCKETS[@]}"; do bucket_arns+="\"arn:aws:s3:::$b\","; object_arns+="\"arn:aws:s3:::$b/*\","; done
  if [ "$1" = np-minimum ]; then
    bucket_actions='"s3:ListBucket",'; object_actions='"s3:*Object",'
  else
    for a in "${BUCKET_ACTIONS[@]}"; do [ "$a" = "$miss" ] || bucket_actions+="\"$a\","; done
    for a in "${OBJECT_ACTIONS[@]}"; do [ "$a" = "$miss" ] || object_actions+="\"$a\","; done
    # np-versions may also delete object versions, which a versioned bucket needs for a clean probe.
    [ "$1" = np-versions ] && object_actions+='"s3:DeleteObjectVersion",'
  fi
  echo '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":['"${bucket_actions%,}"'],"Resource":['"${bucket_arns%,}"']},{"Effect":"Allow","Action":['"${object_actions%,}"'],"Resource":['"${object_arns%,}"']}]}'
}
TRUST='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam:::user/ec2-node"]},"Action":["sts:AssumeRole"]}]}'

ensure_users() {
  # A signed ListBuckets that answers 200 proves the user exists with exactly these keys.
  [ "$(sig s3 "$OWNER_CRED" "" "$NP_RGW_ENDPOINT/" | status_of)" = 200 ] || {
    log "creating user owner"
    radosgw-admin user create --uid=owner --display-name="bucket owner" --caps="roles=*" \
      --access-key="$OWNER_KEY" --secret-key="$OWNER_SECRET" >/dev/null; }
  # ec2-node plays the EC2 service: no policies of its own, only named in the roles' trust policy.
  [ "$(sig s3 "$NODE_CRED" "" "$NP_RGW_ENDPOINT/" | status_of)" = 200 ] || {
    log "creating user ec2-node"
    radosgw-admin user create --uid=ec2-node --display-name="EC2 service stand-in" \
      --access-key="$NODE_KEY" --secret-key="$NODE_SECRET" >/dev/null; }
}

ensure_buckets() {
  local have b; have=$(sig s3 "$OWNER_CRED" "" "$NP_RGW_ENDPOINT/")
  for b in "${BUCKETS[@]}"; do
    grep -q "<Name>$b</Name>" <<<"$have" && continue
    log "creating bucket $b"   # the first write to a fresh cluster takes seconds: RGW creates its pools lazily
    [ "$(sig s3 "$OWNER_CRED" "" -X PUT "$NP_RGW_ENDPOINT/$b" | status_of)" = 200 ] || die "CreateBucket $b failed"
  done
  # Versioning cannot be turned off once on, so setting it again on every start is harmless and idempotent.
  local on='<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Status>Enabled</Status></VersioningConfiguration>'
  if ! sig s3 "$OWNER_CRED" "" "$NP_RGW_ENDPOINT/np-versioned?versioning=" | grep -q '<Status>Enabled</Status>'; then
    log "enabling versioning on np-versioned"
    # On a fresh cluster RGW refuses it (403) for a few seconds after the bucket is made; then it sticks.
    local i out
    for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do
      out=$(sig s3 "$OWNER_CRED" "" -X PUT --data-binary "$on" "$NP_RGW_ENDPOINT/np-versioned?versioning=")
      [ "$(status_of <<<"$out")" = 200 ] && break
      sleep 1
    done
    [ "$(status_of <<<"$out")" = 200 ] || die "PutBucketVersioning np-versioned failed: $out"
  fi
}

iam() { sig iam "$OWNER_CRED" "" "$NP_RGW_ENDPOINT/" -d Version=2010-05-08 "$@"; }

# Roles via RGW's IAM API: radosgw-admin role create cannot set MaxSessionDuration in Ceph 16.
# The policy last put is remembered next to the credentials; a changed policy re-puts it and drops the
# role's credentials so they are re-assumed and re-verified.
ensure_roles() {
  local have r policy out; have=$(iam -d Action=ListRoles)
  # RGW 16 answers ListRoles with 404 NoSuchEntity while no role exists (AWS: 200, empty list).
  case $(status_of <<<"$have") in 200|404) ;; *) die "IAM ListRoles failed: $have" ;; esac
  for r in "${ROLES[@]}"; do
    if ! grep -q "<RoleName>$r</RoleName>" <<<"$have"; then
      log "creating role $r"
      out=$(iam -d Action=CreateRole -d "RoleName=$r" -d Path=/ -d MaxSessionDuration=43200 \
        --data-urlencode "AssumeRolePolicyDocument=$TRUST")
      [ "$(status_of <<<"$out")" = 200 ] || die "CreateRole $r failed: $out"
      rm -f "$ROLES_DIR/.$r.policy"
    fi
    policy=$(role_policy "$r")
    [ "$(cat "$ROLES_DIR/.$r.policy" 2>/dev/null)" = "$policy" ] && continue
    out=$(iam -d Action=PutRolePolicy -d "RoleName=$r" -d PolicyName=s3-access \
      --data-urlencode "PolicyDocument=$policy")
    [ "$(status_of <<<"$out")" = 200 ] || die "PutRolePolicy $r failed: $out"
    echo "$policy" > "$ROLES_DIR/.$r.policy"; rm -f "$ROLES_DIR/$r.json"
  done
}

json_field() { sed -n "s/.*\"$1\" *: *\"\([^\"]*\)\".*/\1/p" "$2" | head -n 1; }

# Credentials expiring within 2 hours are renewed, so a test run never starts with nearly dead ones.
creds_fresh() {
  local exp; exp=$(json_field Expiration "$1" 2>/dev/null) && [ -n "$exp" ] \
    && [ $(( $(date -u -d "$exp" +%s) - $(date +%s) )) -gt 7200 ]
}

# STS AssumeRole as ec2-node, as EC2 does for an instance profile; writes the IMDS document.
assume_role() {
  local r=$1 out d tmp
  for d in 43200 3600; do   # 43200 needs the role's MaxSessionDuration; older RGW may refuse it
    out=$(sig sts "$NODE_CRED" "" "$NP_RGW_ENDPOINT/" -d Action=AssumeRole -d Version=2011-06-15 \
      -d "RoleArn=arn:aws:iam:::role/$r" -d "RoleSessionName=$SESSION" -d "DurationSeconds=$d")
    [ "$(status_of <<<"$out")" = 200 ] && break
    log "AssumeRole $r for ${d}s refused: $(status_of <<<"$out")"
  done
  [ "$(status_of <<<"$out")" = 200 ] || die "AssumeRole $r failed: $out"
  tmp=$(mktemp "$ROLES_DIR/.$r.XXXXXX")   # mktemp is 0600; mv makes the swap atomic for lazy readers
  # IMDS layout and whole-second times; RGW's Expiration carries nanoseconds.
  cat > "$tmp" <<JSON
{
  "Code" : "Success",
  "LastUpdated" : "$(date -u +%Y-%m-%dT%H:%M:%SZ)",
  "Type" : "AWS-HMAC",
  "AccessKeyId" : "$(xml AccessKeyId <<<"$out")",
  "SecretAccessKey" : "$(xml SecretAccessKey <<<"$out")",
  "Token" : "$(xml SessionToken <<<"$out")",
  "Expiration" : "$(xml Expiration <<<"$out" | sed 's/\.[0-9]*Z$/Z/')"
}
JSON
  chmod 600 "$tmp"; mv -f "$tmp" "$ROLES_DIR/$r.json"
  log "assumed $r for ${d}s, expires $(json_field Expiration "$ROLES_DIR/$r.json")"
}

# Proves RGW enforces the policy on the four basic actions: with the role's temporary credentials the missing
# one (if basic) is denied (403) and the others succeed. The multipart and location actions are probed by
# nodeprobe's own tests (MultipartIT), which assert RGW's answer for each role. The probe object is the owner's and is removed afterwards.
verify_role() {
  local r=$1 doc=$ROLES_DIR/$1.json miss key=local-cloud-verify/$1 ak sk tk bad=0 a want got
  miss=$(missing_action "$r")
  ak=$(json_field AccessKeyId "$doc"); sk=$(json_field SecretAccessKey "$doc"); tk=$(json_field Token "$doc")
  sig s3 "$OWNER_CRED" "" -X PUT --data-binary seed "$NP_RGW_ENDPOINT/np-bucket/$key" >/dev/null
  for a in s3:ListBucket s3:PutObject s3:GetObject s3:DeleteObject; do
    case $a in
      s3:ListBucket) want=200; got=$(sig s3 "$ak:$sk" "$tk" -o /dev/null "$NP_RGW_ENDPOINT/np-bucket?list-type=2" | status_of) ;;
      s3:PutObject) want=200; got=$(sig s3 "$ak:$sk" "$tk" -o /dev/null -X PUT --data-binary probe "$NP_RGW_ENDPOINT/np-bucket/$key" | status_of) ;;
      s3:GetObject) want=200; got=$(sig s3 "$ak:$sk" "$tk" -o /dev/null "$NP_RGW_ENDPOINT/np-bucket/$key" | status_of) ;;
      s3:DeleteObject) want=204; got=$(sig s3 "$ak:$sk" "$tk" -o /dev/null -X DELETE "$NP_RGW_ENDPOINT/np-bucket/$key" | status_of) ;;
    esac
    [ "$a" = "$miss" ] && want=403
    [ "$got" = "$want" ] || { log "  $r $a: HTTP $got, expected $want"; bad=1; }
  done
  sig s3 "$OWNER_CRED" "" -X DELETE -o /dev/null "$NP_RGW_ENDPOINT/np-bucket/$key" >/dev/null
  [ $bad = 0 ] || die "RGW does not enforce the policy of role $r as expected"
  log "verified $r: list, put, get and delete as its policy says (lacks ${miss:-nothing})"
}

ensure_credentials() {
  local r renewed=0
  for r in "${ROLES[@]}"; do
    creds_fresh "$ROLES_DIR/$r.json" && continue
    assume_role "$r"; verify_role "$r"; renewed=1
  done
  # The node's own static keys must not reach the bucket: on EC2 all access comes from the role.
  if [ $renewed = 1 ]; then
    [ "$(sig s3 "$NODE_CRED" "" -o /dev/null "$NP_RGW_ENDPOINT/np-bucket?list-type=2" | status_of)" = 403 ] \
      || die "ec2-node's static keys can list np-bucket; the trust setup is wrong"
  fi
}

write_env() {
  local tmp; tmp=$(mktemp "$NP_CLOUD_DIR/.cloud.env.XXXXXX")
  cat > "$tmp" <<ENV
NP_RGW_ENDPOINT=$NP_RGW_ENDPOINT
NP_REGION=$NP_REGION
NP_BUCKET=np-bucket
NP_OWNER_ACCESS_KEY=$OWNER_KEY
NP_OWNER_SECRET_KEY=$OWNER_SECRET
NP_ROLES_DIR=$ROLES_DIR
NP_ACCOUNT=$NP_ACCOUNT
NP_CLOUD_DIR=$NP_CLOUD_DIR
ENV
  mv -f "$tmp" "$NP_CLOUD_DIR/cloud.env"
}
