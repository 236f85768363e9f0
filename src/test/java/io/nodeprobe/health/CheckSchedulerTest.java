package io.nodeprobe.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nodeprobe.report.Fixtures;
import io.nodeprobe.report.Report;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CheckSchedulerTest {

    @Test
    void refresh_whileRunInFlight_joinsIt_andIsRateLimitedAfterwards() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        try (CheckScheduler s = new CheckScheduler(() -> {
            runs.incrementAndGet();
            await(release);
            return Fixtures.putDenied();
        }, Duration.ofMinutes(10), "0.1.0", "jvm")) {
            s.start();
            assertTrue(s.snapshot().starting());
            for (int i = 0; i < 50; i++) {
                assertEquals(CheckScheduler.Refresh.JOINED, s.requestRefresh());
            }
            release.countDown();
            assertTrue(s.awaitInFlight(Duration.ofSeconds(5)));
            assertEquals(CheckScheduler.Refresh.STARTED, s.requestRefresh());
            assertTrue(s.awaitInFlight(Duration.ofSeconds(5)));
            assertEquals(CheckScheduler.Refresh.RATE_LIMITED, s.requestRefresh());
            assertEquals(2, runs.get(), "51 refresh requests, one start, one explicit refresh: two runs");
            assertEquals(2L, s.snapshot().runsByStatus().get(io.nodeprobe.report.Status.FAIL));
        }
    }

    @Test
    void schedule_runsAgainAfterTheInterval() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        try (CheckScheduler s = new CheckScheduler(() -> {
            runs.incrementAndGet();
            return Fixtures.putDenied();
        }, Duration.ofMillis(200), "0.1.0", "jvm")) {
            s.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (runs.get() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(runs.get() >= 3, "runs: " + runs.get());
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
