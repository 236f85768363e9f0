package io.nodeprobe.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

/**
 * The scripts that put nodeprobe on a node, run for real: scripts/install.sh into a temporary prefix, the systemd
 * units through systemd-analyze, and the Anyscale init script against the local cloud with the built artifact.
 */
class StartupScriptsIT extends CloudScenario {
    private static final Path SCRIPTS = Path.of("scripts").toAbsolutePath();
    private static final Path INSTALL = SCRIPTS.resolve("install.sh");
    private static final Path INIT = SCRIPTS.resolve("anyscale-init/50-nodeprobe.sh");
    private static final List<String> ALL_CHECKS = CheckNames.ALL;

    @TempDir
    Path tmp;

    // ---- install.sh ----

    @Test
    void install_intoPrefix_installsBinaryConfigAndUnits_andASecondRunChangesNothing() throws IOException {
        Path bin = binary();
        Path prefix = tmp.resolve("prefix");
        Path units = tmp.resolve("units");

        NodeprobeRun first = install("--prefix", prefix.toString(), "--binary", bin.toString(),
                "--systemd-dir", units.toString());
        assertEquals(0, first.exitCode(), first::toString);
        Path installed = prefix.resolve("bin/nodeprobe");
        assertTrue(first.stdout().contains("installed " + installed), first::toString);
        assertEquals(sha256(bin), sha256(installed));
        assertTrue(Files.isExecutable(installed));
        assertEquals(Files.readString(SCRIPTS.resolve("systemd/nodeprobe.env")),
                Files.readString(prefix.resolve("etc/nodeprobe/nodeprobe.env")));
        String serve = Files.readString(units.resolve("nodeprobe.service"));
        String boot = Files.readString(units.resolve("nodeprobe-boot.service"));
        assertTrue(serve.contains("\nExecStart=" + installed + " serve $NODEPROBE_SERVE_ARGS\n"), serve);
        assertTrue(boot.contains("\nExecStart=" + installed + " check --wait 120s --output /run/nodeprobe/boot.json"),
                boot);
        for (String unit : List.of(serve, boot)) {
            assertTrue(unit.contains("\nEnvironmentFile=-" + prefix + "/etc/nodeprobe/nodeprobe.env\n"), unit);
            assertFalse(unit.contains("=/usr/local") || unit.contains("=-/usr/local"), "paths follow --prefix");
        }
        NodeprobeRun version = new Nodeprobe().runCommand(List.of(installed.toString(), "--version"));
        assertEquals(0, version.exitCode(), "the installed binary runs: " + version);

        Map<String, String> before = listing(tmp);
        NodeprobeRun second = install("--prefix", prefix.toString(), "--binary", bin.toString(),
                "--systemd-dir", units.toString());
        assertEquals(0, second.exitCode(), second::toString);
        assertEquals(before, listing(tmp), "a second run must not touch any file or directory");
        for (Path p : List.of(installed, prefix.resolve("etc/nodeprobe/nodeprobe.env"),
                units.resolve("nodeprobe.service"), units.resolve("nodeprobe-boot.service"))) {
            assertTrue(second.stdout().contains("unchanged " + p + "\n"), second::toString);
        }
        assertFalse(second.stdout().contains("installed ") || second.stdout().contains("updated "),
                second::toString);
        assertTrue(second.stdout().contains("0 file(s) written"), second::toString);
    }

    @Test
    void install_again_keepsTheOperatorsConfig_butUpdatesTheBinary() throws IOException {
        Path bin = binary();
        Path prefix = tmp.resolve("prefix");
        assertEquals(0, install("--prefix", prefix.toString(), "--binary", bin.toString(), "--no-systemd")
                .exitCode());
        Path conf = prefix.resolve("etc/nodeprobe/nodeprobe.env");
        String edited = "NODEPROBE_BUCKET=operators-bucket\nNODEPROBE_SERVE_ARGS=--port 9999\n";
        Files.writeString(conf, edited);
        Path newer = tmp.resolve("bin2/nodeprobe");
        Files.createDirectories(newer.getParent());
        Files.writeString(newer, Files.readString(wrapperOrCopy(bin)) + "\n# newer build\n");
        Files.setPosixFilePermissions(newer, PosixFilePermissions.fromString("rwxr-xr-x"));

        NodeprobeRun again = install("--prefix", prefix.toString(), "--binary", newer.toString(), "--no-systemd");
        assertEquals(0, again.exitCode(), again::toString);
        assertEquals(edited, Files.readString(conf), "an edited config is never overwritten");
        assertTrue(again.stdout().contains("unchanged " + conf + " (edited locally"), again::toString);
        assertTrue(again.stdout().contains("updated " + prefix.resolve("bin/nodeprobe")), again::toString);
        assertEquals(sha256(newer), sha256(prefix.resolve("bin/nodeprobe")));
        assertFalse(Files.exists(prefix.resolve("lib/systemd")), "--no-systemd installs no units");
        assertTrue(again.stdout().contains("systemd units not installed"), again::toString);
    }

