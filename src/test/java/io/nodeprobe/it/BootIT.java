package io.nodeprobe.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nodeprobe.localcloud.ImdsEmulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

/** Node startup: --wait, --warn-only, --output, --log-format, the expected instance profile. */
class BootIT extends CloudScenario {

    @Test
    void wait_imdsAnswersOnlyAfterFiveSeconds_passes() throws Exception {
        int port = Ports.closed();
        Nodeprobe node = node("np-full").env("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:" + port);
        Nodeprobe.Running check = node.start("check", "--bucket", cloud.bucket(), "--wait", "30s", "--format", "json");
        HttpGet.sleep(5_000);
        try (ImdsEmulator late = ImdsEmulator.start(port).node(INSTANCE_ID, "us-east-1", "us-east-1a")
                .instanceProfile(PROFILE_ARN, "AIPAEXAMPLEPROFILEID1").role("np-full", cloud.roleDocument("np-full"))) {
            NodeprobeRun run = check.await(Duration.ofSeconds(40));
            assertEquals(0, run.exitCode(), run::toString);
            assertEquals("pass", run.report().status());
            long attempts = run.stderr().lines().filter(l -> l.contains("attempt")).count();
            assertTrue(attempts >= 2, run::toString);
            assertTrue(run.stderr().lines().filter(l -> l.contains("attempt")).findFirst().orElseThrow()
                    .contains("imds.token=unknown"), run::toString);
        }
    }

    @Test
    void wait_deniedAction_exitsOneAfterTheWaitWithSeveralAttemptsLogged() {
        long t0 = System.nanoTime();
        NodeprobeRun run = node("np-no-put").run("check", "--bucket", cloud.bucket(), "--wait", "5s", "--format",
                "json");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(1, run.exitCode(), run::toString);
        List<String> attempts = run.stderr().lines().filter(l -> l.contains(" attempt ")).toList();
        assertTrue(attempts.size() >= 3, run::toString);
        assertTrue(attempts.get(0).contains("s3.put=fail") && attempts.get(0).contains("retrying in"), run::toString);
        assertTrue(attempts.get(attempts.size() - 1).contains("giving up"), run::toString);
        assertTrue(ms >= 4_000 && ms < 5_000 + 15_000, "took " + ms + "ms");
    }

    @Test
    void wait_badConfiguration_isNotRetried() {
        NodeprobeRun run = node("np-full").run("check", "--bucket", "Bad_Bucket", "--wait", "60s");
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.elapsedMs() < 15_000);
    }

    @Test
    void warnOnly_deniedAction_exitsZeroButReportsFail() throws Exception {
        Path out = Files.createTempDirectory("nodeprobe-boot").resolve("report.json");
        NodeprobeRun run = node("np-no-delete").run("check", "--bucket", cloud.bucket(), "--warn-only", "--output",
                out.toString());
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.stdout().contains("result: fail (exit 1)"), run::toString);
        assertEquals("fail", JsonNode.parser().parse(Files.readString(out)).field("status").orElseThrow().asString());
        assertTrue(run.stderr().contains("attempt 1"), "warn-only logs the result too: " + run);
    }

    @Test
    void warnOnly_evenBadFlagsExitZero() {
        NodeprobeRun run = node("np-full").run("check", "--warn-only", "--bucket", "Bad_Bucket");
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.stderr().contains("invalid bucket name"), run::toString);
    }

    @Test
    void expectedInstanceProfile_wrong_failsNamingBoth() throws Exception {
        String expected = "arn:aws:iam::" + LocalCloud.ACCOUNT + ":instance-profile/anyscale-gpu-nodes";
        NodeprobeRun run = node("np-full").run("check", "--bucket", cloud.bucket(), "--read-only",
                "--expected-instance-profile", expected, "--format", "json");
        assertEquals(1, run.exitCode(), run::toString);
        ReportJson.Check c = run.report().check("imds.instance-profile");
        assertEquals("fail", c.status());
        assertTrue(c.diagnosis().orElseThrow().contains(PROFILE_ARN) && c.diagnosis().orElseThrow().contains(expected),
                c::toString);

        Path config = Files.createTempFile("compute-config", ".json");
        Files.writeString(config, "{\"IamInstanceProfile\": {\"Arn\": \"" + PROFILE_ARN + "\"}}");
        NodeprobeRun ok = node("np-full").run("check", "--bucket", cloud.bucket(), "--read-only",
                "--compute-config", config.toString(), "--format", "json");
        assertEquals(0, ok.exitCode(), ok::toString);
        assertTrue(ok.report().check("imds.instance-profile").text("detail").contains("(as expected)"));

        Files.writeString(config, "{\"IamInstanceProfile\": {}}");
        NodeprobeRun bad = node("np-full").run("check", "--bucket", cloud.bucket(), "--compute-config",
                config.toString());
        assertEquals(2, bad.exitCode(), bad::toString);
        assertTrue(bad.stderr().contains("no IamInstanceProfile.Arn"), bad::toString);
    }

    @Test
    void output_killedMidway_neverLeavesAHalfWrittenFile() throws Exception {
        Path dir = Files.createTempDirectory("nodeprobe-kill");
        Path out = dir.resolve("nodeprobe.json");
        for (int i = 0; i < 7; i++) {
            Nodeprobe.Running run = node("np-no-put").start("check", "--bucket", cloud.bucket(), "--wait", "60s",
                    "--output", out.toString());
            if (i < 6) {
                HttpGet.sleep(300 + 500L * i); // kills land before, during and between attempts
            } else {
                long end = System.nanoTime() + 30_000_000_000L; // the last run is killed once it has written
                while (!Files.exists(out) && System.nanoTime() < end) {
                    HttpGet.sleep(20);
                }
            }
            run.kill();
            if (Files.exists(out)) {
                JsonNode doc = JsonNode.parser().parse(Files.readString(out));
                assertEquals("fail", doc.field("status").orElseThrow().asString());
                assertTrue(doc.field("durationMs").isPresent(), "complete report");
            }
        }
        assertTrue(Files.exists(out), "the last run wrote its report");
    }

    @Test
    void logFormatJson_everyLineIsAJsonObject() {
        NodeprobeRun run = node("np-no-put").run("check", "--bucket", cloud.bucket(), "--wait", "3s", "--log-format",
                "json", "--format", "json");
        assertEquals(1, run.exitCode(), run::toString);
        List<String> lines = run.stderr().lines().toList();
        assertTrue(lines.size() >= 2, run::toString);
        for (String line : lines) {
            JsonNode n = JsonNode.parser().parse(line);
            assertEquals("check", n.field("event").orElseThrow().asString(), line);
            assertTrue(n.field("attempt").isPresent() && n.field("failing").isPresent(), line);
        }
    }
}
