package io.nodeprobe.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Where S3 and STS are and how to talk to them, from the AWS SDK's standard variables, so nothing nodeprobe-specific
 * is needed against a real account or the local cloud.
 *
 * @param s3             AWS_ENDPOINT_URL_S3, else AWS_ENDPOINT_URL; null for AWS's own endpoint
 * @param sts            AWS_ENDPOINT_URL_STS, else AWS_ENDPOINT_URL; null for AWS's own endpoint
 * @param pathStyle      NODEPROBE_S3_PATH_STYLE: path-style addressing (needed by most S3 look-alikes)
 * @param checksumWhenSupported AWS_REQUEST_CHECKSUM_CALCULATION=when_supported; default when_required because the
 *                       probe verifies its bytes itself and Ceph RGW 16 rejects the SDK's CRC32 trailer
 * @param validateWhenSupported AWS_RESPONSE_CHECKSUM_VALIDATION=when_supported; default when_required
 * @param caBundle       AWS_CA_BUNDLE (as the AWS CLI): extra PEM certificates to trust, e.g. a private endpoint's
 */
public record Endpoints(URI s3, URI sts, boolean pathStyle, boolean checksumWhenSupported,
                        boolean validateWhenSupported, Path caBundle) {

    public static Endpoints from(Env env) {
        boolean ignore = env.flag("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", false);
        Optional<String> global = ignore ? Optional.empty() : env.get("AWS_ENDPOINT_URL");
        URI s3 = (ignore ? Optional.<String>empty() : env.get("AWS_ENDPOINT_URL_S3")).or(() -> global)
                .map(v -> endpoint("AWS_ENDPOINT_URL_S3", v)).orElse(null);
        URI sts = (ignore ? Optional.<String>empty() : env.get("AWS_ENDPOINT_URL_STS")).or(() -> global)
                .map(v -> endpoint("AWS_ENDPOINT_URL_STS", v)).orElse(null);
        Path ca = env.get("AWS_CA_BUNDLE").map(Path::of).orElse(null);
        if (ca != null && !Files.isReadable(ca)) {
            throw new ConfigException("AWS_CA_BUNDLE=" + ca + " is not a readable file");
        }
        return new Endpoints(s3, sts, env.flag("NODEPROBE_S3_PATH_STYLE", false),
                whenSupported(env, "AWS_REQUEST_CHECKSUM_CALCULATION"),
                whenSupported(env, "AWS_RESPONSE_CHECKSUM_VALIDATION"), ca);
    }

    /** Validates an endpoint URL: absolute http(s) with a host, nothing after the path. */
    public static URI endpoint(String what, String value) {
        URI u;
        try {
            u = new URI(value.strip());
        } catch (URISyntaxException e) {
            throw new ConfigException(what + "='" + value + "' is not a valid URL");
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new ConfigException(what + "='" + value + "' must start with http:// or https://");
        }
        if (u.getHost() == null || u.getHost().isEmpty()) {
            throw new ConfigException(what + "='" + value + "' has no host");
        }
        if (u.getRawQuery() != null || u.getRawFragment() != null || u.getRawUserInfo() != null) {
            throw new ConfigException(what + "='" + value + "' must not have user info, a query or a fragment");
        }
        return u;
    }

    private static boolean whenSupported(Env env, String var) {
        return env.get(var).map(v -> switch (v.toLowerCase(Locale.ROOT)) {
            case "when_supported" -> true;
            case "when_required" -> false;
            default -> throw new ConfigException(var + "=" + v + " must be when_supported or when_required");
        }).orElse(false);
    }
}
