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
        // IMDS comes up only once the run has failed an attempt and waits to retry, as on a node still booting
        check.awaitLine("attempt 2", Duration.ofSeconds(30));
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

    /**
     * strace holds every fsync for 5 s, so the run stops inside ReportFile's write, between creating its temporary
     * file and renaming it, and the kill lands there every time instead of by luck.
     */
    @Test
    void output_killedInsideItsWrite_leavesThePreviousWholeReport() throws Exception {
        Path dir = Files.createTempDirectory("nodeprobe-kill");
        Path out = dir.resolve("nodeprobe.json");
        NodeprobeRun first = node("np-full").run("check", "--bucket", cloud.bucket(), "--read-only", "--output",
                out.toString());
        assertEquals(0, first.exitCode(), first::toString);
        String previous = Files.readString(out);

        Nodeprobe.Running held = node("np-no-put").startUnder(List.of("strace", "-f", "-qq", "--seccomp-bpf",
                "-o", "/dev/null", "-e", "trace=fsync,fdatasync", "-e", "inject=fsync:delay_enter=5000000",
                "-e", "inject=fdatasync:delay_enter=5000000"), "check", "--bucket", cloud.bucket(), "--output",
                out.toString());
        Path tmp = awaitTemporaryFile(dir, held);
        HttpGet.sleep(200); // the few KB are written at once; the run now sits in the held fsync
        // Kill the traced process itself: killing strace would detach it and let it finish the write.
        ProcessHandle traced = held.process().children().findFirst().orElseThrow();
        traced.destroyForcibly();
        held.await(Duration.ofSeconds(20));

        assertTrue(Files.exists(tmp), "the kill landed inside the write: its temporary file is still there");
        assertEquals(previous, Files.readString(out), "readers still see the previous report, whole");

        Files.setLastModifiedTime(tmp, java.nio.file.attribute.FileTime.from(
                java.time.Instant.now().minus(Duration.ofMinutes(2))));
        NodeprobeRun next = node("np-full").run("check", "--bucket", cloud.bucket(), "--read-only", "--output",
                out.toString());
        assertEquals(0, next.exitCode(), next::toString);
        assertEquals("pass", JsonNode.parser().parse(Files.readString(out)).field("status").orElseThrow().asString());
        try (var left = Files.list(dir)) {
            assertEquals(List.of(out), left.toList(), "the next write removed the old leftover");
        }
    }

    private static Path awaitTemporaryFile(Path dir, Nodeprobe.Running run) throws Exception {
        long end = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < end && run.process().isAlive()) {
            try (var files = Files.list(dir)) {
                java.util.Optional<Path> tmp = files.filter(p -> p.getFileName().toString().endsWith(".tmp")).findFirst();
                if (tmp.isPresent()) {
                    return tmp.get();
                }
            }
            HttpGet.sleep(10);
        }
        throw new AssertionError("no temporary report file appeared: " + run.stderr());
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
