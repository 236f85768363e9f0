package io.nodeprobe.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import io.nodeprobe.localcloud.RecordedS3;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The actions beyond Anyscale's minimum role policy, decided by RGW's policy engine for roles assumed through its
 * STS: multipart upload, its part and upload listings, abort, and the bucket's location; and a bucket that keeps
 * versions. Every run must leave neither an object, a version nor an incomplete upload under the probe folder, as
 * the bucket owner sees it.
 */
class BucketActionsIT extends CloudScenario {
    private static final String VERSIONED = "np-versioned";
    private static final List<String> BEYOND_MINIMUM = List.of("s3.location", "s3.list-parts", "s3.list-uploads",
            "s3.abort");

    @Test
    void allEightActions_everyCheckPasses_andNothingIsLeft() {
        String prefix = "mp-full-" + System.nanoTime();
        NodeprobeRun run = node("np-full").run("check", "--bucket", cloud.bucket(), "--prefix", prefix, "--format",
                "json");
        assertEquals(0, run.exitCode(), run::toString);
        ReportJson r = run.report();
        assertEquals(CheckNames.ALL, r.withStatus("pass"), run::toString);
        assertTrue(r.check("s3.abort").text("detail").startsWith("aborted the upload, confirmed gone"), run::toString);
        assertNothingLeft(prefix);
    }

