package io.nodeprobe.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code --timeout} is a promise: whatever IMDS, STS or S3 do, a run ends within it plus 250 ms, and {@code --wait}
 * within its limit plus one attempt's timeout. Each endpoint in turn accepts connections and never answers.
 *
 * <p>Two clocks: the report's own durationMs holds the promise exactly; the wall time seen here adds the process's
 * start and exit, measured in the same invocation (a run of {@code check --help}: Quarkus and picocli start as for a
 * check, no call is made; not {@code --version}, which answers before Quarkus starts), so the bound fits the
 * artifact under test (a few ms native, about a second on the JVM) instead of a guess.
 */
class DeadlineIT extends CloudScenario {
    private static final long TIMEOUT_MS = 2_000;
    private static final long PROMISE_MS = TIMEOUT_MS + 250;
    private static long startupMs;

    @BeforeAll
    static void measureStartup() {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            NodeprobeRun run = new Nodeprobe().run("check", "--help");
            assertEquals(0, run.exitCode(), run::toString);
            best = Math.min(best, run.elapsedMs());
        }
        startupMs = best;
    }

    @Test
    void silentImds_runEndsWithinTheTimeout() throws Exception {
        try (Ports.Silent silent = Ports.silent()) {
            assertEndsInTime("imds.token", node("np-full")
                    .env("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:" + silent.port()));
        }
    }

    @Test
    void silentSts_runEndsWithinTheTimeout() throws Exception {
        try (Ports.Silent silent = Ports.silent()) {
            assertEndsInTime("sts.caller-identity", node("np-full")
                    .env("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:" + silent.port()));
        }
    }

    @Test
    void silentS3_runEndsWithinTheTimeout() throws Exception {
        try (Ports.Silent silent = Ports.silent()) {
            assertEndsInTime("s3.list", node("np-full")
                    .env("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:" + silent.port()));
        }
    }

    @Test
    void silentS3_waitEndsWithinItsLimitPlusOneAttempt() throws Exception {
        try (Ports.Silent silent = Ports.silent()) {
            NodeprobeRun run = node("np-full").env("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:" + silent.port())
                    .run(Duration.ofSeconds(30), "check", "--bucket", cloud.bucket(), "--timeout", "2s",
                            "--wait", "3s", "--format", "json");
            assertEquals(3, run.exitCode(), run::toString);
            long limit = 3_000 + PROMISE_MS;
            assertTrue(run.elapsedMs() <= limit + allowance(),
                    "--wait 3s --timeout 2s took " + run.elapsedMs() + "ms; limit " + limit + "ms + start-up "
                            + allowance() + "ms");
            assertTrue(run.stderr().contains("attempt 2"), "a second attempt ran: " + run);
        }
    }

    private void assertEndsInTime(String silentCheck, Nodeprobe node) {
        NodeprobeRun run = node.run(Duration.ofSeconds(30), "check", "--bucket", cloud.bucket(), "--timeout", "2s",
                "--format", "json");
        assertEquals(3, run.exitCode(), run::toString);
        ReportJson report = run.report();
        assertEquals("unknown", report.check(silentCheck).status(), run::toString);
        assertTrue(report.check(silentCheck).diagnosis().isPresent(), run::toString);
        long reported = Long.parseLong(report.root().field("durationMs").orElseThrow().asNumber());
        assertTrue(reported <= PROMISE_MS, "report says " + reported + "ms for --timeout 2s");
        assertTrue(run.elapsedMs() <= PROMISE_MS + allowance(),
                "took " + run.elapsedMs() + "ms; promise " + PROMISE_MS + "ms + start-up " + allowance() + "ms");
        assertFalse(run.stderr().contains("\tat "), "no stack trace: " + run);
    }

    /** Process start and exit as measured, with room for a loaded CI machine. */
    private static long allowance() {
        return startupMs * 3 / 2 + 150;
    }
}
