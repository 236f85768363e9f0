package io.nodeprobe.report;

import java.util.Objects;

/** A table a person reads in one glance, then each problem with its diagnosis and remediation. */
public final class TextReportRenderer implements ReportRenderer {
    private final boolean colour;

    public TextReportRenderer(boolean colour) {
        this.colour = colour;
    }

    @Override
    public String render(Report r) {
        StringBuilder out = new StringBuilder(2048);
        out.append("node   ").append(or(r.node().instanceId(), "?"))
                .append("  ").append(or(r.node().availabilityZone(), or(r.node().region(), "?"))).append('\n');
        out.append("role   ").append(or(r.identity().role(), "?"))
                .append("  (").append(or(r.identity().credentialSource(), "no credentials")).append(")");
        if (r.identity().account() != null) {
            out.append("  account ").append(r.identity().account());
        }
        out.append('\n');
        if (r.target() != null) {
            out.append("bucket s3://").append(r.target().bucket()).append('/').append(r.target().prefix())
                    .append("  region ").append(r.target().region()).append('\n');
        }
        out.append('\n');

        int nameWidth = Math.max(5, r.checks().stream().mapToInt(c -> c.name().length()).max().orElse(5));
        out.append(pad("CHECK", nameWidth)).append("  ").append(pad("STATUS", 7)).append("  ")
                .append(pad("TIME", 7)).append("  ").append("ACTION").append('\n');
        for (CheckResult c : r.checks()) {
            out.append(pad(c.name(), nameWidth)).append("  ")
                    .append(paint(c.status(), pad(c.status().word(), 7))).append("  ")
                    .append(pad(c.status() == Status.SKIP ? "-" : c.durationMs() + "ms", 7)).append("  ")
                    .append(or(c.action(), ""));
            if (c.detail() != null) {
                out.append("  ").append(c.detail());
            }
            out.append('\n');
        }
        for (CheckResult c : r.problems()) {
            out.append('\n').append(paint(c.status(), c.status().word().toUpperCase(java.util.Locale.ROOT)))
                    .append(' ').append(c.name()).append(": ").append(or(c.diagnosis(), "")).append('\n');
            if (c.error() != null) {
                out.append("  evidence: ").append(evidence(c.error())).append('\n');
            }
            if (c.remediation() != null) {
                out.append("  fix: ").append(c.remediation().replace("\n", "\n  ")).append('\n');
            }
        }
        if (r.failure() != null) {
            out.append('\n').append(paint(Status.UNKNOWN, "RUN STOPPED")).append(": ").append(r.failure()).append('\n');
        }
        out.append('\n').append("result: ").append(paint(r.status(), r.status().word()))
                .append(" (exit ").append(r.exitCode()).append(") in ").append(r.durationMs()).append("ms\n");
        return out.toString();
    }

    private static String evidence(ErrorDetail e) {
        StringBuilder s = new StringBuilder();
        if (e.httpStatus() != null) {
            s.append("HTTP ").append(e.httpStatus());
        }
        if (e.code() != null) {
            s.append(s.isEmpty() ? "" : " ").append(e.code());
        }
        if (e.message() != null && !e.message().isBlank()) {
            s.append(s.isEmpty() ? "" : ": ").append(e.message());
        }
        if (e.requestId() != null) {
            s.append(" (request id ").append(e.requestId()).append(')');
        }
        return s.toString();
    }

    private String paint(Status status, String text) {
        if (!colour) {
            return text;
        }
        String code = switch (status) {
            case PASS -> "32";
            case WARN, UNKNOWN -> "33";
            case FAIL -> "31";
            case SKIP -> "90";
        };
        return "\u001b[" + code + "m" + text + "\u001b[0m";
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    private static String or(String s, String fallback) {
        return Objects.requireNonNullElse(s, fallback);
    }
}
