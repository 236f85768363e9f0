package io.nodeprobe.health;

import io.nodeprobe.probe.NodeChecker;
import io.nodeprobe.report.IdentityInfo;
import io.nodeprobe.report.NodeInfo;
import io.nodeprobe.report.Report;
import io.nodeprobe.report.Status;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs the check at start and then every interval (±10 % jitter, so a fleet does not hit S3 in the same second) on
 * one thread of its own, and keeps the latest result. There is exactly one next run at any time: a refresh moves
 * it (the interval counts again from the refresh's run), it never adds one, and refreshes that arrive while a run
 * is due or going join that run. Whatever a run throws becomes an unknown report that names it. Health requests
 * only ever read {@link #snapshot()}.
 */
public final class CheckScheduler implements AutoCloseable {
    /** Explicit refreshes are rate-limited: one S3 round per this period at most, whoever asks (serve's default). */
    public static final Duration REFRESH_LIMIT = Duration.ofSeconds(10);

    public enum Outcome { STARTED, JOINED, RATE_LIMITED }

    /**
     * The schedule's periods.
     *
     * @param interval     between the end of one run and the start of the next (jittered ±10 %)
     * @param staleAfter   how long without an ended run makes the result stale
     * @param refreshLimit the least time between two refreshes that start runs
     */
    public record Timing(Duration interval, Duration staleAfter, Duration refreshLimit) {
    }

    /** What a refresh request got; {@code done} completes with the snapshot of the run it started or joined. */
    public record Refresh(Outcome outcome, CompletableFuture<HealthSnapshot> done) {
    }

    private final Supplier<Report> check;
    private final Consumer<Report> listener;
    private final Timing timing;
    private final Clock clock;
    private final String version;
    private final String mode;
    private final Thread thread;

    // Guarded by this.
    private final Map<Status, Long> runs = new EnumMap<>(Status.class);
    private long nextRunNanos = System.nanoTime();
    private CompletableFuture<HealthSnapshot> pending;
    private CompletableFuture<HealthSnapshot> running;
    private long lastRefreshNanos;
    private boolean closed;

    private volatile HealthSnapshot snapshot;
    private volatile HealthSnapshot staleView;
    private volatile long lastEndNanos = System.nanoTime();

    /**
     * @param check    one run; may throw
     * @param listener told of every run's report, aborted ones included (the log line)
     */
    public CheckScheduler(Supplier<Report> check, Consumer<Report> listener, Timing timing, Clock clock,
                          String version, String mode) {
        this.check = check;
        this.listener = listener;
        this.timing = timing;
        this.lastRefreshNanos = System.nanoTime() - timing.refreshLimit().toNanos();
        this.clock = clock;
        this.version = version;
        this.mode = mode;
        this.snapshot = new HealthSnapshot(null, Map.of(), version, mode, false);
        this.thread = new Thread(this::loop, "nodeprobe-check");
        thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    public HealthSnapshot snapshot() {
        HealthSnapshot s = snapshot;
        if (System.nanoTime() - lastEndNanos <= timing.staleAfter().toNanos()) {
            return s;
        }
        HealthSnapshot v = staleView;
        if (v == null || v.latest() != s.latest() || v.runsByStatus() != s.runsByStatus()) {
            v = s.asStale();
            staleView = v; // one stale view per snapshot, so renderers can memoise it like any other
        }
        return v;
    }

    /** An explicit refresh: joins the run due or going, or starts one unless the last started under the limit ago. */
    public synchronized Refresh requestRefresh() {
        if (closed) {
            return new Refresh(Outcome.JOINED, CompletableFuture.completedFuture(snapshot));
        }
        if (running != null) {
            return new Refresh(Outcome.JOINED, running);
        }
        if (pending != null) {
            return new Refresh(Outcome.JOINED, pending);
        }
        if (System.nanoTime() - lastRefreshNanos < timing.refreshLimit().toNanos()) {
            return new Refresh(Outcome.RATE_LIMITED, CompletableFuture.completedFuture(snapshot));
        }
        lastRefreshNanos = System.nanoTime();
        pending = new CompletableFuture<>();
        notifyAll();
        return new Refresh(Outcome.STARTED, pending);
    }

    public Duration refreshLimit() {
        return timing.refreshLimit();
    }

    /** Seconds until a refresh is allowed again, for Retry-After. */
    public synchronized long refreshRetryAfterSeconds() {
        long left = timing.refreshLimit().toNanos() - (System.nanoTime() - lastRefreshNanos);
        return Math.max(1, TimeUnit.NANOSECONDS.toSeconds(left) + 1);
    }

    /** Waits for the run in flight, if any; false when it did not end in time. */
    public boolean awaitInFlight(Duration limit) {
        CompletableFuture<HealthSnapshot> f;
        synchronized (this) {
            f = running;
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

    private void loop() {
        while (true) {
            CompletableFuture<HealthSnapshot> current;
            synchronized (this) {
                try {
                    long wait;
                    while (!closed && pending == null && (wait = nextRunNanos - System.nanoTime()) > 0) {
                        TimeUnit.NANOSECONDS.timedWait(this, wait);
                    }
                } catch (InterruptedException e) {
                    closed = true;
                }
                if (closed) {
                    return;
                }
                current = pending != null ? pending : new CompletableFuture<>();
                pending = null;
                running = current;
            }
            Report report = runOnce();
            HealthSnapshot s;
            synchronized (this) {
                runs.merge(report.status(), 1L, Long::sum);
                s = new HealthSnapshot(report, Map.copyOf(runs), version, mode, false);
                snapshot = s;
                lastEndNanos = System.nanoTime();
                running = null;
                nextRunNanos = lastEndNanos + jittered(timing.interval()).toNanos();
            }
            current.complete(s);
        }
    }

    /** A run that throws (a bug, an Error) must neither stop the schedule nor leave the last verdict standing. */
    private Report runOnce() {
        java.time.Instant started = clock.instant();
        long t0 = System.nanoTime();
        Report report;
        try {
            report = check.get();
        } catch (Throwable t) {
            report = Report.aborted(new NodeInfo(null, null, null),
                    new IdentityInfo(null, null, null, null, null, null, null), null, List.of(), started,
                    (System.nanoTime() - t0) / 1_000_000, NodeChecker.describe(t));
        }
        try {
            listener.accept(report);
        } catch (RuntimeException ignored) {
            // a log line that cannot be written must not stop the schedule
        }
        return report;
    }

    private static Duration jittered(Duration base) {
        return Duration.ofMillis((long) (base.toMillis() * (0.9 + 0.2 * ThreadLocalRandom.current().nextDouble())));
    }

    @Override
    public void close() {
        CompletableFuture<HealthSnapshot> waiting;
        synchronized (this) {
            closed = true;
            waiting = pending;
            pending = null;
            notifyAll();
        }
        if (waiting != null) {
            waiting.complete(snapshot); // a refresh that never started answers with what there is
        }
    }
}
