package io.nodeprobe.aws;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The run's one time budget (--timeout): every IMDS call, credential provider and SDK call draws from it, so a run
 * ends within it whatever the endpoints do.
 */
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

    /** What one call may take: the rest of the budget, but never more than the call's own {@code cap}. */
    public Duration cap(Duration cap) {
        Duration r = remaining();
        return r.compareTo(cap) < 0 ? r : cap;
    }

    /**
     * Runs {@code work} on a daemon thread of its own and waits for it until the deadline plus {@code grace}: for
     * work that cannot be given a timeout of its own (an SDK credential provider, a DNS lookup, the run as a whole).
     * Work still going on after that is abandoned to finish or fail by itself; its result is ignored.
     *
     * @throws TimeoutException   when the budget ran out first
     * @throws ExecutionException with what the work threw
     */
    public <T> T call(String name, Duration grace, Callable<T> work) throws TimeoutException, ExecutionException,
            InterruptedException {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                result.complete(work.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return result.get(remaining().plus(grace).toNanos(), TimeUnit.NANOSECONDS);
    }
}
