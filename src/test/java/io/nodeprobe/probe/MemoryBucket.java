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
    enum Op { LIST, PUT, GET, HEAD, DELETE }

    final Map<String, byte[]> objects = new ConcurrentSkipListMap<>();
    final AtomicInteger calls = new AtomicInteger();
    private final Set<Op> denied = EnumSet.noneOf(Op.class);
    private volatile Op silent;
    private volatile Op stuck;
    private volatile boolean deletesIgnored;

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

    private void enter(Op op, Duration budget) {
        calls.incrementAndGet();
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
    public void put(String key, byte[] body, Duration budget) {
        enter(Op.PUT, budget);
        objects.put(key, body.clone());
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
    public void delete(String key, Duration budget) {
        enter(Op.DELETE, budget);
        if (!deletesIgnored) {
            objects.remove(key);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(Math.max(1, d.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
