package io.nodeprobe.probe;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A bucket in memory for unit tests of the engine, answering as S3 does through the SDK: a denied call throws the
 * SDK's own S3Exception (403 AccessDenied), a call that outlasts its budget the SDK's ApiCallTimeoutException.
 */
final class MemoryBucket implements Bucket {
    enum Op { LIST, OWNED, PUT, GET, HEAD, DELETE, DELETE_VERSION, LOCATION, CREATE_UPLOAD, UPLOAD_PART, LIST_PARTS, LIST_UPLOADS, ABORT,
        COMPLETE }

    /** An upload in progress: its key and its parts by number. */
    record Pending(String key, Map<Integer, byte[]> parts) {
    }

    final Map<String, byte[]> objects = new ConcurrentSkipListMap<>();
    /** Uploads in progress by upload id, in id order (ids rise, so: in the order they were started). */
    final Map<String, Pending> uploads = new ConcurrentSkipListMap<>();
    private final AtomicInteger nextUpload = new AtomicInteger();
    final AtomicInteger calls = new AtomicInteger();
    private final Set<Op> denied = EnumSet.noneOf(Op.class);
    private volatile Op silent;
    private volatile Op stuck;
    private volatile boolean deletesIgnored;
    private volatile boolean versioned;
    /** On a versioned bucket: every version id of each key, delete markers included, oldest first. */
    final Map<String, List<String>> versions = new ConcurrentSkipListMap<>();
    private final AtomicInteger nextVersion = new AtomicInteger();

    /** The account that owns the bucket; null: the server ignores ExpectedBucketOwner, as RGW does. */
    private volatile String owner = "123456789012";
    private volatile String encryption;
    private volatile String kmsKeyId;

    MemoryBucket ownedBy(String account) {
        this.owner = account;
        return this;
    }

    /** PutObject answers with this server-side encryption header (and key id). */
    MemoryBucket encrypts(String header, String keyId) {
        this.encryption = header;
        this.kmsKeyId = keyId;
        return this;
    }

    @Override
    public boolean ownedBy(String account, Duration budget) {
        enter(Op.OWNED, budget);
        return owner == null || owner.equals(account);
    }

    /** Versioning on: puts make versions, deletes add markers, as S3 does. */
    MemoryBucket versioned() {
        this.versioned = true;
        return this;
    }

    MemoryBucket deny(Op... ops) {
        denied.addAll(List.of(ops));
        return this;
    }

    /** {@code op} never answers: it fails when its budget is over, as the SDK's apiCallTimeout makes it. */
    MemoryBucket silent(Op op) {
        this.silent = op;
        return this;
    }

    /** {@code op} hangs for 30 s whatever its budget: what no SDK timeout covers (a DNS lookup, say). */
    MemoryBucket stuck(Op op) {
        this.stuck = op;
        return this;
    }

    /** DeleteObject answers 204 and does nothing: a gateway that lies, or Object Lock. */
    MemoryBucket ignoreDeletes() {
        this.deletesIgnored = true;
        return this;
    }

    private volatile Duration latency = Duration.ZERO;

    /** Every call takes this long, as over a network. */
    MemoryBucket latency(Duration d) {
        this.latency = d;
        return this;
    }

    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final List<Op> started = java.util.Collections.synchronizedList(new java.util.ArrayList<>());

    /** The most calls that were under way at once. */
    int maxInFlight() {
        return maxInFlight.get();
    }

    /** Every call, in the order they began. */
    List<Op> started() {
        return List.copyOf(started);
    }

