package io.nodeprobe.config;

/**
 * The bucket and prefix to probe, and the region if one was configured (null: take IMDS's placement region).
 * {@code source} names where the bucket came from, for the 2 a.m. reader wondering why this bucket.
 */
public record Target(String bucket, String prefix, String region, String source) {

    public Target withRegion(String r) {
        return new Target(bucket, prefix, r, source);
    }
}
