package io.nodeprobe.report;

/**
 * One check's result: the single flat record every renderer (text, JSON, health, metrics, HTML) reads.
 *
 * @param name        stable check name, e.g. {@code s3.put}
 * @param action      what was attempted, e.g. {@code s3:PutObject}
 * @param resource    what it was attempted on, e.g. an object ARN
 * @param detail      one line of what was found (role name, key, reason for a skip); may be null
 * @param error       evidence of a failed call; null when none
 * @param diagnosis   one-line human diagnosis; null when the check passed
 * @param remediation what to do about it (may span lines: a policy statement); null when nothing to do
 */
public record CheckResult(String name, String action, String resource, Status status, long durationMs,
                          String detail, ErrorDetail error, String diagnosis, String remediation) {

    public static CheckResult pass(String name, String action, String resource, long durationMs, String detail) {
        return new CheckResult(name, action, resource, Status.PASS, durationMs, detail, null, null, null);
    }

    public static CheckResult skip(String name, String action, String resource, String why) {
        return new CheckResult(name, action, resource, Status.SKIP, 0, why, null, null, null);
    }

    public CheckResult withDetail(String newDetail) {
        return new CheckResult(name, action, resource, status, durationMs, newDetail, error, diagnosis, remediation);
    }

    public CheckResult withStatus(Status newStatus, String newDiagnosis, String newRemediation) {
        return new CheckResult(name, action, resource, newStatus, durationMs, detail, error, newDiagnosis,
                newRemediation);
    }
}
