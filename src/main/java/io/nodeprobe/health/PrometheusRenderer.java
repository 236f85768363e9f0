package io.nodeprobe.health;

import io.nodeprobe.report.CheckResult;
import io.nodeprobe.report.Report;
import io.nodeprobe.report.Status;
import java.time.Instant;
import java.util.Locale;

/**
 * Prometheus text exposition format 0.0.4. Per-check gauges are 0/1 from the last run (they recover when the check
 * does; nothing latches). Skipped checks have no sample: "skipped" is neither up nor down, and the check that caused
 * the skip already reports 0.
 */
public final class PrometheusRenderer implements SnapshotRenderer {

    @Override
    public String contentType() {
        return "text/plain; version=0.0.4; charset=utf-8";
    }

    @Override
    public String render(HealthSnapshot s) {
        StringBuilder out = new StringBuilder(2048);
        Report r = s.latest();
        header(out, "nodeprobe_up", "gauge", "1 when the last run passed (warnings allowed), else 0.");
        out.append("nodeprobe_up ").append(s.healthy() ? 1 : 0).append('\n');

        header(out, "nodeprobe_check_up", "gauge", "1 when the check passed in the last run, 0 when it failed or "
                + "could not decide; absent when skipped.");
        if (r != null) {
            for (CheckResult c : r.checks()) {
                if (c.status() != Status.SKIP) {
                    out.append("nodeprobe_check_up{check=\"").append(escape(c.name())).append("\"} ")
                            .append(HealthJsonRenderer.up(c.status()) ? 1 : 0).append('\n');
                }
            }
        }
        header(out, "nodeprobe_check_duration_seconds", "gauge", "How long each check took in the last run.");
        if (r != null) {
            for (CheckResult c : r.checks()) {
                if (c.status() != Status.SKIP) {
                    out.append("nodeprobe_check_duration_seconds{check=\"").append(escape(c.name())).append("\"} ")
                            .append(seconds(c.durationMs())).append('\n');
                }
            }
        }
        header(out, "nodeprobe_last_run_timestamp_seconds", "gauge", "When the last run started, in Unix time.");
        if (r != null) {
            out.append("nodeprobe_last_run_timestamp_seconds ").append(unix(r.startedAt())).append('\n');
        }
        header(out, "nodeprobe_runs_total", "counter", "Runs since the agent started, by overall status.");
        for (Status st : new Status[] {Status.PASS, Status.WARN, Status.FAIL, Status.UNKNOWN}) {
            out.append("nodeprobe_runs_total{status=\"").append(st.word()).append("\"} ")
                    .append(s.runsByStatus().getOrDefault(st, 0L)).append('\n');
        }
        header(out, "nodeprobe_credentials_expiry_timestamp_seconds", "gauge",
                "When the credentials used by the last run expire, in Unix time.");
        if (r != null && r.identity().credentialsExpireAt() != null) {
            out.append("nodeprobe_credentials_expiry_timestamp_seconds ")
                    .append(unix(r.identity().credentialsExpireAt())).append('\n');
        }
        header(out, "nodeprobe_clock_offset_seconds", "gauge",
                "The node's clock minus the servers' (from their Date headers) in the last run; positive is ahead.");
        if (r != null && r.node().clockOffsetSeconds() != null) {
            out.append("nodeprobe_clock_offset_seconds ").append(r.node().clockOffsetSeconds()).append('\n');
        }
        header(out, "nodeprobe_build_info", "gauge", "Build of the running agent.");
        out.append("nodeprobe_build_info{version=\"").append(escape(s.version())).append("\",mode=\"")
                .append(escape(s.mode())).append("\"} 1\n");
        return out.toString();
    }

    private static void header(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.3f", millis / 1000.0);
    }

    private static String unix(Instant t) {
        return String.format(Locale.ROOT, "%.3f", t.toEpochMilli() / 1000.0);
    }

    private static String escape(String v) {
        return v == null ? "" : v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
