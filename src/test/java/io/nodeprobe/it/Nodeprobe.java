package io.nodeprobe.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the built artifact in a clean environment: only PATH, a throwaway HOME (so no ~/.aws leaks in) and what the
 * test sets. Every run is checked for leaked secrets: no test can forget to.
 */
public final class Nodeprobe {
    private static final Duration HARD_LIMIT = Duration.ofSeconds(90);
    private static final Artifact ARTIFACT = Artifact.built();

    private final Map<String, String> env = new HashMap<>();
    private final List<String> secrets = new ArrayList<>();

    public Nodeprobe() {
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("LANG", "C.UTF-8");
        try {
            Path home = Files.createTempDirectory("nodeprobe-home");
            env.put("HOME", home.toString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Artifact artifact() {
        return ARTIFACT;
    }

    public Nodeprobe env(String name, String value) {
        if (value == null) {
            env.remove(name);
        } else {
            env.put(name, value);
        }
        return this;
    }

    /** Strings that must never appear in stdout or stderr (secret keys, session tokens). */
    public Nodeprobe secrets(String... values) {
        secrets.addAll(Arrays.asList(values));
        return this;
    }

    public NodeprobeRun run(String... args) {
        return run(HARD_LIMIT, args);
    }

    public NodeprobeRun run(Duration limit, String... args) {
        try {
            Path out = Files.createTempFile("nodeprobe", ".out");
            Path err = Files.createTempFile("nodeprobe", ".err");
            ProcessBuilder pb = new ProcessBuilder(ARTIFACT.command(List.of(args)))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
            pb.environment().clear();
            pb.environment().putAll(env);
            long t0 = System.nanoTime();
            Process p = pb.start();
            p.getOutputStream().close();
            if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError("nodeprobe " + String.join(" ", args) + " still running after " + limit
                        + ": a hang\n" + Files.readString(err));
            }
            long elapsed = (System.nanoTime() - t0) / 1_000_000;
            NodeprobeRun run = new NodeprobeRun(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8), elapsed);
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            for (String s : secrets) {
                if (s != null && !s.isEmpty() && (run.stdout().contains(s) || run.stderr().contains(s))) {
                    throw new AssertionError("a secret leaked into the output of nodeprobe " + String.join(" ", args));
                }
            }
            return run;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
