package io.nodeprobe.cli;

import io.nodeprobe.config.Durations;
import java.time.Duration;
import picocli.CommandLine.Option;

/** --timeout, the deadline of one run; parsed by us so a bad value is a one-line usage error. */
public class TimeoutMixin {
    static final String DEFAULT = "15s";

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = DEFAULT,
            description = "Deadline for one run (default: ${DEFAULT-VALUE}).")
    String timeout;

    public Duration timeout() {
        return Durations.parse("--timeout", timeout);
    }
}
