package io.nodeprobe.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nodeprobe.report.Fixtures;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HealthServerTest {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private HttpResponse<String> send(String method, int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * A run that overruns (it cannot, past its guard, but a refresh must not depend on that): the refresh is answered
     * from the cached snapshot once its wait is up, and liveness answers throughout.
     */
    @Test
    void refresh_joiningARunThatOverruns_waitsAtMostItsLimit_andLiveAnswersMeanwhile() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        try (CheckScheduler s = new CheckScheduler(() -> {
            runs.incrementAndGet();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Fixtures.putDenied();
        }, r -> { }, new CheckScheduler.Timing(Duration.ofMinutes(10), Duration.ofMinutes(30), Duration.ofSeconds(10)),
                Clock.systemUTC(), "0.1.0", "jvm");
                HealthServer server = new HealthServer("127.0.0.1", 0, s, Duration.ofMillis(400))) {
            s.start();
            long t0 = System.nanoTime();
            HttpResponse<String> refreshed = send("POST", server.port(), "/refresh");
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertEquals(503, refreshed.statusCode(), refreshed.body());
            assertTrue(refreshed.body().contains("\"starting\""), "the cached snapshot: " + refreshed.body());
            assertTrue(ms >= 400 && ms < 3_000, "answered after " + ms + "ms for a 400ms limit");
            assertEquals(200, send("GET", server.port(), "/health/live").statusCode());
            assertEquals(1, runs.get(), "the refresh joined the run in flight");
            release.countDown();
        }
    }
}
