package io.nodeprobe.config;

/** What the command line said about the target; any field may be null. */
public record TargetOptions(String bucket, String prefix, String storageUri, String region) {
    public static final TargetOptions NONE = new TargetOptions(null, null, null, null);
}