    @Test
    void minimumPolicy_warnsOnTheFourActionsItLacks_strictFails_andNothingIsLeft() {
        String prefix = "mp-min-" + System.nanoTime();
        NodeprobeRun run = node("np-minimum").run("check", "--bucket", cloud.bucket(), "--prefix", prefix,
                "--format", "json");
        assertEquals(0, run.exitCode(), "the documented minimum is a working set-up: " + run);
        ReportJson r = run.report();
        assertEquals("warn", r.status());
        assertEquals(BEYOND_MINIMUM, r.withStatus("warn"), run::toString);
        for (String name : BEYOND_MINIMUM) {
            ReportJson.Check c = r.check(name);
            assertEquals("AccessDenied", c.errorCode(), c::toString);
            assertTrue(c.diagnosis().orElseThrow().contains("minimum role policy does not grant it"), c::toString);
            assertTrue(c.text("remediation").contains("\"Action\":\"" + c.text("action") + "\""), c::toString);
        }
        assertEquals("pass", r.check("s3.multipart").status(), "s3:*Object grants PutObject, which multipart needs");
        assertEquals("could not abort: completed the upload instead and deleted the object it made",
                r.check("s3.abort").text("detail"));
        assertNothingLeft(prefix);

        NodeprobeRun strict = node("np-minimum").run("check", "--bucket", cloud.bucket(), "--prefix", prefix,
                "--strict", "--format", "json");
        assertEquals(1, strict.exitCode(), strict::toString);
        assertTrue(strict.stderr().contains("--strict"), strict::toString);
        assertNothingLeft(prefix);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "np-no-location,     s3.location,     s3:GetBucketLocation",
            "np-no-list-parts,   s3.list-parts,   s3:ListMultipartUploadParts",
            "np-no-list-uploads, s3.list-uploads, s3:ListBucketMultipartUploads",
            "np-no-abort,        s3.abort,        s3:AbortMultipartUpload"})
    void oneActionBeyondTheMinimumDenied_warnsExactlyThatCheck(String role, String check, String action) {
        String prefix = "mp-" + role + "-" + System.nanoTime();
        NodeprobeRun run = node(role).run("check", "--bucket", cloud.bucket(), "--prefix", prefix, "--format",
                "json");
        assertEquals(0, run.exitCode(), run::toString);
        ReportJson r = run.report();
        assertEquals(List.of(check), r.withStatus("warn"), run::toString);
        assertTrue(r.check(check).diagnosis().orElseThrow().startsWith("access denied: role " + role + " may not "
                + action), run::toString);
        assertNothingLeft(prefix);
    }

    /**
     * A run killed between CreateMultipartUpload and UploadPart leaves an upload nothing can name. A later run ends
     * it once it is old enough to belong to no live run: faketime puts that run six minutes ahead (inside the 15
     * minutes of clock skew S3 signatures allow).
     */
    @Test
    void killedInsideTheMultipartProbe_aLaterRunEndsTheUpload_andNothingIsLeft() throws Exception {
        String prefix = "mp-kill-" + System.nanoTime();
        try (HoldingProxy proxy = new HoldingProxy(java.net.URI.create(cloud.rgwEndpoint()), "uploadId=")) {
            Nodeprobe.Running run = node("np-full").env("AWS_ENDPOINT_URL_S3", proxy.endpoint())
                    .start("check", "--bucket", cloud.bucket(), "--prefix", prefix, "--timeout", "60s");
            long end = System.nanoTime() + 30_000_000_000L;
            while (!proxy.holding() && run.process().isAlive() && System.nanoTime() < end) {
                HttpGet.sleep(10);
            }
            assertTrue(proxy.holding(), "the run reached UploadPart: " + run.stderr());
            run.kill();
        }
        assertEquals(1, uploadsUnder(prefix).size(), "the kill left the upload it had started");

        NodeprobeRun later = node("np-full").startUnder(List.of("faketime", "-f", "+6m"), "check", "--bucket",
                cloud.bucket(), "--prefix", prefix, "--format", "json").await(java.time.Duration.ofSeconds(60));
        assertEquals(0, later.exitCode(), later::toString);
        assertTrue(later.report().check("s3.list-uploads").text("detail").endsWith("; ended 1 leftover upload(s) of "
                + "earlier runs"), later::toString);
        assertNothingLeft(prefix);
    }

    private List<String> uploadsUnder(String prefix) {
        try (S3Client owner = cloud.ownerS3()) {
            return owner.listMultipartUploads(b -> b.bucket(cloud.bucket()).prefix(prefix + "/")).uploads().stream()
                    .map(u -> u.key() + "@" + u.uploadId()).toList();
        }
    }

    @Test
    void readOnly_skipsMultipart_butProbesLocation() {
        NodeprobeRun run = node("np-full").run("check", "--bucket", cloud.bucket(), "--read-only", "--format",
                "json");
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(CheckNames.WRITES, run.report().withStatus("skip"));
        assertEquals("pass", run.report().check("s3.location").status());
    }

    @Test
    void versionedBucket_withDeleteObjectVersion_removesEveryVersion() {
        String prefix = "ver-ok-" + System.nanoTime();
        NodeprobeRun run = node("np-versions").run("check", "--bucket", VERSIONED, "--prefix", prefix, "--format",
                "json");
        assertEquals(0, run.exitCode(), run::toString);
        ReportJson r = run.report();
        assertEquals(CheckNames.ALL, r.withStatus("pass"), run::toString);
        assertTrue(r.check("s3.delete").text("detail").endsWith("; versioned bucket: removed the probe object's 2 "
                + "version(s)"), run::toString);
        assertEquals(List.of(), versionsUnder(prefix), "no version and no delete marker left");
    }

    @Test
    void versionedBucket_withoutDeleteObjectVersion_warnsWithBothFixes_andNamesTheVersions() {
        String prefix = "ver-warn-" + System.nanoTime();
        NodeprobeRun run = node("np-full").run("check", "--bucket", VERSIONED, "--prefix", prefix, "--format",
                "json");
        try {
            assertEquals(0, run.exitCode(), run::toString);
            ReportJson r = run.report();
            assertEquals(List.of("s3.delete"), r.withStatus("warn"), run::toString);
            ReportJson.Check delete = r.check("s3.delete");
            assertTrue(delete.diagnosis().orElseThrow().startsWith("versioned bucket: DeleteObject only added a "
                    + "delete marker, and role np-full may not s3:DeleteObjectVersion"), delete::toString);
            assertTrue(delete.text("remediation").contains("\"Action\":\"s3:DeleteObjectVersion\""), delete::toString);
            assertTrue(delete.text("remediation").contains("\"NoncurrentVersionExpiration\""), delete::toString);
            List<String> left = versionsUnder(prefix);
            assertEquals(2, left.size(), "the object's version and its delete marker: " + left);
            for (String v : left) {
                assertTrue(delete.text("detail").contains(v.substring(v.indexOf('@') + 1)), "named: " + v + " in "
                        + delete);
            }
        } finally {
            try (S3Client owner = cloud.ownerS3()) { // the owner tidies what the role could not
                var listing = owner.listObjectVersions(b -> b.bucket(VERSIONED).prefix(prefix + "/"));
                listing.versions().forEach(v -> owner.deleteObject(b -> b.bucket(VERSIONED).key(v.key())
                        .versionId(v.versionId())));
                listing.deleteMarkers().forEach(m -> owner.deleteObject(b -> b.bucket(VERSIONED).key(m.key())
                        .versionId(m.versionId())));
            }
        }
    }

    @Test
    void kmsDeniedOnPut_isDiagnosedAsTheKeysPermission_notS3s() {
        // AWS's enhanced message for a missing kms:GenerateDataKey on PutObject (reference notes, section 2).
        try (RecordedS3 s3 = RecordedS3.start().refuse(RecordedS3.Call.PUT, new RecordedS3.Refusal(403,
                "AccessDenied", "User: arn:aws:sts::112233445566:assumed-role/AWSReservedSSO_PermSetName_0123456789abcdef/abcde "
                + "is not authorized to perform: kms:GenerateDataKey on this resource because no identity-based "
                + "policy allows the kms:GenerateDataKey action"))) {
            NodeprobeRun run = node("np-full").env("AWS_ENDPOINT_URL_S3", s3.endpoint())
                    .env("NODEPROBE_S3_PATH_STYLE", "true")
                    .run("check", "--bucket", cloud.bucket(), "--format", "json");
            assertEquals(1, run.exitCode(), run::toString);
            ReportJson r = run.report();
            assertEquals(List.of("s3.put"), r.withStatus("fail"), run::toString);
            ReportJson.Check put = r.check("s3.put");
            assertEquals("AccessDenied", put.errorCode());
            assertTrue(put.diagnosis().orElseThrow().startsWith("KMS denied: the bucket encrypts with SSE-KMS and role "
                    + "np-full may not kms:GenerateDataKey on the bucket's KMS key"), put::toString);
            assertTrue(put.text("remediation").contains("\"Action\":[\"kms:GenerateDataKey\",\"kms:Decrypt\"]"),
                    put::toString);
            assertTrue(put.text("remediation").contains("\"Principal\":{\"AWS\":\"arn:aws:iam::" + LocalCloud.ACCOUNT
                    + ":role/np-full\"}"), put::toString);
        }
    }

    @Test
    void kmsDeniedOnGet_namesTheKeyFromTheMessage() {
        // AWS's message for a missing kms:Decrypt on GetObject (reference notes, section 2; the key id there is
        // elided, so a whole one is filled in).
        String key = "arn:aws:kms:eu-west-2:624384546187:key/b997e702-5f0c-4d7e-9d1a-3c2b1a0f9e8d";
        try (RecordedS3 s3 = RecordedS3.start().refuse(RecordedS3.Call.GET, new RecordedS3.Refusal(403,
                "AccessDenied", "User: arn:aws:sts::624384546187:assumed-role/cortex_xsiam/xdr-collection is not "
                + "authorized to perform: kms:Decrypt on resource: " + key + " because no identity-based policy "
                + "allows the kms:Decrypt action"))) {
            NodeprobeRun run = node("np-full").env("AWS_ENDPOINT_URL_S3", s3.endpoint())
                    .env("NODEPROBE_S3_PATH_STYLE", "true")
                    .run("check", "--bucket", cloud.bucket(), "--format", "json");
            assertEquals(1, run.exitCode(), run::toString);
            ReportJson.Check get = run.report().check("s3.get");
            assertEquals("fail", get.status(), run::toString);
            assertTrue(get.diagnosis().orElseThrow().contains("may not kms:Decrypt on KMS key " + key), get::toString);
            assertTrue(get.text("remediation").contains("\"Resource\":\"" + key + "\""), get::toString);
        }
    }

    @Test
    void bucketOwner_andEncryption_areReportedFromWhatS3Answered() {
        String key = "arn:aws:kms:us-east-1:210987654321:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        try (RecordedS3 other = RecordedS3.start().ownedBy("210987654321").encrypts("aws:kms", key);
                RecordedS3 same = RecordedS3.start().ownedBy(LocalCloud.ACCOUNT).encrypts("AES256", null)) {
            ReportJson r = recorded(other);
            assertEquals("other-account", r.at("target", "bucketOwner"), r::toString);
            assertEquals("SSE-KMS", r.at("target", "encryption"));
            assertEquals(key, r.at("target", "kmsKeyId"));
            assertTrue(r.check("s3.put").text("detail").endsWith("(SSE-KMS with key " + key + ")"), r::toString);
            ReportJson s = recorded(same);
            assertEquals("same-account", s.at("target", "bucketOwner"), s::toString);
            assertEquals("SSE-S3", s.at("target", "encryption"));
        }
        // Ceph RGW ignores ExpectedBucketOwner: nodeprobe must not claim an owner it cannot tell.
        NodeprobeRun rgw = node("np-full").run("check", "--bucket", cloud.bucket(), "--format", "json");
        assertEquals("unknown", rgw.report().at("target", "bucketOwner"), rgw::toString);
        assertEquals("none", rgw.report().at("target", "encryption"), rgw::toString);
    }

    private ReportJson recorded(RecordedS3 s3) {
        NodeprobeRun run = node("np-full").env("AWS_ENDPOINT_URL_S3", s3.endpoint())
                .env("NODEPROBE_S3_PATH_STYLE", "true").run("check", "--bucket", cloud.bucket(), "--format", "json");
        assertEquals(0, run.exitCode(), run::toString);
        return run.report();
    }

    /** key@versionId of every version and delete marker under the prefix, as the owner lists them. */
    private List<String> versionsUnder(String prefix) {
        try (S3Client owner = cloud.ownerS3()) {
            var listing = owner.listObjectVersions(b -> b.bucket(VERSIONED).prefix(prefix + "/"));
            List<String> out = new java.util.ArrayList<>();
            listing.versions().forEach(v -> out.add(v.key() + "@" + v.versionId()));
            listing.deleteMarkers().forEach(m -> out.add(m.key() + "@" + m.versionId()));
            return out;
        }
    }

    private void assertNothingLeft(String prefix) {
        try (S3Client owner = cloud.ownerS3()) {
            assertEquals(List.of(), owner.listObjectsV2(b -> b.bucket(cloud.bucket()).prefix(prefix + "/")).contents(),
                    "objects under " + prefix);
            assertEquals(List.of(), owner.listMultipartUploads(b -> b.bucket(cloud.bucket()).prefix(prefix + "/"))
                    .uploads(), "incomplete uploads under " + prefix);
        }
    }
}