    @Test
    void install_withoutABinary_refusesInOneLineAndWritesNothing() throws IOException {
        Path prefix = tmp.resolve("prefix");
        NodeprobeRun run = install("--prefix", prefix.toString(), "--binary", tmp.resolve("missing").toString());
        assertEquals(2, run.exitCode(), run::toString);
        assertEquals(1, run.stderr().strip().lines().count(), run::toString);
        assertTrue(run.stderr().contains(tmp.resolve("missing") + "' is missing"), run::toString);
        assertFalse(Files.exists(prefix));
    }

    @Test
    void install_asAnUnprivilegedUser_refusesInOneLineWhenTheTargetIsNotWritable() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/bin/setpriv")),
                "needs root and setpriv to run install.sh as nobody");
        // nobody must be able to reach the script's inputs, but not write under the prefix's parent.
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        // A copy of the script, since the checkout itself may sit where nobody cannot read (e.g. under /root).
        Path script = tmp.resolve("scripts/install.sh");
        Files.createDirectories(script.getParent());
        Files.copy(INSTALL, script);
        for (Path p : List.of(script.getParent(), script)) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Path bin = binary();
        Path prefix = tmp.resolve("root-owned/prefix");
        Files.createDirectories(prefix.getParent());
        Files.setPosixFilePermissions(prefix.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
        NodeprobeRun run = new Nodeprobe().runCommand(List.of("setpriv", "--reuid=65534", "--regid=65534",
                "--clear-groups", script.toString(), "--prefix", prefix.toString(), "--binary", bin.toString()));
        assertEquals(2, run.exitCode(), run::toString);
        assertEquals(1, run.stderr().strip().lines().count(), run::toString);
        assertTrue(run.stderr().contains("cannot write to " + prefix + "/bin: run as root"), run::toString);
        assertFalse(Files.exists(prefix));
    }

    // ---- systemd units ----

    @Test
    void units_passSystemdAnalyzeVerify_asShippedAndAsInstalled() throws IOException {
        assumeTrue(onPath("systemd-analyze"), "systemd-analyze is not installed (apt-get install systemd): "
                + "cannot verify the units");
        // As shipped: verify.sh swaps /usr/local/bin/nodeprobe (absent here) for an existing binary.
        NodeprobeRun shipped = new Nodeprobe().runCommand(List.of(SCRIPTS.resolve("systemd/verify.sh").toString()));
        assertEquals(0, shipped.exitCode(), shipped::toString);
        assertEquals("verify.sh: 2 unit(s) clean\n", shipped.stdout(), shipped::toString);

        // As install.sh renders them for a prefix whose binary exists: verified untouched.
        Path units = tmp.resolve("units");
        assertEquals(0, install("--prefix", tmp.resolve("prefix").toString(), "--binary", binary().toString(),
                "--systemd-dir", units.toString()).exitCode());
        NodeprobeRun installed = new Nodeprobe().runCommand(List.of("systemd-analyze", "verify", "--man=no",
                units.resolve("nodeprobe.service").toString(), units.resolve("nodeprobe-boot.service").toString()));
        assertEquals(0, installed.exitCode(), installed::toString);
        assertEquals("", installed.stdout() + installed.stderr(), "any warning is a unit systemd would misread");
    }

    @Test
    void verifyScript_failsOnAUnitSystemdWouldOnlyWarnAbout() throws IOException {
        assumeTrue(onPath("systemd-analyze"), "systemd-analyze is not installed: cannot verify the units");
        Path broken = tmp.resolve("nodeprobe.service");
        Files.writeString(broken, Files.readString(SCRIPTS.resolve("systemd/nodeprobe.service"))
                .replace("ProtectSystem=strict", "ProtectSystem=very"));
        NodeprobeRun run = new Nodeprobe().runCommand(List.of(SCRIPTS.resolve("systemd/verify.sh").toString(),
                broken.toString()));
        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.stderr().contains("very"), run::toString);
    }

    // ---- Anyscale init script ----

    @Test
    void anyscaleInit_fullRole_exitsZeroAndWritesAPassingReport() throws IOException {
        Path out = tmp.resolve("ray/nodeprobe.json");
        NodeprobeRun run = initScript("np-full", out).runCommand(List.of(INIT.toString()));
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.stdout().contains("result: pass (exit 0)"), "text report in the log: " + run);
        ReportJson r = reportFile(out);
        assertEquals("pass", r.status());
        assertEquals(ALL_CHECKS, r.withStatus("pass"));
        assertEquals(cloud.bucket(), r.at("target", "bucket"));
        assertEquals("np-full", r.at("identity", "role"));
    }

    @Test
    void anyscaleInit_deleteDenied_warnsButExitsZero() throws IOException {
        Path out = tmp.resolve("ray/nodeprobe.json");
        NodeprobeRun run = initScript("np-no-delete", out).runCommand(List.of(INIT.toString()));
        assertEquals(0, run.exitCode(), "a non-zero exit would terminate the node: " + run);
        assertTrue(run.stdout().contains("result: fail (exit 1)"), run::toString);
        ReportJson r = reportFile(out);
        assertEquals("fail", r.status());
        assertEquals(List.of("s3.delete"), r.withStatus("fail"));
    }

    @Test
    void anyscaleInit_deleteDeniedAndBlocking_exitsOne() throws IOException {
        Path out = tmp.resolve("ray/nodeprobe.json");
        NodeprobeRun run = initScript("np-no-delete", out).env("NODEPROBE_BLOCK", "1")
                .runCommand(List.of(INIT.toString()));
        assertEquals(1, run.exitCode(), run::toString);
        assertEquals("fail", reportFile(out).status());
    }

    @Test
    void anyscaleInit_missingBinary_saysSoAndExitsZeroUnlessBlocking() {
        String missing = tmp.resolve("no/nodeprobe").toString();
        NodeprobeRun warn = new Nodeprobe().env("NODEPROBE_BIN", missing).runCommand(List.of(INIT.toString()));
        assertEquals(0, warn.exitCode(), warn::toString);
        assertTrue(warn.stderr().contains("binary " + missing + " not found"), warn::toString);
        NodeprobeRun block = new Nodeprobe().env("NODEPROBE_BIN", missing).env("NODEPROBE_BLOCK", "1")
                .runCommand(List.of(INIT.toString()));
        assertEquals(3, block.exitCode(), block::toString);
    }

    // ---- helpers ----

    /** A node as Anyscale starts it: the bucket from ANYSCALE_ARTIFACT_STORAGE, the built artifact as the binary. */
    private Nodeprobe initScript(String role, Path out) throws IOException {
        return node(role)
                .env("NODEPROBE_BIN", binary().toString())
                .env("ANYSCALE_ARTIFACT_STORAGE", "s3://" + cloud.bucket() + "/startup-" + System.nanoTime())
                .env("NODEPROBE_OUTPUT", out.toString())
                // Short: a failing check retries until the wait is over (the retry loop is CheckIT's business).
                .env("NODEPROBE_WAIT", "10s");
    }

    private ReportJson reportFile(Path out) throws IOException {
        assertTrue(Files.isRegularFile(out), "no report at " + out);
        String json = Files.readString(out);
        for (String secret : cloud.secrets()) {
            assertFalse(secret != null && !secret.isEmpty() && json.contains(secret), "a secret leaked into " + out);
        }
        return new ReportJson(JsonNode.parser().parse(json));
    }

    private NodeprobeRun install(String... args) {
        List<String> cmd = new ArrayList<>(List.of(INSTALL.toString()));
        cmd.addAll(List.of(args));
        return new Nodeprobe().runCommand(cmd);
    }

    /**
     * What a node would install: the native executable as it is, or, for a JVM build, a two-line wrapper that
     * runs the jar (the scripts only need an executable file).
     */
    private Path binary() throws IOException {
        Artifact a = Nodeprobe.artifact();
        if (a.nativeImage()) {
            return a.path().toAbsolutePath();
        }
        Path dir = tmp.resolve("build");
        Path wrapper = dir.resolve("nodeprobe");
        if (!Files.exists(wrapper)) {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            List<String> cmd = a.command(List.of());
            Files.writeString(wrapper, "#!/bin/sh\nexec '" + String.join("' '", cmd) + "' \"$@\"\n");
            Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return wrapper;
    }

    /** A text file to derive a "newer build" from: the wrapper itself, or a small script for a native build. */
    private Path wrapperOrCopy(Path bin) throws IOException {
        if (!Nodeprobe.artifact().nativeImage()) {
            return bin;
        }
        Path script = tmp.resolve("native-stand-in");
        Files.writeString(script, "#!/bin/sh\nexec '" + bin + "' \"$@\"\n");
        return script;
    }

    /** Every path under root with type, mode, size, mtime, inode and content hash: any write changes a line. */
    private static Map<String, String> listing(Path root) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.toList()) {
                Map<String, Object> a = Files.readAttributes(p, "unix:mode,size,lastModifiedTime,ino",
                        LinkOption.NOFOLLOW_LINKS);
                m.put(root.relativize(p).toString(), String.format("mode=%o size=%s mtime=%s ino=%s sha256=%s",
                        (Integer) a.get("mode"), a.get("size"), a.get("lastModifiedTime"), a.get("ino"),
                        Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) ? sha256(p) : "-"));
            }
        }
        return m;
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean onPath(String command) {
        return Stream.of(System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":"))
                .anyMatch(d -> Files.isExecutable(Path.of(d, command)));
    }
}
