package io.nodeprobe.identity;

/**
 * A failed IMDS call, sorted by what the caller can do about it. {@code status} is the HTTP status, or 0 when no
 * response came back at all.
 */
public final class ImdsException extends Exception {
    public enum Kind {
        /** Connection refused, no route, host unknown: nothing is listening. */
        UNREACHABLE,
        /** Connected but no answer in time: typical of a token PUT dropped by a too-low hop limit. */
        TIMEOUT,
        /** IMDS answered with an error status. */
        HTTP,
        /** IMDS answered 200 with something that is not what the path serves. */
        MALFORMED
    }

    private final Kind kind;
    private final int status;
    private final boolean emptyBody;

    public ImdsException(Kind kind, int status, String message) {
        this(kind, status, message, false);
    }

    /**
     * @param emptyBody the error answer had no body: EC2 answers an instance whose IMDS is turned off
     *                  (HttpEndpoint=disabled) with a bare 403, while its own refusals carry a small HTML page
     */
    public ImdsException(Kind kind, int status, String message, boolean emptyBody) {
        super(message, null, false, false);
        this.kind = kind;
        this.status = status;
        this.emptyBody = emptyBody;
    }

    public boolean emptyBody() {
        return emptyBody;
    }

    public Kind kind() {
        return kind;
    }

    public int status() {
        return status;
    }

    public boolean retryable() {
        return kind == Kind.UNREACHABLE || kind == Kind.TIMEOUT || status >= 500;
    }
}
