package io.nodeprobe.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nodeprobe.aws.Deadline;
import io.nodeprobe.aws.Lanes;
import io.nodeprobe.diagnosis.BucketArn;
import io.nodeprobe.report.Check;
import io.nodeprobe.report.CheckResult;
import io.nodeprobe.report.Status;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class BucketProbeTest {
    private static final String NODE = "i-0123456789abcdef0";
    private final ProbeKeys keys = new ProbeKeys("p", NODE);

    /** The results in report order; the probes hand them over from several threads, as they come. */
    private List<CheckResult> probe(MemoryBucket bucket, boolean readOnly, Duration timeout, String partition) {
        List<CheckResult> out = Collections.synchronizedList(new ArrayList<>());
        try (Lanes lanes = new Lanes("test")) {
            new BucketProbe(bucket, new BucketArn(partition, "b"), "p", "us-east-1", keys,
                    new BucketProbe.Principal("node", "arn:aws:iam::123456789012:role/node",
                            "123456789012"), Deadline.in(timeout),
                    Clock.systemUTC(), lanes).run(readOnly, out::add);
        }
        assertEquals(out.size(), out.stream().map(CheckResult::check).distinct().count(), "one result a check");
        return out.stream().sorted(Comparator.comparing(CheckResult::check)).toList();
    }

    private List<CheckResult> probe(MemoryBucket bucket) {
        return probe(bucket, false, Duration.ofSeconds(5), "aws");
    }

    private static Map<Check, Status> statuses(List<CheckResult> r) {
        return r.stream().collect(Collectors.toMap(CheckResult::check, CheckResult::status));
    }

    private static CheckResult of(List<CheckResult> r, Check check) {
        return r.stream().filter(c -> c.check() == check).findFirst().orElseThrow(() -> new AssertionError(
                check + " not in " + r));
    }

    /** Every bucket check PASS but {@code others}, which have the status given. */
    private static Map<Check, Status> passingBut(Map<Check, Status> others) {
        Map<Check, Status> m = new java.util.EnumMap<>(Check.class);
        Check.BUCKET.forEach(c -> m.put(c, Status.PASS));
        m.putAll(others);
        return m;
    }

    @Test
    void run_allAllowed_passesEveryCheckAndLeavesNothing() {
        MemoryBucket bucket = new MemoryBucket();
        List<CheckResult> r = probe(bucket);
        assertEquals(Check.BUCKET, r.stream().map(CheckResult::check).toList());
        assertTrue(r.stream().allMatch(c -> c.status() == Status.PASS), r.toString());
        assertEquals("deleted and confirmed gone", of(r, Check.S3_DELETE).detail());
        assertEquals("aborted the upload, confirmed gone", of(r, Check.S3_ABORT).detail());
        assertEquals(Map.of(), bucket.objects);
        assertEquals(Map.of(), bucket.uploads);
    }

    @Test
    void run_putDenied_failsPutWithTheStatement_andSkipsTheRest() {
        MemoryBucket bucket = new MemoryBucket().deny(MemoryBucket.Op.PUT);
        List<CheckResult> r = probe(bucket);
        assertEquals(passingBut(Map.of(Check.S3_PUT, Status.FAIL, Check.S3_GET, Status.SKIP, Check.S3_DELETE,
                Status.SKIP, Check.S3_MULTIPART, Status.SKIP, Check.S3_LIST_PARTS, Status.SKIP, Check.S3_LIST_UPLOADS,
                Status.SKIP, Check.S3_ABORT, Status.SKIP)), statuses(r));
        CheckResult put = of(r, Check.S3_PUT);
        assertEquals("AccessDenied", put.error().code());
        assertEquals(403, put.error().httpStatus());
        assertTrue(put.remediation().contains("\"Action\":\"s3:PutObject\",\"Resource\":\"arn:aws:s3:::b/*\""),
                put.remediation());
        assertEquals(Map.of(), bucket.objects);
    }

    @Test
    void run_deleteDenied_failsNamingTheLeftover() {
        MemoryBucket bucket = new MemoryBucket().deny(MemoryBucket.Op.DELETE);
        CheckResult delete = of(probe(bucket), Check.S3_DELETE);
        assertEquals(Status.FAIL, delete.status());
        String key = bucket.objects.keySet().iterator().next();
        assertTrue(delete.detail().contains("leftover probe object s3://b/" + key), delete.detail());
    }

    @Test
    void run_headDenied_confirmsTheDeleteByListing() {
        MemoryBucket bucket = new MemoryBucket().deny(MemoryBucket.Op.HEAD);
        CheckResult delete = of(probe(bucket), Check.S3_DELETE);
        assertEquals(Status.PASS, delete.status());
        assertEquals("deleted and confirmed gone (by listing)", delete.detail());
    }

    @Test
    void run_deleteAcknowledgedButObjectStays_fails() {
        CheckResult delete = of(probe(new MemoryBucket().ignoreDeletes()), Check.S3_DELETE);
        assertEquals(Status.FAIL, delete.status());
        assertEquals("StillThere", delete.error().code());
    }

    @Test
    void run_leftovers_onlyOldProbeObjectsAreRemoved() {
        MemoryBucket bucket = new MemoryBucket();
        Instant now = Instant.now();
        String old = keys.newKey(now.minus(BucketProbe.LEFTOVER_AGE).minusSeconds(60));
        String young = keys.newKey(now.minusSeconds(60)); // another process's run, still under way
        String foreign = keys.folder() + "notes.txt";
        for (String k : List.of(old, young, foreign)) {
            bucket.objects.put(k, new byte[1]);
        }
        CheckResult delete = of(probe(bucket), Check.S3_DELETE);
        assertEquals(Status.PASS, delete.status());
        assertTrue(delete.detail().endsWith("removed 1 leftover probe object(s) of earlier runs"), delete.detail());
        assertEquals(List.of(young, foreign).stream().sorted().toList(), List.copyOf(bucket.objects.keySet()));
    }

    @Test
    void run_readOnly_onlyLists() {
        MemoryBucket bucket = new MemoryBucket();
        List<CheckResult> r = probe(bucket, true, Duration.ofSeconds(5), "aws");
        assertEquals(4, bucket.calls.get(), "list (and the owner test's two) and location only");
        assertEquals(passingBut(Check.WRITES.stream().collect(Collectors.toMap(c -> c, c -> Status.SKIP))),
                statuses(r));
        assertEquals("--read-only", of(r, Check.S3_PUT).detail());
    }

    @Test
    void run_silentList_isUnknownWithinTheBudget_andHoldsUpNothingElse() {
        long t0 = System.nanoTime();
        List<CheckResult> r = probe(new MemoryBucket().silent(MemoryBucket.Op.LIST), false, Duration.ofMillis(300),
                "aws");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms < 1_000, "took " + ms + "ms");
        assertEquals(Status.UNKNOWN, of(r, Check.S3_LIST).status());
        assertEquals("Timeout", of(r, Check.S3_LIST).error().code());
        for (Check c : List.of(Check.S3_LOCATION, Check.S3_PUT, Check.S3_GET)) {
            assertEquals(Status.PASS, of(r, c).status(), "needs no listing, so runs beside it: " + of(r, c));
        }
    }

    @Test
    void run_deadlineSpent_everyCheckIsCutOff() {
        List<CheckResult> r = probe(new MemoryBucket(), false, Duration.ZERO, "aws");
        for (Check c : List.of(Check.S3_LIST, Check.S3_LOCATION, Check.S3_PUT)) {
            assertTrue(of(r, c).diagnosis().startsWith("not run: the run's deadline"), of(r, c).toString());
        }
        assertEquals(Status.SKIP, of(r, Check.S3_GET).status(), "needs the put");
    }

    @Test
    void run_inChina_namesArnsOfThatPartition() {
        List<CheckResult> r = probe(new MemoryBucket().deny(MemoryBucket.Op.LIST), false, Duration.ofSeconds(5),
                "aws-cn");
        assertEquals("arn:aws-cn:s3:::b", r.get(0).resource());
        assertTrue(of(r, Check.S3_PUT).resource().startsWith("arn:aws-cn:s3:::b/p/.nodeprobe/"), r.toString());
        assertTrue(r.get(0).remediation().contains("\"Resource\":\"arn:aws-cn:s3:::b\""), r.get(0).remediation());
    }

    @Test
    void run_minimumPolicy_warnsOnTheFourActionsItLacks_andLeavesNothing() {
        MemoryBucket bucket = new MemoryBucket().deny(MemoryBucket.Op.LOCATION, MemoryBucket.Op.LIST_PARTS,
                MemoryBucket.Op.LIST_UPLOADS, MemoryBucket.Op.ABORT);
        List<CheckResult> r = probe(bucket);
        assertEquals(passingBut(Map.of(Check.S3_LOCATION, Status.WARN, Check.S3_LIST_PARTS, Status.WARN,
                Check.S3_LIST_UPLOADS, Status.WARN, Check.S3_ABORT, Status.WARN)), statuses(r));
        CheckResult abort = of(r, Check.S3_ABORT);
        assertTrue(abort.diagnosis().contains("may not s3:AbortMultipartUpload")
                && abort.diagnosis().contains("minimum role policy does not grant it"), abort.diagnosis());
        assertTrue(abort.remediation().contains("\"Action\":\"s3:AbortMultipartUpload\",\"Resource\":\"arn:aws:s3:::b/*\""),
                abort.remediation());
        assertTrue(of(r, Check.S3_LIST_UPLOADS).remediation().contains(
                "\"Action\":\"s3:ListBucketMultipartUploads\",\"Resource\":\"arn:aws:s3:::b\""), r.toString());
        assertEquals("could not abort: completed the upload instead and deleted the object it made", abort.detail());
        assertEquals(Map.of(), bucket.objects);
        assertEquals(Map.of(), bucket.uploads);
    }

    @Test
    void run_abortAndDeleteDenied_namesTheObjectTheCompletionMade() {
        MemoryBucket bucket = new MemoryBucket().deny(MemoryBucket.Op.ABORT, MemoryBucket.Op.DELETE);
        CheckResult abort = of(probe(bucket), Check.S3_ABORT);
        assertEquals(Status.WARN, abort.status());
        assertEquals(Map.of(), bucket.uploads);
        assertEquals(2, bucket.objects.size(), "the put's object and the completed upload's");
        assertTrue(bucket.objects.keySet().stream().anyMatch(k -> abort.detail().contains("leftover probe object s3://b/" + k)),
                abort.detail());
    }

    @Test
    void run_abortAndCompleteDenied_namesTheLeftoverUpload() {
        MemoryBucket bucket = new MemoryBucket().deny(MemoryBucket.Op.ABORT, MemoryBucket.Op.COMPLETE);
        CheckResult abort = of(probe(bucket), Check.S3_ABORT);
        var left = bucket.uploads.entrySet().iterator().next();
        assertTrue(abort.detail().startsWith("leftover upload " + left.getKey() + " of s3://b/" + left.getValue().key()),
                abort.detail());
    }

    @Test
    void run_createUploadDenied_failsMultipartAlone() {
        List<CheckResult> r = probe(new MemoryBucket().deny(MemoryBucket.Op.CREATE_UPLOAD));
        assertEquals(passingBut(Map.of(Check.S3_MULTIPART, Status.FAIL, Check.S3_LIST_PARTS, Status.SKIP,
                Check.S3_LIST_UPLOADS, Status.SKIP, Check.S3_ABORT, Status.SKIP)), statuses(r));
    }

    @Test
    void run_uploadPartDenied_failsMultipart_andAbortsTheUploadItStarted() {
        MemoryBucket bucket = new MemoryBucket().deny(MemoryBucket.Op.UPLOAD_PART);
        CheckResult multipart = of(probe(bucket), Check.S3_MULTIPART);
        assertEquals(Status.FAIL, multipart.status());
        assertTrue(multipart.detail().startsWith("aborted the upload "), multipart.detail());
        assertEquals(Map.of(), bucket.uploads);
    }

    @Test
    void run_leftoverUploads_onlyOldOnesOfProbeKeysAreEnded() {
        MemoryBucket bucket = new MemoryBucket();
        Instant now = Instant.now();
        String old = bucket.leaveUpload(keys.newKey(now.minus(BucketProbe.LEFTOVER_AGE).minusSeconds(60)));
        String young = bucket.leaveUpload(keys.newKey(now.minusSeconds(60)));
        String foreign = bucket.leaveUpload(keys.folder() + "big-file.bin");
        CheckResult listed = of(probe(bucket), Check.S3_LIST_UPLOADS);
        assertEquals(Status.PASS, listed.status());
        assertTrue(listed.detail().endsWith("; ended 1 leftover upload(s) of earlier runs"), listed.detail());
        assertEquals(java.util.Set.of(young, foreign), bucket.uploads.keySet());
        assertTrue(old != null);
    }

    @Test
    void run_versionedBucket_removesTheProbeObjectsVersions() {
        MemoryBucket bucket = new MemoryBucket().versioned();
        List<CheckResult> r = probe(bucket);
        CheckResult delete = of(r, Check.S3_DELETE);
        assertEquals(Status.PASS, delete.status());
        assertTrue(delete.detail().endsWith("; versioned bucket: removed the probe object's 2 version(s)"),
                delete.detail());
        assertEquals(Map.of(), bucket.versions, "neither the object's version nor the delete marker is left");
        assertEquals(Map.of(), bucket.objects);
    }

    @Test
    void run_versionedBucketWithoutDeleteObjectVersion_warnsWithBothFixes_namingWhatIsLeft() {
        MemoryBucket bucket = new MemoryBucket().versioned().deny(MemoryBucket.Op.DELETE_VERSION);
        List<CheckResult> r = probe(bucket);
        CheckResult delete = of(r, Check.S3_DELETE);
        assertEquals(Status.WARN, delete.status(), delete.toString());
        assertTrue(delete.diagnosis().startsWith("versioned bucket: DeleteObject only added a delete marker, and role "
                + "node may not s3:DeleteObjectVersion; every run leaves 2 noncurrent version(s) under "
                + keys.folder()), delete.diagnosis());
        assertTrue(delete.remediation().contains("\"Action\":\"s3:DeleteObjectVersion\",\"Resource\":\"arn:aws:s3:::b/"
                + keys.folder() + "*\""), delete.remediation());
        assertTrue(delete.remediation().contains("\"NoncurrentVersionExpiration\""), delete.remediation());
        String key = of(r, Check.S3_PUT).resource().substring("arn:aws:s3:::b/".length());
        assertTrue(delete.detail().contains("versioned bucket: left versions " + String.join(", ",
                bucket.versions.get(key)) + " of s3://b/" + key), delete.detail());
    }

    private BucketProbe.Findings findings(MemoryBucket bucket) {
        try (Lanes lanes = new Lanes("test")) {
            return new BucketProbe(bucket, new BucketArn("aws", "b"), "p", "us-east-1", keys,
                    new BucketProbe.Principal("node", "arn:aws:iam::123456789012:role/node", "123456789012"),
                    Deadline.in(Duration.ofSeconds(5)), Clock.systemUTC(), lanes).run(false, r -> { });
        }
    }

    @Test
    void run_bucketOwner_fromExpectedBucketOwner_neverClaimedWhenTheServerIgnoresIt() {
        assertEquals("same-account", findings(new MemoryBucket()).bucketOwner());
        assertEquals("other-account", findings(new MemoryBucket().ownedBy("210987654321")).bucketOwner());
        assertEquals("unknown", findings(new MemoryBucket().ownedBy(null)).bucketOwner(),
                "a server that answers every owner cannot tell");
        assertEquals("unknown", findings(new MemoryBucket().deny(MemoryBucket.Op.OWNED)).bucketOwner(),
                "refused for both: no claim");
    }

    @Test
    void run_encryption_isWhatPutObjectsAnswerSays() {
        assertEquals("none", findings(new MemoryBucket()).encryption());
        assertEquals("SSE-S3", findings(new MemoryBucket().encrypts("AES256", null)).encryption());
        BucketProbe.Findings kms = findings(new MemoryBucket().encrypts("aws:kms",
                "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"));
        assertEquals("SSE-KMS", kms.encryption());
        assertEquals("arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab", kms.kmsKeyId());
        assertEquals(null, findings(new MemoryBucket().deny(MemoryBucket.Op.PUT)).encryption(), "nothing written");
    }

    @Test
    void run_eachCheckTimesItsOwnCalls() {
        List<CheckResult> r = probe(new MemoryBucket().latency(Duration.ofMillis(20)));
        assertTrue(of(r, Check.S3_LOCATION).durationMs() >= 20, r.toString());
        assertTrue(of(r, Check.S3_GET).durationMs() >= 20, r.toString());
        assertTrue(of(r, Check.S3_DELETE).durationMs() >= 40, "delete, then HEAD beside the leftover listing: " + r);
    }

    @Test
    void run_independentCallsOverlap_dependentOnesNever() {
        MemoryBucket bucket = new MemoryBucket().latency(Duration.ofMillis(20));
        List<CheckResult> r = probe(bucket);
        assertTrue(r.stream().allMatch(c -> c.status() == Status.PASS), r.toString());
        assertTrue(bucket.maxInFlight() >= 3, "list, location and put at once; was " + bucket.maxInFlight());
        List<MemoryBucket.Op> order = bucket.started();
        assertTrue(order.indexOf(MemoryBucket.Op.PUT) < order.indexOf(MemoryBucket.Op.GET), order.toString());
        assertTrue(order.indexOf(MemoryBucket.Op.PUT) < order.indexOf(MemoryBucket.Op.CREATE_UPLOAD),
                "multipart waits for the put: " + order);
        assertTrue(order.indexOf(MemoryBucket.Op.GET) < order.indexOf(MemoryBucket.Op.DELETE), order.toString());
        assertTrue(order.lastIndexOf(MemoryBucket.Op.LIST_PARTS) > order.indexOf(MemoryBucket.Op.ABORT),
                "the abort is confirmed by ListParts after it: " + order);
    }
}
