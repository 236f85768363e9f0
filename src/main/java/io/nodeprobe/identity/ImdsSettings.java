package io.nodeprobe.identity;

import io.nodeprobe.config.ConfigException;
import io.nodeprobe.config.Endpoints;
import io.nodeprobe.config.Env;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;

/**
 * How to reach IMDS, from the variables the AWS SDKs and CLI honour.
 *
 * @param endpoint   AWS_EC2_METADATA_SERVICE_ENDPOINT (trailing slash dropped), else the link-local address for the
 *                   endpoint mode (AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE=IPv4|IPv6)
 * @param disabled   AWS_EC2_METADATA_DISABLED: skip IMDS entirely (not on EC2, or credentials come from elsewhere)
 * @param v1Disabled AWS_EC2_METADATA_V1_DISABLED: never fall back to token-less IMDSv1
 * @param timeout    AWS_METADATA_SERVICE_TIMEOUT, seconds, per connect and per read (default 1)
 * @param attempts   AWS_METADATA_SERVICE_NUM_ATTEMPTS (default 2): bounded, so a dead IMDS costs seconds, not minutes
 */
public record ImdsSettings(URI endpoint, boolean disabled, boolean v1Disabled, Duration timeout, int attempts) {
    /** Six hours, IMDS's maximum, as the AWS SDKs ask: each run fetches a token of its own, and no run outlives it. */
    public static final int TOKEN_TTL_SECONDS = 21600;

    public static ImdsSettings from(Env env) {
        String mode = env.get("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE").orElse("IPv4").toLowerCase(Locale.ROOT);
        String dflt = switch (mode) {
            case "ipv4" -> "http://169.254.169.254";
            case "ipv6" -> "http://[fd00:ec2::254]";
            default -> throw new ConfigException("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE must be IPv4 or IPv6");
        };
        String raw = env.get("AWS_EC2_METADATA_SERVICE_ENDPOINT").orElse(dflt);
        while (raw.endsWith("/")) {
            raw = raw.substring(0, raw.length() - 1);
        }
        URI endpoint = Endpoints.endpoint("AWS_EC2_METADATA_SERVICE_ENDPOINT", raw);
        int timeoutSeconds = positiveInt(env, "AWS_METADATA_SERVICE_TIMEOUT", 1, 60);
        int attempts = positiveInt(env, "AWS_METADATA_SERVICE_NUM_ATTEMPTS", 2, 10);
        return new ImdsSettings(endpoint, env.flag("AWS_EC2_METADATA_DISABLED", false),
                env.flag("AWS_EC2_METADATA_V1_DISABLED", false), Duration.ofSeconds(timeoutSeconds), attempts);
    }

    private static int positiveInt(Env env, String var, int dflt, int max) {
        return env.get(var).map(v -> {
            try {
                int n = Integer.parseInt(v);
                if (n >= 1 && n <= max) {
                    return n;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            throw new ConfigException(var + "=" + v + " must be a whole number from 1 to " + max);
        }).orElse(dflt);
    }
}
