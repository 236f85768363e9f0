package io.nodeprobe.clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nodeprobe.report.Check;
import io.nodeprobe.report.CheckResult;
import io.nodeprobe.report.ErrorDetail;
import io.nodeprobe.report.Status;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServerDatesTest {
    private static final Instant NODE = Instant.parse("2026-12-04T12:00:00.500Z");

    @Test
    void offset_isNodeMinusServer_fromTheMedianReading() {
        ServerDates d = new ServerDates(Clock.fixed(NODE, ZoneOffset.UTC));
        d.heard("imds", "Wed, 02 Dec 2026 12:00:00 GMT");
        d.heard("s3", "Wed, 02 Dec 2026 12:00:01 GMT");
        d.heard("sts", "Wed, 02 Dec 2026 11:59:59 GMT");
        d.heard("s3", "not a date");
        ClockOffset o = d.offset().orElseThrow();
        assertEquals(172_800, o.seconds());
        assertEquals("imds", o.source());
        assertEquals(3, o.readings());
        assertEquals("this node's clock is 2 days ahead of AWS's (Date header of imds)", o.sentence());
        assertEquals(Instant.parse("2026-12-02T12:00:00.500Z"), d.serverNow());
    }

    @Test
    void noReadings_noOffset_andServerNowIsTheNodes() {
        ServerDates d = new ServerDates(Clock.fixed(NODE, ZoneOffset.UTC));
        assertTrue(d.offset().isEmpty());
        assertEquals(NODE, d.serverNow());
    }

    @Test
    void relation_wordsEachSize() {
        assertEquals("within 1 second of", new ClockOffset(-1, "s3", 1).relation());
        assertEquals("20 minutes behind", new ClockOffset(-1200, "s3", 1).relation());
        assertEquals("90 seconds ahead of", new ClockOffset(90, "s3", 1).relation());
        assertEquals("5 hours ahead of", new ClockOffset(18_000, "s3", 1).relation());
        assertTrue(new ClockOffset(61, "s3", 1).worthWarning());
        assertTrue(!new ClockOffset(-60, "s3", 1).worthWarning());
    }

    @Test
    void judge_skipsWithoutDates_warnsBeyondAMinute_andExplainsSkewRefusals() {
        assertEquals(Status.SKIP, ClockCheck.judge(Optional.empty()).status());
        assertEquals(Status.PASS, ClockCheck.judge(Optional.of(new ClockOffset(3, "s3", 9))).status());
        Optional<ClockOffset> ahead = Optional.of(new ClockOffset(1200, "sts", 9));
        CheckResult warn = ClockCheck.judge(ahead);
        assertEquals(Status.WARN, warn.status());
        assertTrue(warn.remediation().contains("169.254.169.123"));
        CheckResult refused = new CheckResult(Check.S3_PUT, "s3:PutObject", "r", Status.FAIL, 1, null,
                new ErrorDetail(403, "RequestTimeTooSkewed", null, null), "generic", null);
        assertTrue(ClockCheck.explain(refused, ahead).diagnosis().startsWith("this node's clock is 20 minutes ahead of "
                + "AWS's (Date header of sts): the request's signature time was refused (RequestTimeTooSkewed)"));
        CheckResult denied = new CheckResult(Check.S3_PUT, "s3:PutObject", "r", Status.FAIL, 1, null,
                new ErrorDetail(403, "AccessDenied", null, null), "denied", null);
        assertEquals("denied", ClockCheck.explain(denied, ahead).diagnosis());
    }
}
