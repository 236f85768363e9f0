package io.nodeprobe.diagnosis;

import java.util.List;

/** Who signs the calls, and whether that is who the node should be: the verdicts on credentials and identity. */
public final class IdentityDiagnosis {
    private IdentityDiagnosis() {
    }

    public static Diagnosis unparseableArn(String arn) {
        return new Diagnosis("STS returned an ARN that does not parse: " + arn, null);
    }

    /** Credentials from elsewhere take precedence over the instance profile in every SDK's chain. */
    public static Diagnosis shadowed(String sourceDescription, String unsetHint, String imdsRole, String stsRole,
                                     String callerArn) {
        boolean sameRole = imdsRole.equals(stsRole);
        String signer = stsRole == null ? callerArn : "role " + stsRole;
        String what = sameRole
                ? "credentials from " + sourceDescription + " shadow the instance profile (same role " + stsRole
                + ", but they are not rotated by IMDS)"
                : "credentials from " + sourceDescription + " shadow the instance profile role " + imdsRole
                + ": calls are signed as " + signer;
        return new Diagnosis(what, "unset " + unsetHint + " so the node uses its instance profile");
    }

    public static Diagnosis otherSigner(String callerArn, String imdsRole) {
        return new Diagnosis("STS says the calls are signed as " + callerArn + " but IMDS serves role " + imdsRole,
                "check for a proxy or credential_process rewriting credentials, and the instance profile's role");
    }

    /** A configured source failed and a later link of the chain signed the calls instead. */
    public static Diagnosis sourcesFailed(List<String> problems, String usedDescription) {
        return new Diagnosis(String.join("; ", problems) + "; the calls were signed with " + usedDescription
                + " instead", "fix or unset the failing source, so the node signs with the credentials meant for it");
    }

    public static Diagnosis noCredentials(List<String> problems) {
        String why = problems.isEmpty() ? "no environment variables, profile, container or instance profile "
                + "credentials" : String.join("; ", problems);
        return new Diagnosis("no credentials found: " + why, problems.isEmpty()
                ? "attach an instance profile to the node, or provide credentials"
                : "fix the failing credential source, or attach an instance profile to the node");
    }

    public static Diagnosis wrongProfile(String actual, String expected) {
        return new Diagnosis("the node runs with instance profile " + actual + " but " + expected + " is expected",
                "launch the node with " + expected + " (on Anyscale: the compute config's {\"IamInstanceProfile\": "
                        + "{\"Arn\": \"" + expected + "\"}}), or correct the expectation");
    }

    /** An expectation that cannot be checked must not pass by default: a wrong profile would go unseen. */
    public static Diagnosis profileUnverifiable(String expected, String why) {
        return new Diagnosis("instance profile " + expected + " is expected but cannot be verified: " + why,
                "let nodeprobe reach IMDS (unset AWS_EC2_METADATA_DISABLED, fix the IMDS checks), or drop "
                        + "--expected-instance-profile / --compute-config where the node has no instance profile");
    }
}
