package io.nodeprobe.it;

import software.amazon.awssdk.protocols.jsoncore.JsonNode;

/** One finished run of the artifact. */
public record NodeprobeRun(int exitCode, String stdout, String stderr, long elapsedMs) {

    public ReportJson report() {
        try {
            return new ReportJson(JsonNode.parser().parse(stdout));
        } catch (RuntimeException e) {
            throw new AssertionError("stdout is not a JSON report: " + e.getMessage() + "\n" + this);
        }
    }

    @Override
    public String toString() {
        return "exit " + exitCode + " after " + elapsedMs + "ms\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
    }
}
