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
        MALFORMED,
        /**
         * Something else answered: an HTML page with a 200, a redirect, a token that is not one. IMDS does none of
         * these; a proxy, a portal or another service at the configured endpoint does.
         */
        NOT_IMDS
    }

    private final Kind kind;
    private final int status;
    private final boolean emptyBody;
    private final String code;

    public ImdsException(Kind kind, int status, String message) {
        this(kind, status, message, false);
    }

    /** @param code what the network did, in the words of the report's error.code (ConnectionReset, UnknownHost) */
    public ImdsException(Kind kind, String code, String message) {
        super(message, null, false, false);
        this.kind = kind;
        this.status = 0;
        this.emptyBody = false;
        this.code = code;
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
        this.code = null;
    }

    /** A copy with more said, for the attempts it took. */
    public ImdsException withMessage(String message) {
        return code != null ? new ImdsException(kind, code, message)
                : new ImdsException(kind, status, message, emptyBody);
    }

    /** The report's error.code: the cause, never a Java class name. */
    public String code() {
        if (code != null) {
            return code;
        }
        return switch (kind) {
            case TIMEOUT -> "Timeout";
            case UNREACHABLE -> "Unreachable";
            case HTTP -> "HTTP" + status;
            case MALFORMED -> "MalformedDocument";
            case NOT_IMDS -> "NotImds";
        };
    }

    /** Nothing listens there, or the name does not resolve: as opposed to a connection that broke. */
    public boolean nothingThere() {
        return kind == Kind.UNREACHABLE && (code == null || code.equals("ConnectionRefused")
                || code.equals("UnknownHost") || code.equals("NoRouteToHost"));
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
        return kind == Kind.UNREACHABLE || kind == Kind.TIMEOUT || status >= 500 || status == 429;
    }
}
