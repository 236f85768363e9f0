package io.nodeprobe.aws;

/**
 * An answer that did not come from S3: no {@code x-amz-request-id} (S3 and its look-alikes put one on every answer),
 * an HTML page, a PutObject without an ETag. A captive portal or a misconfigured proxy answers so, and the SDK would
 * otherwise read its 200 as an empty listing or a stored object.
 *
 * <p>A plain RuntimeException on purpose: thrown from an interceptor, the SDK wraps it as the cause of its own
 * SdkClientException (a subclass of SdkClientException would be rebuilt through toBuilder() and lose its type), and
 * its retry conditions leave it alone, which is right: the same thing answers again.
 */
public final class NotS3Exception extends RuntimeException {
    private final int status;

    private NotS3Exception(String why, int status) {
        super(why, null, false, false);
        this.status = status;
    }

    public static NotS3Exception of(int status, String why) {
        return new NotS3Exception(why, status);
    }

    /** The HTTP status of the answer, 0 when there was none to speak of. */
    public int status() {
        return status;
    }
}
