package io.nodeprobe.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * IMDS's own answers (EC2 User Guide: 401, 403, 404, 503; iam/info's Code) met by the real artifact, with exit
 * codes: definite answers fail (1), a busy IMDS is unknown (3), an expired token is renewed and passes (0).
 */
class ImdsAnswersIT extends CloudScenario {

    private NodeprobeRun check() {
        return node("np-full").run("check", "--bucket", cloud.bucket(), "--read-only", "--format", "json");
    }

    @Test
    void turnedOff_failsWithTheCommandToTurnItOn() {
        imds.turnedOff(true);
        NodeprobeRun run = check();
        assertEquals(1, run.exitCode(), run::toString);
        ReportJson.Check token = run.report().check("imds.token");
        assertTrue(token.diagnosis().orElseThrow().startsWith("IMDS is turned off on this instance"), token::toString);
        assertTrue(token.text("remediation").startsWith("aws ec2 modify-instance-metadata-options --instance-id "
                + "INSTANCE_ID --http-endpoint enabled"), token::toString);
    }

    @Test
    void expiredToken_isRenewed_andTheRunPasses() {
        imds.expireTokensOnNextUse();
        NodeprobeRun run = check();
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals("pass", run.report().check("imds.credentials").status());
    }

    @Test
    void noInstanceProfile_andAFailedCode_areDefinite() {
        imds.instanceProfileCode("Failed", "Unable to assume role");
        NodeprobeRun failed = check();
        assertEquals(1, failed.exitCode(), failed::toString);
        ReportJson.Check info = failed.report().check("imds.instance-profile");
        assertEquals("Failed", info.errorCode(), info::toString);
        assertTrue(info.diagnosis().orElseThrow().contains("Code Failed: Unable to assume role"), info::toString);

        imds.instanceProfileCode(null, null).instanceProfile(null, null).noRole();
        NodeprobeRun none = check();
        assertEquals(1, none.exitCode(), none::toString);
        assertEquals("no instance profile is attached to this instance",
                none.report().check("imds.instance-profile").diagnosis().orElseThrow(), none::toString);
    }

    @Test
    void busyThroughout_isUnknown() {
        imds.busy(10_000);
        NodeprobeRun run = check();
        assertEquals(3, run.exitCode(), run::toString);
        ReportJson.Check token = run.report().check("imds.token");
        assertEquals("unknown", token.status());
        assertTrue(token.diagnosis().orElseThrow().startsWith("IMDS is busy (PUT /latest/api/token: HTTP 503 (IMDS "
                + "busy) (2 attempts))"), token::toString);
    }
}
