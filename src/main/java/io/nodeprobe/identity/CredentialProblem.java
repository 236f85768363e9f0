package io.nodeprobe.identity;

import io.nodeprobe.report.ErrorDetail;
import io.nodeprobe.report.Status;

/**
 * A configured credential source that gave no credentials, and why: its own diagnosis, with the evidence when a
 * service answered. {@code status} is FAIL for a definite answer (a denial, a missing file), UNKNOWN when trying
 * again may work (a timeout, a network error).
 */
public record CredentialProblem(CredentialSource source, Status status, String summary, String remediation,
                                ErrorDetail evidence) {

    /** A failure the source's SDK provider reported, known only by its message. */
    static CredentialProblem failed(CredentialSource source, Status status, String summary) {
        return new CredentialProblem(source, status, summary, null, null);
    }
}
