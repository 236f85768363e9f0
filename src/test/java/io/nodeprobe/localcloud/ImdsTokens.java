package io.nodeprobe.localcloud;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** IMDSv2 session tokens: opaque random strings, each valid until its own TTL runs out. */
final class ImdsTokens {
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Instant> expiries = new ConcurrentHashMap<>();

    String issue(Duration ttl) {
        Instant now = Instant.now();
        expiries.values().removeIf(now::isAfter); // keeps a long-running emulator from growing
        byte[] bytes = new byte[40];
        random.nextBytes(bytes);
        String token = Base64.getEncoder().encodeToString(bytes); // real tokens are base64 text too
        expiries.put(token, now.plus(ttl));
        return token;
    }

    /** Every token issued so far expires now, as when their TTL ran out. */
    void expireAll() {
        expiries.replaceAll((t, e) -> Instant.EPOCH);
    }

    boolean isValid(String token) {
        Instant expiry = expiries.get(token);
        return expiry != null && Instant.now().isBefore(expiry);
    }
}
