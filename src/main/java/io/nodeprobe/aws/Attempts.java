package io.nodeprobe.aws;

import java.io.IOException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import javax.net.ssl.SSLException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * One S3 or STS call, tried again only when another try can succeed, and only inside its budget. Ours rather than
 * the SDK's retry strategy, which cannot see the run's deadline: it would sleep through a throttle's back-off into
 * the deadline and report a timeout instead of the throttling it met, and it does not read Retry-After.
 *
 * <ul>
 * <li>Retried: throttling (429, 503, SlowDown and its kin), other 5xx, a connection reset or closed mid-answer,
 *     an attempt's own timeout. Never: a definite answer (403, 404, 400, a redirect), an answer that was not the
 *     service's, a name that does not resolve, a refused connection, a TLS failure; the same thing would answer.</li>
 * <li>At most {@value #MAX} tries; the pause is full-jitter exponential (base 100 ms, 500 ms for throttling, capped
 *     at 2 s), so a fleet that booted together does not retry in step.</li>
 * <li>{@code Retry-After} (seconds or an HTTP date) is waited when it fits what is left of the budget; when it does
 *     not, the call ends at once with the throttle it met and says so, rather than timing out.</li>
 * <li>A call that must not repeat its effect (CreateMultipartUpload: a second upload nobody would end) is retried
 *     only where the service states it did nothing (throttling).</li>
 * </ul>
 */
public final class Attempts {
    static final int MAX = 3;
    private static final long BASE_MS = 100;
    private static final long THROTTLE_BASE_MS = 500;
    private static final long CAP_MS = 2_000;
    /** A try needs at least this much time to be worth starting. */
    private static final long MIN_TRY_MS = 100;

    private Attempts() {
    }

    /** Why a call stopped being retried, added to the last error as a suppressed note for the report. */
    public static final class Note extends RuntimeException {
        Note(String text) {
            super(text, null, false, false);
        }
    }

    /**
     * An idempotent call: GET, HEAD, PUT of a key, DELETE, LIST.
     *
     * @param service as the report names it (S3, STS), for an answer that was not the service's
     */
    static <T> T call(String service, Duration budget, Function<Duration, T> attempt) {
        return call(service, budget, true, attempt);
    }

    static <T> T call(String service, Duration budget, boolean idempotent, Function<Duration, T> attempt) {
        Deadline deadline = Deadline.in(budget);
        for (int n = 1; ; n++) {
            try {
                return attempt.apply(AwsClients.atLeastOneMs(deadline.remaining()));
            } catch (SdkClientException e) {
                if (unparsable(e)) {
                    // The whole body came (WholeBody saw to that) and it is not the service's XML.
                    throw SdkClientException.create(e.getMessage(), ForeignAnswerException.of(service, 0,
                            "an answer whose body is not " + service + "'s XML (" + e.getMessage() + ")"));
                }
                retryOrThrow(e, n, idempotent, deadline);
            } catch (SdkException e) {
                retryOrThrow(e, n, idempotent, deadline);
            }
        }
    }

    /**
     * The SDK's words for a body it could not read as the service's XML, when the body came whole: a body cut short
     * fails the parser too, but inside it (as the parser's nested exception) lies WholeBody's CutShort.
     */
    private static boolean unparsable(SdkClientException e) {
        String m = e.getMessage() == null ? "" : e.getMessage();
        for (Throwable c = e.getCause(); c != null; c = next(c)) {
            if (c instanceof IOException && !(c instanceof java.io.CharConversionException)
                    || c instanceof ForeignAnswerException) {
                // a connection that broke (bytes that are not UTF-8 are the body's fault, not the network's)
                return false;
            }
        }
        // The last one is what a native image without the JDK parser's message bundle says instead of its error.
        return m.startsWith("Could not parse XML response") || m.startsWith("Unable to unmarshall")
                || m.startsWith("Unable to parse") || m.startsWith("Could not load any resource bundle");
    }

    /** The cause, or what a StAX parser keeps as its nested exception instead. */
    private static Throwable next(Throwable c) {
        if (c.getCause() == null && c instanceof javax.xml.stream.XMLStreamException x) {
            return x.getNestedException();
        }
        return c.getCause();
    }

    /** Pauses before the next try, or throws {@code e} when another try cannot help or does not fit. */
    private static void retryOrThrow(SdkException e, int n, boolean idempotent, Deadline deadline) {
        Optional<Duration> pause = pause(e, n, idempotent);
        if (pause.isEmpty()) {
            throw e;
        }
        if (n >= MAX) {
            e.addSuppressed(new Note("after " + n + " attempts"));
            throw e;
        }
        long left = deadline.remaining().toMillis();
        if (pause.get().toMillis() + MIN_TRY_MS > left) {
            Optional<Duration> asked = retryAfter(e);
            e.addSuppressed(new Note((asked.isPresent() ? "the service asked to retry after "
                    + asked.get().toMillis() + " ms, which" : "another attempt") + " does not fit the " + left
                    + " ms left of --timeout (attempt " + n + ")"));
            throw e;
        }
        sleep(pause.get());
    }

    /** The pause before try {@code n + 1}, or empty when another try cannot help. */
    static Optional<Duration> pause(SdkException e, int n, boolean idempotent) {
        if (e instanceof AwsServiceException s) {
            int status = s.statusCode();
            boolean throttled = status == 429 || status == 503 || s.isThrottlingException();
            if (throttled) {
                Duration jitter = jitter(THROTTLE_BASE_MS, n);
                return Optional.of(retryAfter(e).filter(r -> r.compareTo(jitter) > 0).orElse(jitter));
            }
            return status >= 500 && idempotent ? Optional.of(jitter(BASE_MS, n)) : Optional.empty();
        }
        if (!idempotent || e instanceof ApiCallTimeoutException || !(e instanceof SdkClientException)) {
            return Optional.empty();
        }
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof ForeignAnswerException || c instanceof SSLException
                    || c instanceof java.net.UnknownHostException || c instanceof java.net.ConnectException
                    || c instanceof java.net.NoRouteToHostException) {
                return Optional.empty();
            }
        }
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof IOException || c instanceof java.io.UncheckedIOException
                    || c instanceof software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException) {
                return Optional.of(jitter(BASE_MS, n));
            }
        }
        return Optional.empty();
    }

    /** Full jitter: anywhere in [0, base × 2^(n-1)], capped. */
    private static Duration jitter(long base, int n) {
        long ceiling = Math.min(CAP_MS, base << Math.min(n - 1, 10));
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling + 1));
    }

    /** Retry-After of a service's answer: delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
    static Optional<Duration> retryAfter(SdkException e) {
        if (!(e instanceof AwsServiceException s) || s.awsErrorDetails() == null
                || s.awsErrorDetails().sdkHttpResponse() == null) {
            return Optional.empty();
        }
        return s.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("Retry-After").flatMap(Attempts::parse);
    }

    static Optional<Duration> parse(String value) {
        String v = value.strip();
        try {
            if (v.chars().allMatch(Character::isDigit) && !v.isEmpty() && v.length() < 10) {
                return Optional.of(Duration.ofSeconds(Long.parseLong(v)));
            }
            Duration d = Duration.between(java.time.Instant.now(),
                    ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            return Optional.of(d.isNegative() ? Duration.ZERO : d);
        } catch (DateTimeParseException | NumberFormatException ex) {
            return Optional.empty();
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SdkClientException.create("interrupted while waiting to retry", e);
        }
    }
}
