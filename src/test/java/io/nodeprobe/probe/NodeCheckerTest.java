package io.nodeprobe.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nodeprobe.config.ConfigException;
import io.nodeprobe.config.Env;
import io.nodeprobe.identity.CallerIdentity;
import io.nodeprobe.identity.ImdsClient;
import io.nodeprobe.identity.ImdsSettings;
import io.nodeprobe.identity.Sts;
import io.nodeprobe.localcloud.ImdsEmulator;
import io.nodeprobe.report.Check;
import io.nodeprobe.report.CheckResult;
import io.nodeprobe.report.Report;
import io.nodeprobe.report.Status;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The whole engine, fast: the IMDS emulator in process, STS and S3 as fakes behind their seams. No Ceph. */
class NodeCheckerTest {
    private static final String INSTANCE = "i-0123456789abcdef0";
    private static final String PROFILE = "arn:aws:iam::123456789012:instance-profile/node-profile";
    private static final String SESSION = "arn:aws:sts::123456789012:assumed-role/node/" + INSTANCE;
    private static final Instant EXPIRES = Instant.now().plus(Duration.ofHours(6)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);

    private ImdsEmulator imds;
    private final MemoryBucket bucket = new MemoryBucket();
    private Sts sts = budget -> new CallerIdentity("123456789012", SESSION, "AROAEXAMPLE:" + INSTANCE);
    private final io.nodeprobe.config.Target target = new io.nodeprobe.config.Target("b", "p", null);

    @BeforeEach
    void start() {
        imds = ImdsEmulator.start(0).node(INSTANCE, "us-east-1", "us-east-1a").instanceProfile(PROFILE, null)
                .roleDocument("node", "{\"Code\":\"Success\",\"LastUpdated\":\"2026-11-29T00:00:00Z\",\"Type\":"
                        + "\"AWS-HMAC\",\"AccessKeyId\":\"ASIAEXAMPLE\",\"SecretAccessKey\":\"s3cr3t\",\"Token\":"
                        + "\"t0k3n\",\"Expiration\":\"" + EXPIRES + "\"}");
    }

    @AfterEach
    void stop() {
        imds.close();
    }

    /** A cloud whose STS and bucket are this test's fakes; {@code connect} may be made to throw. */
    private Cloud cloud(RuntimeException connectFails) {
        return (region, credentials, dates) -> {
            if (connectFails != null) {
                throw connectFails;
            }
            return new Cloud.Connection() {
                public Sts sts() {
                    return sts;
                }

                public Bucket bucket(String name) {
                    return bucket;
                }

                public void close() {
                }
            };
        };
    }

    private Report run(Env env, Cloud cloud, Duration timeout, String expectedProfile) {
        Env withImds = new Env(new java.util.HashMap<>(env.vars()));
        withImds.vars().putIfAbsent("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.endpoint());
        withImds.vars().putIfAbsent("HOME", "/nonexistent-home");
        return new NodeChecker(withImds, new ImdsClient(ImdsSettings.from(withImds)), cloud, Clock.systemUTC())
                .run(new RunOptions(target, false, timeout, expectedProfile));
    }

    private Report run(Env env) {
        return run(env, cloud(null), Duration.ofSeconds(5), null);
    }

    private static Map<Check, Status> statuses(Report r) {
        return r.checks().stream().collect(Collectors.toMap(CheckResult::check, CheckResult::status));
    }

    @Test
    void run_healthyNode_passesEveryCheck_withTheFactsOfEachSource() {
        Report r = run(Env.of());
        assertEquals(Status.PASS, r.status(), r.toString());
        assertEquals(List.of(Check.values()), r.checks().stream().map(CheckResult::check).toList());
        assertEquals(INSTANCE, r.node().instanceId());
        assertEquals(PROFILE, r.identity().instanceProfileArn());
        assertEquals("arn:aws:iam::123456789012:role/node", r.identity().roleArn(), "carried from STS's ARN");
        assertEquals(EXPIRES, r.identity().credentialsExpireAt());
        assertEquals("instance-profile", r.identity().credentialSource());
        assertEquals(Map.of(), bucket.objects);
    }

    @Test
    void run_stuckBucket_endsWithinTheDeadline_reportingWhatItFound() {
        bucket.stuck(MemoryBucket.Op.PUT);
        long t0 = System.nanoTime();
        Report r = run(Env.of(), cloud(null), Duration.ofMillis(800), null);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms <= 800 + 250, "took " + ms + "ms");
        assertEquals(Status.UNKNOWN, r.status());
        assertEquals(Status.PASS, statuses(r).get(Check.S3_LIST), "found before the deadline, kept");
        CheckResult put = r.checks().stream().filter(c -> c.check() == Check.S3_PUT).findFirst().orElseThrow();
        assertEquals(Status.UNKNOWN, put.status());
        assertTrue(put.diagnosis().startsWith("not run: the run's deadline (--timeout 800ms)"), put.toString());
        assertEquals(Check.planned(true), r.checks().stream().map(CheckResult::check).toList(),
                "every planned check is in the report, in order");
    }

