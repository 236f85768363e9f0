package io.nodeprobe.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nodeprobe.aws.Deadline;
import io.nodeprobe.diagnosis.BucketArn;
import io.nodeprobe.report.Check;
import io.nodeprobe.report.CheckResult;
import io.nodeprobe.report.Status;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class BucketProbeTest {
    private static final String NODE = "i-0123456789abcdef0";
    private final ProbeKeys keys = new ProbeKeys("p", NODE);

    private List<CheckResult> probe(MemoryBucket bucket, boolean readOnly, Duration timeout, String partition) {
        List<CheckResult> out = new ArrayList<>();
        new BucketProbe(bucket, new BucketArn(partition, "b"), "p", "us-east-1", keys,
                new BucketProbe.Principal("node", "arn:aws:iam::123456789012:role/node"), Deadline.in(timeout),
                Clock.systemUTC()).run(readOnly, out::add);
        return out;
    }

    private List<CheckResult> probe(MemoryBucket bucket) {
        return probe(bucket, false, Duration.ofSeconds(5), "aws");
    }

    private static Map<Check, Status> statuses(List<CheckResult> r) {
        return r.stream().collect(Collectors.toMap(CheckResult::check, CheckResult::status));
    }

    @Test
    void run_allAllowed_passesInOrderAndLeavesNothing() {
        MemoryBucket bucket = new MemoryBucket();
        List<CheckResult> r = probe(bucket);
        assertEquals(Check.BUCKET, r.stream().map(CheckResult::check).toList());
        assertTrue(r.stream().allMatch(c -> c.status() == Status.PASS), r.toString());
        assertEquals("deleted and confirmed gone", r.get(3).detail());
        assertEquals(Map.of(), bucket.objects);
    }

    @Test
    void run_putDenied_failsPutWithTheStatement_andSkipsTheRest() {
        MemoryBucket bucket = new MemoryBucket().deny(MemoryBucket.Op.PUT);
        List<CheckResult> r = probe(bucket);
        assertEquals(Map.of(Check.S3_LIST, Status.PASS, Check.S3_PUT, Status.FAIL, Check.S3_GET, Status.SKIP,
                Check.S3_DELETE, Status.SKIP), statuses(r));
        CheckResult put = r.get(1);
        assertEquals("AccessDenied", put.error().code());
        assertEquals(403, put.error().httpStatus());
        assertTrue(put.remediation().contains("\"Action\":\"s3:PutObject\",\"Resource\":\"arn:aws:s3:::b/*\""),
                put.remediation());
        assertEquals(Map.of(), bucket.objects);
    }

    @Test
    void run_deleteDenied_failsNamingTheLeftover() {
        MemoryBucket bucket = new MemoryBucket().deny(MemoryBucket.Op.DELETE);
        CheckResult delete = probe(bucket).get(3);
        assertEquals(Status.FAIL, delete.status());
        String key = bucket.objects.keySet().iterator().next();
        assertTrue(delete.detail().contains("leftover probe object s3://b/" + key), delete.detail());
    }

    @Test
    void run_headDenied_confirmsTheDeleteByListing() {
        MemoryBucket bucket = new MemoryBucket().deny(MemoryBucket.Op.HEAD);
        CheckResult delete = probe(bucket).get(3);
        assertEquals(Status.PASS, delete.status());
        assertEquals("deleted and confirmed gone (by listing)", delete.detail());
    }

    @Test
    void run_deleteAcknowledgedButObjectStays_fails() {
        CheckResult delete = probe(new MemoryBucket().ignoreDeletes()).get(3);
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
        CheckResult delete = probe(bucket).get(3);
        assertEquals(Status.PASS, delete.status());
        assertTrue(delete.detail().endsWith("removed 1 leftover probe object(s) of earlier runs"), delete.detail());
        assertEquals(List.of(young, foreign).stream().sorted().toList(), List.copyOf(bucket.objects.keySet()));
    }

    @Test
    void run_readOnly_onlyLists() {
        MemoryBucket bucket = new MemoryBucket();
        List<CheckResult> r = probe(bucket, true, Duration.ofSeconds(5), "aws");
        assertEquals(1, bucket.calls.get());
        assertEquals(List.of(Status.PASS, Status.SKIP, Status.SKIP, Status.SKIP),
                r.stream().map(CheckResult::status).toList());
        assertEquals("--read-only", r.get(1).detail());
    }

    @Test
    void run_silentList_isUnknownWithinTheBudget_andLaterChecksAreCutOff() {
        long t0 = System.nanoTime();
        List<CheckResult> r = probe(new MemoryBucket().silent(MemoryBucket.Op.LIST), false, Duration.ofMillis(300),
                "aws");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms < 1_000, "took " + ms + "ms");
        assertEquals(Status.UNKNOWN, r.get(0).status());
        assertEquals("Timeout", r.get(0).error().code());
        assertTrue(r.get(1).diagnosis().startsWith("not run: the run's deadline"), r.get(1).toString());
    }

    @Test
    void run_inChina_namesArnsOfThatPartition() {
        List<CheckResult> r = probe(new MemoryBucket().deny(MemoryBucket.Op.LIST), false, Duration.ofSeconds(5),
                "aws-cn");
        assertEquals("arn:aws-cn:s3:::b", r.get(0).resource());
        assertTrue(r.get(1).resource().startsWith("arn:aws-cn:s3:::b/p/.nodeprobe/"), r.get(1).resource());
        assertTrue(r.get(0).remediation().contains("\"Resource\":\"arn:aws-cn:s3:::b\""), r.get(0).remediation());
    }
}
