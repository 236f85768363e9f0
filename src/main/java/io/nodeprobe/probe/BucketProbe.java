package io.nodeprobe.probe;

import io.nodeprobe.aws.Deadline;
import io.nodeprobe.aws.Lanes;
import io.nodeprobe.diagnosis.BucketArn;
import io.nodeprobe.diagnosis.Diagnosis;
import io.nodeprobe.diagnosis.ErrorClassifier;
import io.nodeprobe.diagnosis.Failure;
import io.nodeprobe.report.Check;
import io.nodeprobe.report.CheckResult;
import io.nodeprobe.report.Status;
import io.nodeprobe.report.TargetInfo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * The bucket probes, in order: list (and whose bucket it is), location, put, get (bytes compared), delete (then
 * confirmed gone, versions included), then the {@link MultipartProbe multipart ones}. Every key it writes, reads or
 * deletes comes from {@link ProbeKeys}; listing is the only call that sees other keys, and it reads no content. A
 * failed check carries its evidence, a diagnosis and the exact policy statement to add. Each result goes to the
 * sink as soon as it is known, so a run cut short by its deadline still reports what it found.
 */
public final class BucketProbe {
    /**
     * Leftovers younger than this may belong to a run still going (a {@code check} beside {@code serve} on the same
     * node shares the probe folder): only older ones are removed. No run lives this long: --timeout bounds it.
     */
    static final Duration LEFTOVER_AGE = Duration.ofMinutes(5);

    /** Who is probing, for the diagnosis and the owner test; any of them may be null. */
    public record Principal(String role, String roleArn, String account) {
    }

    /**
     * What the probes learnt of the bucket beyond the checks: whose it is, and the encryption S3 applied to the
     * probe object ({@code encryption} null when nothing was written).
     */
    public record Findings(String bucketRegion, String bucketOwner, String encryption, String kmsKeyId) {
        Findings(String bucketOwner, String encryption, String kmsKeyId) {
            this(null, bucketOwner, encryption, kmsKeyId);
        }
    }

    /** An account that owns no bucket, so that S3 must refuse it as ExpectedBucketOwner. */
    private static final String NOBODY = "000000000000";

    private final Bucket bucket;
    private final BucketArn arn;
    private final String prefix;
    private final ProbeKeys keys;
    private final Supplier<Principal> principal;
    private final Deadline deadline;
    private final Clock clock;
    private final CheckCall call;
    private final Lanes lanes;
    private String owner = TargetInfo.UNKNOWN_OWNER;

    public BucketProbe(Bucket bucket, BucketArn arn, String prefix, String region, ProbeKeys keys, Principal principal,
                       Deadline deadline, Clock clock, Lanes lanes) {
        this(bucket, arn, prefix, region, null, keys, () -> principal, deadline, clock, lanes);
    }

    /**
     * @param principal asked for only when a diagnosis or the owner test needs it, so the probes need not wait for
     *                  STS to say who is calling
     * @param lanes     the run's, for the chains that run side by side
     */
    public BucketProbe(Bucket bucket, BucketArn arn, String prefix, String region, String regionSource,
                       ProbeKeys keys, Supplier<Principal> principal, Deadline deadline, Clock clock, Lanes lanes) {
        this.lanes = lanes;
        this.bucket = bucket;
        this.arn = arn;
        this.prefix = prefix;
        this.keys = keys;
        this.principal = principal;
        this.deadline = deadline;
        this.clock = clock;
        this.call = new CheckCall(arn, region, regionSource, bucket.plainHttpEndpoint(), principal, deadline);
    }

    /** The bucket checks, all skipped for one reason (no credentials, say). */
    public static List<CheckResult> skipped(BucketArn arn, String why) {
        return Check.BUCKET.stream().map(c -> CheckResult.skip(c, resource(arn, c, "*"), why)).toList();
    }

    /**
     * Runs the probes as three chains side by side: the listing (and its owner test), the location, and the writes.
     * Within the writes, put comes first; then get → delete and the multipart probes run together. Multipart waits
     * for the put on purpose: one missing s3:PutObject fails one check, and no upload is started that the report
     * would call skipped. The sink may be called from several threads.
     */
    public Findings run(boolean readOnly, Consumer<CheckResult> sink) {
        CompletableFuture<Void> listed = lanes.run(() -> sink.accept(list()));
        CompletableFuture<Void> located = lanes.run(() -> sink.accept(location()));
        Findings findings = readOnly ? skipWrites(sink) : writes(sink);
        Lanes.join(listed);
        Lanes.join(located);
        return new Findings(call.bucketRegion(), owner, findings.encryption(), findings.kmsKeyId());
    }

