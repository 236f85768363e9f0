package io.nodeprobe.diagnosis;

/**
 * What a failed call was doing and as whom, so the diagnosis can name the action, the bucket and the role.
 * {@code bucket} is null for calls that are not on a bucket (STS); {@code role} and {@code roleArn} may be null
 * when STS could not tell them.
 */
public record CallContext(String action, BucketArn bucket, String resource, String role, String roleArn,
                          String region, String regionSource, String plainHttpEndpoint) {

    /**
     * @param regionSource      where {@code region} came from ({@code --region}, a variable, {@code imds}); may be null
     * @param plainHttpEndpoint the S3 endpoint when it is {@code http://} (a bucket policy may refuse that), else null
     */
    public CallContext(String action, BucketArn bucket, String resource, String role, String roleArn, String region,
                       String regionSource) {
        this(action, bucket, resource, role, roleArn, region, regionSource, null);
    }

    public CallContext(String action, BucketArn bucket, String resource, String role, String roleArn, String region) {
        this(action, bucket, resource, role, roleArn, region, null);
    }
}
