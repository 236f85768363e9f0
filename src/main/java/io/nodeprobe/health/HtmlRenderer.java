package io.nodeprobe.health;

import io.nodeprobe.report.CheckResult;
import io.nodeprobe.report.Report;
import io.nodeprobe.report.Status;

/** A plain page a person opens in a browser: no scripts, no external assets, inline styles only. */
public final class HtmlRenderer implements SnapshotRenderer {

    @Override
    public String contentType() {
        return "text/html; charset=utf-8";
    }

    @Override
    public String render(HealthSnapshot s) {
        Report r = s.latest();
        StringBuilder out = new StringBuilder(4096);
        out.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>nodeprobe: ")
                .append(r == null ? s.state().word() : esc(r.status().word()))
                .append("</title>\n<meta http-equiv=\"refresh\" content=\"30\">\n<style>"
                        + "body{font-family:system-ui,sans-serif;margin:2em;color:#222}"
                        + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .6em;"
                        + "text-align:left;vertical-align:top}pre{white-space:pre-wrap;margin:0;font-size:.85em}"
                        + ".pass{background:#d4f7d4}.warn,.unknown{background:#fff1c2}.fail{background:#ffd0d0}"
                        + ".skip{background:#eee;color:#666}</style></head><body>\n");
        if (s.stale()) {
            out.append("<p class=\"fail\"><b>stale:</b> no run has ended for too long; the result below is old.</p>");
        }
        if (r == null) {
            out.append("<h1>nodeprobe: ").append(s.state().word()).append("</h1><p>The first check is still running."
                    + "</p>");
        } else {
            out.append("<h1 class=\"").append(r.status().word()).append("\">nodeprobe: ")
                    .append(esc(r.status().word())).append("</h1>\n<p>node <b>").append(esc(r.node().instanceId()))
                    .append("</b> (").append(esc(r.node().availabilityZone())).append("), role <b>")
                    .append(esc(r.identity().role())).append("</b> via ").append(esc(r.identity().credentialSource()));
            if (r.target() != null) {
                out.append(", bucket <b>s3://").append(esc(r.target().bucket())).append('/')
                        .append(esc(r.target().prefix())).append("</b>");
            }
            out.append("<br>last run ").append(esc(r.startedAt().toString())).append(" (")
                    .append(r.durationMs()).append(" ms)</p>\n<table><tr><th>check</th><th>status</th><th>time</th>"
                            + "<th>action</th><th>diagnosis</th><th>remediation</th></tr>\n");
            for (CheckResult c : r.checks()) {
                out.append("<tr class=\"").append(c.status().word()).append("\"><td>").append(esc(c.name()))
                        .append("</td><td>").append(esc(c.status().word())).append("</td><td>")
                        .append(c.status() == Status.SKIP ? "-" : c.durationMs() + " ms").append("</td><td>")
                        .append(esc(c.action())).append("</td><td>")
                        .append(esc(c.diagnosis() != null ? c.diagnosis() : c.detail())).append("</td><td><pre>")
                        .append(esc(c.remediation())).append("</pre></td></tr>\n");
            }
            out.append("</table>\n");
            if (r.failure() != null) {
                out.append("<p class=\"unknown\">the run stopped early: ").append(esc(r.failure())).append("</p>\n");
            }
        }
        out.append("<p><small>").append(esc(s.version())).append(" (").append(esc(s.mode()))
                .append(") &middot; <a href=\"/health\">/health</a> &middot; <a href=\"/metrics\">/metrics</a>"
                        + "</small></p></body></html>\n");
        return out.toString();
    }

    private static String esc(String s) {
        if (s == null) {
            return "";
        }
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
