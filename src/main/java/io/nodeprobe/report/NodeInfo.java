package io.nodeprobe.report;

/**
 * Where the check ran, as IMDS tells it, and how far its clock is from the servers' ({@code clockOffsetSeconds},
 * node minus server: positive when the node is ahead). Fields are null when nothing could say.
 */
public record NodeInfo(String instanceId, String region, String availabilityZone, Long clockOffsetSeconds) {

    public NodeInfo(String instanceId, String region, String availabilityZone) {
        this(instanceId, region, availabilityZone, null);
    }
}
