package io.nodeprobe.identity;

import io.nodeprobe.aws.Deadline;
import io.nodeprobe.diagnosis.CallContext;
import io.nodeprobe.diagnosis.Diagnosis;
import io.nodeprobe.diagnosis.ErrorClassifier;
import io.nodeprobe.diagnosis.Failure;
import io.nodeprobe.report.CheckName;
import io.nodeprobe.report.CheckResult;
import io.nodeprobe.report.Status;
import java.time.Duration;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

/**
 * STS GetCallerIdentity, cross-checked against IMDS: the role that signs must be the role the node was given.
 * GetCallerIdentity needs no permission, so a failure here is about the credentials or the network, never IAM policy.
 */
public final class CallerIdentityCheck {
    private static final String ACTION = "sts:GetCallerIdentity";

    public record Outcome(CheckResult check, CallerIdentity identity) {
    }

    public Outcome run(StsClient sts, Deadline deadline, CredentialSource source, String imdsRole) {
        long t0 = System.nanoTime();
        if (deadline.expired()) {
            return new Outcome(CheckResult.skip(CheckName.STS_CALLER_IDENTITY, ACTION, "sts", "deadline reached"),
                    null);
        }
        GetCallerIdentityResponse r;
        try {
            Duration budget = deadline.remaining();
            r = sts.getCallerIdentity(b -> b.overrideConfiguration(o -> o.apiCallTimeout(budget)));
        } catch (RuntimeException e) {
            Failure f = ErrorClassifier.classify(e);
            Diagnosis d = Diagnosis.of(f, new CallContext(ACTION, null, "sts", imdsRole, null, null));
            return new Outcome(new CheckResult(CheckName.STS_CALLER_IDENTITY, ACTION, "sts", f.kind().status(),
                    ms(t0), "credentials from " + source.description(), f.evidence(), d.summary(), d.remediation()),
                    null);
        }
        CallerIdentity id = new CallerIdentity(r.account(), r.arn(), r.userId());
        String detail = id.arn() + " via " + source.description();
        CheckResult check = CheckResult.pass(CheckName.STS_CALLER_IDENTITY, ACTION, id.arn(), ms(t0), detail);
        return new Outcome(crossCheck(check, id, source, imdsRole), id);
    }

    /** Warns when the signing principal is not the instance profile's role, and says why. */
    static CheckResult crossCheck(CheckResult check, CallerIdentity id, CredentialSource source, String imdsRole) {
        if (Arn.parse(id.arn()).isEmpty()) {
            return check.withStatus(Status.WARN, "STS returned an ARN that does not parse: " + id.arn(), null);
        }
        String stsRole = id.role();
        boolean sameRole = imdsRole != null && imdsRole.equals(stsRole);
        if (source != CredentialSource.INSTANCE_PROFILE && imdsRole != null) {
            String signer = stsRole == null ? id.arn() : "role " + stsRole;
            String what = sameRole
                    ? "credentials from " + source.description() + " shadow the instance profile (same role "
                    + stsRole + ", but they are not rotated by IMDS)"
                    : "credentials from " + source.description() + " shadow the instance profile role " + imdsRole
                    + ": calls are signed as " + signer;
            return check.withStatus(Status.WARN, what, "unset " + unsetHint(source)
                    + " so the node uses its instance profile");
        }
        if (source == CredentialSource.INSTANCE_PROFILE && imdsRole != null && !sameRole) {
            return check.withStatus(Status.WARN, "STS says the calls are signed as " + id.arn()
                    + " but IMDS serves role " + imdsRole, "check for a proxy or credential_process rewriting "
                    + "credentials, and the instance profile's role");
        }
        return check;
    }

    private static String unsetHint(CredentialSource source) {
        return switch (source) {
            case ENVIRONMENT -> "AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN";
            case SYSTEM_PROPERTIES -> "the aws.accessKeyId/aws.secretAccessKey system properties";
            case WEB_IDENTITY -> "AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN";
            case PROFILE -> "AWS_PROFILE and remove the credentials from ~/.aws";
            case CONTAINER -> "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI/FULL_URI";
            case INSTANCE_PROFILE -> "nothing";
        };
    }

    private static long ms(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
