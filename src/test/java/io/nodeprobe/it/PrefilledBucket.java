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
            for (int i = 0; i < count; i++) {
                String key = String.format("obj-%04d/%s.bin", i, i % 2 == 0 ? "data" : "meta");
                owner.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromString("content of " + key + " " + i));
            }
        }
        return b;
    }

    List<S3Object> objects() {
        return owner.listObjectsV2Paginator(r -> r.bucket(bucket)).contents().stream().toList();
    }

    String fingerprint() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            List<S3Object> all = objects();
            for (S3Object o : all) {
                md.update((o.key() + "\0" + o.size() + "\0" + o.eTag() + "\0").getBytes());
                md.update(owner.getObjectAsBytes(r -> r.bucket(bucket).key(o.key())).asByteArray());
            }
            return all.size() + " objects, sha256 " + HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
