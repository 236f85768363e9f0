package io.nodeprobe.aws;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * Refuses an answer that shows no sign of being S3's before the SDK reads it, so that a captive portal's
 * {@code 200 text/html} is not taken for an empty listing and its {@code 403} page not for a denial. S3, Ceph RGW
 * and MinIO all send {@code x-amz-request-id} on every answer, errors and HEADs included, and S3 never answers HTML.
 */
final class S3AnswerCheck implements ExecutionInterceptor {

    @Override
    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
        SdkHttpResponse r = context.httpResponse();
        String type = r.firstMatchingHeader("Content-Type").orElse("");
        String server = r.firstMatchingHeader("Server").map(s -> ", Server: " + s).orElse("");
        if (type.toLowerCase(java.util.Locale.ROOT).startsWith("text/html")) {
            throw NotS3Exception.of(r.statusCode(), "HTTP " + r.statusCode() + " with an HTML page (Content-Type "
                    + type + server + "), not an S3 answer");
        }
        if (r.firstMatchingHeader("x-amz-request-id").isEmpty()) {
            throw NotS3Exception.of(r.statusCode(), "HTTP " + r.statusCode() + " without x-amz-request-id"
                    + (type.isEmpty() ? "" : " (Content-Type " + type + server + ")") + ", not an S3 answer");
        }
    }
}
