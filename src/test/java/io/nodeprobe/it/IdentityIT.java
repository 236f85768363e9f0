package io.nodeprobe.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** IMDS and STS behaviour seen by the real artifact: unreachable, hop limit, IMDSv1, STS refusing. */
class IdentityIT extends CloudScenario {

    @Test
    void check_imdsUnreachable_isUnknownWithinTheDeadline() {
        NodeprobeRun run = node("np-full").env("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:" + Ports.closed())
                .run(Duration.ofSeconds(30), "check", "--bucket", cloud.bucket(), "--timeout", "5s", "--format", "json");
        assertEquals(3, run.exitCode(), run::toString);
        ReportJson r = run.report();
        assertEquals("unknown", r.check("imds.token").status());
        assertTrue(r.check("imds.token").diagnosis().orElseThrow().startsWith("IMDS is unreachable"), run::toString);
        assertEquals(CheckNames.ALL.subList(1, CheckNames.ALL.size()), r.withStatus("skip"));
        assertTrue(run.elapsedMs() < 5_000 + 5_000, "took " + run.elapsedMs() + "ms");
    }

    @Test
    void check_imdsSilent_isUnknownWithinTheDeadline() throws Exception {
        try (Ports.Silent silent = Ports.silent()) {
            NodeprobeRun run = node("np-full").env("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:" + silent.port())
                    .run(Duration.ofSeconds(30), "check", "--bucket", cloud.bucket(), "--format", "json");
            assertEquals(3, run.exitCode(), run::toString);
            assertTrue(run.report().check("imds.token").diagnosis().orElseThrow().startsWith("IMDS does not answer"),
                    run::toString);
            assertTrue(run.elapsedMs() < 15_000, "took " + run.elapsedMs() + "ms");
        }
    }

    @Test
    void check_awsProfileUnderHome_isTheCredentialSource_andABadOneIsNamed() throws Exception {
        // HOME, not the passwd entry's home the JVM's user.home comes from: the SDK reads $HOME, and so must we.
        java.nio.file.Path home = java.nio.file.Files.createTempDirectory("nodeprobe-profile-home");
        java.nio.file.Files.createDirectories(home.resolve(".aws"));
        java.nio.file.Files.writeString(home.resolve(".aws/credentials"), "[np]\naws_access_key_id = "
                + cloud.roleField("np-no-put", "AccessKeyId") + "\naws_secret_access_key = "
                + cloud.roleField("np-no-put", "SecretAccessKey") + "\naws_session_token = "
                + cloud.roleField("np-no-put", "Token") + "\n");
        NodeprobeRun run = node("np-full").env("HOME", home.toString()).env("AWS_PROFILE", "np")
                .run("check", "--bucket", cloud.bucket(), "--read-only", "--format", "json");
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals("profile", run.report().at("identity", "credentialSource"), run::toString);
        assertEquals("np-no-put", run.report().at("identity", "role"), run::toString);

        NodeprobeRun missing = node("np-full").env("HOME", home.toString()).env("AWS_PROFILE", "nope")
                .run("check", "--bucket", cloud.bucket(), "--read-only", "--format", "json");
        assertEquals(0, missing.exitCode(), missing::toString);
        ReportJson.Check sts = missing.report().check("sts.caller-identity");
        assertEquals("warn", sts.status(), sts::toString);
        assertTrue(sts.diagnosis().orElseThrow().contains("profile is configured but failed"), sts::toString);
        assertEquals("instance-profile", missing.report().at("identity", "credentialSource"), missing::toString);
    }

    @Test
    void check_tokenPutHangsAndV1Off_diagnosesHopLimit() {
        imds.tokenDelay(Duration.ofSeconds(30));
        NodeprobeRun run = node("np-full").run(Duration.ofSeconds(30), "check", "--bucket", cloud.bucket(),
                "--format", "json");
        assertEquals(1, run.exitCode(), run::toString);
        ReportJson.Check token = run.report().check("imds.token");
        assertEquals("fail", token.status());
        assertTrue(token.diagnosis().orElseThrow().startsWith("hop limit too low"), token::toString);
        assertTrue(token.diagnosis().orElseThrow().contains("HttpPutResponseHopLimit >= 2"), token::toString);
        assertTrue(token.text("remediation").contains("--http-put-response-hop-limit 2"), token::toString);
    }

