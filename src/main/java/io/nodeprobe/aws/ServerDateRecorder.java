package io.nodeprobe.aws;

import io.nodeprobe.clock.ServerDates;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * Hears the {@code Date} of every STS and S3 answer, errors included, for the node's clock offset. Then, on an
 * error answer, hides that Date from the SDK: the Java SDK would otherwise correct its own clock by it and retry a
 * request refused for skew, and pass where boto3 (which Ray uses) and the AWS CLI, which trust the node's clock,
 * fail. nodeprobe is to find what the node's clock does to its clients, not to work round it.
 */
final class ServerDateRecorder implements ExecutionInterceptor {
    private final String source;
    private final ServerDates dates;

    ServerDateRecorder(String source, ServerDates dates) {
        this.source = source;
        this.dates = dates;
    }

    @Override
    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
        context.httpResponse().firstMatchingHeader("Date").ifPresent(d -> dates.heard(source, d));
    }

    @Override
    public SdkHttpResponse modifyHttpResponse(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
        SdkHttpResponse r = context.httpResponse();
        return r.isSuccessful() ? r : r.toBuilder().removeHeader("Date").build();
    }
}
