package io.nodeprobe.report;

/** Process exit codes; init scripts and monitoring depend on these numbers. */
public final class ExitCode {
    public static final int OK = 0;
    /** A check failed for a definite reason: denied, missing bucket, bad credentials. */
    public static final int FAILED = 1;
    /** Bad flags, environment or configuration: retrying will not help. */
    public static final int USAGE = 2;
    /** Could not decide: network, timeouts, throttling, server errors. Retrying may help. */
    public static final int UNKNOWN = 3;

    private ExitCode() {
    }

    public static int of(Status overall) {
        return switch (overall) {
            case PASS, WARN, SKIP -> OK;
            case FAIL -> FAILED;
            case UNKNOWN -> UNKNOWN;
        };
    }
}
