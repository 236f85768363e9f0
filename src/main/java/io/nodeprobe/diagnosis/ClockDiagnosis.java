package io.nodeprobe.diagnosis;

/** What a node clock off from AWS's means, and the fix: every clock verdict names the offset and where it was read. */
public final class ClockDiagnosis {
    static final String FIX = "sync the clock with NTP: chrony (or systemd-timesyncd) with the Amazon Time Sync "
            + "Service, 'server 169.254.169.123 prefer iburst' in /etc/chrony.conf; 'chronyc makestep' steps it at "
            + "once";

    private ClockDiagnosis() {
    }

    /** @param sentence e.g. "this node's clock is 2 days ahead of AWS's (Date header of s3)" */
    public static Diagnosis offBy(String sentence) {
        return new Diagnosis(sentence + "; signed requests are refused beyond 15 minutes, and expiry times are "
                + "misjudged", FIX);
    }

    /** A request refused for its time, with the offset that explains it. */
    public static Diagnosis refused(String sentence, String code) {
        return new Diagnosis(sentence + ": the request's signature time was refused (" + code + ")", FIX);
    }
}
