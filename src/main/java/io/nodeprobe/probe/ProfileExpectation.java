package io.nodeprobe.probe;

import io.nodeprobe.identity.ImdsFacts;
import io.nodeprobe.report.CheckName;
import io.nodeprobe.report.CheckResult;
import io.nodeprobe.report.Status;
import java.util.List;

/**
 * Judges the instance profile IMDS reported against the one the operator expects (a compute config's
 * IamInstanceProfile.Arn): a node launched with the cloud's default profile instead of the override is a classic.
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
            if (!c.name().equals(CheckName.IMDS_INSTANCE_PROFILE) || c.status() != Status.PASS) {
                continue;
            }
            if (!expected.equals(facts.instanceProfileArn())) {
                checks.set(i, c.withStatus(Status.FAIL, "the node runs with instance profile "
                        + facts.instanceProfileArn() + " but " + expected + " is expected",
                        "launch the node with " + expected + " (on Anyscale: the compute config's "
                                + "{\"IamInstanceProfile\": {\"Arn\": \"" + expected + "\"}}), or correct the "
                                + "expectation"));
            } else {
                checks.set(i, c.withDetail(c.detail() + " (as expected)"));
            }
        }
    }
}
