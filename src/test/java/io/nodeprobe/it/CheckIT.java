package io.nodeprobe.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** `nodeprobe check` against the local cloud: real RGW policies decide every probe. */
class CheckIT extends CloudScenario {

    @Test
    void check_allAllowed_passesWithExitZero() {
        NodeprobeRun run = node("np-full").run("check", "--bucket", cloud.bucket(), "--prefix", "it", "--format",
                "json");
        assertEquals(0, run.exitCode(), run::toString);
        ReportJson r = run.report();
        assertEquals("pass", r.status());
        assertEquals(CheckNames.ALL, r.withStatus("pass"));
        assertEquals(INSTANCE_ID, r.at("node", "instanceId"));
        assertEquals("us-east-1a", r.at("node", "availabilityZone"));
        assertEquals(LocalCloud.ACCOUNT, r.at("identity", "account"));
        assertEquals("arn:aws:sts::" + LocalCloud.ACCOUNT + ":assumed-role/np-full/" + INSTANCE_ID,
                r.at("identity", "arn"));
        assertEquals("np-full", r.at("identity", "role"));
        assertEquals(PROFILE_ARN, r.at("identity", "instanceProfileArn"));
        assertEquals("instance-profile", r.at("identity", "credentialSource"));
        assertEquals(cloud.roleField("np-full", "Expiration"), r.at("identity", "credentialsExpireAt"));
        assertEquals("it", r.at("target", "prefix"));
        String key = r.check("s3.put").text("resource");
        assertTrue(key.startsWith("arn:aws:s3:::" + cloud.bucket() + "/it/.nodeprobe/" + INSTANCE_ID + "/"), key);
        assertTrue(r.check("s3.delete").text("detail").contains("confirmed gone"), r.check("s3.delete")::toString);
    }

    @ParameterizedTest(name = "{0} denied")
    @CsvSource({
            "np-no-list,   s3.list,   s3:ListBucket,   arn:aws:s3:::np-bucket",
            "np-no-put,    s3.put,    s3:PutObject,    arn:aws:s3:::np-bucket/*",
            "np-no-get,    s3.get,    s3:GetObject,    arn:aws:s3:::np-bucket/*",
            "np-no-delete, s3.delete, s3:DeleteObject, arn:aws:s3:::np-bucket/*"})
    void check_oneActionDenied_failsExactlyThatCheckWithItsStatement(String role, String check, String action,
                                                                     String resource) {
        NodeprobeRun run = node(role).run("check", "--bucket", cloud.bucket(), "--format", "json");
        assertEquals(1, run.exitCode(), run::toString);
        ReportJson r = run.report();
        assertEquals("fail", r.status());
        assertEquals(List.of(check), r.withStatus("fail"), run::toString);
        ReportJson.Check c = r.check(check);
        assertEquals("AccessDenied", c.errorCode(), c::toString);
        assertEquals("403", c.error("httpStatus"));
        assertEquals("access denied: role " + role + " may not " + action + " on " + resource,
                c.diagnosis().orElseThrow());
        assertTrue(c.text("remediation").contains("\"Action\":\"" + action + "\",\"Resource\":\"" + resource + "\""),
                c::toString);
        assertTrue(c.text("remediation").contains("\"Principal\":{\"AWS\":\"arn:aws:iam::" + LocalCloud.ACCOUNT
                + ":role/" + role + "\"}"), c::toString);
        if (check.equals("s3.put")) {
            assertEquals(CheckNames.AFTER_PUT, r.withStatus("skip"));
        }
        if (check.equals("s3.delete")) {
            assertTrue(c.text("detail").startsWith("leftover probe object s3://np-bucket/.nodeprobe/"), c::toString);
        }
    }