    private Findings skipWrites(Consumer<CheckResult> sink) {
        skip(Check.WRITES, keys.folder() + "*", "--read-only", sink);
        return new Findings(null, null, null);
    }

    /** The write chain; its findings' owner is left to the listing. */
    private Findings writes(Consumer<CheckResult> sink) {
        String key = keys.newKey(clock.instant());
        byte[] payload = keys.body(key);
        Bucket.Written[] written = new Bucket.Written[1];
        CheckResult put = call.run(Check.S3_PUT, arn.object(key), () -> {
            written[0] = bucket.put(key, payload, deadline.remaining());
            String enc = encryption(written[0].encryption());
            return "wrote " + payload.length + " bytes to " + key + (enc.equals("none") ? "" : " (" + enc
                    + (written[0].kmsKeyId() == null ? "" : " with key " + written[0].kmsKeyId()) + ")");
        });
        if (put.status() == Status.UNKNOWN) {
            put = put.withDetail(removeUnconfirmed(key));
        }
        sink.accept(put);
        if (put.status() != Status.PASS) {
            // One missing s3:PutObject fails one check: the rest cannot be tried without it.
            skip(Check.WRITES.subList(1, Check.WRITES.size()), key, "skipped: s3.put did not pass", sink);
            return new Findings(null, null, null);
        }
        CompletableFuture<Void> multipart = lanes.run(
                () -> new MultipartProbe(bucket, arn, keys, deadline, clock, call, lanes).run(sink));
        sink.accept(get(key, payload));
        sink.accept(delete(key, written[0].versionId()));
        Lanes.join(multipart);
        return new Findings(null, encryption(written[0].encryption()), written[0].kmsKeyId());
    }

    /**
     * A put that got no answer (a reset, a cut, a timeout) may still have stored the object: delete it now if the
     * endpoint lets us, or name it, so nothing is left that nobody knows of. A later run removes it either way.
     */
    private String removeUnconfirmed(String key) {
        String where = "s3://" + arn.bucket() + "/" + key;
        try {
            bucket.delete(key, deadline.remaining());
            return "S3 did not answer the put; deleted " + where + " in case it was stored";
        } catch (RuntimeException e) {
            return "S3 did not answer the put; it may have stored " + where + " (a later run removes it)";
        }
    }

    /** S3's x-amz-server-side-encryption value, in the words AWS's documentation uses. */
    private static String encryption(String header) {
        if (header == null) {
            return "none";
        }
        return switch (header) {
            case "AES256" -> "SSE-S3";
            case "aws:kms" -> "SSE-KMS";
            case "aws:kms:dsse" -> "DSSE-KMS";
            default -> header;
        };
    }

    /**
     * Whose bucket it is: the listing again with ExpectedBucketOwner set to the caller's account. A 403 means another
     * account owns it (the same listing just passed without the header). A 200 is believed only if naming an account
     * that owns nothing is refused: a server that ignores the header (Ceph RGW does) answers 200 to both.
     */
    private String bucketOwner() {
        String account = principal.get().account();
        if (account == null || !account.matches("\\d{12}") || account.equals(NOBODY)) {
            return TargetInfo.UNKNOWN_OWNER;
        }
        try {
            if (!bucket.ownedBy(account, deadline.remaining())) {
                return "other-account";
            }
            return bucket.ownedBy(NOBODY, deadline.remaining()) ? TargetInfo.UNKNOWN_OWNER : "same-account";
        } catch (RuntimeException e) {
            return TargetInfo.UNKNOWN_OWNER; // a fact for the report, never a verdict: no answer, no claim
        }
    }

    private void skip(List<Check> checks, String key, String why, Consumer<CheckResult> sink) {
        skip(arn, checks, key, why, sink);
    }

    /** Skipped checks, each naming the resource it would have tried: the bucket, or the object at {@code key}. */
    static void skip(BucketArn arn, List<Check> checks, String key, String why, Consumer<CheckResult> sink) {
        checks.forEach(c -> sink.accept(CheckResult.skip(c, resource(arn, c, key), why)));
    }

    private static String resource(BucketArn arn, Check check, String key) {
        return check.scope() == Check.Scope.BUCKET ? arn.toString() : arn.object(key);
    }

    private CheckResult list() {
        String listPrefix = prefix.isEmpty() ? "" : prefix + "/";
        return call.run(Check.S3_LIST, arn.toString(), () -> {
            List<String> found = bucket.list(listPrefix, 1, deadline.remaining());
            owner = bucketOwner();
            return "prefix '" + listPrefix + "' " + (found.isEmpty() ? "empty" : "not empty") + "; bucket owner: "
                    + owner;
        });
    }

