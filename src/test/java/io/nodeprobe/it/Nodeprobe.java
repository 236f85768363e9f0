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

    /** Whatever a failed test left running (a serve whose stop was never reached) ends with the test JVM. */
    private static final java.util.Set<Process> LIVE = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(p -> {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        })));
    }

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

    /** Starts the artifact in the background (serve, or a run to kill mid-way). */
    public Running start(String... args) {
        return startCommand(ARTIFACT.command(List.of(args)), "nodeprobe " + String.join(" ", args));
    }

    /** Starts the artifact under {@code wrapper} (strace, faketime), which must exec or trace it as its child. */
    public Running startUnder(List<String> wrapper, String... args) {
        List<String> cmd = new ArrayList<>(wrapper);
        cmd.addAll(ARTIFACT.command(List.of(args)));
        return startCommand(cmd, String.join(" ", wrapper) + " nodeprobe " + String.join(" ", args));
    }

    private Running startCommand(List<String> cmd, String label) {
        try {
            Path out = Files.createTempFile("nodeprobe", ".out");
            Path err = Files.createTempFile("nodeprobe", ".err");
            ProcessBuilder pb = new ProcessBuilder(cmd)
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
            pb.environment().clear();
            pb.environment().putAll(env);
            Process p = pb.start();
            LIVE.add(p);
            p.onExit().thenRun(() -> LIVE.remove(p));
            p.getOutputStream().close();
            return new Running(p, out, err, List.copyOf(secrets), label, System.nanoTime());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A started run; {@link #await} checks its output for leaked secrets like any run. */
    public record Running(Process process, Path out, Path err, List<String> secrets, String label, long startNanos) {
        public String stderr() {
            try {
                return Files.readString(err);
            } catch (IOException e) {
                return "";
            }
        }

        /** Waits until stderr has a line containing {@code text}; fails after {@code limit} or when the run ends. */
        public String awaitLine(String text, Duration limit) {
            long end = System.nanoTime() + limit.toNanos();
            while (System.nanoTime() < end) {
                java.util.Optional<String> line = stderr().lines().filter(l -> l.contains(text)).findFirst();
                if (line.isPresent()) {
                    return line.get();
                }
                if (!process.isAlive()) {
                    break;
                }
                HttpGet.sleep(20);
            }
            throw new AssertionError("no line with '" + text + "' from " + label + ":\n" + stderr());
        }

        /** SIGTERM, as systemd stops a service. */
        public NodeprobeRun stop() {
            process.destroy();
            return await(Duration.ofSeconds(20));
        }

        public NodeprobeRun kill() {
            process.destroyForcibly();
            return await(Duration.ofSeconds(20));
        }

        public NodeprobeRun await(Duration limit) {
            try {
                if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                    // A script's children (the artifact it started) would outlive it: end them first.
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly().waitFor();
                    throw new AssertionError(label + " still running after " + limit + ": a hang\n" + stderr());
                }
                long elapsed = (System.nanoTime() - startNanos) / 1_000_000;
                NodeprobeRun run = new NodeprobeRun(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8), elapsed);
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
                for (String s : secrets) {
                    if (s != null && !s.isEmpty() && (run.stdout().contains(s) || run.stderr().contains(s))) {
                        throw new AssertionError("a secret leaked into the output of " + label);
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

    public NodeprobeRun run(String... args) {
        return run(HARD_LIMIT, args);
    }

    public NodeprobeRun run(Duration limit, String... args) {
        return start(args).await(limit);
    }

    /**
     * Runs any command (a script that calls the artifact, an installer) in this launcher's environment, with the
     * same hang limit and the same check for leaked secrets as {@link #run(String...)}.
     */
    public NodeprobeRun runCommand(List<String> cmd) {
        return runCommand(HARD_LIMIT, cmd);
    }

    public NodeprobeRun runCommand(Duration limit, List<String> cmd) {
        return startCommand(cmd, String.join(" ", cmd)).await(limit);
    }
}
