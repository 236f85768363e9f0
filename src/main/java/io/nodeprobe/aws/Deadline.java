package io.nodeprobe.aws;

import java.time.Duration;

/** The run's overall time budget; every call gets at most what is left of it. */
public final class Deadline {
    private final long endNanos;
    private final Duration total;

    private Deadline(Duration total) {
        this.total = total;
        this.endNanos = System.nanoTime() + total.toNanos();
    }

    public static Deadline in(Duration total) {
        return new Deadline(total);
    }

    public Duration remaining() {
        long left = endNanos - System.nanoTime();
        return left <= 0 ? Duration.ZERO : Duration.ofNanos(left);
    }

    public boolean expired() {
        return remaining().isZero();
    }

    public Duration total() {
        return total;
    }

    /** What one call may take: the rest of the budget, but never more than {@code cap}. */
    public Duration forCall(Duration cap) {
        Duration r = remaining();
        return r.compareTo(cap) < 0 ? r : cap;
    }
}
