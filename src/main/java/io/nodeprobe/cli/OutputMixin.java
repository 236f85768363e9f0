package io.nodeprobe.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** --format for commands that print a report, and the terminal test that decides colour. */
public class OutputMixin {
    public enum Format { text, json }

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Format format;

    public String format() {
        return format.name();
    }

    /** Prints the report in the chosen format on the command's stdout. */
    public void print(picocli.CommandLine.Model.CommandSpec spec, io.nodeprobe.report.Report report) {
        spec.commandLine().getOut().print(io.nodeprobe.report.ReportRenderer.forFormat(format(), colour())
                .render(report));
        spec.commandLine().getOut().flush();
    }

    /**
     * Colour only when stdout is a terminal and NO_COLOR is unset. Decided from /proc rather than System.console(),
     * which since JDK 22 (and so in a native image built on GraalVM 25) is non-null even when output is redirected.
     */
    public static boolean colour() {
        if (System.getenv("NO_COLOR") != null || "dumb".equals(System.getenv("TERM"))) {
            return false;
        }
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/1")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (Exception e) {
            return false;
        }
    }
}
