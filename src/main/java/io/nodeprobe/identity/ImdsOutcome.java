package io.nodeprobe.identity;

import io.nodeprobe.report.CheckResult;
import java.util.List;

/** The three IMDS checks and the facts they found. */
public record ImdsOutcome(List<CheckResult> checks, ImdsFacts facts) {
}
