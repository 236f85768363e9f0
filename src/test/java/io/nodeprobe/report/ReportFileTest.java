package io.nodeprobe.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

class ReportFileTest {

    /** This process's umask, as the kernel reports it. */
    private static int umask() throws Exception {
        return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("Umask:"))
                .map(l -> Integer.parseInt(l.substring(6).strip(), 8)).findFirst().orElseThrow();
    }

    @Test
    void write_modeFollowsTheUmask_notAFixed0600() throws Exception {
        Path target = Files.createTempDirectory("np-report").resolve("nodeprobe.json");
        ReportFile.write(target, Fixtures.putDenied());
        Set<PosixFilePermission> expected = PosixFilePermissions.fromString(rwx(0666 & ~umask()));
        assertEquals(expected, Files.getPosixFilePermissions(target));
        try (var left = Files.list(target.getParent())) {
            assertEquals(1, left.count(), "no temporary file left beside the report");
        }
    }

    @Test
    void write_removesOldLeftoversOfKilledWrites_andNothingElse() throws Exception {
        Path dir = Files.createTempDirectory("np-leftover");
        Path target = dir.resolve("nodeprobe.json");
        java.nio.file.attribute.FileTime old = java.nio.file.attribute.FileTime.from(
                java.time.Instant.now().minus(ReportFile.LEFTOVER_AGE).minusSeconds(5));
        Path oldLeftover = Files.writeString(dir.resolve(".nodeprobe.json.0123456789ab.tmp"), "{\"sta");
        Files.setLastModifiedTime(oldLeftover, old);
        Path youngLeftover = Files.writeString(dir.resolve(".nodeprobe.json.ba9876543210.tmp"), "{\"sta");
        java.util.List<Path> notOurs = java.util.List.of(dir.resolve(".other.json.0123456789ab.tmp"),
                dir.resolve(".nodeprobe.json.keep.tmp"), dir.resolve("nodeprobe.json.0123456789ab.tmp"));
        for (Path p : notOurs) {
            Files.writeString(p, "x");
            Files.setLastModifiedTime(p, old);
        }
        ReportFile.write(target, Fixtures.putDenied());
        assertTrue(Files.notExists(oldLeftover), "an old leftover of this target is removed");
        assertTrue(Files.exists(youngLeftover), "a young one may be a writer at work");
        for (Path p : notOurs) {
            assertTrue(Files.exists(p), "not ours: " + p);
        }
    }

    @Test
    void write_readersRacingTheWriter_onlyEverSeeWholeReports() throws Exception {
        Path target = Files.createTempDirectory("np-race").resolve("nodeprobe.json");
        byte[] small = new JsonReportRenderer().render(Fixtures.identityOnly()).getBytes(StandardCharsets.UTF_8);
        byte[] big = (new JsonReportRenderer().render(Fixtures.putDenied()) + " ".repeat(256 * 1024))
                .getBytes(StandardCharsets.UTF_8);
        ReportFile.write(target, small);
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger reads = new AtomicInteger();
        AtomicInteger torn = new AtomicInteger();
        Thread reader = new Thread(() -> {
            while (!done.get()) {
                try {
                    String text = Files.readString(target);
                    reads.incrementAndGet();
                    JsonNode.parser().parse(text).field("status").orElseThrow();
                } catch (Exception e) {
                    torn.incrementAndGet();
                }
            }
        });
        reader.start();
        long end = System.nanoTime() + 1_500_000_000L;
        int writes = 0;
        while (System.nanoTime() < end) {
            ReportFile.write(target, writes++ % 2 == 0 ? big : small); // sizes alternate: a torn file would show
        }
        done.set(true);
        reader.join();
        assertTrue(reads.get() > 100 && writes > 20, "reads " + reads + ", writes " + writes);
        assertEquals(0, torn.get(), "reads that saw a partial report, of " + reads);
    }

    private static String rwx(int mode) {
        StringBuilder s = new StringBuilder();
        for (int shift = 6; shift >= 0; shift -= 3) {
            int b = (mode >> shift) & 7;
            s.append((b & 4) != 0 ? 'r' : '-').append((b & 2) != 0 ? 'w' : '-').append((b & 1) != 0 ? 'x' : '-');
        }
        return s.toString();
    }
}