    @Test
    void run_silentImds_endsWithinTheDeadline() {
        imds.tokenDelay(Duration.ofSeconds(30));
        long t0 = System.nanoTime();
        Report r = run(Env.of(), cloud(null), Duration.ofMillis(1500), null);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms <= 1500 + 250, "took " + ms + "ms");
        assertEquals(Status.UNKNOWN, statuses(r).get(Check.IMDS_TOKEN));
        assertEquals(3, r.exitCode());
    }

    @Test
    void run_silentSts_isUnknownWithinTheDeadline() {
        sts = budget -> {
            try {
                Thread.sleep(budget.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw software.amazon.awssdk.core.exception.ApiCallTimeoutException.create(budget.toMillis());
        };
        long t0 = System.nanoTime();
        Report r = run(Env.of(), cloud(null), Duration.ofMillis(700), null);
        assertTrue((System.nanoTime() - t0) / 1_000_000 <= 700 + 250);
        assertEquals(Status.UNKNOWN, statuses(r).get(Check.STS_CALLER_IDENTITY));
        assertEquals(Status.UNKNOWN, r.status());
    }

    @Test
    void run_silentSts_holdsUpNoBucketProbe() {
        sts = budget -> {
            sleep(budget);
            throw software.amazon.awssdk.core.exception.ApiCallTimeoutException.create(budget.toMillis());
        };
        Report r = run(Env.of(), cloud(null), Duration.ofMillis(700), null);
        for (Check c : Check.BUCKET) {
            assertEquals(Status.PASS, statuses(r).get(c), "runs beside STS, not after it: " + c);
        }
        assertEquals(Map.of(), bucket.objects);
    }

    @Test
    void run_stsAndTheBucketProbes_runSideBySide() {
        // STS answers only once the bucket has been called: run one after the other, this would time out.
        sts = budget -> {
            long end = System.nanoTime() + budget.toNanos();
            while (bucket.calls.get() == 0 && System.nanoTime() < end) {
                sleep(Duration.ofMillis(1));
            }
            if (bucket.calls.get() == 0) {
                throw software.amazon.awssdk.core.exception.ApiCallTimeoutException.create(budget.toMillis());
            }
            return new CallerIdentity("123456789012", SESSION, "AROAEXAMPLE:" + INSTANCE);
        };
        Report r = run(Env.of(), cloud(null), Duration.ofSeconds(5), null);
        assertEquals(Status.PASS, r.status(), r.toString());
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void run_engineThrows_isAReportNamingTheCause_keepingWhatWasFound() {
        Report r = run(Env.of(), cloud(new IllegalStateException("socket factory broken")), Duration.ofSeconds(5),
                null);
        assertEquals("IllegalStateException: socket factory broken", r.failure());
        assertEquals(Status.UNKNOWN, r.status());
        assertEquals(Status.PASS, statuses(r).get(Check.IMDS_CREDENTIALS));
        assertTrue(r.checks().get(3).diagnosis().contains("the run stopped early (IllegalStateException"),
                r.checks().get(3).toString());
    }

    @Test
    void run_configurationFoundBadDuringTheRun_isThrown() {
        assertThrows(ConfigException.class, () -> run(Env.of(), cloud(new ConfigException("AWS_CA_BUNDLE=x is not "
                + "a PEM certificate bundle")), Duration.ofSeconds(5), null));
    }

    @Test
    void run_expectedProfileWithImdsDisabled_failsInsteadOfSkipping() {
        Report r = run(Env.of("AWS_EC2_METADATA_DISABLED", "true", "AWS_ACCESS_KEY_ID", "AKIAEXAMPLE",
                "AWS_SECRET_ACCESS_KEY", "s3cr3t"), cloud(null), Duration.ofSeconds(5), PROFILE);
        CheckResult profile = r.checks().get(1);
        assertEquals(Status.FAIL, profile.status(), profile.toString());
        assertTrue(profile.diagnosis().contains("cannot be verified"), profile.diagnosis());
        assertEquals(1, r.exitCode());
    }

    @Test
    void run_expectedProfileMatches_passesSayingSo() {
        Report r = run(Env.of(), cloud(null), Duration.ofSeconds(5), PROFILE);
        assertEquals(Status.PASS, r.status());
        assertTrue(r.checks().get(1).detail().endsWith("(as expected)"));
    }

    @Test
    void run_webIdentityConfiguredButBroken_warnsNamingIt_andSignsWithTheInstanceProfile() {
        Report r = run(Env.of("AWS_WEB_IDENTITY_TOKEN_FILE", "/nonexistent/token", "AWS_ROLE_ARN",
                "arn:aws:iam::123456789012:role/pod"));
        CheckResult who = r.checks().get(3);
        assertEquals(Status.WARN, who.status(), who.toString());
        assertTrue(who.diagnosis().startsWith("the web identity token file /nonexistent/token "
                + "(AWS_WEB_IDENTITY_TOKEN_FILE) does not exist"), who.diagnosis());
        assertTrue(who.diagnosis().endsWith("the calls were signed with instance profile (IMDS) instead"),
                who.diagnosis());
        assertEquals("instance-profile", r.identity().credentialSource());
    }

    @Test
    void run_noCredentialsAndABrokenSource_failsNamingTheSource() {
        imds.noRole();
        Report r = run(Env.of("AWS_EC2_METADATA_DISABLED", "true", "AWS_PROFILE", "missing-profile"));
        CheckResult who = r.checks().get(3);
        assertEquals(Status.FAIL, who.status(), who.toString());
        assertTrue(who.diagnosis().startsWith("no credentials found: shared credentials/config file profile is "
                + "configured but failed"), who.diagnosis());
        assertEquals(List.of(Status.SKIP, Status.SKIP, Status.SKIP, Status.SKIP),
                r.checks().subList(4, 8).stream().map(CheckResult::status).toList());
    }

    @Test
    void run_webIdentityStuck_isBoundedByTheDeadline() throws Exception {
        // A token file that is a FIFO nobody writes: the SDK's provider blocks reading it, with no timeout of its own.
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("np-fifo");
        java.nio.file.Path fifo = dir.resolve("token");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        long t0 = System.nanoTime();
        Report r = run(Env.of("AWS_WEB_IDENTITY_TOKEN_FILE", fifo.toString(), "AWS_ROLE_ARN",
                "arn:aws:iam::123456789012:role/pod"), cloud(null), Duration.ofMillis(800), null);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms <= 800 + 250, "took " + ms + "ms");
        assertEquals(Status.UNKNOWN, r.status(), r.toString());
    }

}
