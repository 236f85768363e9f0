package io.nodeprobe.probe;

import io.nodeprobe.aws.Deadline;
import io.nodeprobe.diagnosis.CallContext;
import io.nodeprobe.diagnosis.Diagnosis;
import io.nodeprobe.diagnosis.ErrorClassifier;
import io.nodeprobe.diagnosis.Failure;
import io.nodeprobe.diagnosis.FailureKind;
import io.nodeprobe.diagnosis.PolicyGenerator;
import io.nodeprobe.report.CheckName;
import io.nodeprobe.report.CheckResult;
import io.nodeprobe.report.ErrorDetail;
import io.nodeprobe.report.Status;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The four bucket probes, in order: list, put, get (bytes compared), delete (then confirmed gone). Every key it
 * writes, reads or deletes comes from {@link ProbeKeys}; listing is the only call that sees other keys, and it reads
 * no content. A failed check carries its evidence, a diagnosis and the exact policy statement to add.
 */
public final class BucketProbe {
    /** Who is probing, for the diagnosis; role and roleArn may be null. */
    public record Principal(String role, String roleArn) {
    }

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final String region;
    private final ProbeKeys keys;
    private final Principal principal;
    private final Deadline deadline;
    private final Clock clock;
    /** Per instance, not static: a static one would be built into the native image with a fixed seed. */
    private final SecureRandom random = new SecureRandom();

    public BucketProbe(S3Client s3, String bucket, String prefix, String region, ProbeKeys keys, Principal principal,
                       Deadline deadline, Clock clock) {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix;
        this.region = region;
        this.keys = keys;
        this.principal = principal;
        this.deadline = deadline;
        this.clock = clock;
    }

    public List<CheckResult> run(boolean readOnly) {
        List<CheckResult> out = new ArrayList<>(4);
        out.add(list());
        if (readOnly) {
            String why = "--read-only";
            out.add(CheckResult.skip(CheckName.S3_PUT, "s3:PutObject", objectArn(keys.folder() + "*"), why));
            out.add(CheckResult.skip(CheckName.S3_GET, "s3:GetObject", objectArn(keys.folder() + "*"), why));
            out.add(CheckResult.skip(CheckName.S3_DELETE, "s3:DeleteObject", objectArn(keys.folder() + "*"), why));
            return out;
        }
        String key = keys.newKey(clock.instant());
        byte[] payload = payload(key);
        CheckResult put = put(key, payload);
        out.add(put);
        if (put.status() != Status.PASS) {
            String why = "skipped: s3.put did not pass";
            out.add(CheckResult.skip(CheckName.S3_GET, "s3:GetObject", objectArn(key), why));
            out.add(CheckResult.skip(CheckName.S3_DELETE, "s3:DeleteObject", objectArn(key), why));
            return out;
        }
        out.add(get(key, payload));
        out.add(delete(key));
        return out;
    }

    private CheckResult list() {
        String action = "s3:ListBucket";
        String listPrefix = prefix.isEmpty() ? "" : prefix + "/";
        return call(CheckName.S3_LIST, action, PolicyGenerator.bucketArn(bucket), () -> {
            var r = s3.listObjectsV2(b -> b.bucket(bucket).prefix(listPrefix).maxKeys(1)
                    .overrideConfiguration(budget()));
            return "prefix '" + listPrefix + "' " + (r.keyCount() == null || r.keyCount() == 0 ? "empty" : "not empty");
        });
    }

    private CheckResult put(String key, byte[] payload) {
        return call(CheckName.S3_PUT, "s3:PutObject", objectArn(key), () -> {
            s3.putObject(b -> b.bucket(bucket).key(key).contentType("text/plain").overrideConfiguration(budget()),
                    RequestBody.fromBytes(payload));
            return "wrote " + payload.length + " bytes to " + key;
        });
    }

