package io.nodeprobe.it;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The artifact that `mvn package` built, as Quarkus records it in target/quarkus-artifact.properties: the native
 * executable after `-Dnative`, the runner jar otherwise. End-to-end tests run exactly that, as a node would.
 */
public record Artifact(Path path, boolean nativeImage) {

    public static Artifact built() {
        Path target = Path.of(System.getProperty("nodeprobe.target", "target"));
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(target.resolve("quarkus-artifact.properties"))) {
            p.load(in);
        } catch (IOException e) {
            throw new IllegalStateException("no built artifact: run mvn package first (" + e.getMessage() + ")");
        }
        Path path = target.resolve(p.getProperty("path"));
        if (!Files.exists(path)) {
            throw new IllegalStateException("artifact " + path + " is missing");
        }
        return new Artifact(path, "native".equals(p.getProperty("type")));
    }

    public List<String> command(List<String> args) {
        List<String> cmd = new ArrayList<>();
        if (nativeImage) {
            cmd.add(path.toAbsolutePath().toString());
        } else {
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.add("-jar");
            cmd.add(path.toAbsolutePath().toString());
        }
        cmd.addAll(args);
        return cmd;
    }
}
