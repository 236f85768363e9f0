package io.nodeprobe.probe;

import java.time.Duration;
import java.util.List;

/**
 * The S3 calls the probes make on one bucket, each within the budget it is given. Failures are the SDK's own
 * exceptions (status, error code, request id), which the diagnosis classifies.
 */
public interface Bucket {
    /** ListObjectsV2: at most {@code max} keys under {@code prefix}, in S3's order. */
    List<String> list(String prefix, int max, Duration budget);

    void put(String key, byte[] body, Duration budget);

    byte[] get(String key, Duration budget);

    /** HeadObject: true when the key is there, false on 404; a denial throws. */
    boolean exists(String key, Duration budget);

    void delete(String key, Duration budget);
}
