package io.nodeprobe.aws;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * One run's independent call chains, run side by side: a run waits for its slowest chain, not for the sum of them.
 * Platform threads, made as needed and daemons: a chain stuck past the run's deadline is abandoned like any call
 * the {@link Deadline} gives up on, and keeps no process alive. Every chain still draws its time from the deadline,
 * so running them together changes no timeout rule.
 */
public final class Lanes implements AutoCloseable {
    private final ExecutorService threads;

    public Lanes(String name) {
        AtomicInteger n = new AtomicInteger();
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "nodeprobe-" + name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts {@code chain} on a lane of its own. */
    public <T> CompletableFuture<T> start(Supplier<T> chain) {
        return CompletableFuture.supplyAsync(chain, threads);
    }

    /** Starts {@code chain} on a lane of its own, for what it does rather than what it returns. */
    public CompletableFuture<Void> run(Runnable chain) {
        return CompletableFuture.runAsync(chain, threads);
    }

    /** The lanes' threads, for a step that follows another's result ({@code thenApplyAsync}). */
    public Executor executor() {
        return threads;
    }

    /** The chain's result, or what it threw, as if it had run on the caller's thread. */
    public static <T> T join(CompletableFuture<T> lane) {
        try {
            return lane.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    /** Lets running chains end by themselves; starts no new ones. */
    @Override
    public void close() {
        threads.shutdown();
    }
}
