package io.nodeprobe.report;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.LinkOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Writes the JSON report so that readers only ever see a whole file: write a temporary file beside the target,
 * flush it to disk, then rename over the target. A run killed mid-way leaves the previous file (or none). The file
 * is created as any file of the process would be, so its mode follows the umask (a monitoring agent running as
 * another user may need to read it); the temporary name is random, as {@code Files.createTempFile}'s is, without
 * that method's fixed mode 0600.
 *
 * <p>A run killed inside its write leaves its temporary file behind. Each write removes such leftovers of the same
 * target once they are {@link #LEFTOVER_AGE} old: a younger one may belong to a writer still at work (serve and a
 * boot-time check may share one file), and nothing but this exact name shape is ever touched.
 */
public final class ReportFile {
    static final Duration LEFTOVER_AGE = Duration.ofMinutes(1);

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
        removeOldLeftovers(dir, target.getFileName().toString());
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

    private static void removeOldLeftovers(Path dir, String name) {
        Pattern ours = Pattern.compile("\\." + Pattern.quote(name) + "\\.[0-9a-f]{12}\\.tmp");
        FileTime cutoff = FileTime.from(Instant.now().minus(LEFTOVER_AGE));
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, p -> ours.matcher(p.getFileName().toString()).matches())) {
            for (Path leftover : entries) {
                try {
                    if (Files.isRegularFile(leftover, LinkOption.NOFOLLOW_LINKS)
                            && Files.getLastModifiedTime(leftover, LinkOption.NOFOLLOW_LINKS).compareTo(cutoff) < 0) {
                        Files.deleteIfExists(leftover);
                    }
                } catch (IOException goneOrNotOurs) {
                    // removed by another writer meanwhile, or not ours to remove: the report is what matters
                }
            }
        } catch (IOException | DirectoryIteratorException unreadable) {
            // a directory we may write but not list: leftovers stay, the report is still written
        }
    }
}
