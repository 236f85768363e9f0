package io.nodeprobe.cli;

import io.nodeprobe.report.EventLog;
import java.time.Clock;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** What `check` and `serve` share about a run: read-only probing and how its log lines look. */
public class ProbeMixin {
    public enum LogFormat { text, json }

    @Option(names = "--read-only", description = "Only list: skip put, get and delete.")
    boolean readOnly;

    @Option(names = "--log-format", paramLabel = "FORMAT",
            description = "Log one line per run or attempt on stderr: ${COMPLETION-CANDIDATES}.")
    LogFormat logFormat;

    public boolean readOnly() {
        return readOnly;
    }

    public boolean logFormatGiven() {
        return logFormat != null;
    }

    public EventLog log(CommandSpec spec) {
        return new EventLog(spec.commandLine().getErr(), logFormat == LogFormat.json, Clock.systemUTC());
    }
}
