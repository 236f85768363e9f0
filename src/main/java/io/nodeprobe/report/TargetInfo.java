package io.nodeprobe.report;

/**
 * The bucket and prefix the probes used, and what the probes learnt of the bucket.
 *
 * @param bucketOwner {@code same-account}, {@code other-account} or {@code unknown} (see BucketProbe)
 * @param encryption  what S3 applied to the probe object: {@code SSE-S3}, {@code SSE-KMS}, {@code DSSE-KMS},
 *                    {@code none}, or null when nothing was written
 * @param kmsKeyId    the KMS key S3 named for SSE-KMS, else null
 */
public record TargetInfo(String bucket, String prefix, String region, String bucketOwner, String encryption,
                         String kmsKeyId) {
    public static final String UNKNOWN_OWNER = "unknown";

    public TargetInfo(String bucket, String prefix, String region) {
        this(bucket, prefix, region, UNKNOWN_OWNER, null, null);
    }

    public TargetInfo withFindings(String owner, String encryption, String kmsKeyId) {
        return new TargetInfo(bucket, prefix, region, owner, encryption, kmsKeyId);
    }
}
