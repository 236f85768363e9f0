package io.nodeprobe.report;

/** Who the node is to AWS: what STS says signed the calls, and what IMDS says the node was given. */
public record IdentityInfo(String account, String arn, String role, String instanceProfileArn,
                           String credentialSource, String credentialsExpireAt) {
    public static final IdentityInfo UNKNOWN = new IdentityInfo(null, null, null, null, null, null);
}
