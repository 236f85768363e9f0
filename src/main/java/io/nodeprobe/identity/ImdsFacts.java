package io.nodeprobe.identity;

/**
 * What IMDS said about the node; any field is null when IMDS could not tell.
 * {@code credentials} is null unless the credential document was complete and current.
 */
public record ImdsFacts(String instanceId, String region, String availabilityZone, String instanceProfileArn,
                        String roleName, InstanceCredentials credentials) {
    public static final ImdsFacts NONE = new ImdsFacts(null, null, null, null, null, null);
}
