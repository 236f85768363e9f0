package io.nodeprobe.aws;

import io.nodeprobe.probe.Bucket;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/** One bucket through the SDK's S3 client; every call is bounded by the budget it is given. */
final class SdkBucket implements Bucket {
    private final S3Client s3;
    private final String bucket;

    SdkBucket(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    @Override
    public List<String> list(String prefix, int max, Duration budget) {
        return s3.listObjectsV2(b -> b.bucket(bucket).prefix(prefix).maxKeys(max).overrideConfiguration(limit(budget)))
                .contents().stream().map(S3Object::key).toList();
    }

    @Override
    public void put(String key, byte[] body, Duration budget) {
        s3.putObject(b -> b.bucket(bucket).key(key).contentType("text/plain").overrideConfiguration(limit(budget)),
                RequestBody.fromBytes(body));
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
    public void delete(String key, Duration budget) {
        s3.deleteObject(b -> b.bucket(bucket).key(key).overrideConfiguration(limit(budget)));
    }

    private static AwsRequestOverrideConfiguration limit(Duration budget) {
        return AwsRequestOverrideConfiguration.builder().apiCallTimeout(AwsClients.atLeastOneMs(budget)).build();
    }
}