    @Test
    void check_deleteDeniedThenAllowed_laterRunRemovesTheLeftoverOnceItIsOld() {
        String prefix = "leftover-" + System.nanoTime();
        NodeprobeRun denied = node("np-no-delete").run("check", "--bucket", cloud.bucket(), "--prefix", prefix,
                "--format", "json");
        assertEquals(1, denied.exitCode(), denied::toString);
        List<String> left = probeObjects(prefix);
        assertEquals(1, left.size(), "the denied delete leaves exactly one probe object");

        // A young probe object may be another process's run still under way (check beside serve): left alone.
        NodeprobeRun next = node("np-full").run("check", "--bucket", cloud.bucket(), "--prefix", prefix, "--format",
                "json");
        assertEquals(0, next.exitCode(), next::toString);
        assertEquals(left, probeObjects(prefix), "a leftover younger than a few minutes is not touched");

        // Age it: a probe object under a key stamped ten minutes earlier, as a run then would have made it (RGW
        // does not let the bucket owner read the role's object to copy it, but lets it delete it).
        String young = left.get(0);
        int at = young.lastIndexOf('/') + 1;
        java.time.Instant made = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                .withZone(java.time.ZoneOffset.UTC).parse(young.substring(at, at + 16), java.time.Instant::from);
        String old = young.substring(0, at) + java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                .withZone(java.time.ZoneOffset.UTC).format(made.minusSeconds(600)) + young.substring(at + 16);
        try (S3Client owner = cloud.ownerS3()) {
            owner.putObject(b -> b.bucket(cloud.bucket()).key(old),
                    software.amazon.awssdk.core.sync.RequestBody.fromString("nodeprobe probe object, safe to delete"));
            owner.deleteObject(b -> b.bucket(cloud.bucket()).key(young));
        }
        NodeprobeRun fixed = node("np-full").run("check", "--bucket", cloud.bucket(), "--prefix", prefix, "--format",
                "json");
        assertEquals(0, fixed.exitCode(), fixed::toString);
        assertTrue(fixed.report().check("s3.delete").text("detail").contains("removed 1 leftover"), fixed::toString);
        assertEquals(List.of(), probeObjects(prefix));
    }

    @Test
    void check_readOnly_skipsWrites() {
        NodeprobeRun run = node("np-no-put").run("check", "--bucket", cloud.bucket(), "--read-only", "--format",
                "json");
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(CheckNames.WRITES, run.report().withStatus("skip"));
    }

    @Test
    void check_noSuchBucket_failsList() {
        NodeprobeRun run = node("np-full").run("check", "--bucket", "np-no-such-bucket", "--format", "json");
        assertEquals(1, run.exitCode(), run::toString);
        ReportJson.Check list = run.report().check("s3.list");
        assertEquals("NoSuchBucket", list.errorCode());
        assertTrue(list.diagnosis().orElseThrow().startsWith("bucket np-no-such-bucket does not exist"));
    }

    @Test
    void check_invalidCredentials_failsStsAndS3() {
        imds.roleDocument("np-full", """
                {"Code":"Success","LastUpdated":"2026-11-29T00:00:00Z","Type":"AWS-HMAC",
                 "AccessKeyId":"AKIDNOTKNOWNTORGW001","SecretAccessKey":"not-a-real-secret-key-00000000000000000",
                 "Token":"bm90LWEtdG9rZW4=","Expiration":"2099-01-01T00:00:00Z"}""");
        NodeprobeRun run = nodeAsConfigured().secrets("not-a-real-secret-key-00000000000000000", "bm90LWEtdG9rZW4=")
                .run("check", "--bucket", cloud.bucket(), "--format", "json");
        assertEquals(1, run.exitCode(), run::toString);
        ReportJson r = run.report();
        assertEquals("InvalidClientTokenId", r.check("sts.caller-identity").errorCode());
        assertEquals("fail", r.check("s3.list").status());
        assertTrue(r.check("s3.list").diagnosis().orElseThrow().startsWith("the credentials are not valid")
                        || r.check("s3.list").diagnosis().orElseThrow().startsWith("access denied"),
                r.check("s3.list")::toString);
    }

