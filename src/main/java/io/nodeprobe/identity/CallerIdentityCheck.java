package io.nodeprobe.identity;

import io.nodeprobe.aws.Deadline;
import io.nodeprobe.diagnosis.CallContext;
import io.nodeprobe.diagnosis.Diagnosis;
import io.nodeprobe.diagnosis.ErrorClassifier;
import io.nodeprobe.diagnosis.Failure;
import io.nodeprobe.diagnosis.IdentityDiagnosis;
import io.nodeprobe.report.Check;
import io.nodeprobe.report.CheckResult;
import io.nodeprobe.report.Status;
import java.util.List;

/**
 * STS GetCallerIdentity, cross-checked against IMDS: the role that signs must be the role the node was given.
 * GetCallerIdentity needs no permission, so a failure here is about the credentials or the network, never IAM policy.
 */
public final class CallerIdentityCheck {
    private static final Check CHECK = Check.STS_CALLER_IDENTITY;

    public record Outcome(CheckResult check, CallerIdentity identity) {
    }

    /** @param problems configured credential sources that failed before {@code source} answered */
    public Outcome run(Sts sts, Deadline deadline, CredentialSource source, List<String> problems, String imdsRole) {
        long t0 = System.nanoTime();
        if (deadline.expired()) {
            return new Outcome(CheckResult.deadlineReached(CHECK, "sts", deadline.total().toMillis()), null);
        }
        CallerIdentity id;
        try {
            id = sts.callerIdentity(deadline.remaining());
        } catch (RuntimeException e) {
            Failure f = ErrorClassifier.classify(e);
            Diagnosis d = Diagnosis.of(f, new CallContext(CHECK.action(), null, "sts", imdsRole, null, null));
            return new Outcome(new CheckResult(CHECK, CHECK.action(), "sts", f.kind().status(), ms(t0),
                    "credentials from " + source.description(), f.evidence(), d.summary(), d.remediation()), null);
        }
        String detail = id.arn() + " via " + source.description();
        CheckResult check = CheckResult.pass(CHECK, id.arn(), ms(t0), detail);
        CheckResult crossChecked = crossCheck(check, id, source, imdsRole);
        if (!problems.isEmpty() && crossChecked.status() == Status.PASS) {
            Diagnosis d = IdentityDiagnosis.sourcesFailed(problems, source.description());
            crossChecked = crossChecked.withStatus(Status.WARN, d.summary(), d.remediation());
        }
        return new Outcome(crossChecked, id);
    }

    /** Warns when the signing principal is not the instance profile's role, and says why. */
    static CheckResult crossCheck(CheckResult check, CallerIdentity id, CredentialSource source, String imdsRole) {
        if (id.parsed().isEmpty()) {
            return warn(check, IdentityDiagnosis.unparseableArn(id.arn()));
        }
        String stsRole = id.role();
        if (source != CredentialSource.INSTANCE_PROFILE && imdsRole != null) {
            return warn(check, IdentityDiagnosis.shadowed(source.description(), unsetHint(source), imdsRole, stsRole,
                    id.arn()));
        }
        if (source == CredentialSource.INSTANCE_PROFILE && imdsRole != null && !imdsRole.equals(stsRole)) {
            return warn(check, IdentityDiagnosis.otherSigner(id.arn(), imdsRole));
        }
        return check;
    }

    private static CheckResult warn(CheckResult check, Diagnosis d) {
        return check.withStatus(Status.WARN, d.summary(), d.remediation());
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
