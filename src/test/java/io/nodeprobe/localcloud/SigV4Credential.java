package io.nodeprobe.localcloud;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The credential scope of a SigV4-signed request:
 * {@code Authorization: AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/sts/aws4_request, SignedHeaders=..., Signature=...}.
 * Only the scope is read; the emulators do not verify signatures.
 */
record SigV4Credential(String accessKeyId, String date, String region, String service) {
    private static final Pattern CREDENTIAL = Pattern.compile(
            "^AWS4-HMAC-SHA256\\s+.*?Credential=([^/,\\s]+)/(\\d{8})/([^/,\\s]+)/([^/,\\s]+)/aws4_request");

    static Optional<SigV4Credential> fromAuthorization(String header) {
        if (header == null) {
            return Optional.empty();
        }
        Matcher m = CREDENTIAL.matcher(header.trim());
        return m.find() ? Optional.of(new SigV4Credential(m.group(1), m.group(2), m.group(3), m.group(4)))
                : Optional.empty();
    }
}
