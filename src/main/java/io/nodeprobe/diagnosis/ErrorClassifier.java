package io.nodeprobe.diagnosis;

import io.nodeprobe.aws.Attempts;
import io.nodeprobe.aws.ForeignAnswerException;
import io.nodeprobe.report.ErrorDetail;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;

/**
 * Classifies an SDK exception from HTTP status, error code and exception type, keeping the raw evidence.
 * The error code decides first (it is the most specific), then the status, then the exception's causes.
 */
public final class ErrorClassifier {
    private static final Set<String> INVALID_CREDENTIALS = Set.of("InvalidAccessKeyId", "SignatureDoesNotMatch",
            "InvalidToken", "InvalidClientTokenId", "UnrecognizedClientException", "IncompleteSignature",
            "MissingAuthenticationToken", "InvalidSecurity", "AuthFailure");
    private static final Set<String> EXPIRED = Set.of("ExpiredToken", "ExpiredTokenException",
            "TokenRefreshRequired");
    private static final Set<String> SKEW = Set.of("RequestTimeTooSkewed", "RequestExpired", "SignatureExpired");
    private static final Set<String> THROTTLING = Set.of("SlowDown", "Throttling", "ThrottlingException",
            "ThrottledException", "RequestLimitExceeded", "TooManyRequestsException", "RequestThrottled",
            "RequestThrottledException", "ProvisionedThroughputExceededException");
    private static final Set<String> REGION = Set.of("PermanentRedirect", "AuthorizationHeaderMalformed",
            "TemporaryRedirect", "IllegalLocationConstraintException");
    /** S3's 400 RequestTimeout: the connection was idle too long mid-request; it says nothing about permissions. */
    private static final Set<String> TIMEOUTS = Set.of("RequestTimeout", "RequestTimeoutException");
    private static final Pattern JAVA_CLASS = Pattern.compile("\\b(?:[a-z][a-z0-9_]*\\.)+[A-Z]\\w*(?:Exception|Error): ");
    private static final Pattern EXPECTING = Pattern.compile("expecting '([a-z0-9-]+)'");

    private ErrorClassifier() {
    }

