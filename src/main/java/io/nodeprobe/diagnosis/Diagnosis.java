package io.nodeprobe.diagnosis;

/** A one-line human diagnosis and what to do about it. */
public record Diagnosis(String summary, String remediation) {

    public static Diagnosis of(Failure f, CallContext ctx) {
        String who = ctx.role() == null ? "these credentials" : "role " + ctx.role();
        String code = f.evidence().code();
        return switch (f.kind()) {
            case ACCESS_DENIED -> accessDenied(f, ctx, who);
            case KMS_DENIED -> kmsDenied(f, ctx, who);
            case NO_SUCH_BUCKET -> new Diagnosis("bucket " + bucketName(ctx) + " does not exist (or not at this endpoint)",
                    "check the bucket name registered with the Anyscale cloud (ANYSCALE_ARTIFACT_STORAGE, --bucket)");
            case WRONG_REGION -> wrongRegion(f, ctx);
            case INVALID_CREDENTIALS -> new Diagnosis("the credentials are not valid (" + code + "): the key is unknown, "
                    + "the secret is wrong, or the session token does not belong to the key",
                    "unset stale AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN so the instance profile is "
                            + "used, or fix the credential source named in the report");
            case EXPIRED_CREDENTIALS -> new Diagnosis("the session credentials have expired (" + code + ")",
                    "refresh them; for an instance profile, check that IMDS rotates credentials (imds.credentials)");
            case CLOCK_SKEW -> new Diagnosis("the node's clock is too far off for request signing (" + code + ")",
                    ClockDiagnosis.FIX);
            case TLS -> new Diagnosis("TLS handshake with the endpoint failed: " + f.evidence().message(),
                    "if the endpoint uses a private CA, point AWS_CA_BUNDLE at its PEM certificate");
            case CONTENT_MISMATCH -> new Diagnosis("the object read back differs from what was written",
                    "look for a proxy or gateway rewriting S3 traffic, or an S3 look-alike without read-after-write "
                            + "consistency");
            case NOT_THE_SERVICE -> notTheService(code.substring(3), f.evidence().message());
            case THROTTLED -> new Diagnosis("the service is throttling requests (HTTP " + f.evidence().httpStatus()
                    + (code == null ? "" : " " + code) + (f.evidence().message() == null ? ""
                    : ": " + f.evidence().message()) + ")",
                    "retry later; if it persists, spread request rates across prefixes");
            case SERVER_ERROR -> new Diagnosis("the service answered with a server error (HTTP "
                    + f.evidence().httpStatus() + (code == null ? "" : " " + code) + ")",
                    "retry; if it persists, check the service's health");
            case NETWORK -> new Diagnosis("cannot reach the endpoint: " + f.evidence().message(),
                    "check DNS, routes, security groups, VPC endpoints and proxies between the node and the service");
            case TIMEOUT -> new Diagnosis("no answer in time: " + f.evidence().message(),
                    "check connectivity to the endpoint; raise --timeout if the network is just slow");
            case CLIENT_ERROR -> new Diagnosis("the request was rejected (HTTP " + f.evidence().httpStatus()
                    + (code == null ? "" : " " + code) + ")", null);
        };
    }

    /**
     * The same denial of an action the documented minimum role policy does not grant, saying why it still matters.
     */
    public Diagnosis beyondMinimum(String action) {
        String why = switch (action) {
            case "s3:GetBucketLocation" -> "a client that asks S3 where the bucket is (GetBucketLocation) before "
                    + "using it fails without it";
            case "s3:ListMultipartUploadParts" -> "multipart clients list an upload's parts to resume or complete it";
            case "s3:ListBucketMultipartUploads" -> "without it, incomplete uploads cannot be found and cleaned up, "
                    + "and their parts are billed as storage";
            case "s3:AbortMultipartUpload" -> "without it, a failed large write cannot abort its upload: its parts "
                    + "stay, billed as storage, until a lifecycle rule removes them";
            default -> "workloads may need it";
        };
        return new Diagnosis(summary + " (warning: Anyscale's minimum role policy does not grant it, but " + why
                + "; --strict makes this a failure)", remediation);
    }

    /**
     * A versioned bucket kept the probe object's versions: DeleteObject only added a delete marker, and deleting the
     * versions themselves failed ({@code f}). Both fixes: the permission, or a lifecycle rule that expires them.
     */
    public static Diagnosis versionsLeft(Failure f, String role, BucketArn bucket, String folder, int perRun,
                                         String left) {
        String who = role == null ? "these credentials" : "role " + role;
        String why = f.kind() == FailureKind.ACCESS_DENIED ? who + " may not s3:DeleteObjectVersion"
                : "deleting them failed (" + (f.evidence().code() == null ? f.kind() : f.evidence().code()) + ")";
        return new Diagnosis("versioned bucket: DeleteObject only added a delete marker, and " + why
                + "; every run leaves " + perRun + " noncurrent version(s) under " + folder,
                "allow the role to delete the probe's own versions:\n"
                        + "{\"Sid\":\"NodeprobeDeleteObjectVersion\",\"Effect\":\"Allow\",\"Action\":\"s3:DeleteObjectVersion\","
                        + "\"Resource\":\"" + bucket.object(folder) + "*\"}\n"
                        + "or expire them with a lifecycle rule on bucket " + bucket.bucket() + ":\n"
                        + "{\"ID\":\"nodeprobe-probe-versions\",\"Filter\":{\"Prefix\":\"" + folder + "\"},"
                        + "\"Status\":\"Enabled\",\"NoncurrentVersionExpiration\":{\"NoncurrentDays\":1},"
                        + "\"Expiration\":{\"ExpiredObjectDeleteMarker\":true}}\n"
                        + "left now: " + left);
    }

