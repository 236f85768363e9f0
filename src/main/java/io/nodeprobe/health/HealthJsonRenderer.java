package io.nodeprobe.health;

import io.nodeprobe.report.CheckResult;
import io.nodeprobe.report.JsonWriter;
import io.nodeprobe.report.Report;
import io.nodeprobe.report.Status;

/**
 * MicroProfile Health's JSON shape, {@code {"status":"UP|DOWN","checks":[{"name","status","data"}]}}, carrying
 * the same check names, statuses, diagnoses and timings as {@code check --format json}. A first check named
 * {@code nodeprobe} carries the run itself: node, role, bucket, overall status, time of the run.
 */
public final class HealthJsonRenderer implements SnapshotRenderer {

    @Override
    public String contentType() {
        return "application/json";
    }

    @Override
    public String render(HealthSnapshot s) {
        JsonWriter w = new JsonWriter(true);
        w.beginObject().field("status", s.healthy() ? "UP" : "DOWN").name("checks").beginArray();
        Report r = s.latest();
        w.beginObject().field("name", "nodeprobe").field("status", s.healthy() ? "UP" : "DOWN").name("data")
                .beginObject();
        w.field("state", s.state().word());
        if (r != null) {
            w.field("overall", r.status().word())
                    .field("lastRun", r.startedAt().toString())
                    .field("durationMs", r.durationMs())
                    .field("instanceId", r.node().instanceId())
                    .field("role", r.identity().role())
                    .field("account", r.identity().account())
                    .field("bucket", r.target() == null ? null : r.target().bucket())
                    .field("prefix", r.target() == null ? null : r.target().prefix());
            putIfSet(w, "failure", r.failure());
        }
        w.endObject().endObject();
        if (r != null) {
            for (CheckResult c : r.checks()) {
                w.beginObject().field("name", c.name()).field("status", up(c.status()) ? "UP" : "DOWN")
                        .name("data").beginObject()
                        .field("status", c.status().word())
                        .field("action", c.action())
                        .field("resource", c.resource())
                        .field("durationMs", c.durationMs());
                putIfSet(w, "detail", c.detail());
                putIfSet(w, "errorCode", c.error() == null ? null : c.error().code());
                if (c.error() != null && c.error().httpStatus() != null) {
                    w.field("httpStatus", c.error().httpStatus());
                }
                putIfSet(w, "requestId", c.error() == null ? null : c.error().requestId());
                putIfSet(w, "diagnosis", c.diagnosis());
                putIfSet(w, "remediation", c.remediation());
                w.endObject().endObject();
            }
        }
        w.endArray().endObject();
        return w + "\n";
    }

    static boolean up(Status s) {
        return s == Status.PASS || s == Status.WARN || s == Status.SKIP;
    }

    /** MicroProfile data values are strings, numbers or booleans: leave absent ones out rather than null. */
    private static void putIfSet(JsonWriter w, String name, String value) {
        if (value != null) {
            w.field(name, value);
        }
    }
}
