package io.nodeprobe.aws;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * Removes {@code Expect: 100-continue} from S3 uploads. With SDK 2.35.10 and the url-connection client, a server
 * that rejects the headers (RGW, and S3 itself, answer a denied PutObject with a complete 403 + AccessDenied body)
 * makes HttpURLConnection throw "Server rejected operation" and drop that body: the SDK then reports 403 with no
 * error code, and re-sends the request on new connections. The probe's few bytes gain nothing from 100-continue,
 * and Expect is not a signed header, so dropping it is safe and keeps the AccessDenied code.
 */
public final class DropExpectContinue implements ExecutionInterceptor {
    @Override
    public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
        SdkHttpRequest request = context.httpRequest();
        return request.firstMatchingHeader("Expect").isPresent()
                ? request.toBuilder().removeHeader("Expect").build()
                : request;
    }
}
