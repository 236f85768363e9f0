package io.nodeprobe.config;

import java.nio.charset.StandardCharsets;

/** An object-key prefix: normalised without leading or trailing slashes, so keys join with exactly one '/'. */
public final class Prefix {
    private Prefix() {
    }

    public static String normalise(String what, String raw) {
        if (raw == null) {
            return "";
        }
        String p = raw.strip();
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (p.getBytes(StandardCharsets.UTF_8).length > 512) {
            throw new ConfigException(what + ": prefix is longer than 512 bytes");
        }
        for (int i = 0; i < p.length(); i++) {
            if (Character.isISOControl(p.charAt(i))) {
                throw new ConfigException(what + ": prefix contains a control character");
            }
        }
        if (p.contains("//") || p.equals(".") || p.startsWith("./") || p.contains("/./")
                || p.equals("..") || p.startsWith("../") || p.contains("/../") || p.endsWith("/..")) {
            throw new ConfigException(what + ": prefix '" + raw + "' has empty, '.' or '..' path segments");
        }
        return p;
    }
}
