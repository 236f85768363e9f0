package io.nodeprobe.config;

/**
 * The bucket and prefix to probe, and the region if one was configured (null: take IMDS's placement region), with
 * where it was configured: {@code --region} or the environment variable's name.
 */
public record Target(String bucket, String prefix, String region, String regionSource) {

    public Target(String bucket, String prefix, String region) {
        this(bucket, prefix, region, region == null ? null : "--region");
    }

    public Target withRegion(String r, String source) {
        return new Target(bucket, prefix, r, r == null ? null : source);
    }
}
