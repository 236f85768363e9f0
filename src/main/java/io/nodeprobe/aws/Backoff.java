package io.nodeprobe.aws;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter: ~1 s, 2 s, 4 s, 8 s, then capped at ~15 s. The jitter (±20 %) keeps a fleet that
 * booted together from retrying S3 in lockstep.
 */
public record Backoff(Duration first, Duration cap) {
    public static final Backoff BOOT = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(15));

    /** The pause after failed attempt {@code attempt} (1-based). */
    public Duration delay(int attempt) {
        long base = first.toMillis() << Math.min(attempt - 1, 20);
        long capped = Math.min(base, cap.toMillis());
        double jitter = 0.8 + 0.4 * ThreadLocalRandom.current().nextDouble();
        return Duration.ofMillis((long) (capped * jitter));
    }
}
