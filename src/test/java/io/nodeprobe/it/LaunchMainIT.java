package io.nodeprobe.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainIntegrationTest;
import org.junit.jupiter.api.Test;

/**
 * The same artifact through Quarkus's own launcher (native when built with -Dnative): version, help and a usage
 * error. The environment-driven scenarios use {@link Nodeprobe}, which controls the child's environment.
 */
@QuarkusMainIntegrationTest
class LaunchMainIT {

    @Test
    @Launch("--version")
    void version(LaunchResult result) {
        assertTrue(result.getOutput().startsWith("nodeprobe 0.1.0 ("), result.getOutput());
    }

    @Test
    @Launch({"serve", "--help"})
    void serveHelp_documentsTheEndpoints(LaunchResult result) {
        assertTrue(result.getOutput().contains("/health/live") && result.getOutput().contains("--interval"),
                result.getOutput());
        assertTrue(!result.getErrorOutput().contains("WARN"), result.getErrorOutput());
    }

    @Test
    @Launch(value = {"check", "--timeout", "soon"}, exitCode = 2)
    void badTimeout_exitsTwo(LaunchResult result) {
        // Quarkus's launcher may add its own start-up log line; ours is exactly one line.
        assertEquals(1, result.getErrorStream().stream().filter(l -> l.contains("nodeprobe check: error:")).count(),
                result.getErrorOutput());
        assertTrue(result.getErrorOutput().contains("not a duration"), result.getErrorOutput());
    }
}
