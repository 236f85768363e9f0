package io.nodeprobe.diagnosis;

/**
 * What a failed call was doing and as whom, so the diagnosis can name the action, the bucket and the role.
 * {@code bucket} is null for calls that are not on a bucket (STS); {@code role} and {@code roleArn} may be null
 * when STS could not tell them.
 */
public record CallContext(String action, BucketArn bucket, String resource, String role, String roleArn,
                          String region, String regionSource) {

    /** @param regionSource where {@code region} came from ({@code --region}, a variable, {@code imds}); may be null */
    public CallContext(String action, BucketArn bucket, String resource, String role, String roleArn, String region) {
        this(action, bucket, resource, role, roleArn, region, null);
    }
}
