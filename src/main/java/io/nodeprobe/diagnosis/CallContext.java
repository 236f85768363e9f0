package io.nodeprobe.diagnosis;

/**
 * What a failed call was doing and as whom, so the diagnosis can name the action, the bucket and the role.
 * {@code roleArn} may be null when STS could not tell it.
 */
public record CallContext(String action, String bucket, String resource, String role, String roleArn,
                          String region) {
}
