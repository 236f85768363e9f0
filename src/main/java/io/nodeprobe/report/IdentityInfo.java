package io.nodeprobe.report;

import java.time.Instant;

/**
 * Who the node is to AWS: what STS says signed the calls, and what IMDS says the node was given.
 *
 * @param roleArn the IAM role ARN that policies must name, as STS's caller ARN gives it; null when STS could not say
 */
public record IdentityInfo(String account, String arn, String role, String roleArn, String instanceProfileArn,
                           String credentialSource, Instant credentialsExpireAt) {
}
