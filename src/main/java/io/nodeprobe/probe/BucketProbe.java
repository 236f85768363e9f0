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
 * The four bucket probes, in order: list, put, get (bytes compared), delete (then confirmed gone). Every key it
 * writes, reads or deletes comes from {@link ProbeKeys}; listing is the only call that sees other keys, and it reads
 * no content. A failed check carries its evidence, a diagnosis and the exact policy statement to add. Each result
 * goes to the sink as soon as it is known, so a run cut short by its deadline still reports what it found.
 */
public final class BucketProbe {
    /**
     * Leftovers younger than this may belong to a run still going (a {@code check} beside {@code serve} on the same
     * node shares the probe folder): only older ones are removed. No run lives this long: --timeout bounds it.
     */
    static final Duration LEFTOVER_AGE = Duration.ofMinutes(5);

    /** Who is probing, for the diagnosis; role and roleArn may be null. */
    public record Principal(String role, String roleArn) {
    }

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

    public void run(boolean readOnly, Consumer<CheckResult> sink) {
        sink.accept(list());
        if (readOnly) {
            skip(List.of(Check.S3_PUT, Check.S3_GET, Check.S3_DELETE), keys.folder() + "*", "--read-only", sink);
            return;
        }
        String key = keys.newKey(clock.instant());
        byte[] payload = payload(key);
        CheckResult put = put(key, payload);
        sink.accept(put);
        if (put.status() != Status.PASS) {
            skip(List.of(Check.S3_GET, Check.S3_DELETE), key, "skipped: s3.put did not pass", sink);
            return;
        }
        sink.accept(get(key, payload));
        sink.accept(delete(key));
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
            return "prefix '" + listPrefix + "' " + (found.isEmpty() ? "empty" : "not empty");
        });
    }

    private CheckResult put(String key, byte[] payload) {
        return call(Check.S3_PUT, arn.object(key), () -> {
            bucket.put(key, payload, deadline.remaining());
            return "wrote " + payload.length + " bytes to " + key;
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

    private CheckResult delete(String key) {
        CheckResult deleted = call(Check.S3_DELETE, arn.object(key), () -> {
            bucket.delete(key, deadline.remaining());
            return confirmGone(key) + removeLeftovers(key);
        });
        if (deleted.status() != Status.PASS) {
            return deleted.withDetail("leftover probe object s3://" + arn.bucket() + "/" + key
                    + " (removed by a later run once delete works)");
        }
        return deleted;
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

    private CheckResult call(Check check, String resource, Supplier<String> body) {
        if (deadline.expired()) {
            return CheckResult.deadlineReached(check, resource, deadline.total().toMillis());
        }
        long t0 = System.nanoTime();
        try {
            return CheckResult.pass(check, resource, ms(t0), body.get());
        } catch (ContentMismatch e) {
            Failure f = new Failure(FailureKind.CONTENT_MISMATCH, new ErrorDetail(200, "ContentMismatch", null,
                    e.getMessage()), null);
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
        return new CheckResult(check, check.action(), resource, f.kind().status(), ms(t0), null, f.evidence(),
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

    private static final class StillThere extends RuntimeException {
        StillThere(String key) {
            super("HEAD/list still finds " + key + " after DeleteObject", null, false, false);
        }
    }
}
