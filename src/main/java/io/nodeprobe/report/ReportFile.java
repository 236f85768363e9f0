package io.nodeprobe.report;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Writes the JSON report so that readers only ever see a whole file: write a temporary file beside the target,
 * flush it to disk, then rename over the target. A run killed mid-way leaves the previous file (or none). The file
 * is created as any file of the process would be, so its mode follows the umask (a monitoring agent running as
 * another user may need to read it); the temporary name is random, as {@code Files.createTempFile}'s is, without
 * that method's fixed mode 0600.
 */
public final class ReportFile {
    private ReportFile() {
    }

    public static void write(Path target, Report report) throws IOException {
        write(target, new JsonReportRenderer().render(report).getBytes(StandardCharsets.UTF_8));
    }

    static void write(Path target, byte[] content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        byte[] unique = new byte[6];
        new SecureRandom().nextBytes(unique);
        Path tmp = dir.resolve("." + target.getFileName() + "." + HexFormat.of().formatHex(unique) + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
