package io.nodeprobe.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A node whose clock is off, made so with libfaketime around the real artifact while IMDS, STS and RGW keep true
 * time: the offset is read from their Date headers, and each refusal is explained by the servers' clock, not the
 * node's. RGW refuses S3 requests signed more than 15 minutes off (RequestTimeTooSkewed), the STS emulator as AWS
 * does (SignatureDoesNotMatch: Signature expired / not yet current).
 */
class ClockIT extends CloudScenario {

    private ReportJson skewed(String offset) {
        NodeprobeRun run = node("np-full").startUnder(List.of("faketime", "-f", offset), "check", "--bucket",
                cloud.bucket(), "--format", "json").await(Duration.ofSeconds(60));
        assertTrue(run.stderr().lines().noneMatch(l -> l.startsWith("\tat ")), run::toString);
        return run.report();
    }

    private static long offset(ReportJson r) {
        Long seconds = r.number("node", "clockOffsetSeconds");
        if (seconds == null) {
            throw new AssertionError("no clock offset in " + r);
        }
        return seconds;
    }

    @Test
    void inTime_theOffsetIsNearZero_andTheClockPasses() {
        ReportJson r = skewed("+0");
        assertEquals("pass", r.status(), r::toString);
        assertTrue(Math.abs(offset(r)) <= 2, r::toString);
        assertEquals("pass", r.check("node.clock").status());
    }

    @Test
    void twoDaysAhead_isSaidSo_andTheCredentialsAreNotCalledExpired() {
        ReportJson r = skewed("+2d");
        assertEquals("fail", r.status(), r::toString);
        assertTrue(Math.abs(offset(r) - 172_800) <= 5, r::toString);
        ReportJson.Check clock = r.check("node.clock");
        assertEquals("warn", clock.status());
        assertTrue(clock.diagnosis().orElseThrow().startsWith("this node's clock is 2 days ahead of AWS's (Date header "
                + "of "), clock::toString);
        assertTrue(clock.text("remediation").contains("169.254.169.123"), clock::toString);
        // IMDS's credentials are judged by IMDS's clock: they are fine, the node's clock is not.
        assertEquals("pass", r.check("imds.credentials").status(), r::toString);
        ReportJson.Check sts = r.check("sts.caller-identity");
        assertEquals("SignatureDoesNotMatch", sts.errorCode(), sts::toString);
        assertTrue(sts.diagnosis().orElseThrow().startsWith("this node's clock is 2 days ahead of AWS's"), sts::toString);
        ReportJson.Check list = r.check("s3.list");
        assertEquals("fail", list.status(), list::toString);
        assertEquals("RequestTimeTooSkewed", list.errorCode(), list::toString);
        assertTrue(list.diagnosis().orElseThrow().startsWith("this node's clock is 2 days ahead of AWS's"), list::toString);
    }

    @Test
    void twentyMinutesBehind_andAhead_areRefused_andNamedWithTheirDirection() {
        for (String[] c : new String[][] {{"-20m", "20 minutes behind AWS's", "-1200"}, {"+20m", "20 minutes ahead "
                + "of AWS's", "1200"}}) {
            ReportJson r = skewed(c[0]);
            assertEquals("fail", r.status(), r::toString);
            assertTrue(Math.abs(offset(r) - Long.parseLong(c[2])) <= 5, r::toString);
            assertTrue(r.check("node.clock").diagnosis().orElseThrow().startsWith("this node's clock is " + c[1]),
                    r::toString);
            assertTrue(r.check("s3.put").diagnosis().orElseThrow().startsWith("this node's clock is " + c[1]),
                    r::toString);
            assertTrue(r.check("sts.caller-identity").error("message").startsWith(c[0].startsWith("-")
                    ? "Signature expired" : "Signature not yet current"), r::toString);
        }
    }
}
