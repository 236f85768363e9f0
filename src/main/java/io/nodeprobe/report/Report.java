package io.nodeprobe.report;

import java.time.Instant;
import java.util.List;

/** The result of one run. Its status and exit code are computed here, once, for every renderer. */
public record Report(Status status, NodeInfo node, IdentityInfo identity, TargetInfo target, List<CheckResult> checks,
                     Instant startedAt, long durationMs) {

    public Report {
        checks = List.copyOf(checks);
    }

    public static Report of(NodeInfo node, IdentityInfo identity, TargetInfo target, List<CheckResult> checks,
                            Instant startedAt, long durationMs) {
        Status overall = Status.overall(checks.stream().map(CheckResult::status).toList());
        return new Report(overall, node, identity, target, checks, startedAt, durationMs);
    }

    public int exitCode() {
        return ExitCode.of(status);
    }

    public List<CheckResult> problems() {
        return checks.stream().filter(c -> c.status() == Status.FAIL || c.status() == Status.UNKNOWN
                || c.status() == Status.WARN).toList();
    }
}