    private void enter(Op op, Duration budget) {
        calls.incrementAndGet();
        started.add(op);
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try {
            answer(op, budget);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private void answer(Op op, Duration budget) {
        if (!latency.isZero()) {
            sleep(latency);
        }
        if (op == stuck) {
            sleep(Duration.ofSeconds(30));
        }
        if (op == silent) {
            sleep(budget.plusMillis(5)); // as the SDK's timer does, it fires once the budget is really spent
            throw ApiCallTimeoutException.create(budget.toMillis());
        }
        if (denied.contains(op)) {
            throw (S3Exception) S3Exception.builder().statusCode(403).requestId("MEMREQ1")
                    .awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDenied").errorMessage("Access Denied")
                            .build()).build();
        }
    }

    @Override
    public List<String> list(String prefix, int max, Duration budget) {
        enter(Op.LIST, budget);
        return objects.keySet().stream().filter(k -> k.startsWith(prefix)).limit(max).toList();
    }

    @Override
    public Written put(String key, byte[] body, Duration budget) {
        enter(Op.PUT, budget);
        objects.put(key, body.clone());
        return new Written(versioned ? newVersion(key) : null, encryption, kmsKeyId);
    }

    private String newVersion(String key) {
        String id = "v" + nextVersion.incrementAndGet();
        versions.computeIfAbsent(key, k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(id);
        return id;
    }

    @Override
    public byte[] get(String key, Duration budget) {
        enter(Op.GET, budget);
        byte[] b = objects.get(key);
        if (b == null) {
            throw (S3Exception) S3Exception.builder().statusCode(404)
                    .awsErrorDetails(AwsErrorDetails.builder().errorCode("NoSuchKey").build()).build();
        }
        return b.clone();
    }

    @Override
    public boolean exists(String key, Duration budget) {
        enter(Op.HEAD, budget);
        return objects.containsKey(key);
    }

    @Override
    public Deleted delete(String key, Duration budget) {
        enter(Op.DELETE, budget);
        if (!deletesIgnored) {
            objects.remove(key);
        }
        return versioned ? new Deleted(true, newVersion(key)) : new Deleted(false, null);
    }

    @Override
    public void deleteVersion(String key, String versionId, Duration budget) {
        enter(Op.DELETE_VERSION, budget);
        List<String> v = versions.get(key);
        if (v != null) {
            v.remove(versionId);
            if (v.isEmpty()) {
                versions.remove(key);
            }
        }
    }

    @Override
    public String location(Duration budget) {
        enter(Op.LOCATION, budget);
        return "";
    }

    @Override
    public String createUpload(String key, Duration budget) {
        enter(Op.CREATE_UPLOAD, budget);
        String id = String.format("upload-%04d", nextUpload.incrementAndGet());
        uploads.put(id, new Pending(key, new ConcurrentSkipListMap<>()));
        return id;
    }

    /** An upload as an earlier run would have left it, for the leftover tests. */
    String leaveUpload(String key) {
        String id = createUpload(key, Duration.ofSeconds(1));
        uploads.get(id).parts().put(1, new byte[] {1});
        return id;
    }

    @Override
    public String uploadPart(String key, String uploadId, int number, byte[] body, Duration budget) {
        enter(Op.UPLOAD_PART, budget);
        pending(key, uploadId).parts().put(number, body.clone());
        return etag(body);
    }

    @Override
    public List<Part> parts(String key, String uploadId, Duration budget) {
        enter(Op.LIST_PARTS, budget);
        return pending(key, uploadId).parts().entrySet().stream()
                .map(e -> new Part(e.getKey(), etag(e.getValue()))).toList();
    }

    @Override
    public List<Upload> uploads(String prefix, int max, Duration budget) {
        enter(Op.LIST_UPLOADS, budget);
        return uploads.entrySet().stream().filter(e -> e.getValue().key().startsWith(prefix)).limit(max)
                .map(e -> new Upload(e.getValue().key(), e.getKey())).toList();
    }

    @Override
    public void abort(String key, String uploadId, Duration budget) {
        enter(Op.ABORT, budget);
        pending(key, uploadId);
        uploads.remove(uploadId);
    }

    @Override
    public void complete(String key, String uploadId, List<Part> parts, Duration budget) {
        enter(Op.COMPLETE, budget);
        Pending p = pending(key, uploadId);
        if (parts.isEmpty()) {
            throw error(400, "MalformedXML");
        }
        java.io.ByteArrayOutputStream whole = new java.io.ByteArrayOutputStream();
        for (Part part : parts) {
            byte[] b = p.parts().get(part.number());
            if (b == null || !etag(b).equals(part.etag())) {
                throw error(400, "InvalidPart");
            }
            whole.writeBytes(b);
        }
        uploads.remove(uploadId);
        objects.put(key, whole.toByteArray());
        if (versioned) {
            newVersion(key);
        }
    }

    private Pending pending(String key, String uploadId) {
        Pending p = uploads.get(uploadId);
        if (p == null || !p.key().equals(key)) {
            throw error(404, "NoSuchUpload");
        }
        return p;
    }

    private static String etag(byte[] body) {
        return "\"" + Integer.toHexString(java.util.Arrays.hashCode(body)) + "\"";
    }

    private static S3Exception error(int status, String code) {
        return (S3Exception) S3Exception.builder().statusCode(status).requestId("MEMREQ2")
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).build()).build();
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(Math.max(1, d.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
