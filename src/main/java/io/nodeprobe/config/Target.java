package io.nodeprobe.config;

/** The bucket and prefix to probe, and the region if one was configured (null: take IMDS's placement region). */
public record Target(String bucket, String prefix, String region) {

    public Target withRegion(String r) {
        return new Target(bucket, prefix, r);
    }
}
