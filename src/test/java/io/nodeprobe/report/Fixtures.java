package io.nodeprobe.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Fixed reports, one per kind of outcome, shared by every renderer's golden tests. */
public final class Fixtures {
    private static final String INSTANCE = "i-0123456789abcdef0";
    private static final String SESSION_ARN = "arn:aws:sts::123456789012:assumed-role/node/" + INSTANCE;
    private static final String PROFILE_ARN = "arn:aws:iam::123456789012:instance-profile/node";
    private static final String KEY = "p/.nodeprobe/" + INSTANCE + "/20261129T120000Z-0123456789ab";
    private static final Instant STARTED = Instant.parse("2026-11-29T14:00:00Z");
    private static final NodeInfo NODE = new NodeInfo(INSTANCE, "us-east-1", "us-east-1a", -2L);
    private static final TargetInfo TARGET = new TargetInfo("my-bucket", "p", "us-east-1");

    private Fixtures() {
    }

    private static IdentityInfo identity(String source) {
        return new IdentityInfo("123456789012", SESSION_ARN, "node", "arn:aws:iam::123456789012:role/node",
                PROFILE_ARN, source, Instant.parse("2026-11-29T20:00:00Z"));
    }

    private static List<CheckResult> imdsAndSts() {
        return List.of(
                CheckResult.pass(Check.IMDS_TOKEN, "http://169.254.169.254", 2, "IMDSv2"),
                CheckResult.pass(Check.IMDS_INSTANCE_PROFILE, PROFILE_ARN, 1, PROFILE_ARN),
                new CheckResult(Check.IMDS_CREDENTIALS, "GET iam/security-credentials/node", "role/node", Status.PASS,
                        1, "role node, expires 2026-11-29T20:00:00Z", null, null, null),
                CheckResult.pass(Check.STS_CALLER_IDENTITY, SESSION_ARN, 40,
                        SESSION_ARN + " via instance profile (IMDS)"));
    }

    /** The role may not s3:PutObject: get and delete are skipped. */
    public static Report putDenied() {
        List<CheckResult> checks = new ArrayList<>(imdsAndSts());
        checks.add(CheckResult.pass(Check.S3_LIST, "arn:aws:s3:::my-bucket", 12, "prefix 'p/' empty"));
        checks.add(new CheckResult(Check.S3_PUT, "s3:PutObject", "arn:aws:s3:::my-bucket/" + KEY, Status.FAIL, 9,
                null, new ErrorDetail(403, "AccessDenied", "tx0001", null),
                "access denied: role node may not s3:PutObject on arn:aws:s3:::my-bucket/*",
                "add this statement to the policy of role node:\n{\"Sid\":\"NodeprobePutObject\"}"));
        checks.add(CheckResult.skip(Check.S3_GET, "arn:aws:s3:::my-bucket/" + KEY, "skipped: s3.put did not pass"));
        checks.add(CheckResult.skip(Check.S3_DELETE, "arn:aws:s3:::my-bucket/" + KEY, "skipped: s3.put did not pass"));
        return Report.of(NODE, identity("instance-profile"), TARGET, checks, STARTED, 70);
    }

    /** Everything works, but environment variables shadow the instance profile: a warning, exit 0. */
    public static Report shadowedWarn() {
        List<CheckResult> checks = new ArrayList<>(imdsAndSts().subList(0, 3));
        checks.add(CheckResult.pass(Check.STS_CALLER_IDENTITY, SESSION_ARN, 40,
                SESSION_ARN + " via environment variables (AWS_ACCESS_KEY_ID)").withStatus(Status.WARN,
                "credentials from environment variables (AWS_ACCESS_KEY_ID) shadow the instance profile (same role "
                        + "node, but they are not rotated by IMDS)",
                "unset AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN so the node uses its instance "
                        + "profile"));
        checks.add(CheckResult.pass(Check.S3_LIST, "arn:aws:s3:::my-bucket", 12, "prefix 'p/' empty"));
        checks.add(CheckResult.pass(Check.S3_PUT, "arn:aws:s3:::my-bucket/" + KEY, 9, "wrote 163 bytes to " + KEY));
        checks.add(CheckResult.pass(Check.S3_GET, "arn:aws:s3:::my-bucket/" + KEY, 4, "read 163 bytes back, identical"));
        checks.add(CheckResult.pass(Check.S3_DELETE, "arn:aws:s3:::my-bucket/" + KEY, 6, "deleted and confirmed gone"));
        return Report.of(NODE, identity("environment"), TARGET, checks, STARTED, 80);
    }

    /** S3 does not answer: the bucket checks cannot decide, exit 3. */
    public static Report s3Unreachable() {
        List<CheckResult> checks = new ArrayList<>(imdsAndSts());
        checks.add(new CheckResult(Check.S3_LIST, "s3:ListBucket", "arn:aws:s3:::my-bucket", Status.UNKNOWN, 2000,
                null, new ErrorDetail(null, "Timeout", null, "Client execution did not complete before the specified "
                + "timeout configuration: 2000 millis"),
                "no answer in time: Client execution did not complete before the specified timeout configuration: "
                        + "2000 millis",
                "check connectivity to the endpoint; raise --timeout if the network is just slow"));
        for (Check c : List.of(Check.S3_PUT, Check.S3_GET, Check.S3_DELETE)) {
            checks.add(CheckResult.deadlineReached(c, "arn:aws:s3:::my-bucket/*", 2000));
        }
        return Report.of(NODE, identity("instance-profile"), TARGET, checks, STARTED, 2003);
    }

    /** {@code nodeprobe identity}: IMDS and STS only, no bucket. */
    public static Report identityOnly() {
        return Report.of(NODE, identity("instance-profile"), null, imdsAndSts(), STARTED, 45);
    }

    /** A run that stopped early: the CA bundle became unreadable between runs of serve. */
    public static Report aborted() {
        return Report.aborted(NODE, identity("instance-profile"), TARGET, imdsAndSts(), STARTED, 5,
                "ConfigException: AWS_CA_BUNDLE=/etc/ssl/private-ca.pem is not a PEM certificate bundle: "
                        + "no certificates");
    }

    /**
     * Compares with a golden file. {@code -Dgolden.update=true} rewrites the files instead (then read the diff: the
     * new text becomes the contract).
     */
    public static void assertGolden(String name, String actual) {
        if (Boolean.getBoolean("golden.update")) {
            try {
                java.nio.file.Path p = java.nio.file.Path.of("src/test/resources/golden", name);
                java.nio.file.Files.writeString(p, actual);
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
            return;
        }
        org.junit.jupiter.api.Assertions.assertEquals(golden(name), actual, name);
    }

    public static String golden(String name) {
        try (var in = Fixtures.class.getResourceAsStream("/golden/" + name)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException | NullPointerException e) {
            throw new AssertionError("missing golden file " + name, e);
        }
    }
}
