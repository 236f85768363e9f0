package io.nodeprobe.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nodeprobe.config.Durations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What the shipped serve unit promises must agree with what serve does on SIGTERM. */
class SystemdUnitTest {

    @Test
    void serveUnit_givesARunInFlightTimeToEnd_beforeSystemdKills() throws Exception {
        String unit = Files.readString(Path.of("scripts/systemd/nodeprobe.service"));
        String value = unit.lines().filter(l -> l.startsWith("TimeoutStopSec=")).findFirst()
                .orElseThrow(() -> new AssertionError("no TimeoutStopSec: systemd's default may not be the node's"))
                .substring("TimeoutStopSec=".length()).strip();
        Duration stop = Durations.parse("TimeoutStopSec", value);
        Duration needed = ServeCommand.runLimit(Durations.parse("--timeout", TimeoutMixin.DEFAULT));
        assertTrue(stop.compareTo(needed.multipliedBy(3).dividedBy(2)) >= 0,
                "TimeoutStopSec=" + value + " against a run limit of " + needed.toMillis() + "ms at the default --timeout");
    }
}