    private CheckResult get(String key, byte[] payload) {
        return call(CheckName.S3_GET, "s3:GetObject", objectArn(key), () -> {
            byte[] got = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key).overrideConfiguration(budget()))
                    .asByteArray();
            if (!Arrays.equals(got, payload)) {
                throw new ContentMismatch(payload.length, got.length);
            }
            return "read " + got.length + " bytes back, identical";
        });
    }

    private CheckResult delete(String key) {
        CheckResult deleted = call(CheckName.S3_DELETE, "s3:DeleteObject", objectArn(key), () -> {
            s3.deleteObject(b -> b.bucket(bucket).key(key).overrideConfiguration(budget()));
            return confirmGone(key) + removeLeftovers(key);
        });
        if (deleted.status() != Status.PASS) {
            return deleted.withDetail("leftover probe object s3://" + bucket + "/" + key
                    + " (removed by a later run once delete works)");
        }
        return deleted;
    }

    /** HEAD needs s3:GetObject; when that is denied, a listing of the exact key tells the same. */
    private String confirmGone(String key) {
        try {
            s3.headObject(b -> b.bucket(bucket).key(key).overrideConfiguration(budget()));
            throw new StillThere(key);
        } catch (NoSuchKeyException e) {
            return "deleted and confirmed gone";
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return "deleted and confirmed gone";
            }
        }
        try {
            var r = s3.listObjectsV2(b -> b.bucket(bucket).prefix(key).maxKeys(1).overrideConfiguration(budget()));
            if (r.contents().stream().anyMatch(o -> o.key().equals(key))) {
                throw new StillThere(key);
            }
            return "deleted and confirmed gone (by listing)";
        } catch (S3Exception e) {
            return "deleted (could not confirm: no read or list permission)";
        }
    }

    /** Removes probe objects that earlier runs could not delete. Only keys {@link ProbeKeys} made qualify. */
    private String removeLeftovers(String justDeleted) {
        try {
            List<String> old = s3.listObjectsV2(b -> b.bucket(bucket).prefix(keys.folder()).maxKeys(100)
                            .overrideConfiguration(budget()))
                    .contents().stream().map(S3Object::key)
                    .filter(k -> keys.isProbeKey(k) && !k.equals(justDeleted)).toList();
            for (String k : old) {
                s3.deleteObject(b -> b.bucket(bucket).key(k).overrideConfiguration(budget()));
            }
            return old.isEmpty() ? "" : "; removed " + old.size() + " leftover probe object(s) of earlier runs";
        } catch (RuntimeException e) {
            return "";
        }
    }

    private CheckResult call(String name, String action, String resource, Supplier<String> body) {
        if (deadline.expired()) {
            return new CheckResult(name, action, resource, Status.UNKNOWN, 0, null,
                    new ErrorDetail(null, "Timeout", null, "deadline of " + deadline.total().toMillis()
                            + "ms reached before this check"), "not run: the run's deadline was reached", null);
        }
        long t0 = System.nanoTime();
        try {
            String detail = body.get();
            return CheckResult.pass(name, action, resource, ms(t0), detail);
        } catch (ContentMismatch e) {
            Failure f = new Failure(FailureKind.CONTENT_MISMATCH, new ErrorDetail(200, "ContentMismatch", null,
                    e.getMessage()), null);
            return failed(name, action, resource, t0, f);
        } catch (StillThere e) {
            return new CheckResult(name, action, resource, Status.FAIL, ms(t0), null,
                    new ErrorDetail(200, "StillThere", null, e.getMessage()),
                    "DeleteObject succeeded but the object is still there", "check for Object Lock or a retention "
                    + "policy on the bucket, and for a gateway that acknowledges deletes it does not do");
        } catch (RuntimeException e) {
            return failed(name, action, resource, t0, ErrorClassifier.classify(e));
        }
    }

    private CheckResult failed(String name, String action, String resource, long t0, Failure f) {
        Diagnosis d = Diagnosis.of(f, new CallContext(action, bucket, resource, principal.role(), principal.roleArn(),
                region));
        return new CheckResult(name, action, resource, f.kind().status(), ms(t0), null, f.evidence(), d.summary(),
                d.remediation());
    }

    private AwsRequestOverrideConfiguration budget() {
        Duration d = deadline.remaining();
        return AwsRequestOverrideConfiguration.builder().apiCallTimeout(d.isZero() ? Duration.ofMillis(1) : d).build();
    }

    private String objectArn(String key) {
        return PolicyGenerator.bucketArn(bucket) + "/" + key;
    }

    /** A recognisable text line (so a person finding one knows what it is) followed by random bytes. */
    private byte[] payload(String key) {
        byte[] head = ("nodeprobe probe object, safe to delete: " + key + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[head.length + 64];
        System.arraycopy(head, 0, body, 0, head.length);
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
