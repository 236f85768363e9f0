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
    S3_PUT("s3.put", "s3:PutObject", Scope.OBJECT),
    S3_GET("s3.get", "s3:GetObject", Scope.OBJECT),
    S3_DELETE("s3.delete", "s3:DeleteObject", Scope.OBJECT);

    /** What the resource of a check names: the IMDS endpoint, STS, the bucket, or an object in it. */
    public enum Scope { IMDS, STS, BUCKET, OBJECT }

    public static final List<Check> IMDS = List.of(IMDS_TOKEN, IMDS_INSTANCE_PROFILE, IMDS_CREDENTIALS);
    public static final List<Check> BUCKET = List.of(S3_LIST, S3_PUT, S3_GET, S3_DELETE);

    private final String word;
    private final String action;
    private final Scope scope;

    Check(String word, String action, Scope scope) {
        this.word = word;
        this.action = action;
        this.scope = scope;
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

    /** The checks one run makes: IMDS and STS always, the bucket's when there is a bucket to probe. */
    public static List<Check> planned(boolean bucket) {
        return bucket ? List.of(values()) : List.of(IMDS_TOKEN, IMDS_INSTANCE_PROFILE, IMDS_CREDENTIALS,
                STS_CALLER_IDENTITY);
    }
}
