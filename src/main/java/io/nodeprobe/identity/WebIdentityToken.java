package io.nodeprobe.identity;

import io.nodeprobe.config.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * The claims of a web identity token (a JWT) that a trust policy matches on: issuer, subject, audience. Read
 * without verifying the signature (STS does that); only to name them in a diagnosis. The token itself is a
 * secret and never leaves this class.
 */
public record WebIdentityToken(String issuer, String subject, String audience, Long expiresAtEpochSecond) {

    /** Empty when the text is not a JWT with a JSON payload. */
    public static Optional<WebIdentityToken> parse(String jwt) {
        String[] parts = jwt.strip().split("\\.");
        if (parts.length < 2) {
            return Optional.empty();
        }
        String payload;
        try {
            payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return JsonObject.parse(payload).map(c -> new WebIdentityToken(c.string("iss").orElse(null),
                c.string("sub").orElse(null), c.string("aud").orElse(null),
                c.string("exp").flatMap(WebIdentityToken::epoch).orElse(null)));
    }

    /** The issuer as IAM names its OIDC provider: without the scheme (oidc.eks.REGION.amazonaws.com/id/ID). */
    public String providerPath() {
        return issuer == null ? "OIDC_PROVIDER" : issuer.replaceFirst("^https://", "");
    }

    private static Optional<Long> epoch(String s) {
        try {
            return Optional.of((long) Double.parseDouble(s));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
