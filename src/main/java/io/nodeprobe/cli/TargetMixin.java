package io.nodeprobe.cli;

import io.nodeprobe.config.TargetOptions;
import picocli.CommandLine.Option;

/** The flags that name the bucket; shared by check, policy and serve. */
public class TargetMixin {
    @Option(names = "--bucket", paramLabel = "BUCKET", description = "Bucket to probe (default: from environment).")
    String bucket;

    @Option(names = "--prefix", paramLabel = "PREFIX", description = "Key prefix; probe objects go under PREFIX/.nodeprobe/.")
    String prefix;

    @Option(names = "--storage-uri", paramLabel = "URI", description = "s3://bucket/prefix, instead of --bucket/--prefix.")
    String storageUri;

    @Option(names = "--region", paramLabel = "REGION", description = "Bucket region (default: environment, then IMDS).")
    String region;

    public TargetOptions options() {
        return new TargetOptions(bucket, prefix, storageUri, region);
    }
}