    @Test
    void check_tokenPutHangsAndV1Allowed_warnsAndCarriesOn() {
        imds.tokenDelay(Duration.ofSeconds(30)).v1Allowed(true);
        NodeprobeRun run = node("np-full").run(Duration.ofSeconds(30), "check", "--bucket", cloud.bucket(),
                "--format", "json");
        assertEquals(0, run.exitCode(), run::toString);
        ReportJson r = run.report();
        assertEquals("warn", r.status());
        assertTrue(r.check("imds.token").diagnosis().orElseThrow().contains("fell back to IMDSv1"), run::toString);
        assertEquals("pass", r.check("s3.delete").status());
    }

    @Test
    void check_tokenPutHangsButV1DisabledByEnvironment_fails() {
        imds.tokenDelay(Duration.ofSeconds(30)).v1Allowed(true);
        NodeprobeRun run = node("np-full").env("AWS_EC2_METADATA_V1_DISABLED", "true")
                .run(Duration.ofSeconds(30), "check", "--bucket", cloud.bucket(), "--format", "json");
        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.report().check("imds.token").diagnosis().orElseThrow()
                .contains("AWS_EC2_METADATA_V1_DISABLED"), run::toString);
    }

    @Test
    void check_noInstanceProfile_failsWithoutCredentials() {
        imds.instanceProfile(null, null);
        NodeprobeRun run = new Nodeprobe()
                .env("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.endpoint())
                .env("AWS_ENDPOINT_URL_S3", cloud.rgwEndpoint())
                .env("AWS_ENDPOINT_URL_STS", sts.endpoint())
                .run("check", "--bucket", cloud.bucket(), "--format", "json");
        assertEquals(1, run.exitCode(), run::toString);
        ReportJson r = run.report();
        assertEquals("fail", r.check("imds.instance-profile").status());
        assertTrue(r.check("imds.instance-profile").diagnosis().orElseThrow().startsWith("no instance profile"));
        assertEquals("fail", r.check("imds.credentials").status());
        assertEquals("skip", r.check("s3.list").status());
    }

    @Test
    void check_garbageCredentialsDocument_failsWithoutATrace() {
        imds.roleDocument("np-full", "<html>502 Bad Gateway</html>");
        NodeprobeRun run = nodeAsConfigured().run("check", "--bucket", cloud.bucket(), "--format", "json");
        assertEquals(1, run.exitCode(), run::toString);
        ReportJson.Check c = run.report().check("imds.credentials");
        assertEquals("MalformedDocument", c.errorCode(), c::toString);
        assertTrue(c.diagnosis().orElseThrow().contains("is not JSON"), c::toString);
        assertTrue(!run.stderr().contains("Exception"), run::toString);
    }

    @Test
    void check_credentialsCodeNotSuccess_pointsAtTheTrustPolicy() {
        imds.roleDocument("np-full", "{\"Code\":\"AssumeRoleUnauthorizedAccess\",\"Message\":\"EC2 cannot assume "
                + "the role np-full\",\"LastUpdated\":\"2026-11-29T00:00:00Z\"}");
        NodeprobeRun run = nodeAsConfigured().run("check", "--bucket", cloud.bucket(), "--format", "json");
        assertEquals(1, run.exitCode(), run::toString);
        ReportJson.Check c = run.report().check("imds.credentials");
        assertEquals("AssumeRoleUnauthorizedAccess", c.errorCode(), c::toString);
        assertTrue(c.text("remediation").contains("ec2.amazonaws.com"), c::toString);
        assertEquals("skip", run.report().check("s3.list").status());
    }

    @Test
    void check_stsRefusing_failsOnlyTheIdentityCheck() {
        sts.refuse(403, "AccessDenied", "User is not authorized to perform sts:GetCallerIdentity");
        NodeprobeRun run = node("np-full").run("check", "--bucket", cloud.bucket(), "--format", "json");
        assertEquals(1, run.exitCode(), run::toString);
        ReportJson r = run.report();
        assertEquals(List.of("sts.caller-identity"), r.withStatus("fail"));
        assertEquals("AccessDenied", r.check("sts.caller-identity").errorCode());
        assertEquals("pass", r.check("s3.delete").status(), "S3 probes still run and report their own verdict");
        assertEquals("np-full", r.at("identity", "role"), "the role still comes from IMDS");
    }

    @Test
    void check_stsUnavailable_isUnknown() {
        sts.refuse(503, "ServiceUnavailable", "try later");
        NodeprobeRun run = node("np-full").run(Duration.ofSeconds(40), "check", "--bucket", cloud.bucket(),
                "--format", "json");
        assertEquals(3, run.exitCode(), run::toString);
        assertEquals("unknown", run.report().check("sts.caller-identity").status());
    }

    @Test
    void identity_printsWhoTheNodeIs() {
        NodeprobeRun run = node("np-full").run("identity", "--format", "json");
        assertEquals(0, run.exitCode(), run::toString);
        ReportJson r = run.report();
        assertEquals("np-full", r.at("identity", "role"));
        assertEquals(PROFILE_ARN, r.at("identity", "instanceProfileArn"));
        assertEquals(5, r.checks().size()); // IMDS, STS and the clock
        assertTrue(r.root().field("target").orElseThrow().isNull());
    }

    @Test
    void policy_discoversRoleAndPrintsValidJson() {
        NodeprobeRun run = node("np-full").run("policy", "--bucket", "my-anyscale-bucket");
        assertEquals(0, run.exitCode(), run::toString);
        var doc = software.amazon.awssdk.protocols.jsoncore.JsonNode.parser().parse(run.stdout());
        assertEquals("arn:aws:iam::" + LocalCloud.ACCOUNT + ":role/np-full",
                doc.field("roleArn").orElseThrow().asString());
        assertTrue(run.stdout().contains("\"Resource\": \"arn:aws:s3:::my-anyscale-bucket/*\""), run::toString);
        assertTrue(doc.field("recommendedRolePolicy").isPresent(), run::toString);
        String out = run.stdout();
        String recommended = out.substring(out.indexOf("\"recommendedRolePolicy\""),
                out.indexOf("\"crossAccountBucketPolicy\""));
        assertTrue(recommended.contains("s3:AbortMultipartUpload") && recommended.contains("s3:GetBucketLocation"),
                run::toString);
        String key = "arn:aws:kms:us-east-1:" + LocalCloud.ACCOUNT + ":key/1234abcd-12ab-34cd-56ef-1234567890ab";
        NodeprobeRun kms = node("np-full").run("policy", "--bucket", "my-anyscale-bucket", "--kms-key", key);
        assertEquals(0, kms.exitCode(), kms::toString);
        var kmsDoc = software.amazon.awssdk.protocols.jsoncore.JsonNode.parser().parse(kms.stdout());
        assertEquals(key, kmsDoc.field("kmsRoleStatement").orElseThrow().field("Resource").orElseThrow().asString());
        assertEquals("arn:aws:iam::" + LocalCloud.ACCOUNT + ":role/np-full", kmsDoc.field("kmsKeyPolicyStatement")
                .orElseThrow().field("Principal").orElseThrow().field("AWS").orElseThrow().asString());
        NodeprobeRun bad = node("np-full").run("policy", "--bucket", "my-anyscale-bucket", "--kms-key", "alias/x");
        assertEquals(2, bad.exitCode(), bad::toString);
        assertTrue(bad.stderr().contains("is not a KMS key ARN"), bad::toString);
    }
}
