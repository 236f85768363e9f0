package io.nodeprobe.clock;

/**
 * How far the node's clock is from the servers': {@code seconds} is node minus server, so positive means the node
 * is ahead. {@code source} is the answer whose Date header it was read from; {@code readings} how many there were.
 */
public record ClockOffset(long seconds, String source, int readings) {
    /** Beyond this the offset is worth a warning; SigV4 itself allows 15 minutes, S3's skew check as much. */
    public static final long WARN_SECONDS = 60;

    public boolean worthWarning() {
        return Math.abs(seconds) > WARN_SECONDS;
    }

    /** "2 days ahead of", "20 minutes behind", "within 1 second of". */
    public String relation() {
        long abs = Math.abs(seconds);
        if (abs <= 1) {
            return "within 1 second of";
        }
        return amount(abs) + (seconds > 0 ? " ahead of" : " behind");
    }

    /** The sentence every clock diagnosis starts from. */
    public String sentence() {
        return "this node's clock is " + relation() + " AWS's (Date header of " + source + ")";
    }

    static String amount(long abs) {
        if (abs >= 2 * 86_400) {
            return unit(Math.round(abs / 86_400.0), "day");
        }
        if (abs >= 2 * 3_600) {
            return unit(Math.round(abs / 3_600.0), "hour");
        }
        if (abs >= 120) {
            return unit(Math.round(abs / 60.0), "minute");
        }
        return unit(abs, "second");
    }

    private static String unit(long n, String name) {
        return n + " " + name + (n == 1 ? "" : "s");
    }
}
