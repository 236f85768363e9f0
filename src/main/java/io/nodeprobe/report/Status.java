package io.nodeprobe.report;

/** Outcome of one check, and of a whole run. The words are part of the JSON and metrics contract. */
public enum Status {
    PASS, WARN, SKIP, FAIL, UNKNOWN;

    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** A run passes when nothing failed and nothing was left undecided; warnings and skips do not count against it. */
    public boolean isOk() {
        return this == PASS || this == WARN || this == SKIP;
    }

    /**
     * Overall status of a set of checks. A definite failure outranks "could not decide": if the role is denied
     * s3:PutObject, a timeout elsewhere does not make that less true.
     */
    public static Status overall(Iterable<Status> statuses) {
        boolean warn = false, unknown = false;
        for (Status s : statuses) {
            switch (s) {
                case FAIL -> { return FAIL; }
                case UNKNOWN -> unknown = true;
                case WARN -> warn = true;
                default -> { }
            }
        }
        return unknown ? UNKNOWN : warn ? WARN : PASS;
    }
}
