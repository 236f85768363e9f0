package io.nodeprobe.health;

import io.nodeprobe.report.Report;
import io.nodeprobe.report.Status;
import java.util.Map;

/**
 * What the endpoints serve: the latest report (null while the first run is still going), how many runs ended with
 * each status, and what this build is. Immutable: renderers read it without locks.
 */
public record HealthSnapshot(Report latest, Map<Status, Long> runsByStatus, String version, String mode) {

    public boolean starting() {
        return latest == null;
    }

    /** 200 when the last run passed (warnings allowed); 503 when it failed, could not decide, or has not ended. */
    public boolean healthy() {
        return latest != null && latest.status().isOk();
    }
}
