package io.nodeprobe.clock;

import io.nodeprobe.diagnosis.ClockDiagnosis;
import io.nodeprobe.diagnosis.Diagnosis;
import io.nodeprobe.diagnosis.ErrorClassifier;
import io.nodeprobe.report.Check;
import io.nodeprobe.report.CheckResult;
import io.nodeprobe.report.Status;
import java.util.Optional;

/**
 * The verdicts on the node's clock, once the run has heard every answer: the {@code node.clock} check, and the
 * wording of checks refused for their signature time, which then name the offset that explains them.
 */
public final class ClockCheck {
    private static final Check CHECK = Check.NODE_CLOCK;
    private static final String RESOURCE = "clock";

    private ClockCheck() {
    }

    public static CheckResult judge(Optional<ClockOffset> offset) {
        if (offset.isEmpty()) {
            return CheckResult.skip(CHECK, RESOURCE, "no answer carried a Date header to compare with");
        }
        ClockOffset o = offset.get();
        String detail = "offset " + o.seconds() + " s (median of " + o.readings() + " Date header"
                + (o.readings() == 1 ? "" : "s") + ", from " + o.source() + ")";
        if (!o.worthWarning()) {
            return CheckResult.pass(CHECK, RESOURCE, 0, detail);
        }
        Diagnosis d = ClockDiagnosis.offBy(o.sentence());
        return new CheckResult(CHECK, CHECK.action(), RESOURCE, Status.WARN, 0, detail, null, d.summary(),
                d.remediation());
    }

    /** A check refused for its signature time says by how much the node is off; others are left as they are. */
    public static CheckResult explain(CheckResult c, Optional<ClockOffset> offset) {
        if (offset.isEmpty() || c.status() == Status.PASS || !ErrorClassifier.isClockSkew(c.error())) {
            return c;
        }
        Diagnosis d = ClockDiagnosis.refused(offset.get().sentence(), c.error().code());
        return c.withStatus(c.status(), d.summary(), d.remediation());
    }
}
