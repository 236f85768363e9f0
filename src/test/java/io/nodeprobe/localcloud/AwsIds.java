package io.nodeprobe.localcloud;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * IAM unique ids in AWS's shape: a 4-letter type prefix (AIPA instance profile, AROA role, ...) and 17
 * upper-case letters/digits. Derived from the entity's name so they stay stable across restarts and key
 * rotations, as real ids do for the life of the entity.
 */
final class AwsIds {
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    private AwsIds() {
    }

    static String uniqueId(String prefix, String name) {
        byte[] hash = sha256(prefix + ":" + name);
        StringBuilder id = new StringBuilder(prefix);
        for (int i = 0; i < 17; i++) {
            id.append(ALPHABET.charAt((hash[i] & 0xff) % ALPHABET.length()));
        }
        return id.toString();
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
