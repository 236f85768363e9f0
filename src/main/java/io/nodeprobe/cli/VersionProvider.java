package io.nodeprobe.cli;

import io.quarkus.runtime.ImageMode;
import org.eclipse.microprofile.config.ConfigProvider;
import picocli.CommandLine.IVersionProvider;
import software.amazon.awssdk.core.util.VersionInfo;

/** "nodeprobe 0.1.0 (native; AWS SDK 2.35.10)": enough to tell which build a node runs. */
public class VersionProvider implements IVersionProvider {
    public static String version() {
        return ConfigProvider.getConfig().getOptionalValue("quarkus.application.version", String.class)
                .orElse("unknown");
    }

    public static String mode() {
        return ImageMode.current() == ImageMode.NATIVE_RUN ? "native" : "jvm";
    }

    @Override
    public String[] getVersion() {
        return new String[] {"nodeprobe " + version() + " (" + mode() + "; AWS SDK " + VersionInfo.SDK_VERSION + ")"};
    }
}
