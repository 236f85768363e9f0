package io.nodeprobe.report;

/**
 * The bucket and prefix the probes used, and what the probes learnt of the bucket.
 *
 * @param region       the region the calls were signed for
 * @param regionSource where that region came from: {@code --region}, an environment variable's name, {@code imds}
 *                     or {@code default}
 * @param bucketRegion the region S3 said the bucket is in (x-amz-bucket-region, or the region an error names);
 *                     null when S3 did not say
 * @param bucketOwner  {@code same-account}, {@code other-account} or {@code unknown} (see BucketProbe)
 * @param encryption   what S3 applied to the probe object: {@code SSE-S3}, {@code SSE-KMS}, {@code DSSE-KMS},
 *                     {@code none}, or null when nothing was written
 * @param kmsKeyId     the KMS key S3 named for SSE-KMS, else null
 */
public record TargetInfo(String bucket, String prefix, String region, String regionSource, String bucketRegion,
                         String bucketOwner, String encryption, String kmsKeyId) {
    public static final String UNKNOWN_OWNER = "unknown";

    public TargetInfo(String bucket, String prefix, String region) {
        this(bucket, prefix, region, null, null, UNKNOWN_OWNER, null, null);
    }

    public TargetInfo(String bucket, String prefix, String region, String regionSource) {
        this(bucket, prefix, region, regionSource, null, UNKNOWN_OWNER, null, null);
    }

    public TargetInfo withFindings(String bucketRegion, String owner, String encryption, String kmsKeyId) {
        return new TargetInfo(bucket, prefix, region, regionSource, bucketRegion, owner, encryption, kmsKeyId);
    }
}
