package io.nodeprobe.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpResponse;

class AttemptsTest {

    private static AwsServiceException answer(int status, String code, Map<String, String> headers) {
        SdkHttpResponse.Builder r = SdkHttpResponse.builder().statusCode(status);
        headers.forEach(r::putHeader);
        return AwsServiceException.builder().statusCode(status).awsErrorDetails(AwsErrorDetails.builder()
                .errorCode(code).sdkHttpResponse(r.build()).build()).build();
    }

    private static int tries(Duration budget, boolean idempotent, SdkException e) {
        AtomicInteger n = new AtomicInteger();
        assertThrows(SdkException.class, () -> Attempts.call("S3", budget, idempotent, left -> {
            n.incrementAndGet();
            throw e;
        }));
        return n.get();
    }

    @Test
    void definiteAnswers_areNeverRetried() {
        for (int status : new int[] {400, 403, 404, 301, 409}) {
            assertEquals(1, tries(Duration.ofSeconds(5), true, answer(status, "AccessDenied", Map.of())), "" + status);
        }
    }

    @Test
    void throttlesAndServerErrors_areTriedThreeTimes_atMost() {
        assertEquals(3, tries(Duration.ofSeconds(20), true, answer(503, "SlowDown", Map.of())));
        assertEquals(3, tries(Duration.ofSeconds(20), true, answer(500, "InternalError", Map.of())));
        assertEquals(3, tries(Duration.ofSeconds(20), true, answer(429, "TooManyRequests", Map.of())));
    }

    @Test
    void aBrokenConnection_isRetried_butNotForACallThatMustNotRepeat() {
        SdkClientException reset = SdkClientException.create("x", new IOException("Connection reset"));
        assertEquals(3, tries(Duration.ofSeconds(20), true, reset));
        assertEquals(1, tries(Duration.ofSeconds(20), false, reset));
        // a throttle says the service did nothing: safe to repeat anything
        assertEquals(3, tries(Duration.ofSeconds(20), false, answer(503, "SlowDown", Map.of())));
    }

    @Test
    void namesThatDoNotResolve_refusedConnections_andForeignAnswers_areNotRetried() {
        assertEquals(1, tries(Duration.ofSeconds(5), true, SdkClientException.create("x",
                new java.net.UnknownHostException("nohost"))));
        assertEquals(1, tries(Duration.ofSeconds(5), true, SdkClientException.create("x",
                new java.net.ConnectException("Connection refused"))));
        assertEquals(1, tries(Duration.ofSeconds(5), true, SdkClientException.create("x",
                ForeignAnswerException.of("S3", 200, "HTML"))));
    }

    @Test
    void aRetryAfterThatDoesNotFit_endsAtOnce_andSaysSo() {
        AwsServiceException e = answer(503, "SlowDown", Map.of("Retry-After", "30"));
        assertEquals(1, tries(Duration.ofSeconds(2), true, e));
        assertTrue(e.getSuppressed()[0].getMessage().startsWith("the service asked to retry after 30000 ms, which "
                + "does not fit the "), e.getSuppressed()[0].getMessage());
    }

    @Test
    void aRetryAfterThatFits_isWaited() {
        Duration pause = Attempts.pause(answer(503, "SlowDown", Map.of("Retry-After", "2")), 1, true).orElseThrow();
        assertEquals(Duration.ofSeconds(2), pause);
    }

    @Test
    void theBackOff_isJittered_andCapped() {
        AwsServiceException e = answer(500, "InternalError", Map.of());
        long distinct = java.util.stream.IntStream.range(0, 50)
                .mapToObj(i -> Attempts.pause(e, 2, true).orElseThrow().toMillis()).distinct().count();
        assertTrue(distinct > 10, "full jitter: " + distinct + " distinct pauses of 50");
        for (int i = 0; i < 50; i++) {
            assertTrue(Attempts.pause(e, 30, true).orElseThrow().toMillis() <= 2_000);
        }
    }

    @Test
    void retryAfter_readsSecondsAndHttpDates() {
        assertEquals(Duration.ofSeconds(7), Attempts.parse("7").orElseThrow());
        assertTrue(Attempts.parse("Wed, 21 Oct 2015 07:28:00 GMT").orElseThrow().isZero(), "a past date is now");
        assertTrue(Attempts.parse("soon").isEmpty());
    }
}
