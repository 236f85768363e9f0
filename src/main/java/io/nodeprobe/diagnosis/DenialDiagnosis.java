package io.nodeprobe.diagnosis;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What to do about an S3 access denial, from what S3 said refused it. The remediation follows the policy type
 * in the enhanced message: an Allow is offered only where an Allow is what is missing (never against an explicit
 * Deny, which no Allow overrides), organization policies go to the organization's administrator, and a bare
 * "Access Denied" keeps the whole list of places to look, since S3 did not say which.
 */
final class DenialDiagnosis {
    private static final Pattern ACCOUNT = Pattern.compile("^arn:[a-z-]+:(?:iam|sts)::(\\d{12}):");

    private final CallContext ctx;
    private final BucketArn bucket;
    private final String who;
    private final String roleName;
    private final String roleArn;

    DenialDiagnosis(CallContext ctx, String who) {
        this.ctx = ctx;
        this.bucket = ctx.bucket();
        this.who = who;
        this.roleName = ctx.role() == null ? "ROLE_NAME" : ctx.role();
        this.roleArn = ctx.roleArn() == null ? PolicyGenerator.placeholderRoleArn(bucket.partition()) : ctx.roleArn();
    }

    Diagnosis of(DenialReason reason) {
        if (reason == null) {
            return bare();
        }
        String resource = bucket.forAction(ctx.action());
        String refused = ctx.action() + " on " + resource;
        String why = (reason.explicit() ? "with an explicit deny in " : "no Allow in ") + reason.policyName();
        String summary = "access denied: " + who + " may not " + refused + " (" + why + ")";
        String noAllow = "an Allow elsewhere cannot override a Deny: ";
        return switch (reason.policyType()) {
            case DenialReason.IDENTITY -> reason.explicit()
                    ? new Diagnosis(summary, noAllow + "find the Deny on " + ctx.action() + " (or s3:*) among the "
                    + "policies of " + who + " and narrow it or its Condition:\n" + rolePolicies())
                    : new Diagnosis(summary, "add this statement to the policy of " + who + ":\n" + roleStatement());
            case DenialReason.RESOURCE -> resource(reason, summary);
            case DenialReason.SCP -> new Diagnosis(summary, "service control policies belong to the AWS "
                    + "Organization and nothing in this account overrides them: ask the organization's "
                    + "administrator to " + (reason.explicit() ? "exempt" : "allow") + " " + refused + " for "
                    + "account " + accountId() + " (from the management account: aws organizations "
                    + "list-policies-for-target --target-id " + accountId() + " --filter SERVICE_CONTROL_POLICY, "
                    + "and the same for its OUs); give them this check's request "
                    + "id and message");
            case DenialReason.RCP -> new Diagnosis(summary, "resource control policies belong to the bucket "
                    + "owner's AWS Organization and cap every bucket policy: ask that organization's administrator "
                    + "to " + (reason.explicit() ? "exempt" : "allow") + " " + who + " for " + refused + " (aws "
                    + "organizations list-policies-for-target --target-id BUCKET_OWNER_ACCOUNT_ID --filter "
                    + "RESOURCE_CONTROL_POLICY); give them this check's request id and message");
            case DenialReason.PERMISSIONS_BOUNDARY -> reason.explicit()
                    ? new Diagnosis(summary, noAllow + "narrow the Deny in the permissions boundary of " + who
                    + " (aws iam get-role --role-name " + roleName + " --query "
                    + "Role.PermissionsBoundary.PermissionsBoundaryArn)")
                    : new Diagnosis(summary, "a permissions boundary caps what the role's own policy grants: add "
                    + "this statement to the boundary policy (aws iam get-role --role-name " + roleName
                    + " --query Role.PermissionsBoundary.PermissionsBoundaryArn), and to the role's policy if it "
                    + "lacks it:\n" + roleStatement());
            case DenialReason.SESSION -> reason.explicit()
                    ? new Diagnosis(summary, noAllow + "the session policy passed when these credentials were "
                    + "made (the Policy or PolicyArns of AssumeRole or AssumeRoleWithWebIdentity) denies it: "
                    + "narrow that Deny where the session is created")
                    : new Diagnosis(summary, "the session policy passed when these credentials were made (the "
                    + "Policy or PolicyArns of AssumeRole or AssumeRoleWithWebIdentity) caps what the role grants: "
                    + "add this statement to it where the session is created, or create the session without one:\n"
                    + roleStatement());
            case DenialReason.VPC_ENDPOINT -> reason.explicit()
                    ? new Diagnosis(summary, noAllow + "narrow the Deny in the policy of the S3 VPC endpoint "
                    + "this node's traffic goes through:\n" + vpcEndpoints())
                    : new Diagnosis(summary, "add this statement to the policy of the S3 VPC endpoint this "
                    + "node's traffic goes through:\n" + PolicyGenerator.bucketStatement(ctx.action(), bucket,
                    roleArn) + "\n" + vpcEndpoints());
            default -> new Diagnosis(summary, "the role trust policy of " + who + " refused it: check who may "
                    + "assume the role (aws iam get-role --role-name " + roleName
                    + " --query Role.AssumeRolePolicyDocument)");
        };
    }

