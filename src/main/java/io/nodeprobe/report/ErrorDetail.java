package io.nodeprobe.report;

/**
 * The raw evidence behind a failed call, kept as the server gave it so the diagnosis can be checked by a person.
 * Any field may be null: a timeout has no HTTP status, RGW sends no message text. {@code policyType} and
 * {@code explicitDeny} are read from an enhanced access-denied message ("... with an explicit deny in a
 * resource-based policy"), null when the message does not say.
 */
public record ErrorDetail(Integer httpStatus, String code, String requestId, String message, String policyType,
                          Boolean explicitDeny) {

    public ErrorDetail(Integer httpStatus, String code, String requestId, String message) {
        this(httpStatus, code, requestId, message, null, null);
    }
}