    /** A delete that S3 acknowledged while the object stays readable. */
    public static Diagnosis stillThere() {
        return new Diagnosis("DeleteObject succeeded but the object is still there", "check for Object Lock or a "
                + "retention policy on the bucket, and for a gateway that acknowledges deletes it does not do");
    }

    /**
     * S3 answered 301 PermanentRedirect (or 400 AuthorizationHeaderMalformed, or a bare 301/400 on HEAD) and said
     * where the bucket is. The fix names the variable to set, after where the wrong region came from: the
     * bucket's own variable is read first, so it fixes every source, IMDS's placement included.
     */
    private static Diagnosis wrongRegion(Failure f, CallContext ctx) {
        String real = f.bucketRegion();
        String from = ctx.regionSource() == null ? "" : switch (ctx.regionSource()) {
            case "imds" -> " (the node's own region, from IMDS)";
            case "default" -> " (nodeprobe's default: nothing named a region)";
            default -> " (from " + ctx.regionSource() + ")";
        };
        String summary = "bucket " + bucketName(ctx) + (real == null ? " is not in region " + ctx.region() + from
                + " and S3 did not say where it is" : " is in " + real + ", not in " + ctx.region() + from
                + ": requests signed for " + ctx.region() + " are refused");
        String region = real == null ? "BUCKET_REGION" : real;
        String fix = "--region".equals(ctx.regionSource()) ? "pass --region " + region
                : "set ANYSCALE_CLOUD_STORAGE_BUCKET_REGION=" + region + " (read before AWS_REGION and IMDS; or pass "
                + "--region " + region + ")";
        if ("ANYSCALE_CLOUD_STORAGE_BUCKET_REGION".equals(ctx.regionSource())) {
            fix = "correct ANYSCALE_CLOUD_STORAGE_BUCKET_REGION to " + region;
        }
        return new Diagnosis(summary, fix);
    }

    private static String bucketName(CallContext ctx) {
        return ctx.bucket() == null ? "?" : ctx.bucket().bucket();
    }

    private static final java.util.regex.Pattern KMS_ACTION = java.util.regex.Pattern.compile("kms:[A-Za-z]+");
    private static final java.util.regex.Pattern KMS_KEY = java.util.regex.Pattern.compile(
            "arn:aws[a-z-]*:kms:[a-z0-9-]+:\\d{12}:key/[A-Za-z0-9-]+");

    /**
     * An SSE-KMS bucket whose key the caller may not use: S3 permissions are not the problem, the key is. The key
     * ARN is in the message when S3 gives it (enhanced messages on GetObject do; PutObject's say "this resource").
     */
    private static Diagnosis kmsDenied(Failure f, CallContext ctx, String who) {
        String message = f.evidence().message() == null ? "" : f.evidence().message();
        java.util.regex.Matcher a = KMS_ACTION.matcher(message);
        java.util.regex.Matcher k = KMS_KEY.matcher(message);
        String action = a.find() ? a.group() : null;
        String key = k.find() ? k.group() : null;
        String keyName = key == null ? "the bucket's KMS key" : "KMS key " + key;
        String summary = "KMS denied: the bucket encrypts with SSE-KMS and " + who + " may not "
                + (action == null ? "use " + keyName : action + " on " + keyName)
                + "; " + ctx.action() + " needs kms:GenerateDataKey to write and kms:Decrypt to read and for "
                + "multipart uploads";
        String resource = key == null ? "arn:" + (ctx.bucket() == null ? "aws" : ctx.bucket().partition())
                + ":kms:REGION:ACCOUNT_ID:key/KEY_ID" : key;
        String principal = ctx.roleArn() == null ? PolicyGenerator.placeholderRoleArn(
                ctx.bucket() == null ? "aws" : ctx.bucket().partition()) : ctx.roleArn();
        String remediation = "add this statement to the policy of " + who + ":\n"
                + PolicyGenerator.kmsRoleStatement(resource) + "\n"
                + "and make sure the key policy allows the role too (always needed for a key in another account):\n"
                + PolicyGenerator.kmsKeyPolicyStatement(principal);
        return new Diagnosis(summary, remediation);
    }

    private static Diagnosis accessDenied(Failure f, CallContext ctx, String who) {
        if (ctx.bucket() == null) {
            // GetCallerIdentity needs no IAM permission: a denial comes from above the role, not from its policy.
            return new Diagnosis("access denied: " + ctx.action() + " was refused for " + who
                    + ", although it needs no IAM permission",
                    "look for an SCP, a VPC endpoint policy or a proxy that blocks " + ctx.action());
        }
        String type = f.evidence().policyType();
        DenialReason reason = type == null ? null
                : new DenialReason(type, Boolean.TRUE.equals(f.evidence().explicitDeny()));
        return new DenialDiagnosis(ctx, who).of(reason);
    }

    /** @param service S3 or STS, as the error code NotS3 / NotSTS names it */
    private static Diagnosis notTheService(String service, String message) {
        boolean s3 = service.equals("S3");
        return new Diagnosis("the endpoint did not answer as " + service + ": " + message + "; a captive portal, a "
                + "proxy or another service is answering in its place", "check HTTPS_PROXY/HTTP_PROXY/NO_PROXY and "
                + (s3 ? "AWS_ENDPOINT_URL_S3" : "AWS_ENDPOINT_URL_STS") + " on this node; " + service + "'s own "
                + "answers carry " + (s3 ? "x-amz-request-id" : "x-amzn-RequestId"));
    }
}