    public static Failure classify(Throwable t) {
        if (t instanceof AwsServiceException e) {
            return service(e);
        }
        String msg = oneLine(t);
        if (t instanceof ApiCallTimeoutException || t instanceof ApiCallAttemptTimeoutException) {
            return new Failure(FailureKind.TIMEOUT, new ErrorDetail(null, "Timeout", null, msg), null);
        }
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ForeignAnswerException n) {
                return new Failure(FailureKind.NOT_THE_SERVICE, new ErrorDetail(n.status() == 0 ? null : n.status(),
                        "Not" + n.service(), null, oneLine(n)), null);
            }
            if (c instanceof SSLException) {
                return new Failure(FailureKind.TLS, new ErrorDetail(null, "TLS", null, oneLine(c)), null);
            }
            if (c instanceof SocketTimeoutException || c instanceof InterruptedIOException) {
                return new Failure(FailureKind.TIMEOUT, new ErrorDetail(null, "Timeout", null, oneLine(c)), null);
            }
            String code = networkCode(c);
            if (code != null) {
                return new Failure(FailureKind.NETWORK, new ErrorDetail(null, code, null, oneLine(c)), null);
            }
        }
        return new Failure(FailureKind.NETWORK, new ErrorDetail(null, "NetworkError", null, msg), null);
    }

    /**
     * A code that names what the network did, never a Java class name: the person reading the report needs
     * "the connection was reset", not UncheckedIOException.
     */
    public static String networkCode(Throwable c) {
        if (c instanceof ConnectException) {
            return "ConnectionRefused";
        }
        if (c instanceof UnknownHostException) {
            return "UnknownHost";
        }
        if (c instanceof NoRouteToHostException) {
            return "NoRouteToHost";
        }
        String m = c.getMessage() == null ? "" : c.getMessage().toLowerCase(java.util.Locale.ROOT);
        if (m.contains("connection reset") || m.contains("broken pipe")) {
            return "ConnectionReset";
        }
        if (c instanceof java.io.EOFException || m.contains("premature eof") || m.contains("unexpected end of stream")
                || m.contains("end of file")) {
            return "ConnectionClosed";
        }
        return null;
    }

    private static Failure service(AwsServiceException e) {
        int status = e.statusCode();
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        String message = withNotes(bounded(e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorMessage()),
                e);
        String region = e.awsErrorDetails() == null || e.awsErrorDetails().sdkHttpResponse() == null ? null
                : e.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("x-amz-bucket-region").orElse(null);
        if (region == null && message != null) {
            Matcher m = EXPECTING.matcher(message);
            region = m.find() ? m.group(1) : null;
        }
        FailureKind kind = kind(status, code);
        DenialReason reason = kind == FailureKind.ACCESS_DENIED ? DenialReason.parse(message) : null;
        ErrorDetail evidence = new ErrorDetail(status == 0 ? null : status, code, e.requestId(),
                message == null || message.isBlank() ? null : message, reason == null ? null : reason.policyType(),
                reason == null ? null : reason.explicit());
        if (code == null && (status == 301 || status == 400) && region != null) {
            // A HEAD signed for the wrong region: no body, only the status and the bucket's region (botocore's
            // S3RegionRedirector treats it so).
            kind = FailureKind.WRONG_REGION;
        }
        if (kind == FailureKind.INVALID_CREDENTIALS && signatureTime(message)) {
            kind = FailureKind.CLOCK_SKEW;
        }
        if (kind == FailureKind.ACCESS_DENIED && isKms(message) || code != null && code.startsWith("KMS.")) {
            kind = FailureKind.KMS_DENIED;
        }
        return new Failure(kind, evidence, region);
    }

    /**
     * STS (and other Query services) refuse a request signed too far from their time as SignatureDoesNotMatch,
     * and only the message says why: "Signature expired: ... is now earlier than ..." when the node is behind,
     * "Signature not yet current: ... is still later than ..." when it is ahead.
     */
    static boolean signatureTime(String message) {
        return message != null && (message.startsWith("Signature expired") || message.startsWith(
                "Signature not yet current"));
    }

    /** Whether this evidence is a request refused for its time (S3's RequestTimeTooSkewed, STS's texts). */
    public static boolean isClockSkew(ErrorDetail e) {
        if (e == null || e.code() == null) {
            return false;
        }
        FailureKind k = kind(e.httpStatus() == null ? 0 : e.httpStatus(), e.code());
        return k == FailureKind.CLOCK_SKEW || k == FailureKind.INVALID_CREDENTIALS && signatureTime(e.message());
    }

    /**
     * S3 passes a KMS denial on as its own 403 AccessDenied; only the message tells them apart: the enhanced one
     * names the KMS action, the legacy one speaks of a customer master key.
     */
    static boolean isKms(String message) {
        return message != null && (message.contains("kms:") || message.contains("customer master key"));
    }

    static FailureKind kind(int status, String code) {
        if (code != null) {
            if (INVALID_CREDENTIALS.contains(code)) {
                return FailureKind.INVALID_CREDENTIALS;
            }
            if (EXPIRED.contains(code)) {
                return FailureKind.EXPIRED_CREDENTIALS;
            }
            if (SKEW.contains(code)) {
                return FailureKind.CLOCK_SKEW;
            }
            if (TIMEOUTS.contains(code)) {
                return FailureKind.TIMEOUT;
            }
            if (THROTTLING.contains(code)) {
                return FailureKind.THROTTLED;
            }
            if (REGION.contains(code)) {
                return FailureKind.WRONG_REGION;
            }
            if (code.equals("NoSuchBucket")) {
                return FailureKind.NO_SUCH_BUCKET;
            }
            if (code.equals("AccessDenied") || code.equals("AllAccessDisabled") || code.equals("AccessDeniedException")) {
                return FailureKind.ACCESS_DENIED;
            }
        }
        if (status == 301 || status == 307) {
            return FailureKind.WRONG_REGION;
        }
        if (status == 429) {
            return FailureKind.THROTTLED;
        }
        if (status >= 500) {
            return FailureKind.SERVER_ERROR;
        }
        if (status == 403) {
            // HEAD replies carry no body, so no code: a 403 there is a denial.
            return FailureKind.ACCESS_DENIED;
        }
        return FailureKind.CLIENT_ERROR;
    }

    private static String oneLine(Throwable t) {
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        // "java.io.IOException: Premature EOF" says the cause in its last words; the class name is for developers.
        m = JAVA_CLASS.matcher(m).replaceAll("").replace(" (SDK Attempt Count: 1)", "");
        return withNotes(bounded(m), t);
    }

    /** One line, and short: an error body may be 10 MB, and the report is read by a person. */
    private static String bounded(String m) {
        if (m == null) {
            return null;
        }
        m = m.replaceAll("\\s+", " ").strip();
        return m.length() > 300 ? m.substring(0, 300) + "..." : m;
    }

    /** What the retries said of the call (how many attempts, a Retry-After that did not fit), after the message. */
    private static String withNotes(String message, Throwable t) {
        StringBuilder b = new StringBuilder(message == null ? "" : message);
        for (Throwable s : t.getSuppressed()) {
            if (s instanceof Attempts.Note) {
                b.append(b.isEmpty() ? "" : "; ").append(s.getMessage());
            }
        }
        return b.isEmpty() ? null : b.toString();
    }
}
