package io.nodeprobe.report;

/** Turns a report into one output format. Renderers only format: the status and exit code are the report's. */
public interface ReportRenderer {
    String render(Report report);

    /** Picks the renderer for a {@code --format} word; the CLI validates the word before this is called. */
    static ReportRenderer forFormat(String format, boolean colour) {
        return switch (format) {
            case "json" -> new JsonReportRenderer();
            case "text" -> new TextReportRenderer(colour);
            default -> throw new IllegalArgumentException("unknown format " + format);
        };
    }
}
