package io.nodeprobe.report;

/**
 * One check's result: the single flat record every renderer (text, JSON, health, metrics, HTML) reads.
 *
 * @param check       which check
 * @param action      what was attempted, e.g. {@code s3:PutObject}; more specific than the check's own where a run
 *                    knows more (the role in {@code GET iam/security-credentials/ROLE})
 * @param resource    what it was attempted on, e.g. an object ARN
 * @param detail      one line of what was found (role name, key, reason for a skip); may be null
 * @param error       evidence of a failed call; null when none
 * @param diagnosis   one-line human diagnosis; null when the check passed
 * @param remediation what to do about it (may span lines: a policy statement); null when nothing to do
 */
public record CheckResult(Check check, String action, String resource, Status status, long durationMs,
                          String detail, ErrorDetail error, String diagnosis, String remediation) {

    public static CheckResult pass(Check check, String resource, long durationMs, String detail) {
        return new CheckResult(check, check.action(), resource, Status.PASS, durationMs, detail, null, null, null);
    }

    public static CheckResult skip(Check check, String resource, String why) {
        return new CheckResult(check, check.action(), resource, Status.SKIP, 0, why, null, null, null);
    }

    /** A check that was not (or not completely) run because the run's deadline came first. */
    public static CheckResult deadlineReached(Check check, String resource, long deadlineMs) {
        return new CheckResult(check, check.action(), resource, Status.UNKNOWN, 0, null,
                new ErrorDetail(null, "Timeout", null, "deadline of " + deadlineMs + "ms reached"),
                "not run: the run's deadline (--timeout " + deadlineMs + "ms) was reached first",
                "check connectivity to the endpoints the earlier checks name; raise --timeout if the network is "
                        + "just slow");
    }

    /** The stable name, as every renderer prints it. */
    public String name() {
        return check.word();
    }

    public CheckResult withDetail(String newDetail) {
        return new CheckResult(check, action, resource, status, durationMs, newDetail, error, diagnosis, remediation);
    }

    public CheckResult withStatus(Status newStatus, String newDiagnosis, String newRemediation) {
        return new CheckResult(check, action, resource, newStatus, durationMs, detail, error, newDiagnosis,
                newRemediation);
    }
}
