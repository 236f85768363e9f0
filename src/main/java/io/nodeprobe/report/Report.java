package io.nodeprobe.report;

import java.time.Instant;
import java.util.List;

/**
 * The result of one run. Its status and exit code are computed here, once, for every renderer.
 *
 * @param failure null for a run that went its whole way; otherwise why it stopped early (a bug or an error in the
 *                agent itself, e.g. a CA bundle that became unreadable), and the status is then at best unknown
 */
public record Report(Status status, NodeInfo node, IdentityInfo identity, TargetInfo target, List<CheckResult> checks,
                     Instant startedAt, long durationMs, String failure) {

    public Report {
        checks = List.copyOf(checks);
    }

    public static Report of(NodeInfo node, IdentityInfo identity, TargetInfo target, List<CheckResult> checks,
                            Instant startedAt, long durationMs) {
        Status overall = Status.overall(checks.stream().map(CheckResult::status).toList());
        return new Report(overall, node, identity, target, checks, startedAt, durationMs, null);
    }

    /**
     * A run that stopped early. What it had found is kept; a definite failure among it stays a failure, anything
     * else becomes unknown: the run did not get far enough to pass.
     */
    public static Report aborted(NodeInfo node, IdentityInfo identity, TargetInfo target, List<CheckResult> checks,
                                 Instant startedAt, long durationMs, String failure) {
        Status found = Status.overall(checks.stream().map(CheckResult::status).toList());
        Status overall = found == Status.FAIL ? Status.FAIL : Status.UNKNOWN;
        return new Report(overall, node, identity, target, checks, startedAt, durationMs, failure);
    }

    public int exitCode() {
        return ExitCode.of(status);
    }

    /** With {@code strict}, a warning fails as {@code anyscale cloud verify --strict} makes it: exit 1. */
    public int exitCode(boolean strict) {
        return strict && status == Status.WARN ? ExitCode.FAILED : exitCode();
    }

    public List<CheckResult> problems() {
        return checks.stream().filter(c -> c.status() == Status.FAIL || c.status() == Status.UNKNOWN
                || c.status() == Status.WARN).toList();
    }
}
