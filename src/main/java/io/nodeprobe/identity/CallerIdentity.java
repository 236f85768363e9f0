package io.nodeprobe.identity;

/** What STS GetCallerIdentity says: the principal that really signed the calls. */
public record CallerIdentity(String account, String arn, String userId) {

    /** The role name when the caller is an assumed role, else null (an IAM user, root, or an unparseable ARN). */
    public String role() {
        return Arn.parse(arn).flatMap(Arn::roleName).orElse(null);
    }

    /** The IAM role ARN to name in policies, with the account from STS when RGW-style ARNs leave it out. */
    public String roleArn() {
        return Arn.parse(arn).flatMap(Arn::roleName)
                .map(r -> "arn:" + Arn.parse(arn).get().partition() + ":iam::" + account + ":role/" + r).orElse(null);
    }
}
