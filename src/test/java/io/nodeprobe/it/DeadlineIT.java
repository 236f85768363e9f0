package io.nodeprobe.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code --timeout} is a promise: whatever IMDS, STS or S3 do, a run ends within it plus 250 ms, and {@code --wait}
 * within its limit plus one attempt's timeout. Each endpoint in turn accepts connections and never answers.
 *
 * <p>Two clocks: the report's own durationMs holds the promise exactly; the wall time seen here adds the process's
 * start and exit, measured in the same invocation ({@link StartupAllowance}).
 */
class DeadlineIT extends CloudScenario {
    private static final long TIMEOUT_MS = 2_000;
    private static final long PROMISE_MS = TIMEOUT_MS + 250;


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
            assertTrue(run.elapsedMs() <= limit + StartupAllowance.ms(),
                    "--wait 3s --timeout 2s took " + run.elapsedMs() + "ms; limit " + limit + "ms + start-up "
                            + StartupAllowance.ms() + "ms");
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
        assertTrue(run.elapsedMs() <= PROMISE_MS + StartupAllowance.ms(),
                "took " + run.elapsedMs() + "ms; promise " + PROMISE_MS + "ms + start-up " + StartupAllowance.ms() + "ms");
        assertFalse(run.stderr().contains("\tat "), "no stack trace: " + run);
    }

}
