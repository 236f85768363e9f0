package io.nodeprobe.diagnosis;

/**
 * The ARNs of one bucket and its objects, in the caller's partition ({@code arn:aws-cn:s3:::b} in China):
 * bucket-level actions go on the bucket, object actions on {@code bucket/*}.
 */
public record BucketArn(String partition, String bucket) {

    @Override
    public String toString() {
        return "arn:" + partition + ":s3:::" + bucket;
    }

    public String objects() {
        return this + "/*";
    }

    public String object(String key) {
        return this + "/" + key;
    }

    /** The resource an action's statement must name. */
    public String forAction(String action) {
        return PolicyGenerator.isBucketAction(action) ? toString() : objects();
    }
}
