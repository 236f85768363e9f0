package io.nodeprobe.probe;

import io.nodeprobe.aws.Backoff;
import io.nodeprobe.report.ExitCode;
import io.nodeprobe.report.Report;
import java.time.Duration;
import java.util.function.Function;

/**
 * Repeats a whole check while it fails or cannot decide, until it passes or the wait runs out. At boot, IMDS
 * credentials may not be there yet and fresh IAM changes take seconds to propagate: both are waited out. Bad
 * configuration never gets here (it throws before the first attempt), so it is never retried.
 */
public final class CheckLoop {
    /** Called after each attempt with its number, time since the first attempt, the report and what comes next. */
    public interface Listener {
        void attempt(int attempt, long elapsedMs, Report report, String next);
    }

    private final Backoff backoff;
    private final Listener listener;
    private final boolean strict;

    public CheckLoop(Backoff backoff, Listener listener) {
        this(backoff, listener, false);
    }

    /** @param strict a warning counts as a failure, and is retried like one */
    public CheckLoop(Backoff backoff, Listener listener, boolean strict) {
        this.backoff = backoff;
        this.listener = listener;
        this.strict = strict;
    }

    /**
     * @param attempt runs one check with the given per-attempt deadline
     * @param timeout the per-attempt deadline asked for (--timeout)
     * @param wait    how long to keep trying; null or zero means one attempt
     */
    public Report run(Function<Duration, Report> attempt, Duration timeout, Duration wait) throws InterruptedException {
        long start = System.nanoTime();
        for (int n = 1; ; n++) {
            Duration left = wait == null ? Duration.ZERO : wait.minusNanos(System.nanoTime() - start);
            // An attempt never takes more than --timeout, so the whole wait ends within its limit plus one attempt;
            // near the end it is cut to what is left, but not below 2 s, the least that still lets IMDS answer.
            Duration budget = wait == null || left.compareTo(timeout) >= 0 ? timeout
                    : min(timeout, max(left, Duration.ofSeconds(2)));
            Report r = attempt.apply(budget);
            long elapsed = (System.nanoTime() - start) / 1_000_000;
            left = wait == null ? Duration.ZERO : wait.minusMillis(elapsed);
            boolean ok = r.exitCode(strict) == ExitCode.OK;
            if (ok || left.isNegative() || left.isZero()) {
                listener.attempt(n, elapsed, r, ok || wait == null ? null : "giving up: --wait "
                        + wait.toSeconds() + "s is over");
                return r;
            }
            Duration pause = min(backoff.delay(n), left);
            listener.attempt(n, elapsed, r, "retrying in " + pause.toMillis() + "ms");
            Thread.sleep(pause.toMillis());
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
