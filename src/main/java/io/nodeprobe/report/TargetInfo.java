package io.nodeprobe.report;

/** The bucket and prefix the probes used. */
public record TargetInfo(String bucket, String prefix, String region) {
}
