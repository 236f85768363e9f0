package io.nodeprobe.aws;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * Refuses an answer that shows no sign of being the service's before the SDK reads it, so that a captive portal's
 * {@code 200 text/html} is not taken for an empty listing and its {@code 403} page not for a denial. S3 (and Ceph
 * RGW and MinIO) send {@code x-amz-request-id} on every answer, errors and HEADs included, STS sends
 * {@code x-amzn-RequestId}; neither ever answers HTML.
 *
 * <p>It also holds each body to its Content-Length: the url-connection client returns a body cut short by a closed
 * connection as if whole, which would make a truncated GetObject look like S3 returning the wrong bytes.
 */
final class AnswerCheck implements ExecutionInterceptor {
    /** S3's and STS's error documents are well under a kilobyte; a megabyte is a page from something else. */
    private static final long MAX_ERROR_BODY = 1024 * 1024;
    private final String service;
    private final String requestIdHeader;

    private AnswerCheck(String service, String requestIdHeader) {
        this.service = service;
        this.requestIdHeader = requestIdHeader;
    }

    static AnswerCheck s3() {
        return new AnswerCheck("S3", "x-amz-request-id");
    }

    static AnswerCheck sts() {
        return new AnswerCheck("STS", "x-amzn-RequestId");
    }

    @Override
    public java.util.Optional<java.io.InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse context,
                                                                            ExecutionAttributes attributes) {
        java.util.Optional<java.io.InputStream> body = context.responseBody();
        if (body.isEmpty() || context.httpRequest().method() == software.amazon.awssdk.http.SdkHttpMethod.HEAD) {
            return body;
        }
        return context.httpResponse().firstMatchingHeader("Content-Length").flatMap(AnswerCheck::length)
                .<java.io.InputStream>map(n -> new WholeBody(body.get(), n)).or(() -> body);
    }

    private static java.util.Optional<Long> length(String v) {
        try {
            return java.util.Optional.of(Long.parseLong(v.strip()));
        } catch (NumberFormatException e) {
            return java.util.Optional.empty();
        }
    }

    @Override
    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
        SdkHttpResponse r = context.httpResponse();
        String type = r.firstMatchingHeader("Content-Type").orElse("");
        String server = r.firstMatchingHeader("Server").map(s -> ", Server: " + s).orElse("");
        if (type.toLowerCase(java.util.Locale.ROOT).startsWith("text/html")) {
            throw ForeignAnswerException.of(service, r.statusCode(), "HTTP " + r.statusCode() + " with an HTML page "
                    + "(Content-Type " + type + server + "), not an " + service + " answer");
        }
        long length = r.firstMatchingHeader("Content-Length").flatMap(AnswerCheck::length).orElse(-1L);
        if (!r.isSuccessful() && length > MAX_ERROR_BODY) {
            // Not read, so it costs neither the deadline nor memory, and not retried: the same thing answers again.
            throw ForeignAnswerException.of(service, r.statusCode(), "HTTP " + r.statusCode() + " with a " + length
                    + "-byte error body; " + service + "'s errors are a small XML document");
        }
        if (r.firstMatchingHeader(requestIdHeader).isEmpty()) {
            throw ForeignAnswerException.of(service, r.statusCode(), "HTTP " + r.statusCode() + " without "
                    + requestIdHeader + (type.isEmpty() ? "" : " (Content-Type " + type + server + ")") + ", not an "
                    + service + " answer");
        }
    }
}
