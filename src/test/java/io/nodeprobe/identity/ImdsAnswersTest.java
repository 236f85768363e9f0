package io.nodeprobe.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nodeprobe.aws.Deadline;
import io.nodeprobe.aws.Lanes;
import io.nodeprobe.diagnosis.ImdsDiagnosis;
import io.nodeprobe.localcloud.ImdsEmulator;
import io.nodeprobe.report.CheckResult;
import io.nodeprobe.report.Status;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * IMDS's own answers, as the EC2 User Guide lists them (reference notes, section 6), met by the discovery:
 * 403 with no body when IMDS is turned off, 401 for an expired token (renewed once), 404 without a profile,
 * 503 when busy (retried with back-off), and iam/info's Code.
 */
class ImdsAnswersTest {
    private static final String DOC = "{\"Code\":\"Success\",\"LastUpdated\":\"2026-12-01T00:00:00Z\","
            + "\"Type\":\"AWS-HMAC\",\"AccessKeyId\":\"ASIAEXAMPLE\",\"SecretAccessKey\":\"secret\","
            + "\"Token\":\"token\",\"Expiration\":\"2099-01-01T00:00:00Z\"}";
    private ImdsEmulator imds;
    private Lanes lanes;

    @BeforeEach
    void start() {
        imds = ImdsEmulator.start(0).roleDocument("np-role", DOC);
        lanes = new Lanes("test");
    }

    @AfterEach
    void stop() {
        imds.close();
        lanes.close();
    }

    private ImdsOutcome discover(int attempts) {
        ImdsSettings s = new ImdsSettings(URI.create(imds.endpoint()), false, false, Duration.ofSeconds(1), attempts);
        return new ImdsDiscovery(new ImdsClient(s), Clock.systemUTC(), Deadline.in(Duration.ofSeconds(5)), lanes)
                .discover();
    }

    private static CheckResult check(ImdsOutcome o, int i) {
        return o.checks().get(i);
    }

    @Test
    void turnedOff_isSaid_withTheCommandToTurnItOn() {
        imds.turnedOff(true);
        ImdsOutcome o = discover(2);
        CheckResult token = check(o, 0);
        assertEquals(Status.FAIL, token.status(), token.toString());
        assertTrue(token.diagnosis().startsWith("IMDS is turned off on this instance (HttpEndpoint=disabled)"),
                token.diagnosis());
        assertTrue(token.remediation().contains("--http-endpoint enabled"), token.remediation());
        assertEquals(403, token.error().httpStatus());
    }

    @Test
    void aProxyRefusal_with403AndABody_isNotCalledTurnedOff() {
        imds.disableTokenEndpoint(true); // 403 with EC2's HTML page, as for X-Forwarded-For
        CheckResult token = check(discover(2), 0);
        assertEquals(Status.FAIL, token.status());
        assertTrue(token.diagnosis().startsWith("IMDS refused the token request"), token.diagnosis());
    }

    @Test
    void expiredToken_isRenewedOnce_andEveryCallSucceeds() {
        imds.expireTokensOnNextUse();
        ImdsOutcome o = discover(1);
        o.checks().forEach(c -> assertEquals(Status.PASS, c.status(), c.toString()));
        assertNotNull(o.facts().credentials());
        assertEquals("us-east-1", o.facts().region());
    }

    @Test
    void tokenRejectedAgain_afterRenewal_namesWhatDropsTheHeader() {
        imds.rejectTokens(true);
        ImdsOutcome o = discover(1);
        CheckResult profile = check(o, 1);
        assertEquals(Status.FAIL, profile.status(), profile.toString());
        assertTrue(profile.diagnosis().startsWith("IMDS rejects the session token"), profile.diagnosis());
        assertTrue(profile.diagnosis().contains("also with a new token"), profile.diagnosis());
    }

    @Test
    void noInstanceProfile_is404_andDefinite() {
        imds.instanceProfile(null, null);
        CheckResult profile = check(discover(1), 1);
        assertEquals(Status.FAIL, profile.status());
        assertEquals(ImdsDiagnosis.noInstanceProfile("i-0123456789abcdef0").summary(), profile.diagnosis());
        assertTrue(profile.remediation().contains("--instance-id i-0123456789abcdef0"), profile.remediation());
    }

    @Test
    void busy_isRetriedWithBackOff_andPassesWhenItClears() {
        imds.busy(1);
        ImdsOutcome o = discover(3);
        assertEquals(Status.PASS, check(o, 0).status(), check(o, 0).toString());
    }

    @Test
    void busyThroughout_isUnknown_sayingHowOftenItWasTried() {
        ImdsOutcome o;
        imds.busy(1_000);
        o = discover(3);
        CheckResult token = check(o, 0);
        assertEquals(Status.UNKNOWN, token.status(), token.toString());
        assertTrue(token.diagnosis().contains("HTTP 503 (IMDS busy)"), token.diagnosis());
        assertTrue(token.diagnosis().contains("(3 attempts)"), token.diagnosis());
    }

    @Test
    void instanceProfileCodeOtherThanSuccess_isReportedWithItsMessage() {
        imds.instanceProfileCode("Failed", "Unable to assume role np-role");
        CheckResult profile = check(discover(1), 1);
        assertEquals(Status.FAIL, profile.status());
        assertEquals("Failed", profile.error().code());
        assertEquals("Unable to assume role np-role", profile.error().message());
        assertTrue(profile.diagnosis().startsWith("IMDS reports the instance profile with Code Failed: Unable to "
                + "assume role np-role"), profile.diagnosis());
    }

    @Test
    void silentAtEc2sAddress_mentionsTheLinkLocalPacketLimit_butNotOnLoopback() {
        assertTrue(ImdsDiagnosis.silent("http://169.254.169.254", "t", "g", true).summary()
                .contains("1,024 packets/s"));
        assertTrue(!ImdsDiagnosis.silent("http://127.0.0.1:1", "t", "g", false).summary().contains("packets"));
    }
}
