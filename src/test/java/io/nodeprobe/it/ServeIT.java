package io.nodeprobe.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.services.s3.S3Client;

/** `nodeprobe serve` against the local cloud. */
class ServeIT extends CloudScenario {
    private static final String BUCKET = "np-serve";

    private Nodeprobe.Running serve(Nodeprobe node, int port, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("serve", "--bucket", BUCKET, "--port",
                Integer.toString(port)));
        if (!List.of(extra).contains("--interval")) {
            args.addAll(List.of("--interval", "5s"));
        }
        args.addAll(List.of(extra));
        return node.start(args.toArray(String[]::new));
    }

    @Test
    void health_startsThenPasses_thenDeniedPutTurnsItDown_thenRecovers() {
        imds.tokenDelay(Duration.ofMillis(700)); // a first run slow enough to be seen "starting"
        int port = Ports.closed();
        String base = "http://127.0.0.1:" + port;
        Nodeprobe.Running serve = serve(node("np-full"), port);
        try (S3Client owner = cloud.ownerS3()) {
            HttpResponse<String> starting = HttpGet.until(base + "/health", Duration.ofSeconds(30),
                    r -> r.statusCode() == 503);
            assertTrue(starting.body().contains("\"state\": \"starting\""), starting.body());

            HttpResponse<String> up = HttpGet.until(base + "/health", Duration.ofSeconds(30), r -> r.statusCode() == 200);
            JsonNode doc = JsonNode.parser().parse(up.body());
            assertEquals("UP", doc.field("status").orElseThrow().asString());
            assertEquals("pass", checkData(doc, "s3.delete").field("status").orElseThrow().asString());
            assertEquals(200, HttpGet.get(base + "/health/ready").statusCode());

            owner.putBucketPolicy(b -> b.bucket(BUCKET).policy(denyPut("np-full")));
            HttpResponse<String> down = HttpGet.until(base + "/health", Duration.ofSeconds(20),
                    r -> r.statusCode() == 503);
            JsonNode d = JsonNode.parser().parse(down.body());
            assertEquals("DOWN", d.field("status").orElseThrow().asString());
            JsonNode put = checkData(d, "s3.put");
            assertEquals("fail", put.field("status").orElseThrow().asString());
            assertEquals("AccessDenied", put.field("errorCode").orElseThrow().asString());
            assertEquals(503, HttpGet.get(base + "/health/ready").statusCode());

            Map<String, String> metrics = metrics(HttpGet.get(base + "/metrics").body());
            assertEquals("0", metrics.get("nodeprobe_up"));
            assertEquals("0", metrics.get("nodeprobe_check_up{check=\"s3.put\"}"));
            assertEquals("1", metrics.get("nodeprobe_check_up{check=\"s3.list\"}"));
            assertTrue(Integer.parseInt(metrics.get("nodeprobe_runs_total{status=\"fail\"}")) >= 1);

            owner.deleteBucketPolicy(b -> b.bucket(BUCKET));
            HttpGet.until(base + "/health", Duration.ofSeconds(20), r -> r.statusCode() == 200);
            assertEquals("1", metrics(HttpGet.get(base + "/metrics").body())
                    .get("nodeprobe_check_up{check=\"s3.put\"}"), "gauges recover; nothing latches");
        } finally {
            NodeprobeRun stopped = serve.stop(); // first: a failing clean-up below must not leave serve running
            try (S3Client owner = cloud.ownerS3()) {
                owner.deleteBucketPolicy(b -> b.bucket(BUCKET));
            }
            assertEquals(0, stopped.exitCode(), stopped::toString);
        }
    }

    @Test
    void metrics_parseAsPrometheusText_andMatchHealth() {
        int port = Ports.closed();
        String base = "http://127.0.0.1:" + port;
        Nodeprobe.Running serve = serve(node("np-no-get"), port);
        try {
            HttpResponse<String> health = HttpGet.until(base + "/health", Duration.ofSeconds(30),
                    r -> r.body().contains("\"state\": \"ran\""));
            HttpResponse<String> m = HttpGet.get(base + "/metrics");
            assertEquals(200, m.statusCode());
            assertTrue(m.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
            Map<String, String> metrics = metrics(m.body());
            JsonNode doc = JsonNode.parser().parse(health.body());
            for (JsonNode c : doc.field("checks").orElseThrow().asArray()) {
                String name = c.field("name").orElseThrow().asString();
                String status = c.field("data").orElseThrow().field("status").map(JsonNode::asString).orElse("");
                if (name.equals("nodeprobe") || status.equals("skip")) {
                    continue;
                }
                String want = status.equals("pass") || status.equals("warn") ? "1" : "0";
                assertEquals(want, metrics.get("nodeprobe_check_up{check=\"" + name + "\"}"), name);
                assertTrue(metrics.containsKey("nodeprobe_check_duration_seconds{check=\"" + name + "\"}"), name);
            }
            assertEquals("0", metrics.get("nodeprobe_check_up{check=\"s3.get\"}"));
            assertTrue(metrics.containsKey("nodeprobe_last_run_timestamp_seconds"));
            assertTrue(metrics.containsKey("nodeprobe_credentials_expiry_timestamp_seconds"));
            assertTrue(metrics.keySet().stream().anyMatch(k -> k.startsWith("nodeprobe_build_info{version=\"0.1.0\"")));

            HttpResponse<String> page = HttpGet.get(base + "/");
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("<tr class=\"fail\"><td>s3.get</td>"), page.body());
            assertEquals(404, HttpGet.get(base + "/nope").statusCode());
        } finally {
            assertEquals(0, serve.stop().exitCode());
        }
    }

    @Test
    void refresh_isSingleFlightAndRateLimited() throws Exception {
        int port = Ports.closed();
        String base = "http://127.0.0.1:" + port;
        Nodeprobe.Running serve = serve(node("np-full"), port, "--interval", "10m");
        try {
            HttpGet.until(base + "/health", Duration.ofSeconds(30), r -> r.statusCode() == 200);
            int stsBefore = sts.requestCount();
            HttpResponse<String> refreshed = HttpGet.post(base + "/refresh");
            assertEquals(200, refreshed.statusCode(), refreshed.body());
            assertEquals(stsBefore + 1, sts.requestCount(), "one refresh, one run");
            HttpResponse<String> limited = HttpGet.post(base + "/refresh");
            assertEquals(429, limited.statusCode());
            assertTrue(limited.headers().firstValue("Retry-After").isPresent());
            assertEquals(429, HttpGet.get(base + "/health?refresh=true").statusCode());
            for (int i = 0; i < 200; i++) {
                assertEquals(200, HttpGet.get(base + "/health").statusCode());
            }
            assertEquals(stsBefore + 1, sts.requestCount(), "health requests never start runs of their own");
            assertEquals(405, HttpGet.get(base + "/refresh").statusCode());
        } finally {
            assertEquals(0, serve.stop().exitCode());
        }
    }

    @Test
    void live_staysUpWhenTheBucketIsDown() {
        int port = Ports.closed();
        String base = "http://127.0.0.1:" + port;
        Nodeprobe.Running serve = serve(node("np-full").env("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:" + Ports.closed()),
                port, "--timeout", "5s");
        try {
            HttpResponse<String> h = HttpGet.until(base + "/health", Duration.ofSeconds(40),
                    r -> r.body().contains("\"state\": \"ran\""));
            assertEquals(503, h.statusCode());
            assertTrue(h.body().contains("\"overall\": \"unknown\""), h.body());
            assertEquals(200, HttpGet.get(base + "/health/live").statusCode());
        } finally {
            assertEquals(0, serve.stop().exitCode());
        }
    }

    @Test
    void checkWhileServing_works_andOpensNoPort() throws Exception {
        int port = Ports.closed();
        Nodeprobe.Running serve = serve(node("np-full"), port);
        try {
            HttpGet.until("http://127.0.0.1:" + port + "/health", Duration.ofSeconds(30), r -> r.statusCode() == 200);
            assertTrue(listeningPorts(serve.process().pid()).contains(port), "serve listens on its port");

            imds.tokenDelay(Duration.ofMillis(900)); // keep the one-shot check alive long enough to inspect
            Nodeprobe.Running check = node("np-full").start("check", "--bucket", BUCKET, "--format", "json");
            Set<Integer> seen = new HashSet<>();
            while (check.process().isAlive()) {
                seen.addAll(listeningPorts(check.process().pid()));
                HttpGet.sleep(50);
            }
            NodeprobeRun done = check.await(Duration.ofSeconds(60));
            assertEquals(0, done.exitCode(), done::toString);
            assertEquals(Set.of(), seen, "a one-shot check must not listen on any port");
        } finally {
            assertEquals(0, serve.stop().exitCode());
        }
    }

    @Test
    void sigterm_stopsCleanly_leavingNoProbeObject() {
        int port = Ports.closed();
        Nodeprobe.Running serve = serve(node("np-full"), port, "--prefix", "sigterm");
        HttpGet.until("http://127.0.0.1:" + port + "/health", Duration.ofSeconds(30), r -> r.statusCode() == 200);
        NodeprobeRun stopped = serve.stop();
        assertEquals(0, stopped.exitCode(), stopped::toString);
        assertTrue(stopped.stderr().contains("stopping"), stopped::toString);
        try (S3Client owner = cloud.ownerS3()) {
            assertEquals(0, owner.listObjectsV2(b -> b.bucket(BUCKET).prefix("sigterm/")).keyCount());
        }
    }

    @Test
    void sigterm_duringARun_waitsForItAndLeavesNoProbeObject() {
        int port = Ports.closed();
        String base = "http://127.0.0.1:" + port;
        Nodeprobe.Running serve = serve(node("np-full"), port, "--prefix", "sigterm-inflight", "--interval", "10m");
        HttpGet.until(base + "/health", Duration.ofSeconds(30), r -> r.statusCode() == 200);
        imds.tokenDelay(Duration.ofMillis(700)); // the run's first call is held, so the signal lands mid-run
        int before = imds.requestCount();
        Thread refresh = new Thread(() -> {
            try {
                HttpGet.post(base + "/refresh");
            } catch (RuntimeException closedByTheStop) {
                // the server closes before the run ends; the run itself is what this test follows
            }
        });
        refresh.setDaemon(true);
        refresh.start();
        long end = System.nanoTime() + 10_000_000_000L;
        while (imds.requestCount() == before && System.nanoTime() < end) {
            HttpGet.sleep(10);
        }
        assertTrue(imds.requestCount() > before, "the refreshed run reached IMDS");
        NodeprobeRun stopped = serve.stop();
        assertEquals(0, stopped.exitCode(), stopped::toString);
        String err = stopped.stderr();
        int stopping = err.indexOf("serve: stopping");
        assertTrue(stopping >= 0, stopped::toString);
        assertTrue(err.indexOf(" nodeprobe run ", stopping) > stopping, "the run in flight ended after the signal, "
                + "and was logged: " + err);
        assertTrue(err.substring(stopping).contains(": pass"), "and it passed: " + err);
        try (S3Client owner = cloud.ownerS3()) {
            assertEquals(0, owner.listObjectsV2(b -> b.bucket(BUCKET).prefix("sigterm-inflight/")).keyCount());
        }
    }

    @Test
    void runThatThrows_isLoggedWithItsCause_healthUnknown_andLaterRunsGoOn() throws Exception {
        try (TlsProxy tls = new TlsProxy(java.net.URI.create(cloud.rgwEndpoint()))) {
            Path bundle = Files.createTempFile("nodeprobe-ca", ".pem");
            Files.writeString(bundle, "not a certificate\n"); // every run throws building its clients
            int port = Ports.closed();
            String base = "http://127.0.0.1:" + port;
            Nodeprobe.Running serve = serve(node("np-full").env("AWS_ENDPOINT_URL_S3", tls.endpoint())
                    .env("AWS_CA_BUNDLE", bundle.toString()), port);
            NodeprobeRun stopped;
            try {
                HttpResponse<String> broken = HttpGet.until(base + "/health", Duration.ofSeconds(30),
                        r -> r.statusCode() != 200 && !r.body().contains("\"starting\""));
                assertEquals(503, broken.statusCode(), broken.body());
                JsonNode data = checkData(JsonNode.parser().parse(broken.body()), "nodeprobe");
                assertEquals("unknown", data.field("state").orElseThrow().asString(), broken.body());
                assertTrue(data.field("failure").orElseThrow().asString().contains("AWS_CA_BUNDLE"), broken.body());

                Files.copy(tls.certificatePem(), bundle, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                HttpResponse<String> fixed = HttpGet.until(base + "/health", Duration.ofSeconds(30),
                        r -> r.statusCode() == 200);
                assertEquals("ran", checkData(JsonNode.parser().parse(fixed.body()), "nodeprobe").field("state")
                        .orElseThrow().asString());
            } finally {
                stopped = serve.stop();
                Files.deleteIfExists(bundle);
            }
            assertEquals(0, stopped.exitCode(), stopped::toString);
            List<String> runs = stopped.stderr().lines().filter(l -> l.contains(" nodeprobe run ")).toList();
            List<String> aborted = runs.stream().filter(l -> l.contains("the run stopped early")).toList();
            assertTrue(!aborted.isEmpty(), stopped::toString);
            assertTrue(aborted.stream().allMatch(l -> l.contains("unknown") && l.contains("AWS_CA_BUNDLE")), stopped::toString);
            assertEquals(aborted.size(), stopped.stderr().lines().filter(l -> l.contains("AWS_CA_BUNDLE")).count(),
                    "each failed run is logged once, with its cause: " + stopped);
            assertTrue(runs.get(runs.size() - 1).contains(": pass"), "later runs went on: " + stopped);
            assertTrue(!stopped.stderr().contains("\tat "), "no stack trace: " + stopped);
        }
    }

    @Test
    void checkInALoopBesideServe_neverFailsFalsely() {
        // Both units start together at boot and share the default prefix: neither may clean up the other's object.
        long seconds = Nodeprobe.artifact().nativeImage() ? 120 : 30; // the full length on the native artifact
        int port = Ports.closed();
        String base = "http://127.0.0.1:" + port;
        Nodeprobe.Running serve = serve(node("np-full"), port);
        int checks = 0;
        NodeprobeRun stopped;
        try {
            HttpGet.until(base + "/health", Duration.ofSeconds(30), r -> r.statusCode() == 200);
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            while (System.nanoTime() < end) {
                NodeprobeRun run = node("np-full").run("check", "--bucket", BUCKET, "--format", "json");
                assertEquals(0, run.exitCode(), run::toString);
                checks++;
            }
            assertEquals(200, HttpGet.get(base + "/health").statusCode());
        } finally {
            stopped = serve.stop();
        }
        assertEquals(0, stopped.exitCode(), stopped::toString);
        List<String> runs = stopped.stderr().lines().filter(l -> l.contains(" nodeprobe run ")).toList();
        assertTrue(runs.size() >= seconds / 6, "serve ran on schedule: " + runs.size() + " runs");
        assertTrue(runs.stream().allMatch(l -> l.contains(": pass")), "every serve run passed: " + stopped);
        assertTrue(checks >= 5, "checks: " + checks);
        try (S3Client owner = cloud.ownerS3()) {
            assertEquals(0, owner.listObjectsV2(b -> b.bucket(BUCKET).prefix(".nodeprobe/")).keyCount(),
                    "both left their folder empty");
        }
    }

    @Test
    void refreshes_neverMultiplyTheSchedule() throws Exception {
        int port = Ports.closed();
        String base = "http://127.0.0.1:" + port;
        Nodeprobe.Running serve = serve(node("np-full"), port); // --interval 5s
        try {
            HttpGet.until(base + "/health", Duration.ofSeconds(30), r -> r.statusCode() == 200);
            int before = sts.requestCount(); // one STS call per run
            java.util.List<java.util.concurrent.CompletableFuture<Integer>> burst = new java.util.ArrayList<>();
            for (int i = 0; i < 100; i++) {
                burst.add(java.util.concurrent.CompletableFuture.supplyAsync(
                        () -> HttpGet.post(base + "/refresh").statusCode()));
            }
            java.util.List<Integer> codes = burst.stream().map(java.util.concurrent.CompletableFuture::join).toList();
            assertTrue(codes.stream().allMatch(c -> c == 200 || c == 429), codes.toString());
            assertTrue(sts.requestCount() - before <= 2, "a burst of 100 refreshes: " + (sts.requestCount() - before)
                    + " runs");
            for (int i = 0; i < 3; i++) { // one burst and three refreshes 10.5 s apart: four refreshes
                HttpGet.sleep(10_500);
                assertEquals(200, HttpGet.post(base + "/refresh").statusCode());
            }
            int start = sts.requestCount();
            HttpGet.sleep(20_000);
            int runs = sts.requestCount() - start;
            assertTrue(runs <= 5, "runs in the 20 s after four refreshes at --interval 5s: " + runs);
            assertTrue(runs >= 3, "the schedule goes on: " + runs);
        } finally {
            assertEquals(0, serve.stop().exitCode());
        }
    }

    @Test
    void slowloris_64Connections_cannotTakeHealthDown() throws Exception {
        int port = Ports.closed();
        String base = "http://127.0.0.1:" + port;
        Nodeprobe.Running serve = serve(node("np-full"), port, "--interval", "10m");
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.List<Thread> attackers = new java.util.ArrayList<>();
        try {
            HttpGet.until(base + "/health", Duration.ofSeconds(30), r -> r.statusCode() == 200);
            for (int i = 0; i < 64; i++) {
                Thread t = new Thread(() -> slowloris(port, stop), "slowloris");
                t.setDaemon(true);
                t.start();
                attackers.add(t);
            }
            HttpGet.sleep(2_000); // every attacker is holding a connection
            long end = System.nanoTime() + 30_000_000_000L;
            long worst = 0;
            int probes = 0;
            while (System.nanoTime() < end) {
                for (String path : List.of("/health", "/health/live")) {
                    long t0 = System.nanoTime();
                    int status = HttpGet.fresh(port, path);
                    long ms = (System.nanoTime() - t0) / 1_000_000;
                    assertEquals(200, status, path);
                    worst = Math.max(worst, ms);
                    probes++;
                }
                HttpGet.sleep(100);
            }
            assertTrue(worst < 100, "slowest of " + probes + " health answers under 64 slowloris: " + worst + "ms");
            stop.set(true);
            for (Thread t : attackers) {
                t.join(10_000);
            }
            assertEquals(200, HttpGet.fresh(port, "/health"), "recovers after");
        } finally {
            stop.set(true);
            assertEquals(0, serve.stop().exitCode());
        }
    }

    /** Sends a request line, then one header line per second; reconnects when the server closes it. */
    private static void slowloris(int port, java.util.concurrent.atomic.AtomicBoolean stop) {
        while (!stop.get()) {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                var out = s.getOutputStream();
                out.write("GET /health HTTP/1.1\r\nHost: x\r\n".getBytes());
                while (!stop.get()) {
                    HttpGet.sleep(1_000);
                    out.write("X-a: b\r\n".getBytes());
                    out.flush();
                }
            } catch (IOException closedByTheServer) {
                HttpGet.sleep(50);
            }
        }
    }

    @Test
    void health_answersCarrySecurityHeaders_andBindIsLoopbackByDefault() {
        int port = Ports.closed();
        String base = "http://127.0.0.1:" + port;
        Nodeprobe.Running serve = serve(node("np-full"), port);
        try {
            HttpGet.until(base + "/health", Duration.ofSeconds(30), r -> r.statusCode() == 200);
            for (String path : List.of("/health", "/metrics", "/", "/nope")) {
                HttpResponse<String> r = HttpGet.get(base + path);
                assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(""), path);
                assertTrue(r.headers().firstValue("Content-Security-Policy").orElse("").startsWith("default-src 'none'"),
                        path);
            }
            assertEquals(Set.of("0100007F:" + String.format("%04X", port)), listeningAddresses(serve.process().pid()));
        } finally {
            assertEquals(0, serve.stop().exitCode());
        }
    }

    /**
     * local address:port (hex, as /proc/net/tcp{,6} have it) of each listening socket of the process; an IPv4
     * address bound through a dual-stack socket shows in tcp6 as ::ffff:a.b.c.d, so that form is folded to IPv4.
     */
    static Set<String> listeningAddresses(long pid) {
        Set<String> inodes = socketInodes(pid);
        Set<String> out = new HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try {
                for (String line : Files.readAllLines(Path.of(table))) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length > 9 && f[3].equals("0A") && inodes.contains(f[9])) {
                        out.add(f[1].startsWith("0000000000000000FFFF0000") ? f[1].substring(24) : f[1]);
                    }
                }
            } catch (IOException noTable) {
                // no IPv6 table on this kernel
            }
        }
        return out;
    }

    private static JsonNode checkData(JsonNode health, String name) {
        return health.field("checks").orElseThrow().asArray().stream()
                .filter(c -> name.equals(c.field("name").orElseThrow().asString())).findFirst().orElseThrow()
                .field("data").orElseThrow();
    }

    /** Sample lines as series -> value; fails on any line that is not valid exposition text. */
    static Map<String, String> metrics(String text) {
        Pattern sample = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*(\\{[^}]*})?) (-?[0-9.eE+]+|NaN)");
        Map<String, String> out = new HashMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("# HELP ") || line.startsWith("# TYPE ") || line.isEmpty()) {
                continue;
            }
            Matcher m = sample.matcher(line);
            assertTrue(m.matches(), "not Prometheus text: " + line);
            out.put(m.group(1), m.group(3));
        }
        return out;
    }

    private static String denyPut(String role) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Principal\":{\"AWS\":"
                + "[\"arn:aws:iam:::role/" + role + "\"]},\"Action\":\"s3:PutObject\",\"Resource\":"
                + "\"arn:aws:s3:::" + BUCKET + "/*\"}]}";
    }

    /** TCP ports a process listens on, from the socket inodes of its fds and /proc/net/tcp{,6}. */
    /** inode numbers of the process's sockets, from its /proc fd links. */
    static Set<String> socketInodes(long pid) {
        Set<String> inodes = new HashSet<>();
        try (var fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String link = Files.readSymbolicLink(fd).toString();
                    if (link.startsWith("socket:[")) {
                        inodes.add(link.substring(8, link.length() - 1));
                    }
                } catch (IOException gone) {
                    // fd closed meanwhile
                }
            }
        } catch (IOException processGone) {
            return Set.of();
        }
        return inodes;
    }

    static Set<Integer> listeningPorts(long pid) {
        Set<Integer> ports = new HashSet<>();
        for (String address : listeningAddresses(pid)) {
            ports.add(Integer.parseInt(address.substring(address.indexOf(':') + 1), 16));
        }
        return ports;
    }
}
