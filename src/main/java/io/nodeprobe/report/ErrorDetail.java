package io.nodeprobe.report;

/**
 * The raw evidence behind a failed call, kept as the server gave it so the diagnosis can be checked by a person.
 * Any field may be null: a timeout has no HTTP status, RGW sends no message text.
 */
public record ErrorDetail(Integer httpStatus, String code, String requestId, String message) {
}
