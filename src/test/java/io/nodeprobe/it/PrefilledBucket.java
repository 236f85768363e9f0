package io.nodeprobe.it;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** A bucket full of somebody else's objects, and a fingerprint of every key, size, ETag and byte in it. */
record PrefilledBucket(S3Client owner, String bucket) {

    static PrefilledBucket ensure(S3Client owner, String bucket, int count) {
        PrefilledBucket b = new PrefilledBucket(owner, bucket);
        if (b.objects().size() < count) {
            parallel(() -> java.util.stream.IntStream.range(0, count).parallel().forEach(i -> {
                String key = String.format("obj-%04d/%s.bin", i, i % 2 == 0 ? "data" : "meta");
                owner.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromString("content of " + key + " " + i));
            }));
        }
        return b;
    }

    /** Eight requests at a time: a thousand sequential round trips to RGW would dominate the suite. */
    private static void parallel(Runnable work) {
        java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(8);
        try {
            pool.submit(work).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            pool.shutdown();
        }
    }

    List<S3Object> objects() {
        return owner.listObjectsV2Paginator(r -> r.bucket(bucket)).contents().stream().toList();
    }

    String fingerprint() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            List<S3Object> all = objects();
            List<byte[]> bodies = new java.util.ArrayList<>();
            parallel(() -> bodies.addAll(all.parallelStream()
                    .map(o -> owner.getObjectAsBytes(r -> r.bucket(bucket).key(o.key())).asByteArray()).toList()));
            for (int i = 0; i < all.size(); i++) {
                S3Object o = all.get(i);
                md.update((o.key() + "\0" + o.size() + "\0" + o.eTag() + "\0").getBytes());
                md.update(bodies.get(i));
            }
            return all.size() + " objects, sha256 " + HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
