package io.nodeprobe.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code kill -9} at random moments of many checks against a bucket holding a thousand objects of somebody else's:
 * whatever a killed run left in the probe folder (objects, incomplete uploads), the next clean run removes and says
 * so, and the thousand objects are unchanged, key, size, ETag and byte. A clean run is one old enough to take what
 * it finds for an earlier run's: faketime puts it six minutes ahead (leftovers younger than five minutes may belong
 * to a live run and are left alone, on purpose).
 *
 * <p>50 kills on the native executable, 5 on the JVM (each JVM run costs a second before its first call). The kill
 * moments are drawn over the length of an undisturbed run measured first, from a seed that is printed.
 */
class CrashSafetyIT extends CloudScenario {
    private static final String BUCKET = "np-prefilled";

    @Test
    void killedAtRandomMoments_theNextCleanRunRemovesWhatWasLeft_andNothingElseChanges() throws Exception {
        PrefilledBucket bucket;
        try (S3Client owner = cloud.ownerS3()) {
            bucket = PrefilledBucket.ensure(owner, BUCKET, 1000);
            clean(); // what earlier tests or runs may have left
            String before = bucket.fingerprint();
            assertEquals(List.of(), probeFolder(owner), "the probe folder is empty to start with");

            NodeprobeRun whole = node("np-full").run("check", "--bucket", BUCKET, "--format", "json");
            assertEquals(0, whole.exitCode(), whole::toString);
            long runMs = Math.max(50, whole.elapsedMs());
            int kills = Nodeprobe.artifact().nativeImage() ? 50 : 5;
            long seed = Long.getLong("crash.seed", System.nanoTime());
            Random random = new Random(seed);
            int finished = 0;
            for (int i = 0; i < kills; i++) {
                Nodeprobe.Running run = node("np-full").start("check", "--bucket", BUCKET, "--format", "json");
                Thread.sleep(random.nextLong(runMs + 1));
                if (!run.process().isAlive()) {
                    finished++;
                }
                run.process().destroyForcibly(); // SIGKILL: no shutdown hook, no cleanup
                run.await(Duration.ofSeconds(20));
            }
            List<String> left = probeFolder(owner);
            System.out.println("crash-safety: " + kills + " kills (seed " + seed + ", moments over " + runMs
                    + " ms, " + finished + " runs had already ended) left " + left.size() + " things: " + left);

            NodeprobeRun cleanRun = clean();
            long objects = left.stream().filter(k -> !k.contains(" (upload ")).count();
            long uploads = left.size() - objects;
            String report = cleanRun.stdout();
            if (objects > 0) {
                assertTrue(report.contains("removed " + objects + " leftover probe object(s) of earlier runs"),
                        "the clean run says it removed the " + objects + " objects: " + cleanRun);
            }
            if (uploads > 0) {
                assertTrue(report.contains("ended " + uploads + " leftover upload(s) of earlier runs"),
                        "the clean run says it ended the " + uploads + " uploads: " + cleanRun);
            }
            assertEquals(List.of(), probeFolder(owner), "the probe folder is empty after the clean run");
            assertEquals(before, bucket.fingerprint(), "the thousand objects are unchanged");
        }
    }

    private NodeprobeRun clean() {
        NodeprobeRun run = node("np-full").startUnder(List.of("faketime", "-f", "+6m"), "check", "--bucket", BUCKET,
                "--format", "json").await(Duration.ofSeconds(60));
        assertEquals(0, run.exitCode(), run::toString);
        return run;
    }

    /** Objects and incomplete uploads under the probe folder of every node. */
    private static List<String> probeFolder(S3Client owner) {
        List<String> found = new ArrayList<>(owner.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix(".nodeprobe/"))
                .contents().stream().map(o -> o.key()).toList());
        owner.listMultipartUploads(b -> b.bucket(BUCKET).prefix(".nodeprobe/")).uploads()
                .forEach(u -> found.add(u.key() + " (upload " + u.uploadId() + ")"));
        return found;
    }
}
