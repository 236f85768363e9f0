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
    static Set<Integer> listeningPorts(long pid) {
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
        Set<Integer> ports = new HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try {
                List<String> lines = Files.readAllLines(Path.of(table));
                for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length > 9 && f[3].equals("0A") && inodes.contains(f[9])) {
                        ports.add(Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16));
                    }
                }
            } catch (IOException ignored) {
                // no IPv6 table
            }
        }
        return ports;
    }
}
