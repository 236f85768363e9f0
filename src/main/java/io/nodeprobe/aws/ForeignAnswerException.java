package io.nodeprobe.aws;

/**
 * An answer that did not come from the service asked (S3 or STS): no request id (both put one on every answer), an
 * HTML page, a PutObject without an ETag, a body that is not the service's XML. A captive portal or a misconfigured
 * proxy answers so, and the SDK would otherwise read its 200 as an empty listing, a stored object or an identity
 * with no fields.
 *
 * <p>A plain RuntimeException on purpose: thrown from an interceptor, the SDK wraps it as the cause of its own
 * SdkClientException (a subclass of SdkClientException would be rebuilt through toBuilder() and lose its type), and
 * it is never retried, which is right: the same thing answers again.
 */
public final class ForeignAnswerException extends RuntimeException {
    private final String service;
    private final int status;

    private ForeignAnswerException(String service, int status, String why) {
        super(why, null, false, false);
        this.service = service;
        this.status = status;
    }

    /** @param service as the report names it: S3, STS */
    public static ForeignAnswerException of(String service, int status, String why) {
        return new ForeignAnswerException(service, status, why);
    }

    public String service() {
        return service;
    }

    /** The HTTP status of the answer, 0 when there was none to speak of. */
    public int status() {
        return status;
    }
}
