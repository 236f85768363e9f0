package io.nodeprobe.report;

/** The stable check names; monitoring and scripts select on them. */
public final class CheckName {
    public static final String IMDS_TOKEN = "imds.token";
    public static final String IMDS_INSTANCE_PROFILE = "imds.instance-profile";
    public static final String IMDS_CREDENTIALS = "imds.credentials";
    public static final String STS_CALLER_IDENTITY = "sts.caller-identity";
    public static final String S3_LIST = "s3.list";
    public static final String S3_PUT = "s3.put";
    public static final String S3_GET = "s3.get";
    public static final String S3_DELETE = "s3.delete";

    private CheckName() {
    }
}
