package io.nodeprobe.health;

import io.nodeprobe.report.Report;
import io.nodeprobe.report.Status;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Runs the check at start and then every interval (±10 % jitter, so a fleet does not hit S3 in the same second),
 * keeps the latest result, and collapses concurrent refreshes into the run already in flight (single flight).
 * Health requests only ever read {@link #snapshot()}; only this class starts runs.
 */
public final class CheckScheduler implements AutoCloseable {
    /** Explicit refreshes are rate-limited: one S3 round per this period at most, whoever asks. */
    public static final Duration REFRESH_LIMIT = Duration.ofSeconds(10);

    public enum Refresh { STARTED, JOINED, RATE_LIMITED }

    private final Supplier<Report> check;
    private final Duration interval;
    private final String version;
    private final String mode;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "nodeprobe-check");
        t.setDaemon(true);
        return t;
    });
    private final Map<Status, Long> runs = new EnumMap<>(Status.class);
    private volatile HealthSnapshot snapshot;
    private CompletableFuture<Report> inFlight;
    private long lastRefreshNanos = System.nanoTime() - REFRESH_LIMIT.toNanos();
    private volatile boolean closed;

    public CheckScheduler(Supplier<Report> check, Duration interval, String version, String mode) {
        this.check = check;
        this.interval = interval;
        this.version = version;
        this.mode = mode;
        this.snapshot = new HealthSnapshot(null, Map.of(), version, mode);
    }

    public void start() {
        trigger();
    }

    public HealthSnapshot snapshot() {
        return snapshot;
    }

    /** An explicit refresh: joins a run in flight, or starts one unless one was asked for less than 10 s ago. */
    public synchronized Refresh requestRefresh() {
        if (inFlight != null && !inFlight.isDone()) {
            return Refresh.JOINED;
        }
        if (System.nanoTime() - lastRefreshNanos < REFRESH_LIMIT.toNanos()) {
            return Refresh.RATE_LIMITED;
        }
        lastRefreshNanos = System.nanoTime();
        trigger();
        return Refresh.STARTED;
    }

    /** Seconds until a refresh is allowed again, for Retry-After. */
    public synchronized long refreshRetryAfterSeconds() {
        long left = REFRESH_LIMIT.toNanos() - (System.nanoTime() - lastRefreshNanos);
        return Math.max(1, TimeUnit.NANOSECONDS.toSeconds(left) + 1);
    }

    /** Waits for the run in flight, if any; false when it did not end in time. */
    public boolean awaitInFlight(Duration limit) {
        CompletableFuture<Report> f;
        synchronized (this) {
            f = inFlight;
        }
        if (f == null) {
            return true;
        }
        try {
            f.get(limit.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (Exception e) {
            return f.isDone();
        }
    }

    private synchronized CompletableFuture<Report> trigger() {
        if (closed) {
            return CompletableFuture.completedFuture(null);
        }
        if (inFlight == null || inFlight.isDone()) {
            inFlight = CompletableFuture.supplyAsync(this::runOnce, executor);
        }
        return inFlight;
    }

    private Report runOnce() {
        Report r;
        try {
            r = check.get();
        } catch (RuntimeException e) {
            // Configuration was validated before serving; anything else must not kill the schedule.
            scheduleNext();
            throw e;
        }
        synchronized (this) {
            runs.merge(r.status(), 1L, Long::sum);
            snapshot = new HealthSnapshot(r, Map.copyOf(runs), version, mode);
        }
        scheduleNext();
        return r;
    }

    private void scheduleNext() {
        if (closed) {
            return;
        }
        long base = interval.toMillis();
        long delay = (long) (base * (0.9 + 0.2 * ThreadLocalRandom.current().nextDouble()));
        executor.schedule(this::trigger, delay, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        closed = true;
        executor.shutdownNow();
    }
}
