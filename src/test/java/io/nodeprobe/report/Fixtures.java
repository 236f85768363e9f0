package io.nodeprobe.report;

import java.time.Instant;
import java.util.List;

/** One fixed report, shared by every renderer's golden test. */
public final class Fixtures {
    private Fixtures() {
    }

    public static Report putDenied() {
        List<CheckResult> checks = List.of(
                CheckResult.pass("imds.token", "PUT /latest/api/token", "http://169.254.169.254", 2, "IMDSv2"),
                CheckResult.pass("imds.instance-profile", "GET iam/info",
                        "arn:aws:iam::123456789012:instance-profile/node", 1,
                        "arn:aws:iam::123456789012:instance-profile/node"),
                CheckResult.pass("imds.credentials", "GET iam/security-credentials/node", "role/node", 1,
                        "role node, expires 2026-11-29T20:00:00Z"),
                CheckResult.pass("sts.caller-identity", "sts:GetCallerIdentity",
                        "arn:aws:sts::123456789012:assumed-role/node/i-0123456789abcdef0", 40,
                        "arn:aws:sts::123456789012:assumed-role/node/i-0123456789abcdef0 via instance profile (IMDS)"),
                CheckResult.pass("s3.list", "s3:ListBucket", "arn:aws:s3:::my-bucket", 12, "prefix 'p/' empty"),
                new CheckResult("s3.put", "s3:PutObject",
                        "arn:aws:s3:::my-bucket/p/.nodeprobe/i-0123456789abcdef0/20261129T120000Z-0123456789ab",
                        Status.FAIL, 9, null, new ErrorDetail(403, "AccessDenied", "tx0001", null),
                        "access denied: role node may not s3:PutObject on arn:aws:s3:::my-bucket/*",
                        "add this statement to the policy of role node:\n{\"Sid\":\"NodeprobePutObject\"}"),
                CheckResult.skip("s3.get", "s3:GetObject", "arn:aws:s3:::my-bucket/p/x", "skipped: s3.put did not pass"),
                CheckResult.skip("s3.delete", "s3:DeleteObject", "arn:aws:s3:::my-bucket/p/x",
                        "skipped: s3.put did not pass"));
        return Report.of(new NodeInfo("i-0123456789abcdef0", "us-east-1", "us-east-1a"),
                new IdentityInfo("123456789012", "arn:aws:sts::123456789012:assumed-role/node/i-0123456789abcdef0",
                        "node", "arn:aws:iam::123456789012:instance-profile/node", "instance-profile",
                        "2026-11-29T20:00:00Z"),
                new TargetInfo("my-bucket", "p", "us-east-1"), checks, Instant.parse("2026-11-29T14:00:00Z"), 70);
    }

    public static String golden(String name) {
        try (var in = Fixtures.class.getResourceAsStream("/golden/" + name)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException | NullPointerException e) {
            throw new AssertionError("missing golden file " + name, e);
        }
    }
}
