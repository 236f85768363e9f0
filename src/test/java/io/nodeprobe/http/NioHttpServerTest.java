package io.nodeprobe.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nodeprobe.http.NioHttpServer.Handler;
import io.nodeprobe.http.NioHttpServer.Limits;
import io.nodeprobe.http.NioHttpServer.Request;
import io.nodeprobe.http.NioHttpServer.Response;
import io.nodeprobe.http.RawClient.Reply;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NioHttpServerTest {
    private static final Duration LONG = Duration.ofSeconds(30);
    private static final Limits RELAXED = new Limits(LONG, LONG, LONG, 256, 8192);

    /** Answers "METHOD path?query" with one header of its own. */
    private static final Handler ECHO = r -> CompletableFuture.completedFuture(new Response(200,
            "text/plain; charset=utf-8", (r.method() + " " + r.path() + "?" + r.query()).getBytes(StandardCharsets.UTF_8),
            Map.of("X-Echo", "yes")));

    private static NioHttpServer start(Handler handler, Limits limits) throws IOException {
        return NioHttpServer.start("127.0.0.1", 0, handler, limits);
    }

    private static Limits timeouts(Duration header, Duration idle, Duration write, int maxConnections) {
        return new Limits(header, idle, write, maxConnections, 8192);
    }

    private static void assertStandardHeaders(Reply reply, String contentType, boolean close) {
        assertEquals(contentType, reply.header("content-type"));
        assertTrue(reply.headers().containsKey("content-length"), "Content-Length");
        assertEquals("nosniff", reply.header("x-content-type-options"));
        assertEquals("no-store", reply.header("cache-control"));
        assertEquals(close ? "close" : null, reply.header("connection"));
    }

    /** A server error: status, the standard headers, a plain one-line body, and the connection closed after it. */
    private static void assertRefused(RawClient c, int status) throws IOException {
        Reply reply = c.read();
        assertEquals(status, reply.status(), reply.text());
        assertStandardHeaders(reply, "text/plain; charset=utf-8", true);
        assertTrue(reply.text().endsWith("\n") && reply.text().indexOf('\n') == reply.text().length() - 1);
        assertTrue(c.closedWithin(Duration.ofSeconds(2)), "closed after " + status);
    }

    @Test
    void get_simpleRequest_passesHeadToHandlerOnSelectorThreadAndAnswersWithStandardHeaders() throws Exception {
        AtomicReference<Request> seen = new AtomicReference<>();
        AtomicReference<String> thread = new AtomicReference<>();
        try (NioHttpServer server = start(r -> {
            seen.set(r);
            thread.set(Thread.currentThread().getName());
            return ECHO.handle(r);
        }, RELAXED); RawClient c = new RawClient(server.port())) {
            Reply reply = c.send("GET /health?refresh=true HTTP/1.1\r\nHost: t\r\nX-Mixed-Case:  v1 \r\n"
                    + "x-mixed-case: v2\r\n\r\n").read();

            assertEquals(200, reply.status());
            assertEquals("GET /health?refresh=true", reply.text());
            assertEquals("yes", reply.header("x-echo"));
            assertEquals(String.valueOf(reply.body().length), reply.header("content-length"));
            assertStandardHeaders(reply, "text/plain; charset=utf-8", false);
            assertEquals(new Request("GET", "/health", "refresh=true", Map.of("host", "t", "x-mixed-case", "v1, v2")),
                    seen.get());
            assertEquals("nodeprobe-http", thread.get());
        }
    }

    @Test
    void get_absoluteFormTargetWithoutQuery_passesPathAndEmptyQuery() throws Exception {
        try (NioHttpServer server = start(ECHO, RELAXED); RawClient c = new RawClient(server.port())) {
            assertEquals("GET /metrics?", c.send("GET http://h:1/metrics HTTP/1.1\r\nHost: h\r\n\r\n").read().text());
        }
    }

    @Test
    void keepAlive_http11_servesSequentialRequestsOnOneConnection() throws Exception {
        try (NioHttpServer server = start(ECHO, RELAXED); RawClient c = new RawClient(server.port())) {
            for (int i = 0; i < 5; i++) {
                assertEquals("GET /" + i + "?", c.send("GET /" + i + " HTTP/1.1\r\nHost: t\r\n\r\n").read().text());
            }
        }
    }

    @Test
    void pipelining_threeRequestsInOnePacket_areAnsweredInOrder() throws Exception {
        try (NioHttpServer server = start(ECHO, RELAXED); RawClient c = new RawClient(server.port())) {
            c.send("GET /a HTTP/1.1\r\nHost: t\r\n\r\nPOST /b HTTP/1.1\r\nContent-Length: 3\r\n\r\nx=1"
                    + "GET /c?q HTTP/1.1\r\nConnection: close\r\n\r\n");
            assertEquals("GET /a?", c.read().text());
            assertEquals("POST /b?", c.read().text());
            Reply last = c.read();
            assertEquals("GET /c?q", last.text());
            assertEquals("close", last.header("connection"));
            assertTrue(c.closedWithin(Duration.ofSeconds(2)));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET /x HTTP/1.1\r\nConnection: close\r\n\r\n", "GET /x HTTP/1.0\r\n\r\n",
        "GET /x HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"})
    void close_connectionCloseOrHttp10_closesAfterResponse(String request) throws Exception {
        try (NioHttpServer server = start(ECHO, RELAXED); RawClient c = new RawClient(server.port())) {
            Reply reply = c.send(request).read();
            assertEquals(200, reply.status());
            assertStandardHeaders(reply, "text/plain; charset=utf-8", true);
            assertTrue(c.closedWithin(Duration.ofSeconds(2)));
        }
    }

    @Test
    void head_request_sendsTheGetContentLengthAndNoBody() throws Exception {
        byte[] body = "{\"status\":\"UP\"}\n".getBytes(StandardCharsets.UTF_8);
        Handler fixed = r -> CompletableFuture.completedFuture(new Response(200, "application/json", body, Map.of()));
        try (NioHttpServer server = start(fixed, RELAXED); RawClient c = new RawClient(server.port())) {
            assertArrayEquals(body, c.send("GET /h HTTP/1.1\r\n\r\n").read().body());
            Reply head = c.send("HEAD /h HTTP/1.1\r\n\r\n").read(true);
            assertEquals(200, head.status());
            assertEquals(String.valueOf(body.length), head.header("content-length"));
            assertStandardHeaders(head, "application/json", false);
            // Had the server sent the body, its bytes would come where the next status line is expected.
            assertArrayEquals(body, c.send("GET /after HTTP/1.1\r\n\r\n").read().body());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET /x\r\n\r\n", "GET  /x HTTP/1.1\r\n\r\n", "G(T /x HTTP/1.1\r\n\r\n",
        "GET x HTTP/1.1\r\n\r\n", "GET /x HTTP/1.1 \r\n\r\n", "GET /x HTTP/1.1\r\nNoColon\r\n\r\n",
        "GET /x HTTP/1.1\r\nX-a : b\r\n\r\n", "GET /x HTTP/1.1\r\nX-a: b\r\n folded\r\n\r\n",
        "GET /x HTTP/1.1\r\nX-a: b\rc\r\n\r\n", "GET /x HTTP/1.1\r\n: b\r\n\r\n",
        "POST /x HTTP/1.1\r\nContent-Length: 1x\r\n\r\n", "POST /x HTTP/1.1\r\nContent-Length: 1\r\n"
            + "Content-Length: 2\r\n\r\n", "GET /x HTTP/1\r\n\r\n"})
    void parse_malformedHead_answers400AndCloses(String request) throws Exception {
        try (NioHttpServer server = start(ECHO, RELAXED); RawClient c = new RawClient(server.port())) {
            assertRefused(c.send(request), 400);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"HTTP/2.0", "HTTP/0.9", "HTTP/1.2"})
    void parse_unsupportedVersion_answers505AndCloses(String version) throws Exception {
        try (NioHttpServer server = start(ECHO, RELAXED); RawClient c = new RawClient(server.port())) {
            assertRefused(c.send("GET /x " + version + "\r\n\r\n"), 505);
        }
    }

    @Test
    void parse_headOfExactlyMaxHeaderBytes_isServedAndOneMoreByteAnswers431() throws Exception {
        String base = "GET /x HTTP/1.1\r\nX-Pad: \r\n\r\n";
        String exact = base.replace("X-Pad: ", "X-Pad: " + "p".repeat(8192 - base.length()));
        assertEquals(8192, exact.length());
        try (NioHttpServer server = start(ECHO, RELAXED); RawClient ok = new RawClient(server.port());
                RawClient tooLarge = new RawClient(server.port())) {
            assertEquals(200, ok.send(exact).read().status());
            assertRefused(tooLarge.send(exact.replace("X-Pad: ", "X-Pad: p")), 431);
        }
    }

    @Test
    void parse_headerStreamWithoutEnd_answers431OnceTheLimitIsReached() throws Exception {
        try (NioHttpServer server = start(ECHO, RELAXED); RawClient c = new RawClient(server.port())) {
            c.send("GET /x HTTP/1.1\r\n");
            for (int i = 0; i < 1000; i++) {
                c.send("X-Filler: " + "f".repeat(90) + "\r\n"); // 100 kB in all, far beyond 8 KiB
            }
            assertRefused(c, 431);
        }
    }

    @Test
    void body_smallContentLength_isSkippedAndConnectionReused() throws Exception {
        try (NioHttpServer server = start(ECHO, RELAXED); RawClient c = new RawClient(server.port())) {
            c.send("POST /refresh HTTP/1.1\r\nContent-Length: 1024\r\n\r\n");
            c.send("b".repeat(1000)); // the body in two packets
            c.send("b".repeat(24));
            assertEquals("POST /refresh?", c.read().text());
            assertEquals("GET /next?", c.send("GET /next HTTP/1.1\r\n\r\n").read().text());
        }
    }

    @Test
    void body_contentLengthOver1024_answers413AndCloses() throws Exception {
        try (NioHttpServer server = start(ECHO, RELAXED); RawClient c = new RawClient(server.port());
                RawClient huge = new RawClient(server.port())) {
            assertRefused(c.send("POST /refresh HTTP/1.1\r\nContent-Length: 1025\r\n\r\n" + "b".repeat(1025)), 413);
            assertRefused(huge.send("POST /refresh HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n"), 413);
        }
    }

    @Test
    void body_transferEncoding_answers411AndCloses() throws Exception {
        try (NioHttpServer server = start(ECHO, RELAXED); RawClient c = new RawClient(server.port())) {
            assertRefused(c.send("POST /refresh HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nx=1\r\n0\r\n\r\n"),
                    411);
        }
    }

    @Test
    void handler_throwsOrFailsOrReturnsNull_answers500WithoutDetailsAndKeepsConnection() throws Exception {
        Handler handler = r -> switch (r.path()) {
            case "/throw" -> throw new IllegalStateException("secret detail");
            case "/fail" -> CompletableFuture.supplyAsync(() -> {
                throw new IllegalStateException("secret detail");
            });
            case "/null" -> null;
            case "/bad-header" -> CompletableFuture.completedFuture(
                    new Response(200, "text/plain", new byte[0], Map.of("X-Split", "a\r\nSet-Cookie: x")));
            default -> ECHO.handle(r);
        };
        try (NioHttpServer server = start(handler, RELAXED); RawClient c = new RawClient(server.port())) {
            for (String path : List.of("/throw", "/fail", "/null", "/bad-header")) {
                Reply reply = c.send("GET " + path + " HTTP/1.1\r\n\r\n").read();
                assertEquals(500, reply.status(), path);
                assertEquals("internal server error\n", reply.text(), path);
                assertStandardHeaders(reply, "text/plain; charset=utf-8", false);
            }
            assertEquals("GET /ok?", c.send("GET /ok HTTP/1.1\r\n\r\n").read().text());
        }
    }

    @Test
    void response_headerTheServerOwnsOrWithLineBreak_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Response(200, "t", new byte[0],
                Map.of("content-length", "5")));
        assertThrows(IllegalArgumentException.class, () -> new Response(200, "t", new byte[0],
                Map.of("X-a", "b\nc")));
        assertThrows(IllegalArgumentException.class, () -> new Response(200, "t\r\nX: y", new byte[0], Map.of()));
        assertThrows(IllegalArgumentException.class, () -> new Response(204, "t", new byte[0], Map.of()));
    }

    @Test
    void handler_stageCompletedOnAnotherThread_isAnsweredWithoutWaitingForTheSelectTimeout() throws Exception {
        BlockingQueue<CompletableFuture<Response>> pending = new LinkedBlockingQueue<>();
        Handler handler = r -> {
            CompletableFuture<Response> f = new CompletableFuture<>();
            pending.add(f);
            return f;
        };
        try (NioHttpServer server = start(handler, RELAXED); RawClient c = new RawClient(server.port())) {
            long[] latencies = new long[11];
            for (int i = 0; i < latencies.length; i++) {
                c.send("GET /later HTTP/1.1\r\n\r\n");
                CompletableFuture<Response> f = pending.poll(5, TimeUnit.SECONDS);
                long completed = System.nanoTime();
                f.complete(new Response(200, "text/plain", ("n" + i).getBytes(StandardCharsets.UTF_8), Map.of()));
                assertEquals("n" + i, c.read().text());
                latencies[i] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - completed);
            }
            Arrays.sort(latencies);
            // Without the wake-up, each answer would wait for the next 250 ms tick: a median near 125 ms.
            assertTrue(latencies[latencies.length / 2] < 50, "median ms " + latencies[latencies.length / 2]);
        }
    }

    @Test
    void timeout_partialHead_answers408AfterHeaderTimeoutAndCloses() throws Exception {
        Duration header = Duration.ofMillis(600);
        try (NioHttpServer server = start(ECHO, timeouts(header, LONG, LONG, 256));
                RawClient c = new RawClient(server.port())) {
            long start = System.nanoTime();
            c.send("GET /x HTTP/1.1\r\nHost: t\r\n");
            assertRefused(c, 408);
            long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(elapsed >= 550 && elapsed < 1500, "closed after ms " + elapsed);
        }
    }

    @Test
    void timeout_silentConnection_isClosedWithoutResponseAfterHeaderTimeout() throws Exception {
        try (NioHttpServer server = start(ECHO, timeouts(Duration.ofMillis(600), LONG, LONG, 256));
                RawClient c = new RawClient(server.port())) {
            long start = System.nanoTime();
            assertArrayEquals(new byte[0], c.readToEnd());
            long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(elapsed >= 550 && elapsed < 1500, "closed after ms " + elapsed);
        }
    }

    @Test
    void timeout_idleKeepAlive_isClosedAfterIdleTimeoutNotHeaderTimeout() throws Exception {
        Duration idle = Duration.ofMillis(1200);
        try (NioHttpServer server = start(ECHO, timeouts(Duration.ofMillis(300), idle, LONG, 256));
                RawClient c = new RawClient(server.port())) {
            c.send("GET /x HTTP/1.1\r\n\r\n").read();
            long start = System.nanoTime();
            assertFalse(c.closedWithin(Duration.ofMillis(900)), "closed before the idle timeout");
            assertTrue(c.closedWithin(Duration.ofMillis(1300)), "open after the idle timeout");
            long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(elapsed >= 1150, "closed after ms " + elapsed);
        }
    }

    @Test
    void timeout_keepAliveNextRequest_headerTimeoutRunsFromItsFirstByte() throws Exception {
        try (NioHttpServer server = start(ECHO, timeouts(Duration.ofMillis(500), LONG, LONG, 256));
                RawClient c = new RawClient(server.port())) {
            c.send("GET /x HTTP/1.1\r\n\r\n").read();
            assertFalse(c.closedWithin(Duration.ofMillis(800)), "idle, not a late head");
            long start = System.nanoTime();
            c.send("GET /y HTTP/1.1\r\n");
            assertRefused(c, 408);
            long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(elapsed >= 450 && elapsed < 1500, "408 after ms " + elapsed);
        }
    }

    @Test
    void timeout_clientNotReading_isClosedAfterWriteTimeout() throws Exception {
        byte[] big = new byte[32 * 1024 * 1024]; // beyond any loopback socket buffers
        Handler handler = r -> CompletableFuture.completedFuture(new Response(200, "application/octet-stream", big,
                Map.of()));
        // One slot, so the stuck writer is seen from outside: newcomers get 503 until it is gone.
        try (NioHttpServer server = start(handler, timeouts(LONG, LONG, Duration.ofMillis(800), 1));
                RawClient reader = new RawClient(server.port(), 4096)) {
            reader.send("GET /big HTTP/1.1\r\n\r\n");
            long start = System.nanoTime();
            reader.read(true); // the head has arrived, so the server is writing; now stop reading
            int unavailable = 0;
            long freed = 0;
            while (freed == 0 && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5)) {
                try (RawClient probe = new RawClient(server.port())) {
                    if (probe.closedWithin(Duration.ofMillis(100))) {
                        unavailable++; // a 503 and close: the slot is still held
                    } else {
                        freed = System.nanoTime();
                        assertEquals(200, probe.send("HEAD / HTTP/1.1\r\n\r\n").read(true).status());
                    }
                }
            }
            long elapsed = TimeUnit.NANOSECONDS.toMillis(freed - start);
            assertTrue(unavailable > 0, "the writer held the only slot");
            assertTrue(freed != 0 && elapsed >= 700 && elapsed < 2500, "slot freed after ms " + elapsed);
            assertTrue(reader.readToEnd().length < big.length, "the response was cut off");
        }
    }

    @Test
    void cap_allConnectionsBeingAnswered_newConnectionGets503AndClose() throws Exception {
        CountDownLatch handling = new CountDownLatch(1);
        Handler never = r -> {
            handling.countDown();
            return new CompletableFuture<>();
        };
        try (NioHttpServer server = start(never, timeouts(LONG, LONG, LONG, 1));
                RawClient busy = new RawClient(server.port())) {
            busy.send("GET /pending HTTP/1.1\r\n\r\n");
            assertTrue(handling.await(5, TimeUnit.SECONDS));
            try (RawClient late = new RawClient(server.port())) {
                assertRefused(late, 503);
            }
        }
    }

    @Test
    void cap_fullOfSlowloris_newRequestEvictsTheOldestAndIsAnsweredQuickly() throws Exception {
        int cap = 16;
        try (NioHttpServer server = start(ECHO, timeouts(LONG, LONG, LONG, cap))) {
            List<RawClient> slow = new ArrayList<>();
            try {
                for (int i = 0; i < cap; i++) {
                    slow.add(new RawClient(server.port()).send("GET /slow HTTP/1.1\r\n"));
                }
                Thread.sleep(TimeUnit.NANOSECONDS.toMillis(Connection.FAIR_CHANCE_NANOS) + 100);
                long start = System.nanoTime();
                assertEquals(200, RawClient.get(server.port(), "/health").status());
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertTrue(ms < 500, "answered after ms " + ms);
                assertTrue(slow.get(0).closedWithin(Duration.ofSeconds(1)), "the oldest slowloris was evicted");
                for (RawClient s : slow.subList(1, cap)) {
                    assertFalse(s.closedWithin(Duration.ofMillis(10)), "only one was evicted");
                }
            } finally {
                for (RawClient s : slow) {
                    s.close();
                }
            }
        }
    }

    @Test
    void cap_requestsYoungerThanTheirFairChance_areNotEvicted() throws Exception {
        try (NioHttpServer server = start(ECHO, timeouts(LONG, LONG, LONG, 2));
                RawClient a = new RawClient(server.port()); RawClient b = new RawClient(server.port())) {
            a.send("GET /slow HTTP/1.1\r\n");
            b.send("GET /slow HTTP/1.1\r\n");
            try (RawClient late = new RawClient(server.port())) {
                assertRefused(late, 503);
            }
            assertFalse(a.closedWithin(Duration.ofMillis(10)), "a request just begun keeps its slot");
            Thread.sleep(TimeUnit.NANOSECONDS.toMillis(Connection.FAIR_CHANCE_NANOS) + 100);
            assertEquals(200, RawClient.get(server.port(), "/health").status(), "once older, it can be evicted");
            assertTrue(a.closedWithin(Duration.ofSeconds(1)), "the oldest went");
        }
    }

    @Test
    void cap_slowlorisAndIdleConnections_evictsSlowlorisFirstThenTheLongestIdle() throws Exception {
        try (NioHttpServer server = start(ECHO, timeouts(LONG, LONG, LONG, 3));
                RawClient idleOld = new RawClient(server.port()); RawClient idleNew = new RawClient(server.port());
                RawClient slowloris = new RawClient(server.port())) {
            idleOld.send("GET /1 HTTP/1.1\r\n\r\n").read();
            idleNew.send("GET /2 HTTP/1.1\r\n\r\n").read();
            slowloris.send("GET /slow HTTP/1.1\r\n");
            Thread.sleep(TimeUnit.NANOSECONDS.toMillis(Connection.FAIR_CHANCE_NANOS) + 100);
            try (RawClient first = new RawClient(server.port())) {
                assertEquals(200, first.send("GET /3 HTTP/1.1\r\n\r\n").read().status());
                assertTrue(slowloris.closedWithin(Duration.ofSeconds(1)), "slowloris evicted first");
                assertFalse(idleOld.closedWithin(Duration.ofMillis(10)), "idle kept while a slowloris could go");
                try (RawClient second = new RawClient(server.port())) {
                    assertEquals(200, second.send("GET /4 HTTP/1.1\r\n\r\n").read().status());
                    assertTrue(idleOld.closedWithin(Duration.ofSeconds(1)), "the longest idle evicted next");
                    assertEquals("GET /5?", idleNew.send("GET /5 HTTP/1.1\r\n\r\n").read().text());
                }
            }
        }
    }

    /**
     * The attack the JDK server fell to: slow heads hold connections, yet fresh requests are answered at once, and
     * the slow ones are closed at their header timeout.
     */
    @Test
    void slowloris_64SlowHeads_otherRequestsAnsweredUnder100msAndSlowClosedAtHeaderTimeout() throws Exception {
        Duration header = Duration.ofMillis(2000);
        ScheduledExecutorService dripper = Executors.newSingleThreadScheduledExecutor();
        List<RawClient> slow = new ArrayList<>();
        try (NioHttpServer server = start(ECHO, timeouts(header, LONG, LONG, 256))) {
            RawClient.get(server.port(), "/warm-up");
            long opened = System.nanoTime();
            for (int i = 0; i < 64; i++) {
                slow.add(new RawClient(server.port()).send("GET /x HTTP/1.1\r\n"));
            }
            dripper.scheduleAtFixedRate(() -> slow.forEach(s -> {
                try {
                    s.send("X-a: b\r\n");
                } catch (IOException e) {
                    // closed by the server: what the test waits for
                }
            }), 1, 1, TimeUnit.SECONDS);

            long maxMs = 0;
            int answered = 0;
            long until = opened + header.minusMillis(300).toNanos();
            while (System.nanoTime() - until < 0) {
                long start = System.nanoTime();
                assertEquals(200, RawClient.get(server.port(), "/health").status());
                maxMs = Math.max(maxMs, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                answered++;
                Thread.sleep(10); // pacing, not synchronisation
            }
            long nodeprobeThreads = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals("nodeprobe-http")).count();
            System.out.printf("slowloris: %d requests answered, max latency %d ms%n", answered, maxMs);
            assertTrue(answered > 20, "answered " + answered);
            assertTrue(maxMs < 100, "max latency ms " + maxMs);
            assertEquals(1, nodeprobeThreads, "one selector thread, none per connection");

            for (RawClient s : slow) {
                assertFalse(s.closedWithin(Duration.ofMillis(1)), "slowloris closed before its header timeout");
            }
            long closeDeadline = opened + header.plusSeconds(1).toNanos(); // a 250 ms sweep tick, and slack
            long lastClosedMs = 0;
            for (RawClient s : slow) {
                assertTrue(s.closedWithin(Duration.ofNanos(closeDeadline - System.nanoTime())),
                        "slowloris still open a second after its header timeout");
                lastClosedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - opened);
            }
            System.out.printf("slowloris: all 64 closed %d ms after opening%n", lastClosedMs);
        } finally {
            dripper.shutdownNow();
            for (RawClient s : slow) {
                s.close();
            }
        }
    }

    @Test
    void close_withPendingRequest_returnsPromptlyClosesEverythingAndIgnoresLateCompletion() throws Exception {
        CompletableFuture<Response> pending = new CompletableFuture<>();
        CountDownLatch handling = new CountDownLatch(1);
        NioHttpServer server = start(r -> {
            handling.countDown();
            return pending;
        }, RELAXED);
        int port = server.port();
        try (RawClient c = new RawClient(port)) {
            c.send("GET /pending HTTP/1.1\r\n\r\n");
            assertTrue(handling.await(5, TimeUnit.SECONDS));
            long start = System.nanoTime();
            server.close();
            server.close();
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(ms < 1000, "close took ms " + ms);
            assertTrue(pending.complete(new Response(200, "text/plain", new byte[0], Map.of())));
            assertArrayEquals(new byte[0], c.readToEnd(), "closed without an answer");
            assertThrows(ConnectException.class, () -> new RawClient(port), "listening socket closed");
            assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().equals("nodeprobe-http")));
        }
    }

    @Test
    void httpClient_getAndPostWithBody_areAnswered() throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try (NioHttpServer server = start(ECHO, RELAXED)) {
            URI base = URI.create("http://127.0.0.1:" + server.port());
            // The default client asks for an h2c upgrade; the server ignores it and answers HTTP/1.1.
            HttpResponse<String> get = client.send(HttpRequest.newBuilder(base.resolve("/health?x=1")).build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> post = client.send(HttpRequest.newBuilder(base.resolve("/refresh"))
                    .POST(HttpRequest.BodyPublishers.ofString("x=1")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, get.statusCode());
            assertEquals("GET /health?x=1", get.body());
            assertEquals("nosniff", get.headers().firstValue("x-content-type-options").orElse(null));
            assertEquals(200, post.statusCode());
            assertEquals("POST /refresh?", post.body());
            assertNull(post.headers().firstValue("connection").orElse(null));
        }
    }
}
