package io.nodeprobe.probe;

import java.time.Duration;
import java.util.List;

/**
 * The S3 calls the probes make on one bucket, each within the budget it is given. Failures are the SDK's own
 * exceptions (status, error code, request id), which the diagnosis classifies.
 */
public interface Bucket {
    /** One uploaded part: its number and the ETag S3 gave it. */
    record Part(int number, String etag) {
    }

    /**
     * What PutObject answered: the new version's id on a versioned bucket ("null" while versioning is suspended,
     * else null), and the server-side encryption S3 applied, as its header says ({@code AES256}, {@code aws:kms},
     * {@code aws:kms:dsse}, or null) with the KMS key it names.
     */
    record Written(String versionId, String encryption, String kmsKeyId) {
    }

    /** What DeleteObject answered: on a versioned bucket, a delete marker and its version id. */
    record Deleted(boolean marker, String versionId) {
    }

    /** One multipart upload in progress. */
    record Upload(String key, String uploadId) {
    }

    /**
     * The endpoint when requests go over plain {@code http://}, for the diagnosis (a bucket policy with an
     * aws:SecureTransport Deny refuses them all); null over HTTPS, which AWS's own endpoints always are.
     */
    default String plainHttpEndpoint() {
        return null;
    }

    /** ListObjectsV2: at most {@code max} keys under {@code prefix}, in S3's order. */
    List<String> list(String prefix, int max, Duration budget);

    Written put(String key, byte[] body, Duration budget);

    /**
     * ListObjectsV2 (one key) with ExpectedBucketOwner: true when S3 answers, false on 403. S3 checks that the
     * bucket belongs to {@code account}; a server that ignores the header answers as if it did.
     */
    boolean ownedBy(String account, Duration budget);

    byte[] get(String key, Duration budget);

    /** HeadObject: true when the key is there, false on 404; a denial throws. */
    boolean exists(String key, Duration budget);

    Deleted delete(String key, Duration budget);

    /** DeleteObject of one version (s3:DeleteObjectVersion): it is gone for good, not hidden by a marker. */
    void deleteVersion(String key, String versionId, Duration budget);

    /** GetBucketLocation: the bucket's location constraint, "" for us-east-1 (S3 answers an empty one there). */
    String location(Duration budget);

    /** CreateMultipartUpload: the new upload's id. */
    String createUpload(String key, Duration budget);

    /** UploadPart: the part's ETag. */
    String uploadPart(String key, String uploadId, int number, byte[] body, Duration budget);

    /** ListParts of one upload; an upload that is gone throws the SDK's 404 NoSuchUpload. */
    List<Part> parts(String key, String uploadId, Duration budget);

    /** ListMultipartUploads: at most {@code max} uploads whose key starts with {@code prefix}. */
    List<Upload> uploads(String prefix, int max, Duration budget);

    void abort(String key, String uploadId, Duration budget);

    /** CompleteMultipartUpload: the parts become the object {@code key}. */
    void complete(String key, String uploadId, List<Part> parts, Duration budget);
}
