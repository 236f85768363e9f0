package io.nodeprobe.probe;

import io.nodeprobe.aws.Deadline;
import io.nodeprobe.diagnosis.BucketArn;
import io.nodeprobe.diagnosis.CallContext;
import io.nodeprobe.diagnosis.Diagnosis;
import io.nodeprobe.diagnosis.ErrorClassifier;
import io.nodeprobe.diagnosis.Failure;
import io.nodeprobe.diagnosis.FailureKind;
import io.nodeprobe.report.Check;
import io.nodeprobe.report.CheckResult;
import io.nodeprobe.report.ErrorDetail;
import io.nodeprobe.report.Status;
import java.util.function.Supplier;

/**
 * Runs the calls of one bucket check within the run's deadline and turns what S3 answered into its result: pass
 * with the detail the calls return, or the failure classified, diagnosed and timed. Shared by the object and the
 * multipart probes, so that every bucket check is judged by the same rules.
 */
final class CheckCall {
    private final BucketArn arn;
    private final String region;
    private final String regionSource;
    private final String plainHttpEndpoint;
    private final Supplier<BucketProbe.Principal> principal;
    private final Deadline deadline;
    /** Where S3 said the bucket is, when a refusal said so; any lane may set it. */
    private volatile String bucketRegion;

    CheckCall(BucketArn arn, String region, String regionSource, String plainHttpEndpoint,
              Supplier<BucketProbe.Principal> principal, Deadline deadline) {
        this.arn = arn;
        this.region = region;
        this.regionSource = regionSource;
        this.plainHttpEndpoint = plainHttpEndpoint;
        this.principal = principal;
        this.deadline = deadline;
    }

    CheckResult run(Check check, String resource, Supplier<String> calls) {
        if (deadline.expired()) {
            return CheckResult.deadlineReached(check, resource, deadline.total().toMillis());
        }
        long t0 = System.nanoTime();
        try {
            String detail = calls.get(); // before ms(t0): arguments are evaluated left to right
            return CheckResult.pass(check, resource, ms(t0), detail);
        } catch (Unexpected e) {
            Failure f = new Failure(FailureKind.CONTENT_MISMATCH, new ErrorDetail(200, e.code, null, e.getMessage()),
                    null);
            return failed(check, resource, t0, f);
        } catch (StillThere e) {
            Diagnosis d = Diagnosis.stillThere();
            return new CheckResult(check, check.action(), resource, Status.FAIL, ms(t0), null,
                    new ErrorDetail(200, "StillThere", null, e.getMessage()), d.summary(), d.remediation());
        } catch (RuntimeException e) {
            return failed(check, resource, t0, ErrorClassifier.classify(e));
        }
    }

    /** The bucket's region as S3 named it in a refusal (x-amz-bucket-region, or an error's text); else null. */
    String bucketRegion() {
        return bucketRegion;
    }

    private CheckResult failed(Check check, String resource, long t0, Failure f) {
        if (f.bucketRegion() != null) {
            bucketRegion = f.bucketRegion();
        }
        BucketProbe.Principal who = principal.get();
        Diagnosis d = Diagnosis.of(f, new CallContext(check.action(), arn, resource, who.role(), who.roleArn(),
                region, regionSource, plainHttpEndpoint));
        Status status = f.kind().status();
        if (check.beyondMinimum() && f.kind() == FailureKind.ACCESS_DENIED) {
            status = Status.WARN; // the documented minimum policy lacks it: a gap to close, not a broken node
            d = d.beyondMinimum(check.action());
        }
        return new CheckResult(check, check.action(), resource, status, ms(t0), null, f.evidence(),
                d.summary(), d.remediation());
    }

    private static long ms(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    /**
     * S3 answered, but not what the calls just made imply: other bytes read back, a part or an upload missing from
     * its listing. {@code code} is the evidence's error code.
     */
    static final class Unexpected extends RuntimeException {
        final String code;

        Unexpected(String code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }

    /** A delete S3 acknowledged, while the object is still there. */
    static final class StillThere extends RuntimeException {
        StillThere(String key) {
            super("HEAD/list still finds " + key + " after DeleteObject", null, false, false);
        }
    }
}