    @Test
    void check_expiredImdsCredentials_failsCredentialsCheck() {
        imds.roleDocument("np-full", """
                {"Code":"Success","LastUpdated":"2020-01-01T00:00:00Z","Type":"AWS-HMAC",
                 "AccessKeyId":"AKIDEXPIRED000000001","SecretAccessKey":"expired-secret","Token":"expired-token",
                 "Expiration":"2020-01-01T06:00:00Z"}""");
        NodeprobeRun run = nodeAsConfigured().secrets("expired-secret", "expired-token")
                .run("check", "--bucket", cloud.bucket(), "--format", "json");
        assertEquals(1, run.exitCode(), run::toString);
        ReportJson.Check c = run.report().check("imds.credentials");
        assertEquals("fail", c.status());
        assertTrue(c.diagnosis().orElseThrow().contains("expired at 2020-01-01T06:00:00Z"), c::toString);
    }

    @Test
    void check_environmentCredentialsShadowInstanceProfile_warns() {
        NodeprobeRun run = node("np-full")
                .env("AWS_ACCESS_KEY_ID", cloud.roleField("np-no-put", "AccessKeyId"))
                .env("AWS_SECRET_ACCESS_KEY", cloud.roleField("np-no-put", "SecretAccessKey"))
                .env("AWS_SESSION_TOKEN", cloud.roleField("np-no-put", "Token"))
                .run("check", "--bucket", cloud.bucket(), "--read-only", "--format", "json");
        assertEquals(0, run.exitCode(), run::toString);
        ReportJson r = run.report();
        assertEquals("environment", r.at("identity", "credentialSource"));
        assertEquals("np-no-put", r.at("identity", "role"));
        ReportJson.Check sts = r.check("sts.caller-identity");
        assertEquals("warn", sts.status());
        assertTrue(sts.diagnosis().orElseThrow().contains("shadow the instance profile role np-full"), sts::toString);
    }

    @Test
    void check_textFormat_showsTableAndRemediation() {
        NodeprobeRun run = node("np-no-delete").run("check", "--bucket", cloud.bucket());
        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.stdout().contains("s3.delete              fail"), run::toString);
        assertTrue(run.stdout().contains("fix: add this statement to the policy of role np-no-delete:"),
                run::toString);
        assertTrue(!run.stdout().contains("\u001b["), "no colour when stdout is not a terminal");
    }

    @Test
    void check_storageUriFromAnyscaleEnvironment_isUsed() {
        NodeprobeRun run = node("np-full").env("ANYSCALE_ARTIFACT_STORAGE", "s3://np-bucket/org_1/cld_1/artifact_storage/")
                .run("check", "--format", "json");
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals("org_1/cld_1/artifact_storage", run.report().at("target", "prefix"));
    }

    @Test
    void check_s3EndpointDown_isUnknownWithinTheDeadline() {
        NodeprobeRun run = node("np-full").env("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:" + Ports.closed())
                .run(Duration.ofSeconds(30), "check", "--bucket", cloud.bucket(), "--timeout", "8s", "--format",
                        "json");
        assertEquals(3, run.exitCode(), run::toString);
        assertEquals("unknown", run.report().check("s3.list").status());
        assertTrue(run.report().check("s3.list").diagnosis().orElseThrow().startsWith("cannot reach the endpoint"),
                run::toString);
        assertTrue(run.elapsedMs() < 8_000 + 5_000, "took " + run.elapsedMs() + "ms");
    }

    @Test
    void check_bucketWithThousandObjects_isByteForByteUnchanged() {
        S3Client owner = cloud.ownerS3();
        PrefilledBucket bucket = PrefilledBucket.ensure(owner, "np-prefilled", 1000);
        String before = bucket.fingerprint();
        NodeprobeRun run = node("np-full").run("check", "--bucket", "np-prefilled", "--format", "json");
        assertEquals(0, run.exitCode(), run::toString);
        NodeprobeRun again = node("np-full").run("check", "--storage-uri", "s3://np-prefilled/obj-0001",
                "--format", "json");
        assertEquals(0, again.exitCode(), again::toString);
        assertEquals(before, bucket.fingerprint(), "objects, sizes, ETags or bytes changed");
    }

    private List<String> probeObjects(String prefix) {
        try (S3Client owner = cloud.ownerS3()) {
            return owner.listObjectsV2(b -> b.bucket(cloud.bucket()).prefix(prefix + "/")).contents().stream()
                    .map(S3Object::key).toList();
        }
    }

    static {
        assertNotNull(LocalCloud.get());
    }
}
