package io.nodeprobe.probe;

import io.nodeprobe.aws.Deadline;
import io.nodeprobe.diagnosis.BucketArn;
import io.nodeprobe.diagnosis.CallContext;
import io.nodeprobe.diagnosis.Diagnosis;
import io.nodeprobe.diagnosis.ErrorClassifier;
import io.nodeprobe.diagnosis.Failure;
import io.nodeprobe.diagnosis.FailureKind;
import io.nodeprobe.report.Check;
import io.nodeprobe.report.CheckResult;
import io.nodeprobe.report.ErrorDetail;
import io.nodeprobe.report.Status;
import io.nodeprobe.report.TargetInfo;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * The bucket probes, in order: list, location, put, get (bytes compared), delete (then confirmed gone), then a
 * multipart upload of one small part, its part listing, the bucket's upload listing, and its abort. Every key it
 * writes, reads or deletes comes from {@link ProbeKeys}; listing is the only call that sees other keys, and it reads
 * no content. A failed check carries its evidence, a diagnosis and the exact policy statement to add. Each result
 * goes to the sink as soon as it is known, so a run cut short by its deadline still reports what it found.
 *
 * <p>Nothing is left behind that can be removed: an upload whose abort is denied is completed instead (PutObject
 * allows it) and the object it makes deleted; what still cannot go is named in the report and removed by a later
 * run once it is {@link #LEFTOVER_AGE} old.
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
    public record Findings(String bucketOwner, String encryption, String kmsKeyId) {
    }

    /** An account that owns no bucket, so that S3 must refuse it as ExpectedBucketOwner. */
    private static final String NOBODY = "000000000000";

    private final Bucket bucket;
    private final BucketArn arn;
    private final String prefix;
    private final String region;
    private final ProbeKeys keys;
    private final Principal principal;
    private final Deadline deadline;
    private final Clock clock;
    /** Per instance, not static: a static one would be built into the native image with a fixed seed. */
    private final SecureRandom random = new SecureRandom();
    private String owner = TargetInfo.UNKNOWN_OWNER;

    public BucketProbe(Bucket bucket, BucketArn arn, String prefix, String region, ProbeKeys keys, Principal principal,
                       Deadline deadline, Clock clock) {
        this.bucket = bucket;
        this.arn = arn;
        this.prefix = prefix;
        this.region = region;
        this.keys = keys;
        this.principal = principal;
        this.deadline = deadline;
        this.clock = clock;
    }

    /** The bucket checks, all skipped for one reason (no credentials, say). */
    public static List<CheckResult> skipped(BucketArn arn, String why) {
        return Check.BUCKET.stream().map(c -> CheckResult.skip(c, resource(arn, c, "*"), why)).toList();
    }

    public Findings run(boolean readOnly, Consumer<CheckResult> sink) {
        sink.accept(list());
        sink.accept(location());
        if (readOnly) {
            skip(Check.WRITES, keys.folder() + "*", "--read-only", sink);
            return new Findings(owner, null, null);
        }
        String key = keys.newKey(clock.instant());
        byte[] payload = payload(key);
        Bucket.Written[] written = new Bucket.Written[1];
        CheckResult put = call(Check.S3_PUT, arn.object(key), () -> {
            written[0] = bucket.put(key, payload, deadline.remaining());
            String enc = encryption(written[0].encryption());
            return "wrote " + payload.length + " bytes to " + key + (enc.equals("none") ? "" : " (" + enc
                    + (written[0].kmsKeyId() == null ? "" : " with key " + written[0].kmsKeyId()) + ")");
        });
        sink.accept(put);
        if (put.status() != Status.PASS) {
            // One missing s3:PutObject fails one check: the rest cannot be tried without it.
            skip(Check.WRITES.subList(1, Check.WRITES.size()), key, "skipped: s3.put did not pass", sink);
            return new Findings(owner, null, null);
        }
        sink.accept(get(key, payload));
        sink.accept(delete(key, written[0].versionId()));
        multipart(sink);
        return new Findings(owner, encryption(written[0].encryption()), written[0].kmsKeyId());
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
        String account = principal.account();
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
        checks.forEach(c -> sink.accept(CheckResult.skip(c, resource(arn, c, key), why)));
    }

    private static String resource(BucketArn arn, Check check, String key) {
        return check.scope() == Check.Scope.BUCKET ? arn.toString() : arn.object(key);
    }

    private CheckResult list() {
        String listPrefix = prefix.isEmpty() ? "" : prefix + "/";
        return call(Check.S3_LIST, arn.toString(), () -> {
            List<String> found = bucket.list(listPrefix, 1, deadline.remaining());
            owner = bucketOwner();
            return "prefix '" + listPrefix + "' " + (found.isEmpty() ? "empty" : "not empty") + "; bucket owner: "
                    + owner;
        });
    }

    private CheckResult location() {
        return call(Check.S3_LOCATION, arn.toString(), () -> {
            String constraint = bucket.location(deadline.remaining());
            return "location constraint '" + constraint + "'" + (constraint.isEmpty() ? " (us-east-1)" : "");
        });
    }

    private CheckResult get(String key, byte[] payload) {
        return call(Check.S3_GET, arn.object(key), () -> {
            byte[] got = bucket.get(key, deadline.remaining());
            if (!Arrays.equals(got, payload)) {
                throw new ContentMismatch(payload.length, got.length);
            }
            return "read " + got.length + " bytes back, identical";
        });
    }

    /** @param putVersion the version the put made, null unless the bucket keeps versions */
    private CheckResult delete(String key, String putVersion) {
        Bucket.Deleted[] answer = new Bucket.Deleted[1];
        CheckResult deleted = call(Check.S3_DELETE, arn.object(key), () -> {
            answer[0] = bucket.delete(key, deadline.remaining());
            return confirmGone(key) + removeLeftovers(key);
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
            Diagnosis d = Diagnosis.versionsLeft(f, principal.role(), arn, keys.folder(), versions.size(), leftOver);
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
                throw new StillThere(key);
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
            throw new StillThere(key);
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

    private void multipart(Consumer<CheckResult> sink) {
        String key = keys.newKey(clock.instant());
        byte[] body = payload(key);
        String[] id = new String[1];
        Bucket.Part[] part = new Bucket.Part[1];
        CheckResult started = call(Check.S3_MULTIPART, arn.object(key), () -> {
            id[0] = bucket.createUpload(key, deadline.remaining());
            part[0] = new Bucket.Part(1, bucket.uploadPart(key, id[0], 1, body, deadline.remaining()));
            return "started an upload to " + key + " and uploaded part 1 (" + body.length + " bytes)";
        });
        if (started.status() != Status.PASS) {
            sink.accept(id[0] == null ? started : started.withDetail(endUpload(key, id[0], List.of())));
            skip(List.of(Check.S3_LIST_PARTS, Check.S3_LIST_UPLOADS, Check.S3_ABORT), key,
                    "skipped: s3.multipart did not pass", sink);
            return;
        }
        sink.accept(started);
        sink.accept(call(Check.S3_LIST_PARTS, arn.object(key), () -> {
            List<Bucket.Part> parts = bucket.parts(key, id[0], deadline.remaining());
            if (parts.stream().noneMatch(p -> p.number() == 1 && sameEtag(p.etag(), part[0].etag()))) {
                throw new Unexpected("ListParts", "ListParts does not show part 1 just uploaded (ETag "
                        + part[0].etag() + "), only " + parts);
            }
            return "listed part 1 of the upload, ETag matches";
        }));
        sink.accept(call(Check.S3_LIST_UPLOADS, arn.toString(), () -> {
            List<Bucket.Upload> uploads = bucket.uploads(keys.folder(), 1000, deadline.remaining());
            if (!uploads.contains(new Bucket.Upload(key, id[0]))) {
                throw new Unexpected("ListMultipartUploads", "ListMultipartUploads under " + keys.folder()
                        + " does not show the upload just started");
            }
            return "listed the upload under " + keys.folder() + removeLeftoverUploads(uploads, key);
        }));
        CheckResult aborted = call(Check.S3_ABORT, arn.object(key), () -> {
            bucket.abort(key, id[0], deadline.remaining());
            return "aborted the upload" + confirmAborted(key, id[0]);
        });
        sink.accept(aborted.status() == Status.PASS ? aborted
                : aborted.withDetail(endUpload(key, id[0], List.of(part[0]))));
    }

    /** After AbortMultipartUpload, ListParts answers 404 NoSuchUpload; without s3:ListMultipartUploadParts, unknown. */
    private String confirmAborted(String key, String uploadId) {
        try {
            List<Bucket.Part> parts = bucket.parts(key, uploadId, deadline.remaining());
            throw new Unexpected("StillThere", "ListParts still lists " + parts.size()
                    + " part(s) after AbortMultipartUpload");
        } catch (AwsServiceException e) {
            return e.statusCode() == 404 ? ", confirmed gone" : " (could not confirm: ListParts refused)";
        }
    }

    /**
     * Ends an upload that could not be aborted (or whose part failed): abort once more, else complete it with the
     * parts it has and delete the object that makes; says what happened, naming whatever is left.
     */
    private String endUpload(String key, String uploadId, List<Bucket.Part> parts) {
        String upload = "upload " + uploadId + " of s3://" + arn.bucket() + "/" + key;
        try {
            bucket.abort(key, uploadId, deadline.remaining());
            return "aborted the " + upload;
        } catch (RuntimeException abortRefused) {
            // complete it instead, below
        }
        try {
            bucket.complete(key, uploadId, parts, deadline.remaining());
        } catch (RuntimeException e) {
            return "leftover " + upload + " (aborted or completed by a later run once allowed)";
        }
        try {
            bucket.delete(key, deadline.remaining());
            return "could not abort: completed the upload instead and deleted the object it made";
        } catch (RuntimeException e) {
            return "could not abort: completed the upload instead; leftover probe object s3://" + arn.bucket() + "/"
                    + key + " (removed by a later run once delete works)";
        }
    }

    /** Ends uploads that earlier runs left under the probe folder, once they are {@link #LEFTOVER_AGE} old. */
    private String removeLeftoverUploads(List<Bucket.Upload> uploads, String current) {
        Instant cutoff = clock.instant().minus(LEFTOVER_AGE);
        int ended = 0;
        int left = 0;
        for (Bucket.Upload u : uploads) {
            if (u.key().equals(current) || !keys.madeAt(u.key()).map(t -> t.isBefore(cutoff)).orElse(false)) {
                continue;
            }
            List<Bucket.Part> parts;
            try {
                parts = bucket.parts(u.key(), u.uploadId(), deadline.remaining());
            } catch (RuntimeException e) {
                parts = List.of();
            }
            if (endUpload(u.key(), u.uploadId(), parts).startsWith("leftover")) {
                left++;
            } else {
                ended++;
            }
        }
        return (ended == 0 ? "" : "; ended " + ended + " leftover upload(s) of earlier runs")
                + (left == 0 ? "" : "; " + left + " leftover upload(s) of earlier runs could not be ended");
    }

    private static boolean sameEtag(String a, String b) {
        return a != null && b != null && a.replace("\"", "").equals(b.replace("\"", ""));
    }

    private CheckResult call(Check check, String resource, Supplier<String> body) {
        if (deadline.expired()) {
            return CheckResult.deadlineReached(check, resource, deadline.total().toMillis());
        }
        long t0 = System.nanoTime();
        try {
            String detail = body.get(); // before ms(t0): arguments are evaluated left to right
            return CheckResult.pass(check, resource, ms(t0), detail);
        } catch (ContentMismatch e) {
            Failure f = new Failure(FailureKind.CONTENT_MISMATCH, new ErrorDetail(200, "ContentMismatch", null,
                    e.getMessage()), null);
            return failed(check, resource, t0, f);
        } catch (Unexpected e) {
            Failure f = new Failure(FailureKind.CONTENT_MISMATCH, new ErrorDetail(200, e.code, null, e.getMessage()),
                    null);
            return failed(check, resource, t0, f);
        } catch (StillThere e) {
            Diagnosis d = Diagnosis.stillThere();
            return new CheckResult(check, check.action(), resource, Status.FAIL, ms(t0), null,
                    new ErrorDetail(200, "StillThere", null, e.getMessage()), d.summary(), d.remediation());
        } catch (RuntimeException e) {
            return failed(check, resource, t0, ErrorClassifier.classify(e));
        }
    }

    private CheckResult failed(Check check, String resource, long t0, Failure f) {
        Diagnosis d = Diagnosis.of(f, new CallContext(check.action(), arn, resource, principal.role(),
                principal.roleArn(), region));
        Status status = f.kind().status();
        if (check.beyondMinimum() && f.kind() == FailureKind.ACCESS_DENIED) {
            status = Status.WARN; // the documented minimum policy lacks it: a gap to close, not a broken node
            d = d.beyondMinimum(check.action());
        }
        return new CheckResult(check, check.action(), resource, status, ms(t0), null, f.evidence(),
                d.summary(), d.remediation());
    }

    /** A recognisable text line (so a person finding one knows what it is) followed by random bytes. */
    private byte[] payload(String key) {
        byte[] head = ("nodeprobe probe object, safe to delete: " + key + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] body = Arrays.copyOf(head, head.length + 64);
        byte[] noise = new byte[64];
        random.nextBytes(noise);
        System.arraycopy(noise, 0, body, head.length, 64);
        return body;
    }

    private static long ms(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    private static final class ContentMismatch extends RuntimeException {
        ContentMismatch(int wrote, int read) {
            super("wrote " + wrote + " bytes, read back " + read + " bytes that differ", null, false, false);
        }
    }

    /** S3 answered, but not what the call just done implies (a part or an upload missing from its listing). */
    private static final class Unexpected extends RuntimeException {
        final String code;

        Unexpected(String code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }

    private static final class StillThere extends RuntimeException {
        StillThere(String key) {
            super("HEAD/list still finds " + key + " after DeleteObject", null, false, false);
        }
    }
}
