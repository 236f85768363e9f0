package io.nodeprobe.aws;

import io.nodeprobe.probe.Bucket;
import java.time.Duration;
import java.util.List;
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
        return s3.listObjectsV2(b -> b.bucket(bucket).prefix(prefix).maxKeys(max).overrideConfiguration(limit(budget)))
                .contents().stream().map(S3Object::key).toList();
    }

    @Override
    public Written put(String key, byte[] body, Duration budget) {
        var r = s3.putObject(b -> b.bucket(bucket).key(key).contentType("text/plain")
                .overrideConfiguration(limit(budget)), RequestBody.fromBytes(body));
        if (r.eTag() == null) {
            // S3 always names what it stored; a 200 without an ETag stored nothing we can trust.
            throw NotS3Exception.of(200, "PutObject answered 200 without an ETag, not an S3 answer");
        }
        return new Written(r.versionId(), r.serverSideEncryptionAsString(), r.ssekmsKeyId());
    }

    @Override
    public boolean ownedBy(String account, Duration budget) {
        try {
            s3.listObjectsV2(b -> b.bucket(bucket).maxKeys(1).expectedBucketOwner(account)
                    .overrideConfiguration(limit(budget)));
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
        return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key).overrideConfiguration(limit(budget))).asByteArray();
    }

    @Override
    public boolean exists(String key, Duration budget) {
        try {
            s3.headObject(b -> b.bucket(bucket).key(key).overrideConfiguration(limit(budget)));
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
        var r = s3.deleteObject(b -> b.bucket(bucket).key(key).overrideConfiguration(limit(budget)));
        return new Deleted(Boolean.TRUE.equals(r.deleteMarker()), r.versionId());
    }

    @Override
    public void deleteVersion(String key, String versionId, Duration budget) {
        s3.deleteObject(b -> b.bucket(bucket).key(key).versionId(versionId).overrideConfiguration(limit(budget)));
    }

    @Override
    public String location(Duration budget) {
        String c = s3.getBucketLocation(b -> b.bucket(bucket).overrideConfiguration(limit(budget)))
                .locationConstraintAsString();
        return c == null ? "" : c;
    }

    @Override
    public String createUpload(String key, Duration budget) {
        return s3.createMultipartUpload(b -> b.bucket(bucket).key(key).contentType("text/plain")
                .overrideConfiguration(limit(budget))).uploadId();
    }

    @Override
    public String uploadPart(String key, String uploadId, int number, byte[] body, Duration budget) {
        return s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(number)
                .overrideConfiguration(limit(budget)), RequestBody.fromBytes(body)).eTag();
    }

    @Override
    public List<Part> parts(String key, String uploadId, Duration budget) {
        return s3.listParts(b -> b.bucket(bucket).key(key).uploadId(uploadId).overrideConfiguration(limit(budget)))
                .parts().stream().map(p -> new Part(p.partNumber(), p.eTag())).toList();
    }

    @Override
    public List<Upload> uploads(String prefix, int max, Duration budget) {
        return s3.listMultipartUploads(b -> b.bucket(bucket).prefix(prefix).maxUploads(max)
                .overrideConfiguration(limit(budget))).uploads().stream()
                .map(u -> new Upload(u.key(), u.uploadId())).toList();
    }

    @Override
    public void abort(String key, String uploadId, Duration budget) {
        s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId).overrideConfiguration(limit(budget)));
    }

    @Override
    public void complete(String key, String uploadId, List<Part> parts, Duration budget) {
        List<CompletedPart> done = parts.stream()
                .map(p -> CompletedPart.builder().partNumber(p.number()).eTag(p.etag()).build()).toList();
        s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                .multipartUpload(m -> m.parts(done)).overrideConfiguration(limit(budget)));
    }

    private static AwsRequestOverrideConfiguration limit(Duration budget) {
        return AwsRequestOverrideConfiguration.builder().apiCallTimeout(AwsClients.atLeastOneMs(budget)).build();
    }
}
