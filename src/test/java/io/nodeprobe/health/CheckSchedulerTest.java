package io.nodeprobe.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nodeprobe.report.Fixtures;
import io.nodeprobe.report.Report;
import io.nodeprobe.report.Status;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class CheckSchedulerTest {
    private final ConcurrentLinkedQueue<Report> logged = new ConcurrentLinkedQueue<>();

    private CheckScheduler scheduler(Supplier<Report> check, Duration interval, Duration staleAfter,
                                     Duration refreshLimit) {
        return new CheckScheduler(check, logged::add, new CheckScheduler.Timing(interval, staleAfter, refreshLimit),
                Clock.systemUTC(), "0.1.0", "jvm");
    }

    @Test
    void refresh_concurrentWhileRunInFlight_allJoinOneRun() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        try (CheckScheduler s = scheduler(() -> {
            runs.incrementAndGet();
            await(release);
            return Fixtures.putDenied();
        }, Duration.ofMinutes(10), Duration.ofMinutes(30), Duration.ofSeconds(10))) {
            s.start();
            waitFor(() -> runs.get() == 1);
            assertTrue(s.snapshot().starting());
            List<CheckScheduler.Refresh> got = concurrently(50, s::requestRefresh);
            assertTrue(got.stream().allMatch(r -> r.outcome() == CheckScheduler.Outcome.JOINED), got.toString());
            release.countDown();
            HealthSnapshot after = got.get(0).done().get(5, TimeUnit.SECONDS);
            assertEquals(Status.FAIL, after.latest().status(), "joiners get the verdict of the run they joined");
            assertEquals(1, runs.get(), "50 refreshes during the first run: still one run");
        }
    }

    @Test
    void refresh_burstOfHundred_startsOneRun_andTheRestJoinOrAreLimited() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        try (CheckScheduler s = scheduler(() -> {
            runs.incrementAndGet();
            return Fixtures.putDenied();
        }, Duration.ofMinutes(10), Duration.ofMinutes(30), Duration.ofSeconds(10))) {
            s.start();
            waitFor(() -> s.snapshot().latest() != null);
            List<CheckScheduler.Refresh> got = concurrently(100, s::requestRefresh);
            long started = got.stream().filter(r -> r.outcome() == CheckScheduler.Outcome.STARTED).count();
            assertEquals(1, started, got.toString());
            got.get(0).done().get(5, TimeUnit.SECONDS);
            waitFor(() -> runs.get() == 2);
            Thread.sleep(300);
            assertEquals(2, runs.get(), "the start and one refresh; nothing else until the 10 min interval");
        }
    }

    @Test
    void refresh_movesTheNextRun_neverAddsOne() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        Duration interval = Duration.ofMillis(400);
        try (CheckScheduler s = scheduler(() -> {
            runs.incrementAndGet();
            return Fixtures.putDenied();
        }, interval, Duration.ofMinutes(30), Duration.ofMillis(50))) {
            s.start();
            for (int i = 0; i < 20; i++) {
                Thread.sleep(100);
                s.requestRefresh();
            }
            // Each refresh used to start a schedule of its own: 20 chains would now run ~50 times a second.
            int before = runs.get();
            Thread.sleep(2_000);
            int after = runs.get() - before;
            assertTrue(after >= 3 && after <= 6, "runs in 2 s at a 400 ms interval: " + after);
        }
    }

    @Test
    void run_thatThrows_becomesAnUnknownReportNamingIt_andTheScheduleGoesOn() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (CheckScheduler s = scheduler(() -> {
            int n = calls.incrementAndGet();
            if (n == 1) {
                throw new IllegalStateException("CA bundle vanished");
            }
            if (n == 2) {
                throw new StackOverflowError("deep");
            }
            return Fixtures.shadowedWarn();
        }, Duration.ofMillis(100), Duration.ofMinutes(30), Duration.ofSeconds(10))) {
            s.start();
            waitFor(() -> calls.get() >= 3 && s.snapshot().latest() != null
                    && s.snapshot().latest().failure() == null);
            List<Report> reports = new ArrayList<>(logged);
            assertEquals("IllegalStateException: CA bundle vanished", reports.get(0).failure());
            assertEquals(Status.UNKNOWN, reports.get(0).status());
            assertEquals("StackOverflowError: deep", reports.get(1).failure(), "an Error too");
            assertEquals(null, reports.get(2).failure());
            assertEquals(1, reports.stream().filter(r -> r.failure() != null && r.failure().contains("vanished"))
                    .count(), "logged once");
            assertTrue(s.snapshot().healthy());
        }
    }

    @Test
    void snapshot_afterAThrowingRun_isUnknownNotStarting() throws Exception {
        CountDownLatch hold = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        try (CheckScheduler s = scheduler(() -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("boom");
            }
            await(hold);
            return Fixtures.putDenied();
        }, Duration.ofMillis(50), Duration.ofMinutes(30), Duration.ofSeconds(10))) {
            s.start();
            waitFor(() -> s.snapshot().latest() != null);
            assertEquals(HealthSnapshot.State.UNKNOWN, s.snapshot().state());
            assertFalse(s.snapshot().healthy());
            hold.countDown();
        }
    }

    @Test
    void snapshot_noRunEndedForTooLong_isStale_thenRecovers() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        try (CheckScheduler s = scheduler(() -> {
            if (calls.incrementAndGet() == 2) {
                await(release); // the second run hangs
            }
            return Fixtures.shadowedWarn();
        }, Duration.ofMillis(50), Duration.ofMillis(300), Duration.ofSeconds(10))) {
            s.start();
            waitFor(() -> calls.get() == 2);
            assertTrue(s.snapshot().healthy(), "fresh");
            waitFor(() -> s.snapshot().stale());
            assertEquals(HealthSnapshot.State.STALE, s.snapshot().state());
            assertFalse(s.snapshot().healthy(), "a stale pass is not a pass");
            assertTrue(s.snapshot() == s.snapshot(), "one stale view per snapshot, so renderers memoise it");
            release.countDown();
            waitFor(() -> !s.snapshot().stale());
            assertTrue(s.snapshot().healthy());
        }
    }

    @Test
    void close_leavesNoRefreshWaitingForever() throws Exception {
        CheckScheduler s = scheduler(Fixtures::putDenied, Duration.ofMinutes(10), Duration.ofMinutes(30),
                Duration.ofMillis(1));
        s.start();
        waitFor(() -> s.snapshot().latest() != null);
        s.close();
        assertTrue(s.requestRefresh().done().isDone(), "a stopped scheduler answers at once");
    }

    private static <T> List<T> concurrently(int n, Supplier<T> call) throws Exception {
        CyclicBarrier barrier = new CyclicBarrier(n);
        List<T> out = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Thread t = new Thread(() -> {
                try {
                    barrier.await(5, TimeUnit.SECONDS);
                    out.add(call.get());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join(10_000);
        }
        assertEquals(n, out.size());
        return out;
    }

    private static void waitFor(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < end, "condition not met within 10 s");
            Thread.sleep(5);
        }
    }

    private static Report await(CountDownLatch l) {
        try {
            l.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }
}
