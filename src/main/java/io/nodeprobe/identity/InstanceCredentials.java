package io.nodeprobe.identity;

import java.time.Instant;

/** The instance profile's temporary credentials from IMDS. toString never shows the secret or the token. */
public record InstanceCredentials(String accessKeyId, String secretAccessKey, String sessionToken, Instant expiration) {
    @Override
    public String toString() {
        return "InstanceCredentials[accessKeyId=" + accessKeyId + ", expiration=" + expiration + "]";
    }
}
