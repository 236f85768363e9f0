package io.nodeprobe.identity;

import java.util.Optional;

/** What STS GetCallerIdentity says: the principal that really signed the calls. */
public record CallerIdentity(String account, String arn, String userId) {

    /** The caller's ARN, with the account from STS filled in where RGW-style ARNs leave it out. */
    public Optional<Arn> parsed() {
        return Arn.parse(arn).map(a -> a.account().isEmpty() && account != null ? a.withAccount(account) : a);
    }

    /** The role name when the caller is an assumed role, else null (an IAM user, root, or an unparseable ARN). */
    public String role() {
        return parsed().flatMap(Arn::roleName).orElse(null);
    }

    /** The IAM role ARN that policies must name, or null when the caller is not an assumed role. */
    public String roleArn() {
        return parsed().flatMap(Arn::iamRoleArn).orElse(null);
    }

    /** The caller's partition ({@code aws}, {@code aws-cn}, {@code aws-us-gov}, ...), or null. */
    public String partition() {
        return parsed().map(Arn::partition).orElse(null);
    }
}
