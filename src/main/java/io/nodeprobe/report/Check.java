package io.nodeprobe.report;

import java.util.List;

/**
 * The checks a run can make, in report order: each owns its stable name (monitoring and scripts select on it), the
 * action it attempts and the shape of the resource it attempts it on. Nothing else spells these out.
 */
public enum Check {
    IMDS_TOKEN("imds.token", "PUT /latest/api/token", Scope.IMDS),
    IMDS_INSTANCE_PROFILE("imds.instance-profile", "GET iam/info", Scope.IMDS),
    IMDS_CREDENTIALS("imds.credentials", "GET iam/security-credentials/", Scope.IMDS),
    STS_CALLER_IDENTITY("sts.caller-identity", "sts:GetCallerIdentity", Scope.STS),
    S3_LIST("s3.list", "s3:ListBucket", Scope.BUCKET),
    S3_LOCATION("s3.location", "s3:GetBucketLocation", Scope.BUCKET, true),
    S3_PUT("s3.put", "s3:PutObject", Scope.OBJECT),
    S3_GET("s3.get", "s3:GetObject", Scope.OBJECT),
    S3_DELETE("s3.delete", "s3:DeleteObject", Scope.OBJECT),
    /** CreateMultipartUpload and UploadPart: both need s3:PutObject (and KMS permissions on SSE-KMS buckets). */
    S3_MULTIPART("s3.multipart", "s3:PutObject", Scope.OBJECT),
    S3_LIST_PARTS("s3.list-parts", "s3:ListMultipartUploadParts", Scope.OBJECT, true),
    S3_LIST_UPLOADS("s3.list-uploads", "s3:ListBucketMultipartUploads", Scope.BUCKET, true),
    S3_ABORT("s3.abort", "s3:AbortMultipartUpload", Scope.OBJECT, true),
    /** Judged last, from the Date headers of every answer the run got. */
    NODE_CLOCK("node.clock", "compare the Date headers of the answers", Scope.NODE);

    /** What the resource of a check names: the IMDS endpoint, STS, the bucket, an object in it, or the node. */
    public enum Scope { IMDS, STS, BUCKET, OBJECT, NODE }

    public static final List<Check> IMDS = List.of(IMDS_TOKEN, IMDS_INSTANCE_PROFILE, IMDS_CREDENTIALS);
    public static final List<Check> BUCKET = List.of(S3_LIST, S3_LOCATION, S3_PUT, S3_GET, S3_DELETE, S3_MULTIPART,
            S3_LIST_PARTS, S3_LIST_UPLOADS, S3_ABORT);
    /** The checks that write; --read-only skips them. */
    public static final List<Check> WRITES = List.of(S3_PUT, S3_GET, S3_DELETE, S3_MULTIPART, S3_LIST_PARTS,
            S3_LIST_UPLOADS, S3_ABORT);

    private final String word;
    private final String action;
    private final Scope scope;
    private final boolean beyondMinimum;

    Check(String word, String action, Scope scope) {
        this(word, action, scope, false);
    }

    Check(String word, String action, Scope scope, boolean beyondMinimum) {
        this.word = word;
        this.action = action;
        this.scope = scope;
        this.beyondMinimum = beyondMinimum;
    }

    /**
     * True for the actions Anyscale's documented minimum role policy ({@code s3:ListBucket} on the bucket,
     * {@code s3:*Object} on its objects) does not grant, since {@code *Object} matches only names ending in "Object".
     * Their denial is a warning, not a failure: the minimum policy is a supported set-up.
     */
    public boolean beyondMinimum() {
        return beyondMinimum;
    }

    /** The stable name, e.g. {@code s3.put}. */
    public String word() {
        return word;
    }

    /** The IAM action for AWS calls, the HTTP request for IMDS. */
    public String action() {
        return action;
    }

    public Scope scope() {
        return scope;
    }

    /** The checks one run makes: IMDS, STS and the clock always, the bucket's when there is a bucket to probe. */
    public static List<Check> planned(boolean bucket) {
        return bucket ? List.of(values()) : List.of(IMDS_TOKEN, IMDS_INSTANCE_PROFILE, IMDS_CREDENTIALS,
                STS_CALLER_IDENTITY, NODE_CLOCK);
    }
}