    /**
     * A bucket policy refused. S3 Block Public Access speaks as "resource-based" too (IgnorePublicAcls denies
     * implicitly, RestrictPublicBuckets explicitly), so both say where to look for it. Over plain HTTP an explicit
     * Deny is most likely Anyscale's aws:SecureTransport statement, which refuses every request without TLS.
     */
    private Diagnosis resource(DenialReason reason, String summary) {
        String publicAccess = "aws s3api get-public-access-block --bucket " + bucket.bucket();
        if (!reason.explicit()) {
            return new Diagnosis(summary, "add this statement to the bucket policy of " + bucket.bucket() + ":\n"
                    + PolicyGenerator.bucketStatement(ctx.action(), bucket, roleArn) + "\n"
                    + "if the bucket policy already allows it, S3 Block Public Access may be the refusal "
                    + "(IgnorePublicAcls is reported the same way): " + publicAccess);
        }
        String readPolicy = "aws s3api get-bucket-policy --bucket " + bucket.bucket()
                + " --query Policy --output text";
        if (ctx.plainHttpEndpoint() != null) {
            return new Diagnosis("access denied: the bucket policy of " + bucket.bucket() + " denies " + ctx.action()
                    + " with an explicit Deny, and nodeprobe spoke plain HTTP to " + ctx.plainHttpEndpoint()
                    + ": Anyscale's bucket policy denies every request without TLS (aws:SecureTransport false)",
                    "use an https:// endpoint (AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL); if that is not the Deny, "
                            + "read the bucket policy: " + readPolicy);
        }
        return new Diagnosis(summary, "an Allow cannot override a Deny: find the Deny on " + ctx.action()
                + " (or s3:*) in the bucket policy and what its Condition tests (aws:SecureTransport, "
                + "aws:SourceVpce, aws:SourceVpc, aws:PrincipalOrgID, aws:PrincipalArn): " + readPolicy + "\n"
                + "S3 Block Public Access reports RestrictPublicBuckets the same way: " + publicAccess);
    }

    /** S3 did not say which policy: every place a denial can come from. */
    private Diagnosis bare() {
        String summary = "access denied: " + who + " may not " + ctx.action() + " on "
                + bucket.forAction(ctx.action());
        String remediation = "add this statement to the policy of " + who + ":\n" + roleStatement() + "\n"
                + "if bucket " + bucket.bucket() + " belongs to another account, its bucket policy must also allow "
                + "the role:\n" + PolicyGenerator.bucketStatement(ctx.action(), bucket, roleArn) + "\n"
                + "also check for an explicit Deny (bucket policy, SCP, permissions boundary, VPC endpoint policy)";
        if (ctx.plainHttpEndpoint() != null) {
            remediation += "\nthe endpoint is plain HTTP (" + ctx.plainHttpEndpoint() + "): a bucket policy that "
                    + "denies aws:SecureTransport false (Anyscale's does) refuses every request; use https://";
        }
        return new Diagnosis(summary, remediation);
    }

    private String roleStatement() {
        return PolicyGenerator.statement(ctx.action(), bucket);
    }

    private String rolePolicies() {
        return "aws iam list-attached-role-policies --role-name " + roleName + "\n"
                + "aws iam list-role-policies --role-name " + roleName;
    }

    private String vpcEndpoints() {
        return "aws ec2 describe-vpc-endpoints --filters Name=service-name,Values=com.amazonaws."
                + (ctx.region() == null ? "REGION" : ctx.region()) + ".s3 --query "
                + "'VpcEndpoints[].[VpcEndpointId,PolicyDocument]'";
    }

    /** The caller's account, from its ARN (an SCP applies to the account the role is in). */
    private String accountId() {
        Matcher m = ctx.roleArn() == null ? null : ACCOUNT.matcher(ctx.roleArn());
        return m != null && m.find() ? m.group(1) : "ACCOUNT_ID";
    }
}
