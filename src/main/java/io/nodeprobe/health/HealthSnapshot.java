package io.nodeprobe.health;

import io.nodeprobe.report.Report;
import io.nodeprobe.report.Status;
import java.util.Map;

/**
 * What the endpoints serve: the latest report (null until the first run has ended), how many runs ended with each
 * status, what this build is, and whether the result is stale (no run has ended for too long: the schedule is
 * stuck). Immutable: renderers read it without locks.
 */
public record HealthSnapshot(Report latest, Map<Status, Long> runsByStatus, String version, String mode,
                             boolean stale) {

    /** The words of {@code "state"} in /health. */
    public enum State {
        STARTING, RAN, UNKNOWN, STALE;

        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public State state() {
        if (stale) {
            return State.STALE;
        }
        if (latest == null) {
            return State.STARTING;
        }
        return latest.failure() != null ? State.UNKNOWN : State.RAN;
    }

    public boolean starting() {
        return state() == State.STARTING;
    }

    /** 200 when the last run passed (warnings allowed) and is recent; 503 otherwise. */
    public boolean healthy() {
        return !stale && latest != null && latest.status().isOk();
    }

    public HealthSnapshot asStale() {
        return new HealthSnapshot(latest, runsByStatus, version, mode, true);
    }
}
