package io.nodeprobe.localcloud;

/**
 * What a {@link FaultProxy} does to a request. Each is something a real node meets between itself and IMDS, STS or
 * S3: a middlebox, a proxy, a captive portal, an overloaded service. The name is the one the test report and the
 * README table use.
 */
public enum Fault {
    /** Relayed to the upstream and back, unchanged. */
    PASS("passes through"),
    /** The listening socket is closed: connecting is refused. */
    REFUSED("connection refused"),
    /** Accepts, reads nothing, answers nothing. */
    SILENCE("accept, then silence"),
    /** Reads the request, sends a 200's headers, then nothing. */
    HEADERS_THEN_SILENCE("headers, then silence"),
    /** A 200 whose body comes at one byte a second. */
    SLOW_BODY("body at 1 byte/s"),
    /** Reads the request and resets the connection (RST) before any answer. */
    RESET_BEFORE_HEADERS("reset before the headers"),
    /** The upstream's real answer, reset (RST) half-way through its body (its head, when it has no body). */
    RESET_MID_BODY("reset in the middle of the body"),
    /**
     * The upstream's real answer, closed (FIN) with its body shorter than its Content-Length; an answer with no body
     * (a PUT's, a DELETE's) is cut in its head, so that no answer gets through whole.
     */
    SHORT_BODY("body shorter than Content-Length"),
    /** 500 in the service's own error shape. */
    ERROR_500("500"),
    /** 503 in the service's throttling shape, with Retry-After. */
    SLOW_DOWN_503("503 SlowDown with Retry-After"),
    /** 429 in the service's throttling shape, with Retry-After. */
    TOO_MANY_429("429"),
    /** 200 whose body is neither XML nor JSON, with the service's request id (it is not the headers that tell). */
    GARBAGE_200("200 with garbage"),
    /** 200 with a captive portal's HTML page. */
    PORTAL_200("200 with an HTML captive-portal page"),
    /** 302 to the very URL asked for, for ever. */
    REDIRECT_LOOP("redirect loop"),
    /** 500 with a 10 MB body. */
    HUGE_ERROR("10 MB error body"),
    /** Plain bytes where a TLS server hello should be (the endpoint is https://). */
    TLS_FAILURE("TLS handshake failure"),
    /** The endpoint's host name does not resolve (nothing listens; no proxy involved). */
    UNRESOLVABLE("host name that does not resolve"),
    /** The service listens on [::1] only and the endpoint says localhost. */
    IPV6_ONLY("IPv6-only listener, endpoint localhost");

    private final String label;

    Fault(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
