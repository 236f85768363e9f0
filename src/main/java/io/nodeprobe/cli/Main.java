package io.nodeprobe.cli;

import io.nodeprobe.nativeimage.HttpDateText;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import picocli.CommandLine;

/**
 * The entry point. A bare {@code nodeprobe --version} is answered before Quarkus starts: it needs nothing that
 * start-up builds (configuration, CDI, the command model), and a fleet's inventory runs it on every node. Every
 * other command line goes to picocli inside Quarkus, as quarkus-picocli's own runner would send it.
 */
@QuarkusMain
public class Main {
    private static final String XML_INPUT_FACTORY = "javax.xml.stream.XMLInputFactory";

    public static void main(String... args) {
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            System.out.println(VersionProvider.line());
            return;
        }
        HttpDateText.warmed();
        // The SDK asks JAXP for a StAX factory once per process; named here, it is not searched for through every
        // META-INF/services resource of the image first (about 1 ms of CPU a run, measured with perf). A caller's own
        // choice stands.
        if (System.getProperty(XML_INPUT_FACTORY) == null) {
            System.setProperty(XML_INPUT_FACTORY, "com.sun.xml.internal.stream.XMLInputFactoryImpl");
        }
        Quarkus.run(Commands.class, args);
    }

    /** The command line, run inside Quarkus; its exit code is the process's. */
    public static class Commands implements QuarkusApplication {
        @Override
        public int run(String... args) {
            CommandLine commandLine = CliConfiguration.commandLine();
            try {
                return commandLine.execute(args);
            } finally {
                commandLine.getOut().flush();
                commandLine.getErr().flush();
            }
        }
    }
}
