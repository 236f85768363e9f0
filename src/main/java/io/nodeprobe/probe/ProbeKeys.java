package io.nodeprobe.probe;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Probe object keys: {@code <prefix>/.nodeprobe/<node>/<yyyyMMddTHHmmssZ>-<12 hex>}. Everything the agent writes,
 * reads or deletes matches {@link #isProbeKey}; nothing else is ever touched.
 */
public final class ProbeKeys {
    private static final Pattern UNIQUE = Pattern.compile("\\d{8}T\\d{6}Z-[0-9a-f]{12}");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    /** Per instance, not static: a static one would be built into the native image with a fixed seed. */
    private final SecureRandom random = new SecureRandom();
    private final String folder;

    /** @param prefix normalised prefix (no leading or trailing slash), may be empty; @param node instance id or host */
    public ProbeKeys(String prefix, String node) {
        String safeNode = node == null || node.isBlank() ? "unknown-node" : node.replaceAll("[^A-Za-z0-9._-]", "_");
        this.folder = (prefix.isEmpty() ? "" : prefix + "/") + ".nodeprobe/" + safeNode + "/";
    }

    /** The folder all of this node's probe objects live in, ending with '/'. */
    public String folder() {
        return folder;
    }

    public String newKey(Instant now) {
        byte[] b = new byte[6];
        random.nextBytes(b);
        return folder + STAMP.format(now) + "-" + HexFormat.of().formatHex(b);
    }

    /**
     * The body of the probe object at {@code key}: a recognisable text line (so a person finding one knows what it
     * is) followed by random bytes (so a read of stale or cached bytes cannot pass).
     */
    public byte[] body(String key) {
        byte[] head = ("nodeprobe probe object, safe to delete: " + key + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] body = Arrays.copyOf(head, head.length + 64);
        byte[] noise = new byte[64];
        random.nextBytes(noise);
        System.arraycopy(noise, 0, body, head.length, 64);
        return body;
    }

    public boolean isProbeKey(String key) {
        return key != null && key.startsWith(folder) && UNIQUE.matcher(key.substring(folder.length())).matches();
    }

    /** When a probe key was made, from its stamp; empty for keys that are not probe keys. */
    public Optional<Instant> madeAt(String key) {
        if (!isProbeKey(key)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.from(STAMP.parse(key.substring(folder.length(), folder.length() + 16))));
        } catch (DateTimeParseException e) {
            return Optional.empty(); // the shape matched but the date does not exist (month 13)
        }
    }
}
