package io.nodeprobe.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A run in a private mount namespace whose /etc/resolv.conf names a loopback resolver nobody serves and whose
 * /etc/hosts is a real node's (localhost as 127.0.0.1 and ::1). A name that does not resolve is then refused on
 * this machine at once, never asked of a resolver outside it; and localhost has both addresses, as on EC2's images.
 */
final class NameServiceRoot {
    private static Path dir;

    private NameServiceRoot() {
    }

    /** The wrapper for {@link Nodeprobe#startUnder}: unshare -m, bind the two files, exec the artifact. */
    static synchronized List<String> wrapper() {
        try {
            if (dir == null) {
                dir = Files.createTempDirectory("nodeprobe-names");
                Files.writeString(dir.resolve("resolv.conf"), "nameserver 127.0.0.1\noptions timeout:1 attempts:1\n");
                Files.writeString(dir.resolve("hosts"), "127.0.0.1 localhost\n::1 localhost ip6-localhost\n");
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return List.of("unshare", "-m", "sh", "-c", "mount --bind " + dir.resolve("resolv.conf") + " /etc/resolv.conf"
                + " && mount --bind " + dir.resolve("hosts") + " /etc/hosts && exec \"$@\"", "nodeprobe-names");
    }
}
