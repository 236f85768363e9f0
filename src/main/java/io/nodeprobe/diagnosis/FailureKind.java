package io.nodeprobe.diagnosis;

import io.nodeprobe.report.Status;

/** Why a call failed, as far as the evidence tells; each kind says whether the answer is definite. */
public enum FailureKind {
    ACCESS_DENIED(Status.FAIL),
    /** S3 refused because KMS did: an SSE-KMS bucket, and the caller may not use its key. */
    KMS_DENIED(Status.FAIL),
    NO_SUCH_BUCKET(Status.FAIL),
    WRONG_REGION(Status.FAIL),
    INVALID_CREDENTIALS(Status.FAIL),
    EXPIRED_CREDENTIALS(Status.FAIL),
    CLOCK_SKEW(Status.FAIL),
    TLS(Status.FAIL),
    CONTENT_MISMATCH(Status.FAIL),
    CLIENT_ERROR(Status.FAIL),
    THROTTLED(Status.UNKNOWN),
    /** Something other than S3 or STS answered (a captive portal, a proxy): the service itself was never heard. */
    NOT_THE_SERVICE(Status.UNKNOWN),
    SERVER_ERROR(Status.UNKNOWN),
    NETWORK(Status.UNKNOWN),
    TIMEOUT(Status.UNKNOWN);

    private final Status status;

    FailureKind(Status status) {
        this.status = status;
    }

    public Status status() {
        return status;
    }
}
