package io.nodeprobe.report;

/** Where the check ran, as IMDS tells it. Fields are null when IMDS could not say. */
public record NodeInfo(String instanceId, String region, String availabilityZone) {
}
