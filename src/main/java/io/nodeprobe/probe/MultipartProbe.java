package io.nodeprobe.probe;

import io.nodeprobe.aws.Deadline;
import io.nodeprobe.aws.Lanes;
import io.nodeprobe.diagnosis.BucketArn;
import io.nodeprobe.report.Check;
import io.nodeprobe.report.CheckResult;
import io.nodeprobe.report.Status;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * The multipart probes, after the object ones: CreateMultipartUpload and UploadPart of one small part, ListParts,
 * ListMultipartUploads under the probe folder, and AbortMultipartUpload (confirmed by ListParts). Nothing is left
 * behind that can be removed: an upload whose abort is denied is completed instead (PutObject allows it) and the
 * object it makes deleted; what still cannot go is named in the report, and uploads earlier runs left are ended
 * once they are {@link BucketProbe#LEFTOVER_AGE} old.
 */
final class MultipartProbe {
    private final Bucket bucket;
    private final BucketArn arn;
    private final ProbeKeys keys;
    private final Deadline deadline;
    private final Clock clock;
    private final CheckCall call;
    private final Lanes lanes;

    MultipartProbe(Bucket bucket, BucketArn arn, ProbeKeys keys, Deadline deadline, Clock clock, CheckCall call,
                   Lanes lanes) {
        this.lanes = lanes;
        this.bucket = bucket;
        this.arn = arn;
        this.keys = keys;
        this.deadline = deadline;
        this.clock = clock;
        this.call = call;
    }

    void run(Consumer<CheckResult> sink) {
        String key = keys.newKey(clock.instant());
        byte[] body = keys.body(key);
        String[] id = new String[1];
        Bucket.Part[] part = new Bucket.Part[1];
        CheckResult started = call.run(Check.S3_MULTIPART, arn.object(key), () -> {
            id[0] = bucket.createUpload(key, deadline.remaining());
            part[0] = new Bucket.Part(1, bucket.uploadPart(key, id[0], 1, body, deadline.remaining()));
            return "started an upload to " + key + " and uploaded part 1 (" + body.length + " bytes)";
        });
        if (started.status() != Status.PASS) {
            sink.accept(id[0] != null ? started.withDetail(endUpload(key, id[0], List.of()))
                    : started.status() == Status.UNKNOWN ? started.withDetail(endUnconfirmed(key)) : started);
            BucketProbe.skip(arn, List.of(Check.S3_LIST_PARTS, Check.S3_LIST_UPLOADS, Check.S3_ABORT), key,
                    "skipped: s3.multipart did not pass", sink);
            return;
        }
        sink.accept(started);
        // The two listings only read: side by side, and both before the abort that ends what they look for.
        CompletableFuture<CheckResult> listedUploads = lanes.start(() -> listUploads(key, id[0]));
        sink.accept(call.run(Check.S3_LIST_PARTS, arn.object(key), () -> {
            List<Bucket.Part> parts = bucket.parts(key, id[0], deadline.remaining());
            if (parts.stream().noneMatch(p -> p.number() == 1 && sameEtag(p.etag(), part[0].etag()))) {
                throw new CheckCall.Unexpected("ListParts", "ListParts does not show part 1 just uploaded (ETag "
                        + part[0].etag() + "), only " + parts);
            }
            return "listed part 1 of the upload, ETag matches";
        }));
        sink.accept(Lanes.join(listedUploads));
        CheckResult aborted = call.run(Check.S3_ABORT, arn.object(key), () -> {
            bucket.abort(key, id[0], deadline.remaining());
            return "aborted the upload" + confirmAborted(key, id[0]);
        });
        sink.accept(aborted.status() == Status.PASS ? aborted
                : aborted.withDetail(endUpload(key, id[0], List.of(part[0]))));
    }

    private CheckResult listUploads(String key, String uploadId) {
        return call.run(Check.S3_LIST_UPLOADS, arn.toString(), () -> {
            List<Bucket.Upload> uploads = bucket.uploads(keys.folder(), 1000, deadline.remaining());
            if (!uploads.contains(new Bucket.Upload(key, uploadId))) {
                throw new CheckCall.Unexpected("ListMultipartUploads", "ListMultipartUploads under " + keys.folder()
                        + " does not show the upload just started");
            }
            return "listed the upload under " + keys.folder() + removeLeftoverUploads(uploads, key);
        });
    }

    /** After AbortMultipartUpload, ListParts answers 404 NoSuchUpload; without s3:ListMultipartUploadParts, unknown. */
    private String confirmAborted(String key, String uploadId) {
        try {
            List<Bucket.Part> parts = bucket.parts(key, uploadId, deadline.remaining());
            throw new CheckCall.Unexpected("StillThere", "ListParts still lists " + parts.size()
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

    /** Ends uploads that earlier runs left under the probe folder, once they are {@link BucketProbe#LEFTOVER_AGE} old. */
    private String removeLeftoverUploads(List<Bucket.Upload> uploads, String current) {
        Instant cutoff = clock.instant().minus(BucketProbe.LEFTOVER_AGE);
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

    /**
     * CreateMultipartUpload got no answer: S3 may have started an upload whose id we never heard. Find it by its
     * key (ours alone) and end it, or name it; a later run ends it once it is old enough either way.
     */
    private String endUnconfirmed(String key) {
        String where = "s3://" + arn.bucket() + "/" + key;
        try {
            List<Bucket.Upload> found = bucket.uploads(key, 10, deadline.remaining()).stream()
                    .filter(u -> u.key().equals(key)).toList();
            for (Bucket.Upload u : found) {
                bucket.abort(key, u.uploadId(), deadline.remaining());
            }
            return "S3 did not answer CreateMultipartUpload; " + (found.isEmpty() ? "no upload of " + where + " was "
                    + "started" : "ended the upload of " + where + " it had started");
        } catch (RuntimeException e) {
            return "S3 did not answer CreateMultipartUpload; it may have started an upload of " + where
                    + " (a later run ends it)";
        }
    }
}
