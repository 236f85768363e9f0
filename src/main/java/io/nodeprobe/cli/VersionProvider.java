package io.nodeprobe.cli;

import io.quarkus.runtime.ImageMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;
import software.amazon.awssdk.core.util.VersionInfo;

/**
 * "nodeprobe 0.1.0 (native; AWS SDK 2.35.10)": enough to tell which build a node runs. The version comes from a
 * file Maven fills in, read when the class is initialised: at image build time in the native executable (see
 * application.properties), so answering costs nothing and needs no runtime configuration.
 */
public class VersionProvider implements IVersionProvider {
    private static final String VERSION = read();

    private static String read() {
        try (InputStream in = VersionProvider.class.getResourceAsStream("build.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String version() {
        return VERSION;
    }

    public static String mode() {
        return ImageMode.current() == ImageMode.NATIVE_RUN ? "native" : "jvm";
    }

    /** The one line {@code --version} prints. */
    public static String line() {
        return "nodeprobe " + version() + " (" + mode() + "; AWS SDK " + VersionInfo.SDK_VERSION + ")";
    }

    @Override
    public String[] getVersion() {
        return new String[] {line()};
    }
}
