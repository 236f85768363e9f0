package io.nodeprobe.probe;

import io.nodeprobe.diagnosis.Diagnosis;
import io.nodeprobe.diagnosis.IdentityDiagnosis;
import io.nodeprobe.identity.ImdsFacts;
import io.nodeprobe.report.Check;
import io.nodeprobe.report.CheckResult;
import io.nodeprobe.report.Status;
import java.util.List;

/**
 * Judges the instance profile IMDS reported against the one the operator expects (a compute config's
 * IamInstanceProfile.Arn): a node launched with the cloud's default profile instead of the override is a classic.
 * An expectation that cannot be checked fails: passing it unverified would hide exactly that mistake.
 */
final class ProfileExpectation {
    private ProfileExpectation() {
    }

    static void apply(List<CheckResult> checks, ImdsFacts facts, String expected) {
        if (expected == null) {
            return;
        }
        for (int i = 0; i < checks.size(); i++) {
            CheckResult c = checks.get(i);
            if (c.check() != Check.IMDS_INSTANCE_PROFILE) {
                continue;
            }
            if (c.status() == Status.SKIP) {
                Diagnosis d = IdentityDiagnosis.profileUnverifiable(expected, c.detail());
                checks.set(i, c.withStatus(Status.FAIL, d.summary(), d.remediation()));
            } else if (c.status() != Status.PASS) {
                continue; // already failing or unknown, with IMDS's own reason
            } else if (!expected.equals(facts.instanceProfileArn())) {
                Diagnosis d = IdentityDiagnosis.wrongProfile(facts.instanceProfileArn(), expected);
                checks.set(i, c.withStatus(Status.FAIL, d.summary(), d.remediation()));
            } else {
                checks.set(i, c.withDetail(c.detail() + " (as expected)"));
            }
        }
    }
}