    private CheckResult location() {
        return call.run(Check.S3_LOCATION, arn.toString(), () -> {
            String constraint = bucket.location(deadline.remaining());
            return "location constraint '" + constraint + "'" + (constraint.isEmpty() ? " (us-east-1)" : "");
        });
    }

    private CheckResult get(String key, byte[] payload) {
        return call.run(Check.S3_GET, arn.object(key), () -> {
            byte[] got = bucket.get(key, deadline.remaining());
            if (!Arrays.equals(got, payload)) {
                throw new CheckCall.Unexpected("ContentMismatch", "wrote " + payload.length + " bytes, read back "
                        + got.length + " bytes that differ");
            }
            return "read " + got.length + " bytes back, identical";
        });
    }

    /** @param putVersion the version the put made, null unless the bucket keeps versions */
    private CheckResult delete(String key, String putVersion) {
        Bucket.Deleted[] answer = new Bucket.Deleted[1];
        CheckResult deleted = call.run(Check.S3_DELETE, arn.object(key), () -> {
            answer[0] = bucket.delete(key, deadline.remaining());
            CompletableFuture<String> leftovers = lanes.start(() -> removeLeftovers(key));
            String gone = confirmGone(key);
            return gone + Lanes.join(leftovers);
        });
        if (deleted.status() != Status.PASS) {
            return deleted.withDetail("leftover probe object s3://" + arn.bucket() + "/" + key
                    + " (removed by a later run once delete works)");
        }
        List<String> versions = new java.util.ArrayList<>();
        if (putVersion != null) {
            versions.add(putVersion);
        }
        if (answer[0].marker() && answer[0].versionId() != null) {
            versions.add(answer[0].versionId());
        }
        return versions.isEmpty() ? deleted : removeVersions(deleted, key, versions);
    }

    /**
     * On a versioned bucket DeleteObject only adds a delete marker: the probe object stays as a noncurrent version,
     * one more every run. Deleting each version needs s3:DeleteObjectVersion; without it, say so with both fixes.
     */
    private CheckResult removeVersions(CheckResult deleted, String key, List<String> versions) {
        List<String> left = new java.util.ArrayList<>(versions);
        try {
            for (String v : versions) {
                bucket.deleteVersion(key, v, deadline.remaining());
                left.remove(v);
            }
            return deleted.withDetail(deleted.detail() + "; versioned bucket: removed the probe object's "
                    + versions.size() + " version(s)");
        } catch (RuntimeException e) {
            Failure f = ErrorClassifier.classify(e);
            String leftOver = "versions " + String.join(", ", left) + " of s3://" + arn.bucket() + "/" + key;
            Diagnosis d = Diagnosis.versionsLeft(f, principal.get().role(), arn, keys.folder(), versions.size(), leftOver);
            return new CheckResult(Check.S3_DELETE, Check.S3_DELETE.action(), deleted.resource(), Status.WARN,
                    deleted.durationMs(), deleted.detail() + "; versioned bucket: left " + leftOver, f.evidence(),
                    d.summary(), d.remediation());
        }
    }

    /**
     * HEAD needs s3:GetObject; when S3 refuses it, a listing of the exact key tells the same. A network failure is
     * not a refusal: it fails the check rather than pass it unconfirmed.
     */
    private String confirmGone(String key) {
        try {
            if (bucket.exists(key, deadline.remaining())) {
                throw new CheckCall.StillThere(key);
            }
            return "deleted and confirmed gone";
        } catch (AwsServiceException headRefused) {
            // fall through to the listing
        }
        List<String> listed;
        try {
            listed = bucket.list(key, 1, deadline.remaining());
        } catch (AwsServiceException e) {
            return "deleted (could not confirm: no read or list permission)";
        }
        if (listed.contains(key)) {
            throw new CheckCall.StillThere(key);
        }
        return "deleted and confirmed gone (by listing)";
    }

    /**
     * Removes probe objects that earlier runs could not delete: only keys {@link ProbeKeys} made, and only those
     * older than {@link #LEFTOVER_AGE}, so a run never deletes the object of another run still under way.
     */
    private String removeLeftovers(String justDeleted) {
        try {
            Instant cutoff = clock.instant().minus(LEFTOVER_AGE);
            List<String> old = bucket.list(keys.folder(), 100, deadline.remaining()).stream()
                    .filter(k -> !k.equals(justDeleted))
                    .filter(k -> keys.madeAt(k).map(t -> t.isBefore(cutoff)).orElse(false)).toList();
            for (String k : old) {
                bucket.delete(k, deadline.remaining());
            }
            return old.isEmpty() ? "" : "; removed " + old.size() + " leftover probe object(s) of earlier runs";
        } catch (RuntimeException e) {
            return "";
        }
    }

}
