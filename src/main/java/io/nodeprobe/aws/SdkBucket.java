package io.nodeprobe.aws;

import io.nodeprobe.probe.Bucket;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/** One bucket through the SDK's S3 client; every call is bounded by the budget it is given. */
final class SdkBucket implements Bucket {
    private final S3Client s3;
    private final String bucket;

    private final String plainHttpEndpoint;

    /** @param endpoint the S3 endpoint override, null for AWS's own (HTTPS) */
    SdkBucket(S3Client s3, String bucket, java.net.URI endpoint) {
        this.s3 = s3;
        this.bucket = bucket;
        this.plainHttpEndpoint = endpoint != null && "http".equalsIgnoreCase(endpoint.getScheme())
                ? endpoint.toString() : null;
    }

    @Override
    public String plainHttpEndpoint() {
        return plainHttpEndpoint;
    }

    @Override
    public List<String> list(String prefix, int max, Duration budget) {
        return call(budget, o -> s3.listObjectsV2(b -> b.bucket(bucket).prefix(prefix).maxKeys(max)
                .overrideConfiguration(o))).contents().stream().map(S3Object::key).toList();
    }

    @Override
    public Written put(String key, byte[] body, Duration budget) {
        var r = call(budget, o -> s3.putObject(b -> b.bucket(bucket).key(key).contentType("text/plain")
                .overrideConfiguration(o), RequestBody.fromBytes(body)));
        if (r.eTag() == null) {
            // S3 always names what it stored; a 200 without an ETag stored nothing we can trust.
            throw ForeignAnswerException.of("S3", 200, "PutObject answered 200 without an ETag, not an S3 answer");
        }
        return new Written(r.versionId(), r.serverSideEncryptionAsString(), r.ssekmsKeyId());
    }

    @Override
    public boolean ownedBy(String account, Duration budget) {
        try {
            call(budget, o -> s3.listObjectsV2(b -> b.bucket(bucket).maxKeys(1)
                    .expectedBucketOwner(account).overrideConfiguration(o)));
            return true;
        } catch (S3Exception e) {
            if (e.statusCode() == 403) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public byte[] get(String key, Duration budget) {
        return call(budget, o -> s3.getObjectAsBytes(b -> b.bucket(bucket).key(key).overrideConfiguration(o)))
                .asByteArray();
    }

    @Override
    public boolean exists(String key, Duration budget) {
        try {
            call(budget, o -> s3.headObject(b -> b.bucket(bucket).key(key).overrideConfiguration(o)));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false; // HEAD has no body, so a 404 may come without the NoSuchKey code
            }
            throw e;
        }
    }

    @Override
    public Deleted delete(String key, Duration budget) {
        var r = call(budget, o -> s3.deleteObject(b -> b.bucket(bucket).key(key).overrideConfiguration(o)));
        return new Deleted(Boolean.TRUE.equals(r.deleteMarker()), r.versionId());
    }

    @Override
    public void deleteVersion(String key, String versionId, Duration budget) {
        call(budget, o -> s3.deleteObject(b -> b.bucket(bucket).key(key).versionId(versionId)
                .overrideConfiguration(o)));
    }

    @Override
    public String location(Duration budget) {
        String c = call(budget, o -> s3.getBucketLocation(b -> b.bucket(bucket).overrideConfiguration(o)))
                .locationConstraintAsString();
        return c == null ? "" : c;
    }

    @Override
    public String createUpload(String key, Duration budget) {
        return unrepeated(budget, o -> s3.createMultipartUpload(b -> b.bucket(bucket).key(key).contentType("text/plain")
                .overrideConfiguration(o))).uploadId();
    }

    @Override
    public String uploadPart(String key, String uploadId, int number, byte[] body, Duration budget) {
        return call(budget, o -> s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(number)
                .overrideConfiguration(o), RequestBody.fromBytes(body))).eTag();
    }

    @Override
    public List<Part> parts(String key, String uploadId, Duration budget) {
        return call(budget, o -> s3.listParts(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                        .overrideConfiguration(o)))
                .parts().stream().map(p -> new Part(p.partNumber(), p.eTag())).toList();
    }

    @Override
    public List<Upload> uploads(String prefix, int max, Duration budget) {
        return call(budget, o -> s3.listMultipartUploads(b -> b.bucket(bucket).prefix(prefix).maxUploads(max)
                .overrideConfiguration(o))).uploads().stream()
                .map(u -> new Upload(u.key(), u.uploadId())).toList();
    }

    @Override
    public void abort(String key, String uploadId, Duration budget) {
        call(budget, o -> s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                .overrideConfiguration(o)));
    }

    @Override
    public void complete(String key, String uploadId, List<Part> parts, Duration budget) {
        List<CompletedPart> done = parts.stream()
                .map(p -> CompletedPart.builder().partNumber(p.number()).eTag(p.etag()).build()).toList();
        unrepeated(budget, o -> s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                .multipartUpload(m -> m.parts(done)).overrideConfiguration(o)));
    }

    /** A call that may be repeated (GET, HEAD, PUT of a key, DELETE, LIST): see {@link Attempts}. */
    private static <T> T call(Duration budget, Function<AwsRequestOverrideConfiguration, T> call) {
        return Attempts.call("S3", budget, left -> call.apply(limit(left)));
    }

    /** A call whose effect must not happen twice (a second multipart upload nobody would end). */
    private static <T> T unrepeated(Duration budget, Function<AwsRequestOverrideConfiguration, T> call) {
        return Attempts.call("S3", budget, false, left -> call.apply(limit(left)));
    }

    private static AwsRequestOverrideConfiguration limit(Duration budget) {
        return AwsRequestOverrideConfiguration.builder().apiCallTimeout(budget).build();
    }
}
